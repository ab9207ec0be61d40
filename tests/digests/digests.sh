#!/usr/bin/env bash
# digests.sh CLI SEEDS_DIR CORPUS_DIR DIGESTS - every output of the seeds and
# of the whole kremlin corpus, byte for byte: converts them to TEI, YAML,
# both text editions and the native dump, and compares, for each input, a
# hash of its five outputs' SHA-256s (from the manifests; 16 hex digits)
# with DIGESTS. A change of any output byte names the inputs it changed.
#
# After a deliberate change of the outputs, regenerate and review the diff:
#   SCRIPTORIUM_REGENERATE=1 ctest -R digests-corpus
# Exit 77 (skip) when the corpus is absent.
set -u
CLI=$1 SEEDS=$2 CORPUS=$3 DIGESTS=$4
if [ ! -d "$CORPUS" ]; then echo "skipped: no corpus at $CORPUS"; exit 77; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/in"
ln -s "$(cd "$SEEDS" && pwd)" "$T/in/seeds"
ln -s "$(cd "$CORPUS" && pwd)" "$T/in/kremlin"

# path TAB status TAB the outputs' hashes, comma-separated, in -t order
hashes() { awk -F'\t' 'NR > 1 && $4 != "skipped" { print $1 "\t" $4 "\t" $8 }' "$1/manifest.tsv" | LC_ALL=C sort; }

cd "$T/in"
"$CLI" -q convert --sync none --no-corpus -t tei,yaml,text,native -O "$T/d" seeds kremlin 2>"$T/err.d" ||
  { echo "FAIL: the diplomatic conversion failed:"; head -n 20 "$T/err.d"; exit 1; }
"$CLI" -q convert --sync none --no-corpus -t text --set text.edition=reading -O "$T/r" seeds kremlin 2>"$T/err.r" ||
  { echo "FAIL: the reading edition failed:"; head -n 20 "$T/err.r"; exit 1; }
hashes "$T/d" >"$T/d.tsv"
hashes "$T/r" >"$T/r.tsv"
# one line per input: its path and a hash of its five outputs' hashes
/usr/bin/python3 - "$T/d.tsv" "$T/r.tsv" >"$T/now.tsv" <<'PY'
import hashlib, sys
rows = {}
for f in sys.argv[1:]:
    for line in open(f, encoding="utf-8"):
        path, status, hashes = line.rstrip("\n").split("\t")
        rows.setdefault(path, []).append(status + " " + hashes)
for path in sorted(rows, key=lambda p: p.encode()):
    print("%s\t%s" % (path, hashlib.sha256(" ".join(rows[path]).encode()).hexdigest()[:16]))
PY
n=$(wc -l <"$T/now.tsv")

if [ -n "${SCRIPTORIUM_REGENERATE:-}" ]; then
  cp "$T/now.tsv" "$DIGESTS"
  echo "regenerated $DIGESTS ($n lines); review it with git diff"
  exit 0
fi
if cmp -s "$T/now.tsv" "$DIGESTS"; then
  echo "digests: the five outputs of each of $n inputs are identical"
  exit 0
fi
echo "FAIL: outputs differ from $DIGESTS (< expected, > now); the first 40 lines:"
diff "$DIGESTS" "$T/now.tsv" | head -n 40
echo "$(diff "$DIGESTS" "$T/now.tsv" | grep -c '^>') inputs differ"
exit 1
