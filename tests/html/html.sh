#!/usr/bin/env bash
# tests/html/html.sh - end-to-end checks of the html reader.
#   html.sh tei    CLI INPUTS SHARED WORK  the pages' TEI: `scriptorium validate`
#                                          (project schema) and, with jing and
#                                          ../shared, tei_all
#   html.sh probe  CLI INPUTS SEEDS WORK   format detection: HTML pages are html,
#                                          seeds are still text, TEI still tei
#   html.sh bad    CLI WORK                hostile pages: exit code, one message
#                                          naming the file, no output left, time
#                                          and peak RSS bounded
set -euo pipefail
SKIP=77
what=$1
shift
fail() { echo "FAIL: $*" >&2; exit 1; }

case $what in
tei)
  cli=$1 inputs=$2 shared=$3 work=$4
  rm -rf "$work" && mkdir -p "$work"
  "$cli" -q convert -f html -t tei --no-corpus -O "$work" "$inputs"/*.html
  n=$(ls "$work"/*.xml | wc -l)
  [ "$n" -ge 3 ] || fail "only $n TEI files"
  "$cli" -q validate "$work"/*.xml || fail "the project schema refuses the pages' TEI"
  if command -v jing >/dev/null && [ -f "$shared/tei/tei_all.rng" ]; then
    jing "$shared/tei/tei_all.rng" "$work"/*.xml || fail "not valid against tei_all"
    echo "ok: $n files valid against tei_all and the project schema"
  else
    echo "ok: $n files valid against the project schema (no jing or tei_all: tei_all not checked)"
  fi
  ;;
probe)
  cli=$1 inputs=$2 seeds=$3 work=$4
  rm -rf "$work" && mkdir -p "$work"
  for f in "$inputs"/*.html; do
    "$cli" -q convert -t native -o "$work/out.tree" "$f" || fail "$f: not detected"
    grep -q '^  meta format "html"$' "$work/out.tree" || fail "$f: not read as html"
  done
  # a page that starts with comments and white space, and an XHTML page
  printf '\n  <!-- saved -->\n<HTML><body><p>Hello.</p></body></HTML>\n' > "$work/a.htm"
  printf '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Hi.</p></body></html>\n' > "$work/b.xhtml"
  for f in "$work/a.htm" "$work/b.xhtml"; do
    "$cli" -q convert -t native -o "$work/out.tree" "$f" 2>/dev/null || fail "$f: not detected"
    grep -q '^  meta format "html"$' "$work/out.tree" || fail "$f: not read as html"
  done
  seed=$(ls "$seeds"/*.txt | head -1)
  "$cli" -q convert -t native -o "$work/seed.tree" "$seed"
  grep -q '^  meta format "text"$' "$work/seed.tree" || fail "$seed: no longer read as text"
  "$cli" -q convert -t tei -o "$work/seed.xml" "$seed"
  "$cli" -q convert -t native -o "$work/tei.tree" "$work/seed.xml"
  "$cli" -q convert -f tei -t native -o "$work/tei-f.tree" "$work/seed.xml"
  cmp -s "$work/tei.tree" "$work/tei-f.tree" || fail "TEI no longer read as tei"
  echo "ok: HTML detected as html; text and TEI as before"
  ;;
bad)
  cli=$1 work=$2
  rm -rf "$work" && mkdir -p "$work"
  /usr/bin/python3 - "$work" <<'PY'
import os, random, sys
w = sys.argv[1]
def put(name, data):
    with open(os.path.join(w, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
put("big.html", "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Big</title></head>"
    "<body><article><h1>Big page</h1>" + "".join(
        "<p>Paragraph %d with some words of text, and more words to fill the line.</p>\n" % i
        for i in range(1300000)) + "</article></body></html>")
put("deep.html", "<!DOCTYPE html><html><body>" + "<div>" * 100000 + "deep text" +
    "</div>" * 100000 + "</body></html>")
put("deep-bold.html", "<!DOCTYPE html><html><body><p>" + "<b><i>" * 100000 + "deep bold")
put("deep-kremlin.html", "<!DOCTYPE html><html><body><div class=\"entry-content\">kremlin.ru"
    + "<div><p><b>X:" * 100000)
put("latin1.html", "<html><body><h1>Caf\u00e9</h1><p>Stra\u00dfe \u2013</p></body></html>".encode("cp1252"))
put("wrong-charset.html", "<html><head><meta charset=\"utf-8\"></head><body><p>Stra\u00dfe</p></body></html>".encode("latin-1"))
put("cp1251.html", "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"></head><body><p>\u041f\u0440\u0438\u0432\u0435\u0442</p></body></html>".encode("cp1251"))
put("unknown-charset.html", b"<html><head><meta charset=\"x-nonsense\"></head><body><p>Hello</p></body></html>")
random.seed(19)
put("binary.html", bytes(random.getrandbits(8) for _ in range(200000)))
put("binary-after-tag.html", b"<html>" + bytes(random.getrandbits(8) for _ in range(100000)))
put("empty.html", "")
put("no-text.html", "<!DOCTYPE html><html><body><script>x = 1</script></body></html>")
PY
  fails=0
  # case NAME CODE PATTERN
  check() {
    local name=$1 code=$2 pattern=$3 f="$work/$1.html" out="$work/out-$1.txt"
    local size
    size=$(stat -c %s "$f")
    set +e
    /usr/bin/time -f '%M' -o "$work/rss" timeout 60 "$cli" convert -f html -t text -o "$out" "$f" \
      >/dev/null 2>"$work/err"
    local rc=$?
    set -e
    local rss
    rss=$(tail -1 "$work/rss")
    local bound=$(( 65536 + size * 12 / 1024 )) # the README's bound for one input
    local lines
    lines=$(grep -c . "$work/err" || true)
    if [ $rc -ne "$code" ]; then echo "FAIL $name: exit $rc, expected $code: $(head -3 "$work/err")"; fails=$((fails + 1)); return; fi
    if [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$work/err"; then echo "FAIL $name: no /$pattern/ in: $(head -3 "$work/err")"; fails=$((fails + 1)); return; fi
    if [ -n "$pattern" ] && ! grep -q -- "$f" "$work/err"; then echo "FAIL $name: the message does not name the file"; fails=$((fails + 1)); return; fi
    if [ "$code" -ne 0 ] && [ "$lines" -ne 1 ]; then echo "FAIL $name: $lines messages, expected one"; fails=$((fails + 1)); return; fi
    if [ "$code" -ne 0 ] && [ -e "$out" ]; then echo "FAIL $name: output left behind"; fails=$((fails + 1)); return; fi
    if [ -z "${SCR_SANITIZED:-}" ] && [ "$rss" -gt "$bound" ]; then echo "FAIL $name: peak RSS ${rss} KiB > ${bound} KiB (64 MiB + 12 x the input)"; fails=$((fails + 1)); return; fi
    echo "ok $name: exit $rc, ${rss} KiB peak for $size bytes: $(head -1 "$work/err")"
  }
  check big 0 "site is not known"
  check deep 0 "deep.html:1:[0-9]+: warning: elements nest deeper than 4096 here"
  check deep-bold 0 "deep-bold.html:1:[0-9]+: warning: elements nest deeper than 4096 here"
  check deep-kremlin 0 "deep-kremlin.html:1:[0-9]+: warning: elements nest deeper than 4096 here"
  check latin1 0 "no charset declared and not UTF-8 .*windows-1252"
  check wrong-charset 0 "declared UTF-8 but 1 invalid byte sequence"
  check cp1251 0 "site is not known"
  check unknown-charset 0 "unknown charset 'x-nonsense'"
  check binary 1 "error: not an HTML page: binary data"
  check binary-after-tag 1 "error: not an HTML page: binary data"
  check empty 1 "error: the HTML page is empty"
  check no-text 1 "error: no text found"
  grep -q "deep text" "$work/out-deep.txt" || { echo "FAIL deep: the text below the depth limit is lost"; fails=$((fails + 1)); }
  grep -q "Привет" "$work/out-cp1251.txt" || { echo "FAIL cp1251: not converted"; fails=$((fails + 1)); }
  grep -q "Straße" "$work/out-latin1.txt" || { echo "FAIL latin1: not converted"; fails=$((fails + 1)); }
  [ $fails -eq 0 ] || fail "$fails case(s)"
  ;;
esac
