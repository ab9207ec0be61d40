#!/usr/bin/env bash
# symbols.sh LIBRARY LIST - the library exports exactly the public API in
# LIST (one name a line, sorted). After a deliberate API change:
#   SCRIPTORIUM_REGENERATE=1 ctest -R sdk-symbols; git diff tests/sdk/
set -u
LIB=$1 LIST=$2
actual=$(nm -D --defined-only "$LIB" | awk '$2 ~ /^[TDBRV]$/ {print $3}' | sort)
if [ "${SCRIPTORIUM_REGENERATE:-}" = 1 ]; then
  printf '%s\n' "$actual" >"$LIST"
fi
if diff -u "$LIST" <(printf '%s\n' "$actual"); then
  echo "symbols: 1 passed, 0 failed"
else
  echo "FAIL: exported symbols differ from $LIST (+ exported but not listed, - listed but missing)"
  exit 1
fi
if printf '%s\n' "$actual" | grep -v '^scr_'; then
  echo "FAIL: symbols without the scr_ prefix are exported"; exit 1
fi
