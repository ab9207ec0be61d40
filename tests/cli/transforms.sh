#!/usr/bin/env bash
# transforms.sh CLI PLUGIN_DIR - transforms (plugin ABI 1.3) from the
# command line: a reader's default transforms run, --transform adds and
# reorders, --no-transform drops, their options are checked like the
# others, and a transform that changes the text is refused, naming itself
# and the block. PLUGIN_DIR holds tests/cli/plugins/transforms.c.
set -u
CLI=$1
export SCRIPTORIUM_PLUGIN_PATH=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failures=0 passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }

# expect CODE PATTERN -- command...: exit code and a stderr line matching PATTERN
expect() {
  local code=$1 pattern=$2; shift 3
  "$@" >"$T/stdout" 2>"$T/stderr"
  local rc=$?
  if [ "$rc" -ne "$code" ]; then
    fail "'$*' exited $rc, expected $code; stderr: $(head -c 400 "$T/stderr")"
  elif [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$T/stderr"; then
    fail "'$*' stderr does not match /$pattern/: $(head -c 400 "$T/stderr")"
  else
    pass
  fi
}
# has PATTERN FILE WHAT / lacks PATTERN FILE WHAT
has() { if grep -qE -- "$1" "$2"; then pass; else fail "$3: no /$1/ in $(head -c 600 "$2")"; fi; }
lacks() { if grep -qE -- "$1" "$2"; then fail "$3: /$1/ in $(head -c 600 "$2")"; else pass; fi; }

printf 'TX\nalpha beta\ngamma delta\n' >"$T/a.tx"
printf 'TY\nalpha beta\n' >"$T/b.ty"

# formats lists the transforms, what each reader runs, and (-v) their options
"$CLI" formats -v >"$T/formats" 2>&1
has '^  enriches mark +marks the first word' "$T/formats" "formats -v"
has '^           transforms mark$' "$T/formats" "formats: tx's default transforms"
has '^        text +string +default noted' "$T/formats" "formats -v: the note transform's option"

# the reader's default transform runs; --no-transform drops it
expect 0 "" -- "$CLI" convert -t native -o "$T/default.tree" "$T/a.tx"
has 'person who=first' "$T/default.tree" "the default transform mark"
expect 0 "" -- "$CLI" convert -t native --no-transform mark -o "$T/none.tree" "$T/a.tx"
lacks 'person' "$T/none.tree" "--no-transform mark"
expect 0 "" -- "$CLI" convert -t native --no-transform all -o "$T/all.tree" "$T/a.tx"
lacks 'person' "$T/all.tree" "--no-transform all"

# --transform adds one, with its options; its options are checked
expect 0 "" -- "$CLI" convert -t native --transform note -o "$T/note.tree" "$T/a.tx"
has 'note "noted"' "$T/note.tree" "--transform note"
has 'person' "$T/note.tree" "--transform keeps the defaults"
expect 0 "" -- "$CLI" convert -t native --transform note --set note.text=hello -o "$T/hello.tree" "$T/a.tx"
has 'note "hello"' "$T/hello.tree" "--set note.text"
expect 2 "unknown option 'bogus' for format 'note'" -- \
  "$CLI" convert -t native --transform note --set note.bogus=1 -o "$T/x.tree" "$T/a.tx"
# an option of a transform that does not run is no option of this conversion
expect 2 "unknown option 'text'" -- "$CLI" convert -t native --set text=1 -o "$T/x.tree" "$T/a.tx"
expect 2 "unknown transform 'nosuch'" -- "$CLI" convert -t native --transform nosuch -o "$T/x.tree" "$T/a.tx"
expect 2 "--transform takes NAME" -- "$CLI" convert -t native --transform note,,mark -o "$T/x.tree" "$T/a.tx"

# the order is the command line's: naming a transform again moves it last
# (the failing one first stops the document before the marking one runs)
expect 1 "refused by the transform" -- "$CLI" convert -t native --transform refuse -o "$T/x.tree" "$T/a.tx"
if [ -e "$T/x.tree" ]; then fail "a failed transform left an output"; else pass; fi

# the contract: a transform that changes the text, or the blocks, is refused
# by name, at the block (checked in any build with SCRIPTORIUM_CHECK_TRANSFORMS=1)
expect 1 "a.tx:3:1: error: transform 'upper' broke its contract: it changed the text of the paragraph block" -- \
  env SCRIPTORIUM_CHECK_TRANSFORMS=1 "$CLI" convert -t native --transform upper -o "$T/x.tree" "$T/a.tx"
expect 1 "transform 'drop' broke its contract: the document had 2 blocks and has 1" -- \
  env SCRIPTORIUM_CHECK_TRANSFORMS=1 "$CLI" convert -t native --transform drop -o "$T/x.tree" "$T/a.tx"
if [ -e "$T/x.tree" ]; then fail "a transform that broke the contract left an output"; else pass; fi
expect 0 "" -- env SCRIPTORIUM_CHECK_TRANSFORMS=1 "$CLI" convert -t native --transform note -o "$T/ok.tree" "$T/a.tx"

# a reader that wants a transform no plugin has: the document fails, clearly
expect 1 "b.ty: error: the ty reader's documents need the transform 'absent'" -- \
  "$CLI" convert -t native -o "$T/x.tree" "$T/b.ty"
expect 0 "" -- "$CLI" convert -t native --no-transform all -o "$T/b.tree" "$T/b.ty"
# what the message advises works: the missing default is dropped by name
expect 0 "" -- "$CLI" convert -t native --no-transform absent -o "$T/b2.tree" "$T/b.ty"
expect 2 "unknown transform 'nosuch'" -- "$CLI" convert -t native --no-transform nosuch -o "$T/x.tree" "$T/a.tx"

# the chain is in the up-to-date key: the same -O with another chain converts again
expect 0 "" -- "$CLI" convert -t native -O "$T/out" --no-transform all "$T/a.tx" "$T/b.ty"
expect 0 "converted 0, unchanged 2" -- "$CLI" convert -t native -O "$T/out" --no-transform all "$T/a.tx" "$T/b.ty"
expect 0 "converted 2, unchanged 0" -- "$CLI" convert -t native -O "$T/out" --no-transform all --transform note "$T/a.tx" "$T/b.ty"
has 'note "noted"' "$T/out/a.tree" "-O with --transform note"

echo "transforms: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
