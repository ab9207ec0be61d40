#!/usr/bin/env bash
# bench/tei-vs-pandoc.sh [CORPUS_DIR] [BUILD_DIR] - the TEI writer's
# throughput on a corpus (default ../shared/corpus/kremlin) and its ratio to
# Debian's `pandoc -f markdown -t tei` on the same input, in one run.
#
# Figures (MB of input text per second, wall clock, one core: -j1):
#   text->tei    the whole CLI: read the transcript, write TEI, every file
#   text->text   the same with the plain-text writer; tei minus text is the
#                TEI writer's own share
#   pandoc       once per file, as a user would run it on a corpus; and once
#                on every file concatenated (its start-up amortised)
# pandoc is slow, so both sides are also timed on the same sample
# (PANDOC_SAMPLE files spread over the corpus, default 300) and the ratio
# is taken on it. Outputs go to a tmpfs when there is one.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$here/../shared/corpus/kremlin}
build=${2:-$here/build}
cli=$build/scriptorium
sample=${PANDOC_SAMPLE:-300}
[ -x "$cli" ] || { echo "build first: no $cli" >&2; exit 2; }
command -v pandoc >/dev/null || { echo "pandoc is not installed" >&2; exit 2; }
tmp=/dev/shm; [ -w "$tmp" ] || tmp=${TMPDIR:-/tmp}
T=$(mktemp -d "$tmp/tei-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

find "$corpus" -type f -name '*.txt' | sort > "$T/all"
total=$(wc -l < "$T/all")
awk -v n="$sample" -v t="$total" 'BEGIN { s = t / n } NR - 1 >= k * s { print; k++ }' "$T/all" > "$T/sample"
bytes() { xargs -a "$1" -d '\n' stat -c %s | awk '{ s += $1 } END { print s }'; }
all_bytes=$(bytes "$T/all")
sample_bytes=$(bytes "$T/sample")
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.2f", b / s / 1e6 }'; }

convert() { # LIST FORMAT OUTDIR: one CLI run over the files of LIST
  mkdir -p "$3"
  xargs -a "$1" -d '\n' -x -n 100000 "$cli" -q convert -j 1 --force -t "$2" -O "$3" >/dev/null 2>&1
}

echo "Corpus: $corpus: $total files, $(awk -v b="$all_bytes" 'BEGIN{printf "%.1f", b/1e6}') MB;" \
     "sample $(wc -l < "$T/sample") files, $(awk -v b="$sample_bytes" 'BEGIN{printf "%.2f", b/1e6}') MB"
echo "$("$cli" --version); $(pandoc --version | head -n 1)"
echo

# the whole corpus, Scriptorium only (pandoc would take many minutes)
mkdir -p "$T/all-tei" "$T/all-text"
t0=$(now); "$cli" -q convert -j 1 --force -t tei -O "$T/all-tei" "$corpus" >/dev/null 2>&1; t1=$(now)
t2=$(now); "$cli" -q convert -j 1 --force -t text -O "$T/all-text" "$corpus" >/dev/null 2>&1; t3=$(now)
tei_all=$(secs "$t0" "$t1"); text_all=$(secs "$t2" "$t3")
writer_all=$(awk -v a="$tei_all" -v b="$text_all" 'BEGIN { d = a - b; if (d < 0.001) d = 0.001; print d }')
tei_bytes=$(find "$T/all-tei" -name '*.xml' -printf '%s\n' | awk '{ s += $1 } END { print s }')

# the sample, both sides
t0=$(now); convert "$T/sample" tei "$T/s-tei"; t1=$(now)
t2=$(now)
while IFS= read -r f; do pandoc -f markdown -t tei -s -o "$T/p.xml" "$f"; done < "$T/sample"
t3=$(now)
xargs -a "$T/sample" -d '\n' cat > "$T/concat.txt"
t4=$(now); pandoc -f markdown -t tei -s -o "$T/concat.xml" "$T/concat.txt"; t5=$(now)
tei_s=$(secs "$t0" "$t1"); pandoc_s=$(secs "$t2" "$t3"); pandoc_c=$(secs "$t4" "$t5")

echo "| run | input | seconds | MB/s |"
echo "| --- | --- | ---: | ---: |"
echo "| scriptorium text->tei (-j1) | corpus | $tei_all | $(rate "$all_bytes" "$tei_all") |"
echo "| scriptorium text->text (-j1) | corpus | $text_all | $(rate "$all_bytes" "$text_all") |"
echo "| TEI writer alone (tei - text) | corpus | $writer_all | $(rate "$all_bytes" "$writer_all") |"
echo "| scriptorium text->tei (-j1) | sample | $tei_s | $(rate "$sample_bytes" "$tei_s") |"
echo "| pandoc -f markdown -t tei, per file | sample | $pandoc_s | $(rate "$sample_bytes" "$pandoc_s") |"
echo "| pandoc -f markdown -t tei, concatenated | sample | $pandoc_c | $(rate "$sample_bytes" "$pandoc_c") |"
echo
echo "TEI written: $(awk -v b="$tei_bytes" 'BEGIN{printf "%.1f", b/1e6}') MB for the corpus."
awk -v a="$pandoc_s" -v b="$tei_s" -v c="$pandoc_c" 'BEGIN {
  printf "Scriptorium is %.0fx faster than pandoc run per file, %.1fx faster than pandoc on the concatenated sample.\n", a / b, c / b }'
