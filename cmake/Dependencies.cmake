# Every dependency is a Debian 12 package: scripts/install-deps.sh installs them all.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)  # libpq: the server's PostgreSQL store
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
pkg_check_modules(sodium REQUIRED IMPORTED_TARGET GLOBAL libsodium)
pkg_check_modules(simdjson REQUIRED IMPORTED_TARGET GLOBAL simdjson)  # chronology entries read in one pass
# Spreadsheet import (docformats): .xlsx is a zip of XML parts.
pkg_check_modules(libzip REQUIRED IMPORTED_TARGET GLOBAL libzip)
pkg_check_modules(libxml2 REQUIRED IMPORTED_TARGET GLOBAL libxml-2.0)
# Spreadsheet export: libxlsxwriter (1.1.4 writes only to files, see XlsxWriter).
pkg_check_modules(xlsxwriter REQUIRED IMPORTED_TARGET GLOBAL xlsxwriter)
# Sync: standalone Asio (header-only, C++20 coroutines) over OpenSSL 3 for TLS 1.3.
find_package(OpenSSL 3 REQUIRED)
find_path(ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(imrdesk_asio INTERFACE)
target_include_directories(imrdesk_asio SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
target_compile_definitions(imrdesk_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)
target_link_libraries(imrdesk_asio INTERFACE OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
# GCC 12 reports Asio's coroutine frame allocator (awaitable_frame_base's sized operator delete)
# as mismatched with its operator new when optimising; a known false positive (GCC bug 109224).
target_compile_options(imrdesk_asio INTERFACE $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete>)
# The kiosk client: Dear ImGui 1.86 (with its GLFW and OpenGL 3 backends and stb), GLFW, OpenGL.
pkg_check_modules(imgui REQUIRED IMPORTED_TARGET GLOBAL imgui)
pkg_check_modules(hunspell REQUIRED IMPORTED_TARGET GLOBAL hunspell)
find_package(glfw3 3.3 REQUIRED CONFIG)
find_package(OpenGL REQUIRED)

if(IMRDESK_BUILD_TESTS)
  find_package(doctest REQUIRED)
  include(doctest)
endif()
