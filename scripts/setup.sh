#!/usr/bin/env bash
# Installs what is missing on a Debian 12 machine (Debian packages, npm
# packages, the Debian sources built for both targets, the tests' CLIP
# vocabulary from ../shared). Safe to run again: it only installs what is not there.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_apt_packages "${LOOKALIKE_APT_PACKAGES[@]}"
ensure_npm_packages
ensure_source_packages
ensure_test_vocabulary
