#!/usr/bin/env bash
# warc.sh WHAT CLI ... - the warc plugin (plugins/warc, docs/warc.md).
#   records LIST SHARED     the real archive's records as the plugin reads them
#   cli CLI WORK            small archives, well-formed and broken, converted
#   corpus CLI SHARED WORK  the whole real archive converted, against the text corpus
#   speech CLI SHARED WORK FLOOR FLOOR_INDIRECT  who said what from the pages against the text files
set -uo pipefail
what=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

case $what in
records)
  list=$1 shared=$2
  warc="$shared/corpus/kremlin-html/kremlin-events-2020.warc.gz"
  [ -f "$warc" ] || { echo "no $warc: skipped"; exit 77; }
  out=$("$list" "$warc" 2>/tmp/warc-records.$$) || fail "warc_list failed: $(tail -2 /tmp/warc-records.$$)"
  counts=$(cat /tmp/warc-records.$$)
  rm -f /tmp/warc-records.$$
  pages=$(echo "$out" | grep -c ' response .* 200 text/html .* payload:ok digest:ok$')
  [ "$pages" -eq 7209 ] && ok "7209 pages, each with its block and payload digest checked" ||
    fail "$pages of 7209 pages read with both digests matching"
  [ "$counts" = '7210 records, 7209 HTML pages, 0 broken' ] && ok "7210 records, 0 broken" ||
    fail "counts: $counts"
  ;;
cli)
  cli=$1 work=$2
  rm -rf "$work" && mkdir -p "$work"
  /usr/bin/python3 "$here/make_archives.py" "$work/in" || { echo "FAIL: make_archives.py"; exit 1; }
  # run NAME EXPECTED-EXIT ARGS...: converts, keeps stderr in $work/NAME.err
  run() {
    local name=$1 code=$2
    shift 2
    /usr/bin/time -f '%e %M' -o "$work/$name.time" timeout 120 "$cli" convert "$@" \
      >"$work/$name.out" 2>"$work/$name.err"
    local rc=$?
    [ $rc -eq "$code" ] || { fail "$name: exit $rc, expected $code: $(head -3 "$work/$name.err")"; return 1; }
    return 0
  }
  pages() { find "$1" -name '*.txt' | wc -l; }

  # Well-formed: plain, one gzip member per record, one member for all.
  for f in good.warc good.warc.gz one-member.warc.gz; do
    n=${f%%.*}
    run "$f" 0 -t text,tei -O "$work/out-$f" "$work/in/$f" || continue
    c=$(pages "$work/out-$f/text/$n")
    [ "$c" -eq 5 ] && ok "$f: 5 pages" || fail "$f: $c pages, expected 5"
    grep -q "The text of page 3, said in so many words." "$work/out-$f/text/$n/example.org/news/3.txt" &&
      ok "$f: page 3's text" || fail "$f: page 3's text is missing"
    grep -q 'WARC record: &lt;urn:uuid:' "$work/out-$f/tei/$n/example.org/news/3.xml" &&
      grep -q '<idno type="file">http://example.org/news/3</idno>' "$work/out-$f/tei/$n/example.org/news/3.xml" &&
      ok "$f: the TEI header names the URI and the record" || fail "$f: the TEI header lacks the URI or the record"
    m=$(grep -c "^$work/in/$f#http://example.org/news/" "$work/out-$f/manifest.tsv")
    [ "$m" -eq 5 ] && ok "$f: a manifest line per page" || fail "$f: $m manifest lines for 5 pages"
  done
  cmp -s "$work/out-good.warc/text/good/example.org/news/5.txt" "$work/out-good.warc.gz/text/good/example.org/news/5.txt" &&
    ok "plain and gzip give the same text" || fail "plain and gzip differ"
  # Up to date, then -j 2 the same bytes.
  run rerun 0 -t text,tei -O "$work/out-good.warc.gz" "$work/in/good.warc.gz" &&
    grep -q "converted 0, unchanged 5" "$work/rerun.err" && ok "a rerun finds the 5 pages up to date" ||
    fail "rerun: $(tail -1 "$work/rerun.err")"
  run j2 0 -j 2 -t text,tei -O "$work/out-j2" "$work/in/good.warc.gz" &&
    diff -r "$work/out-j2/text" "$work/out-good.warc.gz/text" >/dev/null &&
    diff -r "$work/out-j2/tei" "$work/out-good.warc.gz/tei" >/dev/null && ok "-j 2 writes the same files" ||
    fail "-j 2 differs"

  # Broken archives: the damaged record is a failure named by the archive
  # and the record; the others are converted; exit 1; nothing half-written.
  # broken NAME PATTERN PAGES
  broken() {
    local f=$1 pattern=$2 want=$3 n=${1%%.*}
    run "$f" 1 -t text -O "$work/out-$f" "$work/in/$f" || return
    grep -qE -- "^$work/in/$f(#.*)?: error: $pattern" "$work/$f.err" &&
      ok "$f: $(grep -m1 error "$work/$f.err" | sed "s|$work/in/||")" ||
      fail "$f: no /$pattern/ naming the archive in: $(head -3 "$work/$f.err")"
    local c
    c=$(find "$work/out-$f" -name '*.txt' | wc -l)
    [ "$c" -eq "$want" ] && ok "$f: the $want other pages converted" || fail "$f: $c pages converted, expected $want"
    [ -z "$(find "$work/out-$f" -name '*.tmp-*')" ] || fail "$f: a temporary file is left"
  }
  broken truncated.warc.gz "the file ends inside a gzip member \(truncated\)" 3
  broken truncated.warc "the file ends inside a record header" 3
  broken length-short.warc "its Content-Length \(242\) does not end where the record does" 2
  broken length-long.warc "its Content-Length \(312\) runs into the next record" 3
  broken garbage.warc "bytes that are not a WARC record where record 3 should begin" 2
  broken digest.warc "the record's block does not match its WARC-Block-Digest" 2
  broken bomb.warc.gz "the record is 314572800 bytes, more than the largest input" 1
  read -r secs rss < <(tail -1 "$work/bomb.warc.gz.time")
  [ "$rss" -lt 65536 ] && ok "gzip bomb: ${rss} KiB peak, ${secs} s (300 MB inflated, never held)" ||
    fail "gzip bomb: peak RSS ${rss} KiB >= 64 MiB"

  # Transfer and content codings undone; what is no page passed over.
  run codings.warc 0 -t text -O "$work/out-codings" "$work/in/codings.warc" &&
    grep -q "Chunked transfer coding." "$work/out-codings/text/codings/example.org/news/8.txt" &&
    grep -q "Gzip content coding." "$work/out-codings/text/codings/example.org/news/9.txt" &&
    ok "chunked and gzip-coded pages read" || fail "codings: $(head -3 "$work/codings.warc.err")"
  run mixed.warc 0 -t text -O "$work/out-mixed" "$work/in/mixed.warc" &&
    [ "$(pages "$work/out-mixed")" -eq 1 ] && ok "an image and a request record are passed over" ||
    fail "mixed: $(pages "$work/out-mixed") pages"
  # -f names the reader of the pages; the archive is still opened.
  run from-html 0 -f html -t text -O "$work/out-f" "$work/in/good.warc.gz" &&
    [ "$(pages "$work/out-f")" -eq 5 ] && ok "-f html reads the archive's pages" || fail "-f html: $(pages "$work/out-f") pages"
  # A directory of archives and files: the archives are opened in the walk.
  mkdir -p "$work/tree/sub" && cp "$work/in/good.warc.gz" "$work/tree/sub/" && cp "$work/in/mixed.warc" "$work/tree/"
  run tree 0 -t text -O "$work/out-tree" "$work/tree" &&
    [ -f "$work/out-tree/text/sub/good/example.org/news/2.txt" ] && [ -f "$work/out-tree/text/mixed/example.org/news/1.txt" ] &&
    ok "archives found in a directory walk" || fail "tree: $(find "$work/out-tree" -name '*.txt' | head -3)"
  [ $fails -eq 0 ] || exit 1
  ;;
corpus)
  cli=$1 shared=$2 work=$3
  warc="$shared/corpus/kremlin-html/kremlin-events-2020.warc.gz"
  [ -f "$warc" ] || { echo "no $warc: skipped"; exit 77; }
  rm -rf "$work" && mkdir -p "$work"
  /usr/bin/time -f '%e %M' -o "$work/time" "$cli" -q convert -t text --set photos=false -O "$work/out" "$warc" \
    2>"$work/err" || fail "convert: $(tail -3 "$work/err")"
  read -r secs rss < <(tail -1 "$work/time")
  echo "converted the archive in $secs s, ${rss} KiB peak"
  dir="$work/out/text/kremlin-events-2020/en.kremlin.ru/events/president/news"
  differ=$(diff -rq "$shared/corpus/kremlin" "$dir" | tee "$work/differ" | wc -l)
  head -5 "$work/differ"
  same=$((7209 - differ))
  [ $same -eq 7209 ] && ok "all 7209 pages of the archive equal their text files byte for byte" ||
    fail "$same of 7209 pages equal their text files ($differ differ)"
  ;;
speech)
  cli=$1 shared=$2 work=$3 floor=$4 floor_indirect=$5
  warc="$shared/corpus/kremlin-html/kremlin-events-2020.warc.gz"
  [ -f "$warc" ] || { echo "no $warc: skipped"; exit 77; }
  rm -rf "$work" && mkdir -p "$work"
  "$cli" -q convert -t tei --set photos=false -O "$work/html" "$warc" 2>"$work/err" ||
    fail "convert the archive: $(tail -3 "$work/err")"
  "$cli" -q convert -t tei -O "$work/text" "$shared/corpus/kremlin" 2>"$work/err" ||
    fail "convert the text corpus: $(tail -3 "$work/err")"
  /usr/bin/python3 "$here/speech_agree.py" \
    "$work/html/tei/kremlin-events-2020/en.kremlin.ru/events/president/news" "$work/text/tei" 40 \
    >"$work/agree" || fail "speech_agree.py failed"
  tail -2 "$work/agree"
  got=$(sed -n 's/^agreement: \([0-9.]*\) .*/\1/p' "$work/agree")
  pages=$(sed -n 's/^pages \([0-9]*\),.*/\1/p' "$work/agree")
  [ "${pages:-0}" -eq 7209 ] || fail "compared ${pages:-0} of 7209 pages"
  awk -v g="${got:-0}" -v f="$floor" 'BEGIN { exit !(g >= f) }' &&
    ok "the pages' quotations and speakers agree with the text files' at $got (floor $floor)" ||
    { fail "agreement ${got:-none} below the floor $floor"; head -40 "$work/agree"; }
  # reported speech (said direct="false"), with its own floor
  /usr/bin/python3 "$here/speech_agree.py" --indirect \
    "$work/html/tei/kremlin-events-2020/en.kremlin.ru/events/president/news" "$work/text/tei" 0 \
    >"$work/agree-indirect" || fail "speech_agree.py --indirect failed"
  tail -1 "$work/agree-indirect"
  got=$(sed -n 's/^agreement: \([0-9.]*\) .*/\1/p' "$work/agree-indirect")
  awk -v g="${got:-0}" -v f="$floor_indirect" 'BEGIN { exit !(g >= f) }' &&
    ok "reported speech agrees at $got (floor $floor_indirect)" ||
    fail "reported speech agreement ${got:-none} below the floor $floor_indirect"
  rm -rf "$work/html" "$work/text"
  ;;
esac
[ $fails -eq 0 ]
