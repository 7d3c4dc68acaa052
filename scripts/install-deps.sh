#!/usr/bin/env bash
# Installs the Debian packages a Homeward target needs, and only those missing.
# Usage: scripts/install-deps.sh build|run|test
set -euo pipefail

build=(pkg-config libgtk-4-dev libcurl4-openssl-dev libsqlite3-dev)
run=("${build[@]}" fonts-noto-cjk libgtk-4-media-gstreamer gstreamer1.0-plugins-good adwaita-icon-theme curl)
test=("${run[@]}" xvfb xauth dbus dbus-x11 at-spi2-core python3 python3-pyatspi python3-gi imagemagick sqlite3)

case "${1:-}" in
  build) wanted=("${build[@]}") ;;
  run) wanted=("${run[@]}") ;;
  test) wanted=("${test[@]}") ;;
  *) echo "usage: $0 build|run|test" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "Homeward needs these Debian packages: ${missing[*]}" >&2
  echo "Run as root, or install sudo, or install them yourself: apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
