#!/usr/bin/env bash
# bad.sh CLI BROKEN_PLUGIN_DIR [sanitized] - the table of bad and hostile
# inputs (issue 8). For each: the documented exit code, a one-line message
# naming the file (and line:column where it means something), no output file
# left behind, no crash, and time and memory within bounds (linear in the
# input: a generous time limit, and peak RSS under 64 MiB + 12 x the input,
# not checked under sanitizers whose shadow memory distorts it).
set -u
CLI=$1 BROKEN=$2 SANITIZED=${3:-}
T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
chmod 755 "$T"
failures=0 passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }
reads() { "$CLI" formats | awk '$1 == "reads" {print $2}' | grep -qx "$1"; }
limit=${BAD_TIME_LIMIT:-60}

# case NAME CODE PATTERN INPUT -- CONVERT-ARGS...
# Runs `scriptorium convert ARGS -o OUT INPUT` (or with ARGS as given when
# they contain -O) and checks everything the table promises.
case_() {
  local name=$1 code=$2 pattern=$3 input=$4; shift 5
  local out="$T/out-$name"
  local size=0
  [ -f "$input" ] && size=$(stat -c %s "$input")
  /usr/bin/time -f '%M' -o "$T/rss" timeout "$limit" "${prefix[@]}" "$CLI" convert "$@" -o "$out" "$input" \
    >/dev/null 2>"$T/err"
  local rc=$?
  local lines
  lines=$(grep -c . "$T/err")
  if [ $rc -eq 124 ]; then fail "$name: did not finish in ${limit}s"; return; fi
  if [ $rc -ge 125 ]; then fail "$name: crashed (exit $rc): $(tail -5 "$T/err")"; return; fi
  if [ $rc -ne "$code" ]; then fail "$name: exit $rc, expected $code: $(head -3 "$T/err")"; return; fi
  if [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$T/err"; then
    fail "$name: message does not match /$pattern/: $(head -3 "$T/err")"; return
  fi
  if [ "$code" -ne 0 ] && [ "$lines" -ne 1 ]; then
    fail "$name: $lines lines of messages, expected one: $(head -5 "$T/err")"; return
  fi
  if [ "$code" -ne 0 ] && [ -e "$out" ]; then fail "$name: output left behind"; return; fi
  if ls "$T" | grep -q 'tmp-'; then fail "$name: temporary file left behind"; return; fi
  if [ -z "$SANITIZED" ]; then
    local rss bound
    rss=$(tail -n 1 "$T/rss")
    bound=$(( 65536 + 12 * size / 1024 ))
    if [ "$rss" -gt "$bound" ]; then fail "$name: peak RSS ${rss} KiB > bound ${bound} KiB"; return; fi
  fi
  pass
}
prefix=()

# Text inputs.
: >"$T/empty.txt"
case_ empty 1 "^$T/empty.txt: error: the input is empty$" "$T/empty.txt" -- -f text -t text
printf '  \n\n\t \r\n' >"$T/blank.txt"
case_ whitespace 1 "^$T/blank.txt: error: the input holds no text" "$T/blank.txt" -- -f text -t text
i=0
for bytes in '\x80' '\xc0\xaf' '\xed\xa0\x80' '\xf4\x90\x80\x80' '\xff' '\xe2\x80'; do
  i=$((i + 1))
  printf "Title\n\nab${bytes}cd\n" >"$T/utf8-$i.txt"
  case_ "invalid-utf8-$i" 1 "^$T/utf8-$i.txt:3:3: error: invalid UTF-8 at byte offset 9$" "$T/utf8-$i.txt" -- -f text -t text
done
printf 'Title\n\nabc\xe2\x80' >"$T/cut.txt"
case_ invalid-utf8-cut-at-end 1 "^$T/cut.txt:3:4: error: invalid UTF-8 at byte offset 10$" "$T/cut.txt" -- -f text -t text
printf '\xff\xfeT\x00i\x00t\x00l\x00e\x00\n\x00' >"$T/utf16.txt"
case_ utf16-bom 1 "^$T/utf16.txt: error: cannot tell the input format.*it is UTF-16: convert it to UTF-8" "$T/utf16.txt" -- -t text
case_ utf16-bom-forced 1 "^$T/utf16.txt:1:1: error: invalid UTF-8 at byte offset 0 \\(the input is UTF-16" "$T/utf16.txt" -- -f text -t text
printf 'Title\n\nsome\0text\n' >"$T/nul.txt"
case_ nul-byte 1 "^$T/nul.txt:3:5: error: a NUL byte at byte offset 11$" "$T/nul.txt" -- -f text -t text
head -c 50000000 /dev/zero | tr '\0' 'a' >"$T/line.txt"
case_ 50mb-single-line 0 "" "$T/line.txt" -- -f text -t text
cmp -s "$T/line.txt" "$T/out-50mb-single-line" && pass || fail "50 MB line: diplomatic edition differs"
rm -f "$T/out-50mb-single-line"
/usr/bin/python3 -c "
import sys
sys.stdout.write('Title\n\nHe said ' + '\u201c' * 100000 + 'x' + '\u201d' * 100000 + ' and left.\n')" >"$T/quotes.txt"
case_ 100k-nested-quotes 0 "" "$T/quotes.txt" -- -f text -t text
cmp -s "$T/quotes.txt" "$T/out-100k-nested-quotes" && pass || fail "nested quotes: diplomatic edition differs"
rm -f "$T/out-100k-nested-quotes"
case_ 100k-nested-quotes-tei 0 "" "$T/quotes.txt" -- -f text -t tei
rm -f "$T/out-100k-nested-quotes-tei"
case_ 100k-nested-quotes-yaml 1 "^$T/quotes.txt:3:[0-9]+: error: nodes nest deeper than 63 levels" "$T/quotes.txt" -- -f text -t yaml
/usr/bin/python3 -c "
import sys
sys.stdout.write('Title\n\n' + '[' * 100000 + 'x' + ']' * 100000 + '\n')" >"$T/brackets.txt"
case_ 100k-nested-brackets 0 "" "$T/brackets.txt" -- -f text -t text
cmp -s "$T/brackets.txt" "$T/out-100k-nested-brackets" && pass || fail "nested brackets: diplomatic edition differs"
rm -f "$T/out-100k-nested-brackets"
printf 'Title\r\rFirst paragraph.\rSecond paragraph.\r' >"$T/cr.txt"
case_ cr-only-line-ends 0 "" "$T/cr.txt" -- -f text -t text
cmp -s "$T/cr.txt" "$T/out-cr-only-line-ends" && pass || fail "CR-only: diplomatic edition differs"
rm -f "$T/out-cr-only-line-ends"

# Files and directories.
mkdir "$T/dir"
case_ directory 2 "a directory input \\('$T/dir'\\) needs -O DIR" "$T/dir" -- -f text -t text
case_ missing 1 "^$T/missing.txt: error: cannot open: No such file or directory$" "$T/missing.txt" -- -f text -t text
printf 'Title\n\nText.\n' >"$T/ok.txt"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null &&
   setpriv --reuid=nobody --regid=nogroup --clear-groups "$CLI" --version >/dev/null 2>&1; then
  prefix=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
if [ "$(id -u)" -ne 0 ] || [ ${#prefix[@]} -gt 0 ]; then
  cp "$T/ok.txt" "$T/secret.txt" && chmod 000 "$T/secret.txt"
  case_ unreadable 1 "^$T/secret.txt: error: cannot open: Permission denied$" "$T/secret.txt" -- -f text -t text
  mkdir "$T/ro" && chmod 555 "$T/ro"
  "${prefix[@]}" "$CLI" convert -f text -t text -O "$T/ro" "$T/ok.txt" 2>"$T/err"
  rc=$?
  { [ $rc -eq 1 ] && grep -q "cannot write to the output directory '$T/ro': Permission denied" "$T/err" && [ "$(grep -c . "$T/err")" -eq 1 ] && [ -z "$(ls -A "$T/ro")" ]; } &&
    pass || fail "read-only output directory: exit $rc: $(cat "$T/err")"
else
  echo "note: unreadable-file and read-only-directory cases skipped (root without setpriv)"
fi
prefix=()
"$CLI" convert -f text -t text -o /dev/full "$T/ok.txt" 2>"$T/err"
rc=$?
{ [ $rc -eq 1 ] && grep -q "cannot write '/dev/full': No space left on device" "$T/err"; } && pass ||
  fail "/dev/full: exit $rc: $(cat "$T/err")"
cp "$T/ok.txt" "$T/same.txt"
"$CLI" convert -f text -t text -o "$T/same.txt" "$T/same.txt" 2>"$T/err"
rc=$?
{ [ $rc -eq 1 ] && grep -q "refusing to write '$T/same.txt': it is an input" "$T/err" && cmp -s "$T/ok.txt" "$T/same.txt"; } &&
  pass || fail "output = input: exit $rc: $(cat "$T/err")"

# A broken persons.yaml beside two inputs converted at once: each input
# fails with the file's line:column (the reader keeps only the authority
# files that parse, so every input reports it), and nothing is written.
mkdir "$T/pb" "$T/pb-out"
printf 'Abc Def: Good morning.\n' >"$T/pb/a.txt"
printf 'Ghi Jkl: Good evening.\n' >"$T/pb/b.txt"
for broken in "syntax|4:1: did not find expected ',' or ']'" "duplicate|3: duplicate person id 'x'"; do
  name=${broken%%|*} expected=${broken#*|}
  case $name in
    syntax) printf 'persons:\n  - id: x\n    names: [Abc Def\n' >"$T/pb/persons.yaml" ;;
    duplicate) printf 'persons:\n  - id: x\n  - id: x\n' >"$T/pb/persons.yaml" ;;
  esac
  "$CLI" convert -f text -t native -j 2 -O "$T/pb-out" "$T/pb/a.txt" "$T/pb/b.txt" 2>"$T/err"
  rc=$?
  { [ $rc -eq 1 ] &&
    [ "$(grep -c . "$T/err")" -eq 3 ] &&
    grep -qxF "$T/pb/a.txt: error: $T/pb/persons.yaml:$expected" "$T/err" &&
    grep -qxF "$T/pb/b.txt: error: $T/pb/persons.yaml:$expected" "$T/err" &&
    grep -q "failed 2" "$T/err" && [ ! -e "$T/pb-out/a.tree" ] && [ ! -e "$T/pb-out/b.tree" ]; } &&
    pass || fail "broken persons.yaml ($name) beside two inputs: exit $rc: $(cat "$T/err")"
done

# Plugins.
"$CLI" --plugin-dir "$BROKEN" formats >/dev/null 2>"$T/err"
rc=$?
{ [ $rc -eq 2 ] && grep -q "^$BROKEN/not-elf.so: error: not a loadable plugin: .*invalid ELF header" "$T/err" &&
  grep -q "^$BROKEN/abi-major.so: error: incompatible plugin \"sample\": built for ABI 2.0" "$T/err"; } &&
  pass || fail "broken plugins: exit $rc: $(cat "$T/err")"

# TEI and YAML inputs, once their readers exist (their plugins' own tests
# check the exact messages).
if reads tei; then
  printf '<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&xxe;</p></body></text></TEI>\n' >"$T/xxe.xml"
  case_ tei-external-entity 1 "^$T/xxe.xml(:[0-9]+(:[0-9]+)?)?: error: " "$T/xxe.xml" -- -f tei -t text
  { printf '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    prev=lol; for k in 1 2 3 4 5 6 7 8 9; do printf '<!ENTITY lol%d "&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;">' $k $prev $prev $prev $prev $prev $prev $prev $prev $prev $prev; prev=lol$k; done
    printf ']>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&lol9;</p></body></text></TEI>\n'; } >"$T/laughs.xml"
  case_ tei-billion-laughs 1 "^$T/laughs.xml(:[0-9]+(:[0-9]+)?)?: error: " "$T/laughs.xml" -- -f tei -t text
  /usr/bin/python3 -c "
import sys
sys.stdout.write('<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body>' + '<div>' * 100000 + '</div>' * 100000 + '</body></text></TEI>\n')" >"$T/deep.xml"
  case_ tei-100k-deep 1 "^$T/deep.xml(:[0-9]+(:[0-9]+)?)?: error: " "$T/deep.xml" -- -f tei -t text
fi
if reads yaml; then
  { printf 'scriptorium: "1"\na: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    prev=a; for k in b c d e f g h i j; do printf '%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' $k $k $prev $prev $prev $prev $prev $prev $prev $prev $prev $prev; prev=$k; done; } >"$T/bomb.yaml"
  case_ yaml-alias-bomb 1 "^$T/bomb.yaml(:[0-9]+(:[0-9]+)?)?: error: " "$T/bomb.yaml" -- -f yaml -t text
  /usr/bin/python3 -c "
import sys
sys.stdout.write('scriptorium: \"1\"\nbody: ' + '[' * 100000 + ']' * 100000 + '\n')" >"$T/deep.yaml"
  case_ yaml-100k-deep 1 "^$T/deep.yaml(:[0-9]+(:[0-9]+)?)?: error: " "$T/deep.yaml" -- -f yaml -t text
fi

# Every format truncated at many points: a clean result or a one-line
# error, never a crash and never a partial file.
seed=$(ls "$(dirname "$0")"/../../seeds/*.txt | head -n 1)
for fmt in text tei yaml; do
  reads "$fmt" || continue
  "$CLI" convert -f text -t "$fmt" -o "$T/full.$fmt" "$seed" 2>/dev/null || { fail "cannot make a $fmt file"; continue; }
  size=$(stat -c %s "$T/full.$fmt")
  for k in 1 2 3 5 8 13 21 34 55 89; do
    cut=$(( size * k / 97 ))
    head -c "$cut" "$T/full.$fmt" >"$T/cut.$fmt"
    timeout "$limit" "$CLI" convert -f "$fmt" -t text -o "$T/cut-out" "$T/cut.$fmt" >/dev/null 2>"$T/err"
    rc=$?
    if [ $rc -ge 124 ]; then fail "$fmt truncated at $cut: exit $rc: $(tail -3 "$T/err")"
    elif [ $rc -eq 1 ] && [ -e "$T/cut-out" ]; then fail "$fmt truncated at $cut: output left behind"
    elif [ $rc -eq 1 ] && ! grep -q "^$T/cut.$fmt" "$T/err"; then fail "$fmt truncated at $cut: message does not name the file: $(cat "$T/err")"
    else pass; fi
    rm -f "$T/cut-out"
  done
done

echo "bad inputs: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
