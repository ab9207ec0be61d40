#!/usr/bin/env bash
# browser.sh CLI WORK SEEDS... - the HTML edition in a real browser: converts
# the seeds (check.py checks them without a browser and writes what the
# DOM must hold), then browser/browser.mjs loads every page and the corpus
# index in Debian's chromium, headless, through playwright-core, served from
# 127.0.0.1. Screenshots are kept in WORK/screenshots. Skipped (77) without
# node, chromium or playwright-core (scripts/setup installs all three).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cli=$1 work=$2
shift 2
chromium=${CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null || [ ! -x "$chromium" ] ||
   [ ! -d "$here/browser/node_modules/playwright-core" ]; then
  echo "skipped: needs node, $chromium and playwright-core (scripts/setup installs them)"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
/usr/bin/python3 "$here/check.py" --expected "$work/expected.json" "$cli" "$work/pages" "$@"
CHROMIUM=$chromium node "$here/browser/browser.mjs" "$work/pages" "$work/expected.json" "$work/screenshots"
