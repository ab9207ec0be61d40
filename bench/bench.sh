#!/usr/bin/env bash
# bench/bench.sh [CORPUS_DIR] [BUILD_DIR] - throughput and memory of
# Scriptorium on a corpus (default ../shared/corpus/kremlin), against what a
# user would otherwise run (cat; Debian's pandoc -f markdown -t tei), in one
# run, printed as a Markdown table. Not a test: it prints figures.
#
# Each conversion is a whole run of the CLI over the corpus directory
# (process start, plugin loading, reading, converting, writing every file
# atomically, the manifest). pandoc starts once per file, as a user would run
# it on a corpus; it is timed on a sample (PANDOC_SAMPLE files, default 200)
# and its rate extrapolated. Outputs go to a tmpfs when one is available.
# Every row is the median of RUNS runs (default 5).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$here/../shared/corpus/kremlin}
build=${2:-$here/build}
cli=$build/scriptorium
sample=${PANDOC_SAMPLE:-200}
runs=${RUNS:-5}
[ -x "$cli" ] || { echo "build first: scripts/build" >&2; exit 2; }
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
tmpbase=/dev/shm
[ -w "$tmpbase" ] || tmpbase=${TMPDIR:-/tmp}
T=$(mktemp -d "$tmpbase/scriptorium-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

files=$(find "$corpus" -type f -name '*.txt' | wc -l)
bytes=$(find "$corpus" -type f -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
largest=$(find "$corpus" -type f -name '*.txt' -printf '%s\n' | sort -n | tail -n 1)
mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')

# run LABEL CMD...: wall seconds and peak RSS (KiB) of one command
run() {
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$T/time" "$@" >/dev/null 2>"$T/stderr" ||
    { echo "failed: $label: $(tail -3 "$T/stderr")" >&2; return 1; }
  read -r secs rss <"$T/time"
  echo "$secs $rss"
}

# measure LABEL PREP CMD...: the median wall seconds and the largest peak RSS
# of RUNS runs (default 5; shared machines are noisy), PREP run before each.
measure() {
  local label=$1 prep=$2 k s r all=() rss_max=0
  shift 2
  for ((k = 0; k < runs; k++)); do
    eval "$prep"
    read -r s r < <(run "$label" "$@") || return 1
    all+=("$s")
    ((r > rss_max)) && rss_max=$r
  done
  printf '%s\n' "${all[@]}" | sort -n | awk -v r="$rss_max" '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)], r }'
}

row() { # LABEL SECONDS RSS_KIB [BYTES] [FILES]
  local b=${4:-$bytes} f=${5:-$files}
  awk -v l="$1" -v s="$2" -v r="$3" -v b="$b" -v f="$f" -v cat="$cat_rate" 'BEGIN {
    if (s < 0.001) s = 0.001
    rate = b / s / 1e6
    printf "| %s | %.2f | %s | %.0f | %.1f | %.3g |\n", l, s, sprintf(rate < 1 ? "%.3f" : "%.1f", rate), f / s, r / 1024, rate / cat }'
}

has() { grep -qx "$1" <<<"$("$cli" formats | awk '$1 == "writes" || $1 == "reads" {print $1 ":" $2}')"; }

# cat: the floor for reading every file.
read -r cat_secs _ < <(measure cat : sh -c "find '$corpus' -type f -name '*.txt' -print0 | xargs -0 cat")
cat_rate=$(awk -v b="$bytes" -v s="$cat_secs" 'BEGIN { if (s < 0.001) s = 0.001; print b / s / 1e6 }')

echo "Corpus: $corpus — $files files, $mb MB, largest $largest bytes; $(nproc) cores."
echo "Each row: the median of $runs runs (pandoc: one run of its sample)."
echo "Scriptorium $("$cli" --version | cut -d' ' -f2); pandoc $(pandoc --version 2>/dev/null | head -n 1 | cut -d' ' -f2 || echo '(not installed)')."
echo
echo "| conversion | seconds | MB/s | files/s | peak RSS (MiB) | × cat |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
row "cat (read every file)" "$cat_secs" 0
# The file-system floor: read each file and write an output as large as its
# TEI (measured below) atomically, without converting (bench/iofloor.c).
floor_row() {
  local ratio=$1
  if cc -O2 -o "$T/iofloor" "$here/bench/iofloor.c" 2>/dev/null; then
    read -r fsecs frss < <(measure iofloor 'rm -rf "$T/floor" && mkdir "$T/floor"' "$T/iofloor" "$corpus" "$T/floor" "$ratio")
    row "floor: read, write ${ratio}× atomically, no conversion" "$fsecs" "$frss"
    rm -rf "$T/floor"
  fi
}
declare -A tei_rate
tei_ratio=
for conv in text:text text:tei text:yaml tei:yaml; do
  from=${conv%%:*} to=${conv#*:}
  has "writes:$to" && has "reads:$from" || { echo "| $from → $to | (no $from reader or $to writer) | | | | |"; continue; }
  src=$corpus
  if [ "$from" != text ]; then
    # The input for this row: the corpus converted once, untimed.
    mkdir -p "$T/in-$from"
    "$cli" -q convert -f text -t "$from" -O "$T/in-$from" "$corpus" 2>/dev/null || true
    src=$T/in-$from/$from
  fi
  in_bytes=$(find "$src" -type f ! -name 'corpus.*' ! -name 'manifest*' -printf '%s\n' | awk '{s+=$1} END {print s}')
  for j in 1 2; do
    read -r secs rss < <(measure "$conv -j $j" 'rm -rf "$T/out" && mkdir "$T/out"' "$cli" -q convert -f "$from" -t "$to" -j "$j" -O "$T/out" "$src")
    row "$from → $to, -j $j" "$secs" "$rss" "$in_bytes"
    [ "$conv" = text:tei ] && tei_rate[$j]=$(awk -v b="$in_bytes" -v s="$secs" 'BEGIN { if (s < 0.001) s = 0.001; print b / s / 1e6 }')
    [ "$conv" = text:tei ] && tei_ratio=$(awk -v o="$(du -sb "$T/out/tei" | cut -f1)" -v i="$in_bytes" 'BEGIN {printf "%.1f", o / i}')
  done
done
[ -n "${tei_ratio:-}" ] && floor_row "$tei_ratio"
if command -v pandoc >/dev/null; then
  mkdir -p "$T/pandoc"
  find "$corpus" -type f -name '*.txt' | sort >"$T/all"
  head -n "$sample" "$T/all" >"$T/sample"
  sbytes=$(xargs -a "$T/sample" stat -c %s | awk '{s+=$1} END {print s}')
  read -r psecs prss < <(run pandoc sh -c "while read -r f; do pandoc -f markdown -t tei \"\$f\" -o '$T/pandoc/out.xml'; done <'$T/sample'")
  row "pandoc -f markdown -t tei (per file, $sample-file sample)" "$psecs" "$prss" "$sbytes" "$sample"
  prate=$(awk -v b="$sbytes" -v s="$psecs" 'BEGIN { print b / s / 1e6 }')
  if [ -n "${tei_rate[1]:-}" ]; then
    echo
    awk -v a="${tei_rate[1]}" -v b="${tei_rate[2]:-0}" -v p="$prate" 'BEGIN {
      printf "text → TEI: %.0f× pandoc with one worker; -j 2 is %.2f× -j 1.\n", a / p, b / a }'
  fi
fi
# Start-up: the program plus loading every plugin.
start=$(date +%s.%N)
for _ in $(seq 100); do "$cli" formats >/dev/null; done
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "Start-up and loading every plugin (scriptorium formats): %.1f ms.\n", (e - s) * 10 }'
echo "Peak memory bound to meet: 32 MB + 3 × largest document = $(awk -v l="$largest" 'BEGIN {printf "%.1f", (32e6 + 3 * l) / 1048576}') MiB."
# The stages in memory, without the file system: the corpus as its files,
# then as one document (is a stage slower per byte on a big document?).
if [ -x "$build/bench-stages" ]; then
  echo
  "$build/bench-stages" -r "$runs" "$corpus"
  echo
  "$build/bench-stages" -r "$runs" --one "$corpus"
fi
