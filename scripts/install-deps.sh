#!/usr/bin/env bash
# Installs every Debian 12 package imrdesk needs to build, test, fuzz and benchmark.
# Idempotent and quiet when everything is already there; uses sudo when not run as root.
set -euo pipefail

packages=(
  # toolchain
  cmake g++ make pkg-config clang libclang-rt-14-dev
  # libraries
  libsodium-dev libsqlite3-dev nlohmann-json3-dev libcli11-dev libssl-dev libasio-dev
  libimgui-dev libglfw3-dev libstb-dev libfreetype-dev libgl-dev libhunspell-dev libsimdjson-dev
  # document formats: .xlsx/.docx are zip archives of XML
  libzip-dev libxml2-dev libxlsxwriter-dev
  # the server's PostgreSQL store (libpq); tests start a throwaway PostgreSQL 15 cluster
  libpq-dev postgresql-15
  # data
  fonts-dejavu-core hunspell-en-gb
  # tests and benchmarks
  doctest-dev libsqlcipher-dev sqlite3 xvfb xauth x11-apps x11-xserver-utils imagemagick
  # real clients of the files imrdesk reads and writes (tests only)
  libreoffice-calc-nogui libreoffice-writer-nogui python3-openpyxl python3-docx poppler-utils
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# --no-install-recommends: libasio-dev would otherwise pull in all of Boost.
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
