#!/usr/bin/env bash
# safe-io.sh CLI WORK - what `scriptorium validate` (and the TEI reader) may
# read besides the file named: no URL is ever opened (a listener on
# 127.0.0.1 must see no connection for an http:// or ftp:// xi:include, a
# schema whose externalRef or include is http://, or an external DTD); only
# regular files are read (an xi:include of a FIFO or of /dev/stdin ends at
# once, exit 1, with a message); an xi:include that leaves the validated
# file's directory is refused on its line, naming it; a schema's references
# stay under the schema's directory; and including a sibling file still
# works (parse="text" and parse="xml"). Also the YAML validator's --schema:
# a FIFO is refused, not waited on.
set -u
[ $# -eq 2 ] || { echo "usage: safe-io.sh CLI WORK" >&2; exit 2; }
cli=$(realpath "$1") work=$2
# a CLI that does not run would pass every "nothing was contacted" case
"$cli" --version >/dev/null 2>&1 || { echo "FAIL: $1 does not run"; exit 1; }
rm -rf "$work" && mkdir -p "$work/dir"
failures=0 passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }
TMO=10 # seconds: a case that takes longer hangs (a FIFO, stdin, a socket)

# The listener: records every connection, reads what the client sends.
/usr/bin/python3 - "$work/connections" "$work/port" >"$work/listener.log" 2>&1 <<'PY' &
import socket, sys, threading
log, portfile = sys.argv[1], sys.argv[2]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(16)
open(portfile + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(portfile + ".tmp", portfile)
def serve(c):
    c.settimeout(1)
    data = b""
    try:
        data = c.recv(1000)
    except Exception:
        pass
    with open(log, "a") as f:
        f.write("connection: %r\n" % data)
    c.close()
while True:
    c, _ = s.accept()
    with open(log, "a") as f:
        f.write("connection\n")
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
listener=$!
fifo_holder=
cleanup() {
  kill "$listener" 2>/dev/null
  [ -n "$fifo_holder" ] && kill "$fifo_holder" 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "FAIL: the listener did not start"; exit 1; }
port=$(cat "$work/port")
: >"$work/connections"

d=$work/dir
# A schema that needs the include: p holds "hello from a sibling", as text
# or in a seg (parse="xml"), so that an include not made is invalid.
cat >"$d/need.rng" <<'RNG'
<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.tei-c.org/ns/1.0">
  <start>
    <element name="TEI">
      <element name="p">
        <choice>
          <value>hello from a sibling</value>
          <element name="seg">
            <optional><attribute name="base" ns="http://www.w3.org/XML/1998/namespace"/></optional>
            <value>hello from a sibling</value>
          </element>
        </choice>
      </element>
    </element>
  </start>
</grammar>
RNG
# tei DOC HREF [PARSE]: a document whose p is one xi:include
tei() {
  printf '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">\n<p><xi:include href="%s" parse="%s"/></p>\n</TEI>\n' \
    "$2" "${3:-text}" >"$1"
}
# run OUT_VAR RC_VAR ARGS...: validate with a time limit
validate() {
  out=$(timeout $TMO "$cli" validate "$@" 2>&1 </dev/null)
  rc=$?
}
no_connection() { # WHAT
  sleep 0.3
  if [ -s "$work/connections" ]; then
    fail "$1: the listener was contacted: $(head -c 300 "$work/connections")"
    : >"$work/connections"
  else
    pass
  fi
}
expect_refused() { # WHAT FILE LINE WORDS: exit 1, one line FILE:LINE: ... naming it
  local what=$1 file=$2 line=$3 words=$4
  [ "$rc" = 1 ] && pass || fail "$what: exit $rc, not 1 (124: it hung): $out"
  if echo "$out" | grep -F "$file:$line: error: " | grep -qF -- "$words"; then pass
  else fail "$what: no '$file:$line: error: …$words…' in: $out"; fi
  [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && pass || fail "$what: not one line: $out"
}

# 1. URLs in xi:include: nothing is fetched
tei "$d/http.xml" "http://127.0.0.1:$port/x"
validate --schema "$d/need.rng" "$d/http.xml"
no_connection "xi:include http:// parse=text"
expect_refused "xi:include http://" "$d/http.xml" 2 "href=\"http://127.0.0.1:$port/x\""
tei "$d/http-xml.xml" "http://127.0.0.1:$port/x.xml" xml
validate --schema "$d/need.rng" "$d/http-xml.xml"
no_connection "xi:include http:// parse=xml"
tei "$d/ftp.xml" "ftp://127.0.0.1:$port/x"
validate --schema "$d/need.rng" "$d/ftp.xml"
no_connection "xi:include ftp://"
expect_refused "xi:include ftp://" "$d/ftp.xml" 2 "href=\"ftp://127.0.0.1:$port/x\""
# through xml:base
printf '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">\n<p xml:base="http://127.0.0.1:%s/"><xi:include href="x" parse="text"/></p>\n</TEI>\n' \
  "$port" >"$d/base.xml"
validate --schema "$d/need.rng" "$d/base.xml"
no_connection "xi:include under an http:// xml:base"
[ "$rc" = 1 ] && pass || fail "xml:base http://: exit $rc: $out"

# 2. the schema's own references: nothing is fetched
printf '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><externalRef href="http://127.0.0.1:%s/s.rng"/></start></grammar>\n' \
  "$port" >"$d/ext.rng"
printf '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><include href="http://127.0.0.1:%s/s.rng"/><start><ref name="x"/></start></grammar>\n' \
  "$port" >"$d/inc.rng"
tei "$d/plain.xml" sibling.txt
printf 'hello from a sibling' >"$d/sibling.txt"
for s in ext inc; do
  validate --schema "$d/$s.rng" "$d/plain.xml"
  no_connection "a schema's $s over http"
  [ "$rc" = 1 ] && pass || fail "schema $s.rng over http: exit $rc, not 1: $out"
  echo "$out" | grep -q "127.0.0.1:$port" && pass || fail "schema $s.rng: the reference is not named: $out"
done

# the schema named by a URL: not fetched either
validate --schema "http://127.0.0.1:$port/s.rng" "$d/plain.xml"
no_connection "--schema http://"
[ "$rc" = 1 ] && pass || fail "--schema http://: exit $rc, not 1: $out"
# one line on the externalRef's line, naming it, then the compile failure
validate --schema "$d/ext.rng" "$d/plain.xml"
echo "$out" | grep -qF "$d/ext.rng:1: error: refused to read 'http://127.0.0.1:$port/s.rng'" &&
  pass || fail "schema ext.rng: the refusal is not on the externalRef's line: $out"
[ "$(printf '%s\n' "$out" | wc -l)" = 2 ] && pass || fail "schema ext.rng: not two lines: $out"

# 2b. what an included file includes in turn, or its DTD: nothing fetched,
# refused naming the URL and the validated file
printf '<seg xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="http://127.0.0.1:%s/t" parse="text"/></seg>\n' "$port" >"$d/n-http.xml"
printf '<seg xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="ftp://127.0.0.1:%s/t" parse="xml"/></seg>\n' "$port" >"$d/n-ftp.xml"
printf '<!DOCTYPE seg SYSTEM "http://127.0.0.1:%s/d.dtd">\n<seg xmlns="http://www.tei-c.org/ns/1.0">hello from a sibling</seg>\n' "$port" >"$d/n-dtd.xml"
for n in http ftp dtd; do
  tei "$d/w-$n.xml" "n-$n.xml" xml
  validate --schema "$d/need.rng" "$d/w-$n.xml"
  no_connection "an included file's $n reference"
  [ "$rc" = 1 ] && pass || fail "an included file's $n reference: exit $rc, not 1: $out"
  echo "$out" | grep "127.0.0.1:$port" | grep -qF "while validating $d/w-$n.xml" &&
    pass || fail "an included file's $n reference: URL or validated file not named: $out"
done

# 3. an external DTD, in validate and in the reader: not loaded
printf '<!DOCTYPE TEI SYSTEM "http://127.0.0.1:%s/tei.dtd">\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>hello from a sibling</p></TEI>\n' \
  "$port" >"$d/dtd.xml"
validate --schema "$d/need.rng" "$d/dtd.xml"
no_connection "an external DTD (validate)"
timeout $TMO "$cli" -q convert -f tei -t native -o "$work/dtd.tree" "$d/dtd.xml" >/dev/null 2>&1 </dev/null
no_connection "an external DTD (convert -f tei)"
timeout $TMO "$cli" -q convert -f tei -t native -o "$work/http.tree" "$d/http.xml" >/dev/null 2>&1 </dev/null
no_connection "an xi:include in a TEI file read by convert"

# 4. only regular files: a FIFO, /dev/stdin, a directory
mkfifo "$d/fifo.txt"
tei "$d/fifo.xml" fifo.txt
validate --schema "$d/need.rng" "$d/fifo.xml"
expect_refused "xi:include of a FIFO" "$d/fifo.xml" 2 'href="fifo.txt" refused'
printf '<seg xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="fifo.txt" parse="text"/></seg>\n' >"$d/n-fifo.xml"
tei "$d/w-fifo.xml" n-fifo.xml xml
validate --schema "$d/need.rng" "$d/w-fifo.xml"
[ "$rc" = 1 ] && pass || fail "an included file's include of a FIFO: exit $rc (124: it hung): $out"
echo "$out" | grep -q "fifo.txt.*FIFO" && pass || fail "an included file's FIFO: not named: $out"
# standard input a pipe that stays open and silent: reading it would hang
mkfifo "$work/stdin.fifo"
sleep 600 >"$work/stdin.fifo" 2>/dev/null &
fifo_holder=$!
tei "$d/stdin.xml" /dev/stdin
out=$(timeout $TMO "$cli" validate --schema "$d/need.rng" "$d/stdin.xml" 2>&1 <"$work/stdin.fifo")
rc=$?
expect_refused "xi:include of /dev/stdin" "$d/stdin.xml" 2 'href="/dev/stdin" refused'
ln -s /dev/stdin "$d/stdin-link.txt"
tei "$d/stdin-link.xml" stdin-link.txt
out=$(timeout $TMO "$cli" validate --schema "$d/need.rng" "$d/stdin-link.xml" 2>&1 <"$work/stdin.fifo")
rc=$?
expect_refused "xi:include of a link to /dev/stdin" "$d/stdin-link.xml" 2 'href="stdin-link.txt" refused'
mkdir "$d/sub"
tei "$d/dir.xml" sub
validate --schema "$d/need.rng" "$d/dir.xml"
expect_refused "xi:include of a directory" "$d/dir.xml" 2 'href="sub" refused'
# a schema that is a FIFO, or whose externalRef is one
mkfifo "$d/fifo.rng"
validate --schema "$d/fifo.rng" "$d/plain.xml"
[ "$rc" = 1 ] && pass || fail "--schema FIFO: exit $rc (124: it hung): $out"
printf '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><externalRef href="fifo.rng"/></start></grammar>\n' >"$d/ext-fifo.rng"
validate --schema "$d/ext-fifo.rng" "$d/plain.xml"
[ "$rc" = 1 ] && pass || fail "externalRef of a FIFO: exit $rc (124: it hung): $out"
echo "$out" | grep -q "fifo.rng" && pass || fail "externalRef of a FIFO: not named: $out"

# 5. leaving the directory
printf 'hello from a sibling' >"$work/outside.txt"
tei "$d/outside.xml" ../outside.txt
validate --schema "$d/need.rng" "$d/outside.xml"
expect_refused "xi:include of ../outside.txt" "$d/outside.xml" 2 'href="../outside.txt" refused'
tei "$d/absolute.xml" "$work/outside.txt"
validate --schema "$d/need.rng" "$d/absolute.xml"
expect_refused "xi:include of an absolute path outside" "$d/absolute.xml" 2 "href=\"$work/outside.txt\" refused"
ln -s ../outside.txt "$d/link-out.txt"
tei "$d/link-out.xml" link-out.txt
validate --schema "$d/need.rng" "$d/link-out.xml"
expect_refused "xi:include of a link that leaves" "$d/link-out.xml" 2 'href="link-out.txt" refused'
# an included file's own include is held to the same directory
printf '<seg xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="../outside.txt" parse="text"/></seg>\n' >"$d/nested.xml"
tei "$d/nest.xml" nested.xml xml
validate --schema "$d/need.rng" "$d/nest.xml"
[ "$rc" = 1 ] && pass || fail "a nested include that leaves: exit $rc: $out"
echo "$out" | grep -q "outside.txt" && pass || fail "a nested include that leaves: not named: $out"
# a schema's externalRef that leaves the schema's directory
mkdir "$d/schemas"
printf '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><externalRef href="../need.rng"/></start></grammar>\n' >"$d/schemas/up.rng"
validate --schema "$d/schemas/up.rng" "$d/plain.xml"
[ "$rc" = 1 ] && pass || fail "externalRef ../need.rng: exit $rc: $out"
echo "$out" | grep -q "need.rng" && pass || fail "externalRef ../need.rng: not named: $out"

# 5b. a sibling that is not UTF-8 text XML can carry (a control character,
# a NUL): refused in one line before libxml2 reads it (libxml2 2.9.14
# leaked what it allocated for such a text include; found by fuzz-validate-tei)
printf 'abc\001def\n' >"$d/control.txt"
tei "$d/control.xml" control.txt
validate --schema "$d/need.rng" "$d/control.xml"
[ "$rc" = 1 ] && echo "$out" | grep -q "refused to read '[^']*control.txt': it is not UTF-8 text XML can carry (byte 0x01 at offset 3)" &&
  pass || fail "a text include with a control character: exit $rc: $out"

# 6. what still works: a sibling, as text and as XML; a subdirectory; a
# schema's externalRef beside it; the plain file
validate --schema "$d/need.rng" "$d/plain.xml"
[ "$rc" = 0 ] && pass || fail "xi:include of a sibling (parse=text) refused: exit $rc: $out"
printf '<seg xmlns="http://www.tei-c.org/ns/1.0">hello from a sibling</seg>\n' >"$d/sibling.xml"
tei "$d/plain-xml.xml" sibling.xml xml
validate --schema "$d/need.rng" "$d/plain-xml.xml"
[ "$rc" = 0 ] && pass || fail "xi:include of a sibling (parse=xml) refused: exit $rc: $out"
printf 'hello from a sibling' >"$d/sub/below.txt"
tei "$d/below.xml" sub/below.txt
validate --schema "$d/need.rng" "$d/below.xml"
[ "$rc" = 0 ] && pass || fail "xi:include of sub/below.txt refused: exit $rc: $out"
printf '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><externalRef href="need.rng"/></start></grammar>\n' >"$d/ext-local.rng"
validate --schema "$d/ext-local.rng" "$d/plain.xml"
[ "$rc" = 0 ] && pass || fail "a schema's externalRef of a sibling refused: exit $rc: $out"
(cd "$d" && timeout $TMO "$cli" validate --schema need.rng plain.xml >/dev/null 2>&1 </dev/null) &&
  pass || fail "relative paths from the file's directory"

# 7. the YAML validator's --schema: a FIFO is not waited on
printf 'title: x\n' >"$d/doc.yaml"
validate -f yaml --schema "$d/fifo.rng" "$d/doc.yaml"
[ "$rc" = 1 ] && pass || fail "YAML --schema FIFO: exit $rc (124: it hung): $out"

no_connection "the whole run"
echo "safe-io: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
