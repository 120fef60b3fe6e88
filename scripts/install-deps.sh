#!/usr/bin/env bash
# Installs the Debian packages libdecide needs to build and test, only those missing.
set -euo pipefail
pkgs="build-essential cmake pkg-config clang libxml2-dev libxml2-utils libpcre2-dev
      libjson-c-dev libcmocka-dev valgrind python3 time"
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
