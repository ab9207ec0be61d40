#!/usr/bin/env bash
# bench/warc.sh [ARCHIVE] [BUILD_DIR] - the whole web archive to TEI with one
# worker and with two, beside libxml2's floor (`xmllint --html --noout` over
# the same pages, extracted once, untimed) and `zcat` (inflating it), in one
# run, as a Markdown table. Not a test: it prints figures (issue 19's target:
# within 2x of the xmllint floor). Each row: the median of RUNS runs (3).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
warc=${1:-$here/../shared/corpus/kremlin-html/kremlin-events-2020.warc.gz}
build=${2:-$here/build}
cli=$build/scriptorium
runs=${RUNS:-3}
[ -x "$cli" ] || { echo "build first: scripts/build" >&2; exit 2; }
[ -f "$warc" ] || { echo "no archive at $warc" >&2; exit 2; }
tmpbase=/dev/shm
[ -w "$tmpbase" ] || tmpbase=${TMPDIR:-/tmp}
T=$(mktemp -d "$tmpbase/scriptorium-warc-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# measure PREP CMD...: the median wall seconds of RUNS runs, PREP before each
measure() {
  local prep=$1 k
  shift
  for ((k = 0; k < runs; k++)); do
    eval "$prep"
    /usr/bin/time -f '%e' -o "$T/time" "$@" >/dev/null 2>"$T/err" || { tail -3 "$T/err" >&2; return 1; }
    tail -1 "$T/time"
  done | median
}

/usr/bin/python3 "$here/tests/html/extract.py" "$warc" "$T/pages" >/dev/null
html_mb=$(du -sb "$T/pages" | awk '{printf "%.0f", $1 / 1e6}')
pages=$(find "$T/pages" -name '*.html' | wc -l)
zcat_s=$(measure : sh -c "zcat '$warc' >/dev/null")
xmllint_s=$(measure : sh -c "find '$T/pages' -name '*.html' -print0 | xargs -0 xmllint --html --noout --nowarning 2>/dev/null; true")
j1=$(measure 'rm -rf "$T/out"' "$cli" -q convert -t tei -j 1 -O "$T/out" "$warc")
j2=$(measure 'rm -rf "$T/out"' "$cli" -q convert -t tei -j 2 -O "$T/out" "$warc")

echo "Archive: $warc — $pages pages, $html_mb MB of HTML; $(nproc) cores; medians of $runs runs."
echo
echo "| run | seconds | × xmllint |"
echo "| --- | ---: | ---: |"
for row in "zcat (inflate only)|$zcat_s" "xmllint --html --noout (the libxml2 floor)|$xmllint_s" \
           "scriptorium convert -t tei -j 1|$j1" "scriptorium convert -t tei -j 2|$j2"; do
  awk -F'|' -v x="$xmllint_s" '{ printf "| %s | %.2f | %.2f |\n", $1, $2, $2 / x }' <<<"$row"
done
