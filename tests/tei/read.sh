#!/bin/bash
# read.sh - the TEI reader: Scriptorium's own TEI reads back into the
# identical tree, and the text back byte for byte; hostile and broken files
# give one-line errors with exit status 1, never a hang or a crash.
#   read.sh own CLI SEEDS_DIR WORK      every seed: text -> TEI -> tree/text/TEI
#   read.sh hostile CLI READ_DIR WORK   billion laughs, XXE, deep nesting,
#                                       truncated files, unknown elements
set -u
mode=$1 cli=$2 dir=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
fail=0
bad() { echo "FAIL: $*"; fail=1; }

case $mode in
own)
  cd "$dir" || exit 1
  for f in *.txt; do
    b=${f%.txt}
    "$cli" -q convert -f text -t tei -o "$work/$b.xml" "$f" || { bad "$f: text -> tei"; continue; }
    "$cli" -q convert -f text -t native --set layout=true -o "$work/$b.text.tree" "$f"
    "$cli" -q convert -f tei -t native --set layout=true -o "$work/$b.tei.tree" "$work/$b.xml" ||
      bad "$f: the TEI does not read back"
    cmp -s "$work/$b.text.tree" "$work/$b.tei.tree" || {
      bad "$f: text -> TEI -> tree differs from text -> tree"
      diff "$work/$b.text.tree" "$work/$b.tei.tree" | head -20
    }
    "$cli" -q convert -f tei -t text --set text.edition=diplomatic -o "$work/$b.txt" "$work/$b.xml" 2>/dev/null ||
      "$cli" -q convert -f tei -t text -o "$work/$b.txt" "$work/$b.xml"
    cmp -s "$f" "$work/$b.txt" || bad "$f: text -> TEI -> text is not the source byte for byte"
    "$cli" -q convert -f tei -t tei -o "$work/$b.again.xml" "$work/$b.xml"
    cmp -s "$work/$b.xml" "$work/$b.again.xml" || bad "$f: TEI -> TEI changes the bytes"
    # detection without -f
    "$cli" -q convert -t native --set layout=true -o "$work/$b.detected.tree" "$work/$b.xml" ||
      bad "$f: the TEI is not detected"
  done
  ;;
hostile)
  # expect FILE STATUS MESSAGE: exactly one line on stderr
  expect() {
    local file=$1 want_rc=$2 want=$3 out rc
    out=$(cd "$dir" && timeout 20 "$cli" convert -f tei -t native -o "$work/out.tree" "$file" 2>&1 >/dev/null)
    rc=$?
    [ "$rc" = "$want_rc" ] || bad "$file: exit status $rc, expected $want_rc"
    [ "$out" = "$want" ] || bad "$file: message
  got:      $out
  expected: $want"
  }
  expect billion-laughs.xml 1 "billion-laughs.xml:3: error: the DOCTYPE declares entities; refused (no entity is expanded or loaded)"
  expect xxe.xml 1 "xxe.xml:3: error: the DOCTYPE declares entities; refused (no entity is expanded or loaded)"
  expect undeclared-entity.xml 1 "undeclared-entity.xml:1: error: not well-formed XML: Entity 'secret' not defined"
  /usr/bin/python3 -c "
n = 100000
open('$work/deep.xml', 'w').write('<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p>' + '<said>' * n + 'x' + '</said>' * n + '</p></body></text></TEI>\n')"
  out=$(cd "$work" && timeout 20 "$cli" convert -f tei -t native -o out.tree deep.xml 2>&1 >/dev/null); rc=$?
  [ "$rc" = 1 ] || bad "deep.xml: exit status $rc"
  [ "$out" = "deep.xml:1: error: not well-formed XML: Excessive depth in document: 256 use XML_PARSE_HUGE option" ] ||
    bad "deep.xml: $out"
  expect handwritten.xml 0 "handwritten.xml:16: warning: element <unclear> is not modelled; its text is kept"
  expect corpus.xml 0 "corpus.xml: note: a teiCorpus of 2 documents: read as one document, each member's body a section"
  expect not-tei.xml 1 "not-tei.xml:1: error: the root element is <html>, not <TEI> or <teiCorpus>: not a TEI document"
  # TEI from elsewhere: the trees, golden (regenerate: SCRIPTORIUM_REGENERATE=1)
  for name in parlamint handwritten corpus; do
    (cd "$dir" && "$cli" -q convert -f tei -t native --set layout=true -o "$work/$name.tree" "$name.xml") ||
      bad "$name.xml does not read"
    if [ "${SCRIPTORIUM_REGENERATE:-}" = 1 ]; then
      mkdir -p "$dir/golden" && cp "$work/$name.tree" "$dir/golden/$name.tree"
    fi
    diff -u "$dir/golden/$name.tree" "$work/$name.tree" || bad "$name.xml: the tree differs from golden/$name.tree"
  done
  # a file truncated at several points: one line, status 1
  for cut in 50 700 3000 9000; do
    head -c $cut "$dir/../golden/003_f39709ca279a179f.xml" > "$work/cut$cut.xml"
    out=$(cd "$work" && timeout 20 "$cli" convert -f tei -t native -o out.tree "cut$cut.xml" 2>&1 >/dev/null); rc=$?
    [ "$rc" = 1 ] || bad "cut$cut.xml: exit status $rc"
    [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || bad "cut$cut.xml: not one line: $out"
    case $out in "cut$cut.xml:"*": error: not well-formed XML: "*) ;; *) bad "cut$cut.xml: $out" ;; esac
  done
  ;;
esac
[ $fail = 0 ] && echo "ok"
exit $fail
