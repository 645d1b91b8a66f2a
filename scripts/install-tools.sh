#!/usr/bin/env bash
# Installs what jtorr's build and interoperability tests need from Debian's packages, if anything is missing:
# Maven, the real BitTorrent tools (libtorrent for Python, aria2, Transmission and its daemon, mktorrent,
# opentracker), and Chromium with its driver for the web page's browser tests.
set -euo pipefail
have_all() {
  command -v mvn >/dev/null && command -v mktorrent >/dev/null && command -v aria2c >/dev/null \
    && command -v transmission-show >/dev/null && command -v transmission-create >/dev/null \
    && command -v transmission-cli >/dev/null && command -v opentracker >/dev/null \
    && command -v transmission-remote >/dev/null && command -v transmission-daemon >/dev/null \
    && command -v chromium >/dev/null && command -v chromedriver >/dev/null \
    && [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import libtorrent' 2>/dev/null
}
if have_all; then
  exit 0
fi
packages=(maven python3-libtorrent aria2 transmission-cli transmission-daemon mktorrent opentracker chromium
  chromium-driver)
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-tools: missing tools and cannot install them here (needs root and apt-get): ${packages[*]}" >&2
  echo "install-tools: interoperability tests will be skipped (they fail under CI=true)" >&2
  exit 0
fi
echo "install-tools: installing ${packages[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${packages[@]}" >&2
have_all || { echo "install-tools: tools still missing after apt-get install" >&2; exit 1; }
