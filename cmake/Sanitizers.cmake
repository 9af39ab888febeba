# Options shared by every target: sanitizers when asked for, hardening always.
add_library(imrdesk_options INTERFACE)
target_compile_definitions(imrdesk_options INTERFACE $<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
target_compile_options(imrdesk_options INTERFACE -fstack-protector-strong)
if(IMRDESK_SANITIZE)
  target_compile_options(imrdesk_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(imrdesk_options INTERFACE -fsanitize=address,undefined)
endif()
