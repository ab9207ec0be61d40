#!/usr/bin/env bash
# reader.sh CLI TESTS_YAML_DIR WORK - the YAML reader (plugins/yaml/reader.c).
#
#  1. Every seed's golden YAML reads back and is written again byte for
#     byte; every hand-written valid file reads, and its rewrite is a fixed
#     point.
#  2. Every broken file of invalid/ is refused with exactly the messages
#     `scriptorium validate` gives (one loader, one set of rules), but that
#     the reader also refuses anchors.
#  3. The safety cases, with their exact messages pinned in
#     reader-errors.expected: an alias bomb, an alias alone, 100,000-deep
#     nesting in flow and in block style, a seed's YAML truncated at several
#     points (two cuts that leave a well-formed, shorter edition read),
#     unknown keys, wrong types, dangling ids, a NUL escape. Each
#     must end within 10 s (no hang) with exit 1 (no crash).
# Regenerate the pinned messages: SCRIPTORIUM_REGENERATE=1 ctest -R yaml-reader
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") DIR=$2 WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK/cases" || exit 1
failures=0 passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }

# 1. Golden files: identical bytes; valid files: a fixed point.
for f in "$DIR"/expected/*.yaml; do
  n=$(basename "$f")
  if timeout 20 "$CLI" convert -f yaml -t yaml -o "$WORK/$n" "$f" 2>"$WORK/err" && cmp -s "$f" "$WORK/$n"; then
    pass
  else
    fail "expected/$n does not read back to the same bytes: $(head -3 "$WORK/err"; cmp "$f" "$WORK/$n" 2>&1)"
  fi
done
for f in "$DIR"/valid/*.yaml; do
  n=$(basename "$f")
  if "$CLI" convert -f yaml -t yaml -o "$WORK/1-$n" "$f" 2>"$WORK/err" &&
     "$CLI" convert -f yaml -t yaml -o "$WORK/2-$n" "$WORK/1-$n" 2>>"$WORK/err" &&
     cmp -s "$WORK/1-$n" "$WORK/2-$n"; then
    pass
  else
    fail "valid/$n: $(head -3 "$WORK/err")"
  fi
done
# Detection without -f: the edition is told from a transcript.
if "$CLI" convert -t text -o "$WORK/detected.txt" "$DIR/expected/003_f39709ca279a179f.yaml" 2>"$WORK/err" &&
   [ -s "$WORK/detected.txt" ]; then pass; else fail "detection of the YAML edition: $(cat "$WORK/err")"; fi

# 2. The reader's verdicts and messages are the validator's.
cd "$DIR" || exit 1
for f in invalid/*.yaml; do
  "$CLI" convert -f yaml -t yaml -o "$WORK/out.yaml" "$f" 2>"$WORK/read.err"
  rc=$?
  "$CLI" validate -f yaml "$f" 2>"$WORK/validate.err" >/dev/null
  if [ $rc -ne 1 ]; then
    fail "$f: the reader exited with $rc"
  elif grep -q '&[A-Za-z]' "$f"; then
    grep -q 'error: anchors are not allowed' "$WORK/read.err" && pass || fail "$f: $(cat "$WORK/read.err")"
  elif cmp -s "$WORK/read.err" "$WORK/validate.err"; then
    pass
  else
    fail "$f: the reader and the validator say different things:"
    diff "$WORK/validate.err" "$WORK/read.err"
  fi
done

# 3. Safety cases, written into WORK/cases and read from there (messages
# name the file relatively, so that they do not depend on the directory).
cd "$WORK/cases" || exit 1
head='scriptorium: '"'"'1'"'"'
metadata: {}
persons:
- id: putin
notes: []'
{
  echo "scriptorium: '1'"
  echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
  prev=a
  for k in b c d e f g h i; do
    echo "$k: &$k [*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev]"
    prev=$k
  done
} >alias-bomb.yaml
printf '%s\nbody:\n- *p\n' "$head" >alias-alone.yaml
{ printf '%s\nbody: ' "$head"; head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; echo; } >deep-flow-100000.yaml
{ printf '%s\nbody:\n' "$head"; head -c 200000 /dev/zero | sed 's/\x0\x0/- /g' | tr '\0' '-'; echo x; } >deep-block-100000.yaml
printf '%s\nbody:\n- type: paragraph\n  colour: red\n  text: a\n' "$head" >unknown-node-key.yaml
printf '%s\nbody: []\ncolour: red\n' "$head" >unknown-top-key.yaml
printf 'scriptorium: '"'"'1'"'"'\nmetadata:\n  authour: x\npersons:\n- id: putin\n  born: 1952\nnotes: []\nbody: []\n' >unknown-metadata-person-keys.yaml
printf '%s\nbody:\n- type: paragraph\n  text: 7\n- type: media\n  count: 6.5\n- 12\n- type: date\n  when: 2020-09-14\n  text: x\n' "$head" >wrong-types.yaml
printf '%s\nbody: paragraph\n' "$head" >body-not-a-list.yaml
printf 'scriptorium: 1\nmetadata: {}\npersons: []\nnotes: []\nbody: []\n' >version-integer.yaml
printf '%s\nbody:\n- type: speaker\n  who: putin medvedev\n  text: x\n' "$head" >dangling-who.yaml
printf '%s\nbody:\n- type: quote\n  id: q1\n  next: q2\n  text: a\n- type: quote\n  prev: q0\n  text: b\n' "$head" >dangling-next-prev.yaml
printf '%s\nbody:\n- "a\\0b"\n' "$head" >nul-escape.yaml
seed="$DIR/expected/003_f39709ca279a179f.yaml"
for at in 15 120 700 2515; do
  head -c $at "$seed" >truncated-at-$at.yaml
done
# Cut inside a plain or block scalar, or between two items, a file can still
# be a well-formed edition, only shorter: YAML has no end marker to miss
# (docs/yaml.md says so). These read, and their exit 0 is pinned too.
# (At the last space before the byte, so that an edit of the golden never
# puts the cut inside a character.)
for at in 5000 9000; do
  sp=$(head -c $at "$seed" | LC_ALL=C grep -bo ' ' | tail -1 | cut -d: -f1)
  head -c "$sp" "$seed" >still-well-formed-cut-at-$at.yaml
done
# Cut inside a multi-byte character (the first non-ASCII byte, plus one).
cut=$(LC_ALL=C grep -bo -m1 $'\xe2\x80' "$seed" | head -1 | cut -d: -f1)
head -c $((cut + 1)) "$seed" >truncated-in-a-character.yaml

actual="$WORK/reader-errors.actual"
: >"$actual"
for f in *.yaml; do
  timeout 10 "$CLI" convert -f yaml -t yaml -o "$WORK/out.yaml" "$f" 2>"$WORK/err"
  rc=$?
  { echo "== $f (exit $rc)"; cat "$WORK/err"; } >>"$actual"
  want=1
  case $f in still-well-formed-*) want=0 ;; esac
  [ $rc -eq $want ] && pass || fail "$f: exit $rc ($want expected; 124 is a hang)"
done
if [ "${SCRIPTORIUM_REGENERATE:-}" = 1 ]; then
  cp "$actual" "$DIR/reader-errors.expected"
  echo "regenerated $DIR/reader-errors.expected"
elif diff -u "$DIR/reader-errors.expected" "$actual"; then
  pass
else
  fail "the reader's messages differ from reader-errors.expected"
fi
# One line each for the alias bomb and the deep nestings.
for f in alias-bomb.yaml deep-flow-100000.yaml deep-block-100000.yaml; do
  n=$(awk -v f="== $f" '$0 ~ /^== / { on = index($0, f) == 1; next } on' "$actual" | wc -l)
  [ "$n" -eq 1 ] && pass || fail "$f gives $n lines, not one"
done

echo "yaml reader: $passes passed, $failures failed"
[ $failures -eq 0 ]
