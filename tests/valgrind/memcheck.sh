#!/usr/bin/env bash
# memcheck.sh CLI SEEDS_DIR - valgrind memcheck over every seed in every
# output format (with the corpus files), and over validating the outputs:
# 0 errors and 0 leaks. Each run must also do its work: exit 0, and write
# the same files (byte for byte) as the same command without valgrind, so
# that a program that does nothing cannot pass.
set -u
CLI=$1 SEEDS=$2
command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
vg=(valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes)
failures=0 passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }

seeds=("$SEEDS"/*.txt)
formats=$("$CLI" formats | awk '$1 == "writes" { print $2 }' | paste -sd, -)
if [ -z "$formats" ] || [ "${#seeds[@]}" -lt 2 ]; then
  fail "no output formats ('$formats') or fewer than two seeds (${#seeds[@]})"
  echo "memcheck: $passes passed, $failures failed"
  exit 1
fi

# The reference: the same conversion without valgrind.
"$CLI" convert -j 2 -t "$formats" -O "$T/ref" "${seeds[@]}" 2>"$T/ref.log"
rc=$?
[ $rc -eq 0 ] && pass || fail "converting the seeds (without valgrind) exited $rc: $(head -c 400 "$T/ref.log")"
n_out=$(ls "$T/ref" 2>/dev/null | wc -l)
[ "$n_out" -gt 0 ] && [ -s "$T/ref/manifest.tsv" ] && pass || fail "the reference run wrote no outputs or no manifest"

"${vg[@]}" "$CLI" convert -j 2 -t "$formats" -O "$T/out" "${seeds[@]}" 2>"$T/convert.log"
rc=$?
if [ $rc -eq 99 ] || grep -q '==[0-9]*==' "$T/convert.log"; then
  fail "memcheck errors converting the seeds to $formats:"; cat "$T/convert.log"
elif [ $rc -ne 0 ]; then
  fail "converting the seeds under valgrind exited $rc: $(head -c 400 "$T/convert.log")"
elif ! grep -q "^scriptorium: converted ${#seeds[@]}, unchanged 0, warnings [0-9]*, failed 0" "$T/convert.log"; then
  fail "no summary of ${#seeds[@]} converted inputs: $(head -c 400 "$T/convert.log")"
# (the manifests differ in their key only: it holds the program's own file,
# which under valgrind is valgrind's)
elif ! diff -r -x manifest.tsv "$T/ref" "$T/out" >"$T/diff" 2>&1 ||
     ! diff <(cut -f 1-6,8- "$T/ref/manifest.tsv") <(cut -f 1-6,8- "$T/out/manifest.tsv") >"$T/diff" 2>&1; then
  fail "the outputs under valgrind differ from the reference: $(head -c 400 "$T/diff")"
else
  pass
fi
# every seed in every format, and the manifest's line for each
for s in "${seeds[@]}"; do
  stem=$(basename "${s%.txt}")
  n=$(ls "$T/out/$stem".* 2>/dev/null | wc -l)
  [ "$n" -eq "$(echo "$formats" | tr , '\n' | wc -l)" ] && pass || fail "$stem: $n outputs, not one per format ($formats)"
  grep -q "^$s	.*	ok	" "$T/out/manifest.tsv" 2>/dev/null && pass || fail "$stem: no 'ok' line in the manifest"
done

files=$(ls "$T"/out/*.xml "$T"/out/*.yaml 2>/dev/null || true)
if [ -n "$files" ] && "$CLI" formats | grep -q '^  checks'; then
  nfiles=$(echo "$files" | wc -w)
  "${vg[@]}" "$CLI" validate $files >/dev/null 2>"$T/validate.log"
  rc=$?
  if [ $rc -eq 99 ] || grep -q '==[0-9]*==' "$T/validate.log"; then
    fail "memcheck errors validating:"; cat "$T/validate.log"
  elif [ $rc -ne 0 ]; then
    fail "validating the outputs under valgrind exited $rc: $(head -c 400 "$T/validate.log")"
  elif [ "$(grep -c ': valid (' "$T/validate.log")" -ne "$nfiles" ]; then
    fail "not every one of the $nfiles outputs was found valid: $(head -c 400 "$T/validate.log")"
  else
    pass
  fi
fi
echo "memcheck ($formats): $passes passed, $failures failed"
[ "$failures" -eq 0 ]
