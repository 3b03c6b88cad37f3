#!/usr/bin/env bash
# Install the Debian packages riskdesk needs (as root), skipping apt when all are present.
#   tools/system-packages.sh app    — Qt's libraries, to run the app
#   tools/system-packages.sh test   — plus PDF tools, LibreOffice (a real spreadsheet
#                                     client for the export tests), Xvfb for screenshots,
#                                     PostgreSQL (tests/pg.py starts a private server)
set -euo pipefail

APP=(python3 python3-venv python3-pip
     libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0
     libxkbcommon0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
     libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1
     libxkbcommon-x11-0 fontconfig-config fonts-dejavu-core)
TEST=(poppler-utils qpdf libreoffice-calc-nogui xvfb xauth postgresql)

packages=("${APP[@]}")
[ "${1:-app}" = "test" ] && packages+=("${TEST[@]}")

missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    [ -n "${RISKDESK_QUIET:-}" ] || echo "system packages: all present"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "riskdesk needs these Debian packages; run as root or with sudo:" >&2
    echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
