#!/usr/bin/env bash
# crash.sh CLI SEEDS_DIR [KREMLIN_DIR] - crash consistency: a corpus run
# killed with SIGKILL at several points and then run again ends
# byte-identical to an uninterrupted run (diff -r, temporary files
# included), and the rerun converts only what the killed run had not
# finished (what its journal records is unchanged).
set -u
CLI=$1 SEEDS=$(cd "$2" && pwd) KREMLIN=${3:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failures=0 passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }
check() { if eval "$1"; then pass; else fail "$2"; fi; }

mkdir "$T/in"
if [ -n "$KREMLIN" ] && [ -d "$KREMLIN" ]; then
  ls "$KREMLIN" | grep '\.txt$' | head -n 1500 | while read -r f; do cp "$KREMLIN/$f" "$T/in/"; done
  cp "$SEEDS"/*.txt "$T/in/"
else
  echo "note: $KREMLIN absent; the seeds copied 200 times instead"
  for s in "$SEEDS"/*.txt; do
    for k in $(seq -w 1 200); do cp "$s" "$T/in/$(basename "$s" .txt)_$k.txt"; done
  done
fi
total=$(ls "$T/in" | wc -l)
formats=tei,yaml,text

"$CLI" -q convert -j 2 -t $formats -O "$T/clean" "$T/in" 2>/dev/null
check '[ $? -eq 0 ] && [ -f "$T/clean/manifest.tsv" ]' "the uninterrupted run failed"

for at in 5 30 60 90; do
  d=$T/killed-$at
  want=$((total * at / 100))
  "$CLI" -q convert -j 2 -t $formats -O "$d" "$T/in" 2>/dev/null &
  pid=$!
  tries=0
  while [ "$(cat "$d/manifest.tsv.journal" 2>/dev/null | wc -l)" -lt "$want" ] && [ $tries -lt 4000 ]; do
    sleep 0.002; tries=$((tries + 1))
  done
  kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
  # what the killed run had finished: its journal's entries
  # (whole lines only: a line the kill cut short is no entry, for the
  # rerun's reader as for this count)
  done_n=$(tail -n +2 "$d/manifest.tsv.journal" 2>/dev/null | grep -c '	ok	')
  if [ -s "$d/manifest.tsv.journal" ] && [ -n "$(tail -c 1 "$d/manifest.tsv.journal")" ] &&
     tail -n 1 "$d/manifest.tsv.journal" | grep -q '	ok	'; then
    done_n=$((done_n - 1))
  fi
  "$CLI" -q convert -j 2 -t $formats -O "$d" "$T/in" 2>"$d.err"
  rc=$?
  echo "killed at $at%: $done_n of $total finished"
  check '[ $rc -eq 0 ] && diff -r "$T/clean" "$d" >/dev/null' "killed at $at%: differs from the uninterrupted run: $(diff -r "$T/clean" "$d" 2>&1 | head -n 5)"
  check 'grep -q "converted $((total - done_n)), unchanged $done_n," "$d.err"' "killed at $at%: the rerun did not resume ($done_n done): $(tail -n 1 "$d.err")"
done

echo "crash: $passes passed, $failures failed"
[ $failures -eq 0 ]
