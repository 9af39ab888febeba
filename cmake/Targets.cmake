# One function per kind of target, so every folder is declared the same way.

# imrdesk_library(<target> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# A static library whose public headers live in ./include.
function(imrdesk_library target)
  cmake_parse_arguments(A "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${target} STATIC ${A_SOURCES})
  target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(${target} PUBLIC imrdesk_options ${A_PUBLIC_DEPS}
                                  PRIVATE imrdesk_warnings ${A_PRIVATE_DEPS})
endfunction()

# imrdesk_test(<target> SOURCES ... DEPS ...)
# A doctest executable; its cases are discovered by ctest, never listed twice.
function(imrdesk_test target)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${target} ${A_SOURCES})
  target_link_libraries(${target} PRIVATE imrdesk_test_support imrdesk_warnings ${A_DEPS})
  doctest_discover_tests(${target} WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
                         PROPERTIES TIMEOUT 600)
endfunction()
