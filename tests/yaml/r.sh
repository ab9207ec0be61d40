#!/usr/bin/env bash
# r.sh CLI SEEDS_DIR [CORPUS_DIR] - the YAML edition of every seed and of
# 300 files of the corpus (every 24th), loaded with R's yaml package
# (r-check.R). Skips (77) without Rscript or the package.
set -u
CLI=$1 SEEDS=$2 CORPUS=${3:-}
DIR=$(cd "$(dirname "$0")" && pwd)
command -v Rscript >/dev/null && Rscript -e 'library(yaml)' >/dev/null 2>&1 ||
  { echo "r.sh: Rscript with the yaml package (r-cran-yaml) not found; skipped"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
inputs=("$SEEDS"/*.txt)
if [ -n "$CORPUS" ] && [ -d "$CORPUS" ]; then
  mapfile -t sample < <(ls "$CORPUS"/*.txt | sort | awk 'NR % 24 == 0' | head -n 300)
  [ "${#sample[@]}" -eq 300 ] || { echo "FAIL: the corpus sample has ${#sample[@]} files, not 300"; exit 1; }
  inputs+=("${sample[@]}")
fi
"$CLI" -q convert -t yaml -O "$T/out" "${inputs[@]}" > /dev/null 2> "$T/err" ||
  { cat "$T/err"; echo "FAIL: the conversion failed"; exit 1; }
# a file the edition writes "." and n in, so the test could fail without the quoting
grep -q "^ *- '\\.'$" "$T"/out/*.yaml || { echo "FAIL: no '.' item in the sample: the test proves nothing"; exit 1; }
grep -q "^ *'n': " "$T"/out/*.yaml || { echo "FAIL: no key n in the sample: the test proves nothing"; exit 1; }
Rscript "$DIR/r-check.R" "$T"/out/*.yaml
