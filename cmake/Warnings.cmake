# (-Wnull-dereference is left out: with GCC 12 at -O2 it reports false positives inside
# libstdc++ streambuf.)
# Warnings are an INTERFACE target that each of our targets links; never global flags,
# so third-party headers and generated code are not held to them.
add_library(imrdesk_warnings INTERFACE)
target_compile_options(imrdesk_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(IMRDESK_WARNINGS_AS_ERRORS)
  target_compile_options(imrdesk_warnings INTERFACE -Werror)
endif()
