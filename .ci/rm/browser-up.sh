#!/usr/bin/env bash
# A headless browser for the report test (python/tests/test_report.py),
# which renders the HTML report and times it: Debian's chromium, installed
# on first use. Starts no daemon, so there is no browser-down.sh.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/common.sh"

install_packages chromium
