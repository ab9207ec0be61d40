#!/usr/bin/env bash
# memcheck.sh CLI SEEDS_DIR - valgrind memcheck over every seed in every
# output format (with the corpus files), and over validating the outputs:
# 0 errors and 0 leaks.
set -u
CLI=$1 SEEDS=$2
command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
vg=(valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes)
formats=$("$CLI" formats | awk '$1 == "writes" { print $2 }' | paste -sd, -)
failures=0 passes=0
"${vg[@]}" "$CLI" convert -j 2 -t "$formats" -O "$T" "$SEEDS"/*.txt 2>"$T/convert.log"
rc=$?
if [ $rc -eq 99 ] || grep -q '==[0-9]*==' "$T/convert.log"; then
  echo "FAIL: memcheck errors converting the seeds to $formats:"; cat "$T/convert.log"; failures=$((failures + 1))
else
  passes=$((passes + 1))
fi
files=$(ls "$T"/*.xml "$T"/*.yaml 2>/dev/null || true)
if [ -n "$files" ] && "$CLI" formats | grep -q '^  checks'; then
  "${vg[@]}" "$CLI" validate $files >/dev/null 2>"$T/validate.log"
  rc=$?
  if [ $rc -eq 99 ] || grep -q '==[0-9]*==' "$T/validate.log"; then
    echo "FAIL: memcheck errors validating:"; cat "$T/validate.log"; failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
fi
echo "memcheck ($formats): $passes passed, $failures failed"
[ "$failures" -eq 0 ]
