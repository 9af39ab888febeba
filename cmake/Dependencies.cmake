# Every dependency is a Debian 12 package: scripts/install-deps.sh installs them all.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
pkg_check_modules(sodium REQUIRED IMPORTED_TARGET libsodium)

if(IMRDESK_BUILD_TESTS)
  find_package(doctest REQUIRED)
  include(doctest)
endif()
