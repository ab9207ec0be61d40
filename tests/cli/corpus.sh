#!/usr/bin/env bash
# corpus.sh CLI SEEDS_DIR [KREMLIN_DIR [LISTING_ADD_DIR LISTING_PREPARE_DIR]] -
# converting directory trees: the layout mirrored per format, the manifest,
# -j N identical to -j 1, going on past a failing file, up-to-date outputs
# skipped, --force, shards that partition the inputs, and corpus files
# assembled alike through corpus_add (ABI 1.1) and corpus_prepare/merge (1.2)
# by the test writer in the two LISTING directories.
set -u
CLI=$1 SEEDS=$2 KREMLIN=${3:-} LISTING_ADD=${4:-} LISTING_PREPARE=${5:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failures=0 passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() { if eval "$1"; then passes=$((passes + 1)); else fail "$2"; fi; }

# A small tree: seeds in two levels, a hidden file, a file of another kind.
mkdir -p "$T/in/a/b" "$T/in/.hidden"
cp "$SEEDS"/00[0-2]*.txt "$T/in/a/"
cp "$SEEDS"/00[3-4]*.txt "$T/in/a/b/"
cp "$SEEDS"/000*.txt "$T/in/.hidden/"
echo "not a transcript" >"$T/in/a/notes.md"

mkdir "$T/o1" "$T/o2"
"$CLI" convert -f text -t text -j 1 -O "$T/o1" "$T/in" 2>"$T/err1"
rc=$?
check '[ $rc -eq 0 ]' "convert of a tree failed: $(cat "$T/err1")"
check '[ -f "$T/o1/text/a/b/003_f39709ca279a179f.txt" ]' "layout not mirrored under FORMAT/"
check 'cmp -s "$SEEDS/003_f39709ca279a179f.txt" "$T/o1/text/a/b/003_f39709ca279a179f.txt"' "mirrored output differs"
check '[ ! -e "$T/o1/text/.hidden" ] && [ ! -e "$T/o1/text/a/notes.md" ]' "hidden or foreign files converted"
check '[ "$(tail -n +2 "$T/o1/manifest.tsv" | wc -l)" -eq 5 ]' "manifest has not 5 entries"
check 'head -n 1 "$T/o1/manifest.tsv" | grep -q "^path	size	sha256	status	warnings	outputs	key	output_sha256	depends$"' "manifest header"
sha=$(sha256sum "$T/in/a/b/003_f39709ca279a179f.txt" | cut -d" " -f1)
check 'grep -q "^$T/in/a/b/003_f39709ca279a179f.txt	6034	$sha	ok	[0-9]*	text/a/b/003_f39709ca279a179f.txt	" "$T/o1/manifest.tsv"' "manifest line: $(grep 003 "$T/o1/manifest.tsv")"
check 'grep -q "^scriptorium: converted 5, unchanged 0, warnings [0-9]*, failed 0" "$T/err1"' "summary line: $(cat "$T/err1")"

# -j 2 writes the same bytes.
"$CLI" convert -f text -t text -j 2 -O "$T/o2" "$T/in" 2>/dev/null
check 'diff -r "$T/o1" "$T/o2" >/dev/null' "-j 2 differs from -j 1"

# Up to date: nothing is written again; --force writes again.
touch -d "2001-01-01" "$T/o1/text/a/000_af69b110bcc56da9.txt"
"$CLI" convert -f text -t text -O "$T/o1" "$T/in" 2>"$T/err2"
check 'grep -q "converted 0, unchanged 5" "$T/err2"' "up-to-date inputs were converted again: $(cat "$T/err2")"
check '[ "$(stat -c %Y "$T/o1/text/a/000_af69b110bcc56da9.txt")" -lt 1000000000 ]' "an up-to-date output was rewritten"
"$CLI" convert -f text -t text --force -O "$T/o1" "$T/in" 2>"$T/err3"
check 'grep -q "converted 5, unchanged 0" "$T/err3"' "--force did not convert: $(cat "$T/err3")"
# A changed input is converted again, the others are not.
printf '\n' >>"$T/in/a/b/004_0f8c7264c0e5ff39.txt"
"$CLI" convert -f text -t text -O "$T/o1" "$T/in" 2>"$T/err4"
check 'grep -q "converted 1, unchanged 4" "$T/err4"' "a changed input: $(cat "$T/err4")"
# Different options are not up to date.
rm -rf "$T/o1/text/a/b/003_f39709ca279a179f.txt"
"$CLI" convert -f text -t text -O "$T/o1" "$T/in" 2>"$T/err5"
check 'grep -q "converted 1, unchanged 4" "$T/err5"' "a deleted output was not written again: $(cat "$T/err5")"

# A failing file: reported, the others converted, exit 1.
: >"$T/in/a/empty.txt"
mkdir "$T/o3"
"$CLI" convert -f text -t text -j 2 -O "$T/o3" "$T/in" 2>"$T/err6"
rc=$?
check '[ $rc -eq 1 ]' "a failing input did not give exit 1"
check 'grep -q "^$T/in/a/empty.txt: error: the input is empty$" "$T/err6"' "the failing file is not named: $(cat "$T/err6")"
check 'grep -q "converted 5, unchanged 0, warnings [0-9]*, failed 1" "$T/err6"' "summary with a failure: $(cat "$T/err6")"
check 'grep -q "empty.txt	0	e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855	failed" "$T/o3/manifest.tsv"' "manifest records the failure"
check '[ ! -e "$T/o3/text/a/empty.txt" ]' "output written for a failed input"
rm "$T/in/a/empty.txt"

# Shards partition the inputs and their manifests combine to the whole.
mkdir "$T/s"
for k in 1 2 3; do "$CLI" convert -f text -t text --shard "$k/3" -O "$T/s" "$T/in" 2>/dev/null; done
{ head -n 1 "$T/s/manifest.1-of-3.tsv"; tail -q -n +2 "$T/s"/manifest.*-of-3.tsv | sort; } >"$T/s/combined.tsv"
check '[ "$(tail -n +2 "$T/s/combined.tsv" | cut -f1 | sort -u | wc -l)" -eq 5 ]' "shards do not cover every input exactly once"
check '[ "$(find "$T/s/text" -type f | wc -l)" -eq 5 ]' "shards did not write every output"
check '! "$CLI" convert -f text -t text --shard 4/3 -O "$T/s" "$T/in" 2>/dev/null' "--shard 4/3 accepted"

# Without -f, a file in a tree that no reader recognises (an authority file
# beside the transcripts) is skipped with a warning, not a failure.
mkdir "$T/p" "$T/po"
cp "$SEEDS"/000*.txt "$T/p/"
printf 'persons:\n  - id: someone\n    names: [Some One]\n' >"$T/p/persons.yaml"
"$CLI" convert -t text -O "$T/po" "$T/p" 2>"$T/err7"
rc=$?
check '[ $rc -eq 0 ]' "a tree with persons.yaml: exit $rc: $(cat "$T/err7")"
check 'grep -q "^$T/p/persons.yaml: warning: skipped: no reader recognises this file" "$T/err7"' "no skip warning: $(cat "$T/err7")"
check 'grep -q "failed 0, skipped 1" "$T/err7"' "summary does not count the skipped file: $(cat "$T/err7")"
check 'grep -q "persons.yaml	[0-9]*	[0-9a-f]*	skipped	" "$T/po/manifest.tsv"' "manifest does not record the skip"

# Corpus files: written for a tree by a writer that has them, not with
# --no-corpus.
if "$CLI" formats | grep -q '^  writes   tei .*(and corpus files)'; then
  mkdir "$T/c1" "$T/c2"
  "$CLI" convert -f text -t tei -O "$T/c1" "$T/in" 2>/dev/null
  "$CLI" convert -f text -t tei --no-corpus -O "$T/c2" "$T/in" 2>/dev/null
  check '[ -f "$T/c1/tei/corpus.xml" ] && [ ! -e "$T/c2/tei/corpus.xml" ]' "--no-corpus: $(ls "$T/c1/tei" "$T/c2/tei")"
  check '[ "$(find "$T/c2/tei" -name "*.xml" | wc -l)" -eq 5 ]' "--no-corpus still writes every document"
  # A document that fails (a character XML cannot carry, with
  # xml-chars=error): no file of its own, left out of the corpus, which is
  # written with the others; exit 1.
  mkdir -p "$T/x/in" "$T/x/out"
  cp "$SEEDS"/00[01]*.txt "$T/x/in/"
  printf 'Title\n\nA paragraph with a vertical tab \013 in it.\n' >"$T/x/in/bad.txt"
  "$CLI" convert -f text -t tei --set xml-chars=error -O "$T/x/out" "$T/x/in" 2>"$T/x/err"
  rc=$?
  check '[ $rc -eq 1 ] && [ ! -e "$T/x/out/tei/bad.xml" ] && [ "$(grep -c "<TEI " "$T/x/out/tei/corpus.xml")" -eq 2 ]' \
    "xml-chars=error: exit $rc, $(ls "$T/x/out/tei"), $(tail -n 3 "$T/x/err")"
  check 'grep -q "failed 1, left out of a corpus 1" "$T/x/err"' "xml-chars=error summary: $(tail -n 1 "$T/x/err")"
fi

# Corpus writers: through corpus_add and through corpus_prepare + merge, with
# one and with several threads, the corpus file is the same; a document the
# writer refuses is reported, left out of the corpus, and gives exit 1.
if [ -n "$LISTING_ADD" ] && [ -n "$LISTING_PREPARE" ]; then
  mkdir -p "$T/L/sub" && cp "$T"/in/a/*.txt "$T/L/" && cp "$T"/in/a/b/*.txt "$T/L/sub/"
  for v in add prepare; do
    dir=$LISTING_ADD; [ $v = prepare ] && dir=$LISTING_PREPARE
    for j in 1 3; do
      mkdir "$T/L-$v-$j"
      SCRIPTORIUM_PLUGIN_PATH=$dir "$CLI" convert -f text -t listing,text -j $j -O "$T/L-$v-$j" "$T/L" 2>"$T/L-$v-$j.err"
      check '[ $? -eq 0 ]' "listing ($v, -j $j) failed: $(cat "$T/L-$v-$j.err")"
    done
  done
  check '[ "$(head -n 1 "$T/L-add-1/listing/corpus.lst")" = "corpus of 5" ] && [ "$(sed -n 2p "$T/L-add-1/listing/corpus.lst" | cut -f1)" = "000_af69b110bcc56da9.lst" ]' \
    "listing corpus: $(cat "$T/L-add-1/listing/corpus.lst")"
  # (the manifests' keys differ: they name the plugin file)
  check 'diff -r "$T/L-add-1" "$T/L-add-3" >/dev/null && diff -r "$T/L-add-1/listing" "$T/L-prepare-1/listing" >/dev/null && diff -r "$T/L-prepare-1" "$T/L-prepare-3" >/dev/null' \
    "corpus_add and corpus_prepare, -j 1 and -j 3 differ: $(diff -r "$T/L-add-1/listing" "$T/L-prepare-3/listing" | head -5)"
  cp "$T/L/sub/003_f39709ca279a179f.txt" "$T/L/sub/FAIL.txt"
  for v in add prepare; do
    dir=$LISTING_ADD; [ $v = prepare ] && dir=$LISTING_PREPARE
    mkdir "$T/F-$v"
    SCRIPTORIUM_PLUGIN_PATH=$dir "$CLI" convert -f text -t listing -j 2 -O "$T/F-$v" "$T/L" 2>"$T/F-$v.err"
    rc=$?
    check 'grep -q "^corpus of 5$" "$T/F-$v/listing/corpus.lst" && ! grep -q FAIL "$T/F-$v/listing/corpus.lst"' "$v: refused document in the corpus: $(cat "$T/F-$v/listing/corpus.lst")"
    check 'grep -q "listing/corpus.lst: error: refusing .*FAIL.txt" "$T/F-$v.err"' "$v: refusal not reported: $(cat "$T/F-$v.err")"
    check '[ -f "$T/F-$v/listing/sub/FAIL.lst" ]' "$v: the document's own file was not written"
  done
  # corpus_add reports the refusal and returns 0, corpus_prepare returns
  # NULL: either way the document is left out, which is a failure the
  # host counts (exit 1), and its manifest line says failed
  for v in add prepare; do
    check 'grep -q "failed 1, left out of a corpus 1" "$T/F-$v.err" && grep -q "FAIL.txt	[0-9]*	[0-9a-f]*	failed	" "$T/F-$v/manifest.tsv"' "$v: summary: $(tail -n 1 "$T/F-$v.err")"
  done
  check '[ $rc -eq 1 ]' "prepare: exit $rc"
fi

# The real corpus: 300 files, -j 2 identical to -j 1, also for the corpus
# file of a writer that has one.
if [ -n "$KREMLIN" ] && [ -d "$KREMLIN" ]; then
  mkdir -p "$T/k" "$T/k1" "$T/k2"
  ls "$KREMLIN" | head -n 300 | while read -r f; do ln -s "$KREMLIN/$f" "$T/k/$f"; done
  to=text
  "$CLI" formats | grep -q '^  writes   tei ' && to=text,tei
  "$CLI" convert -t $to -j 1 -O "$T/k1" "$T/k" 2>/dev/null
  "$CLI" convert -t $to -j 2 -O "$T/k2" "$T/k" 2>/dev/null
  check 'diff -r "$T/k1" "$T/k2" >/dev/null' "kremlin: -j 2 differs from -j 1"
  check '[ "$(find "$T/k1/text" -type f | wc -l)" -eq 300 ]' "kremlin: not 300 outputs"
fi

echo "corpus: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
