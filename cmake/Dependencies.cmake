# Every dependency is a Debian 12 package: scripts/install-deps.sh installs them all.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
pkg_check_modules(sodium REQUIRED IMPORTED_TARGET GLOBAL libsodium)
# The kiosk client: Dear ImGui 1.86 (with its GLFW and OpenGL 3 backends and stb), GLFW, OpenGL.
pkg_check_modules(imgui REQUIRED IMPORTED_TARGET GLOBAL imgui)
pkg_check_modules(hunspell REQUIRED IMPORTED_TARGET GLOBAL hunspell)
find_package(glfw3 3.3 REQUIRED CONFIG)
find_package(OpenGL REQUIRED)

if(IMRDESK_BUILD_TESTS)
  find_package(doctest REQUIRED)
  include(doctest)
endif()
