#!/usr/bin/env bash
# trust.sh CLI SEEDS_DIR - what an archivist relies on when a run is
# repeated, interrupted, run twice at once, or pointed at a tree someone
# else prepared (issue 13): no stale output reported as up to date, nothing
# this program wrote read back as input, every document of a corpus in it
# or counted as failed, clean interruption, no writes through planted
# links, and bad settings refused.
set -u
CLI=$1 SEEDS=$(cd "$2" && pwd)
T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
failures=0 passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }
check() { if eval "$1"; then pass; else fail "$2"; fi; }
summary() { grep -E '^scriptorium: (converted|interrupted)' "$1" | tail -n 1; }

# A corpus of 1,000 small transcripts: the seeds, each copied 200 times.
mkdir -p "$T/in"
for s in "$SEEDS"/*.txt; do
  b=$(basename "$s" .txt)
  for k in $(seq -w 1 200); do cp "$s" "$T/in/${b}_$k.txt"; done
done
total=$(ls "$T/in" | wc -l)
# every text edition in DIR is the diplomatic one (its input, byte for byte)
diplomatic() {
  local bad=0
  for f in "$T/in"/*.txt; do cmp -s "$f" "$1/text/$(basename "$f")" || bad=$((bad + 1)); done
  echo $bad
}
# waits until DIR's journal holds at least N lines
journal_at_least() {
  local j=$1/manifest.tsv.journal n=$2 tries=0
  while [ "$(cat "$j" 2>/dev/null | wc -l)" -lt "$n" ] && [ $tries -lt 2000 ]; do
    sleep 0.005; tries=$((tries + 1))
  done
}

# 1a. A run with other options killed half-way, then the first command
# again: every output it replaced is converted again.
"$CLI" -q convert -j 1 -t tei,yaml,text -O "$T/a" "$T/in" 2>/dev/null
"$CLI" -q convert -j 1 -t tei,yaml,text --set edition=reading -O "$T/a" "$T/in" 2>/dev/null &
pid=$!
journal_at_least "$T/a" 20
kill -9 $pid; wait $pid 2>/dev/null
check '[ "$(diplomatic "$T/a")" -gt 0 ]' "1a: the killed run replaced no text edition (the test proves nothing)"
"$CLI" -q convert -j 2 -t tei,yaml,text -O "$T/a" "$T/in" 2>"$T/a.err"
rc=$?
check '[ $rc -eq 0 ] && [ "$(diplomatic "$T/a")" -eq 0 ]' "1a: stale reading editions after the rerun: $(diplomatic "$T/a"); $(summary "$T/a.err")"

# 1b. A shard with other options into the same directory, then a full run.
"$CLI" -q convert -t tei,yaml,text -O "$T/b" "$T/in" 2>/dev/null
"$CLI" -q convert -t tei,yaml,text --set edition=reading --shard 1/2 -O "$T/b" "$T/in" 2>/dev/null
"$CLI" -q convert -t tei,yaml,text -O "$T/b" "$T/in" 2>"$T/b.err"
check '[ "$(diplomatic "$T/b")" -eq 0 ]' "1b: stale files after a shard with other options: $(diplomatic "$T/b"); $(summary "$T/b.err")"

# 1c. Two runs at once into one directory: the second is refused and names
# the first's pid; a shard beside a shard is allowed.
"$CLI" -q convert -j 1 -t tei,yaml,text -O "$T/c" "$T/in" 2>/dev/null &
pid=$!
journal_at_least "$T/c" 2
"$CLI" -q convert -t text --set edition=reading -O "$T/c" "$T/in" 2>"$T/c.err"
rc=$?
wait $pid
check '[ $rc -eq 1 ] && grep -q "in use by another scriptorium run (pid $pid)" "$T/c.err"' "1c: a second run into a busy directory: exit $rc: $(cat "$T/c.err")"
check '[ "$(diplomatic "$T/c")" -eq 0 ]' "1c: the runs interleaved"

# 1d. An output changed or removed by hand is converted again; the others
# are unchanged.
one=$(ls "$T/in" | head -n 1)
printf 'x' >>"$T/b/text/$one"
rm "$T/b/tei/${one%.txt}.xml"
"$CLI" -q convert -t tei,yaml,text -O "$T/b" "$T/in" 2>"$T/d.err"
check 'summary "$T/d.err" | grep -q "converted 1, unchanged $((total - 1)),"' "1d: a changed output: $(summary "$T/d.err")"
check 'cmp -s "$T/in/$one" "$T/b/text/$one" && [ -f "$T/b/tei/${one%.txt}.xml" ]' "1d: the changed output was not restored"
# an output replaced by a link to an identical file is not up to date
cp "$T/b/text/$one" "$T/copy.txt" && ln -sf "$T/copy.txt" "$T/b/text/$one"
"$CLI" -q convert -t tei,yaml,text -O "$T/b" "$T/in" 2>"$T/d.err"
check '[ ! -L "$T/b/text/$one" ] && summary "$T/d.err" | grep -q "converted 1,"' "1d: a link at an output counted as up to date: $(summary "$T/d.err")"

# 2. The authority file beside the inputs is part of what decides the
# outputs, by content: edited, added or removed, the documents change.
mkdir -p "$T/p/in" && cp "$SEEDS"/*.txt "$SEEDS/persons.yaml" "$T/p/in/"
"$CLI" -q convert -t tei -O "$T/p/out" "$T/p/in" 2>/dev/null
sed -i 's/id: lukashenko$/id: lukashenka/' "$T/p/in/persons.yaml"
"$CLI" -q convert -t tei -O "$T/p/out" "$T/p/in" 2>"$T/p.err"
check 'summary "$T/p.err" | grep -q "converted 5, unchanged 0"' "2: persons.yaml edited: $(summary "$T/p.err")"
check '"$CLI" -q validate "$T/p/out/tei/corpus.xml" 2>/dev/null && grep -q "#lukashenka" "$T/p/out/tei/000_af69b110bcc56da9.xml"' "2: members and corpus header disagree"
touch "$T/p/in/persons.yaml"
"$CLI" -q convert -t tei -O "$T/p/out" "$T/p/in" 2>"$T/p.err"
check 'summary "$T/p.err" | grep -q "converted 0, unchanged 5"' "2: a touched but unchanged persons.yaml reconverted: $(summary "$T/p.err")"
rm "$T/p/in/persons.yaml"
"$CLI" -q convert -t tei -O "$T/p/out" "$T/p/in" 2>"$T/p.err"
check 'summary "$T/p.err" | grep -q "converted 5, unchanged 0"' "2: persons.yaml removed: $(summary "$T/p.err")"
cp "$SEEDS/persons.yaml" "$T/p/in/"
"$CLI" -q convert -t tei -O "$T/p/out" "$T/p/in" 2>"$T/p.err"
check 'summary "$T/p.err" | grep -q "converted 5, unchanged 0"' "2: persons.yaml added: $(summary "$T/p.err")"
# --set persons=FILE: by content too
cp "$SEEDS/persons.yaml" "$T/auth.yaml"
"$CLI" -q convert -t tei --set persons="$T/auth.yaml" -O "$T/p/o2" "$T/p/in" 2>/dev/null
sed -i 's/id: lukashenko$/id: lukashenka/' "$T/auth.yaml"
"$CLI" -q convert -t tei --set persons="$T/auth.yaml" -O "$T/p/o2" "$T/p/in" 2>"$T/p.err"
check 'summary "$T/p.err" | grep -q "converted 5, unchanged 0"' "2: --set persons=FILE edited: $(summary "$T/p.err")"

# 3. Documents with one base name in two directories are two documents of
# the corpus; a document left out of a corpus is a failure.
mkdir -p "$T/s/a" "$T/s/b"
cp "$SEEDS/000_af69b110bcc56da9.txt" "$T/s/a/100.txt"
cp "$SEEDS/001_b7a3f8f331ca27dc.txt" "$T/s/b/100.txt"
"$CLI" -q convert -t tei -O "$T/s-out" "$T/s" 2>"$T/s.err"
rc=$?
check '[ $rc -eq 0 ] && [ "$(grep -c "<TEI " "$T/s-out/tei/corpus.xml")" -eq 2 ]' "3: a/100 and b/100: $(cat "$T/s.err")"
check '"$CLI" -q validate "$T/s-out/tei/corpus.xml" 2>/dev/null' "3: corpus invalid"
cp "$SEEDS/002_248ce3e746adae3b.txt" "$T/s/a_100.txt" # its id would be a_100 too
"$CLI" -q convert -t tei -O "$T/s-out" "$T/s" 2>"$T/s.err"
rc=$?
check '[ $rc -eq 1 ] && summary "$T/s.err" | grep -q "failed 1, left out of a corpus 1"' "3: left out of the corpus: exit $rc: $(cat "$T/s.err")"
check 'grep -q "/a/100.txt	[0-9]*	[0-9a-f]*	failed	" "$T/s-out/manifest.tsv"' "3: the manifest does not say failed: $(cut -f1-4 "$T/s-out/manifest.tsv")"

# 4. -O DIR DIR: what this program wrote is never read back.
mkdir "$T/self" && cp "$SEEDS"/*.txt "$T/self/"
for k in 1 2 3; do
  "$CLI" -q convert -t tei,yaml,text -O "$T/self" "$T/self" 2>"$T/self.err"
  n[$k]=$(find "$T/self" -type f | wc -l)
done
check '[ "${n[1]}" -eq "${n[3]}" ] && summary "$T/self.err" | grep -q "converted 0, unchanged 5, warnings [0-9]*, failed 0 "' \
  "4: -O DIR DIR: ${n[1]} then ${n[3]} files; $(summary "$T/self.err")"
"$CLI" -q convert -t yaml -O "$T/self" "$T/self/text" 2>"$T/self.err"
check 'summary "$T/self.err" | grep -q "converted 0, unchanged 0"' "4: an input directory inside the output directory: $(summary "$T/self.err")"

# 5. Interruption: SIGINT and SIGTERM finish what is in progress, remove no
# finished output, leave no temporary file or journal, write the manifest
# of what was done, and exit 128 + the signal; a rerun resumes.
for sig in INT TERM; do
  d=$T/i-$sig
  "$CLI" -q convert -j 2 -t tei,yaml,text -O "$d" "$T/in" 2>"$d.err" &
  pid=$!
  journal_at_least "$d" 60
  kill -$sig $pid; wait $pid; rc=$?
  code=130; [ $sig = TERM ] && code=143
  lines=$(($(wc -l <"$d/manifest.tsv") - 1))
  check '[ $rc -eq $code ] && [ ! -e "$d/manifest.tsv.journal" ] && [ -z "$(find "$d" -name "*.tmp-*")" ] && [ $lines -gt 0 ] && [ $lines -lt $total ]' \
    "5: SIG$sig: exit $rc, $lines lines, $(ls "$d"), $(tail -n 1 "$d.err")"
  check '[ ! -e "$d/tei/corpus.xml" ]' "5: SIG$sig: a corpus file of part of the inputs"
  "$CLI" -q convert -t tei,yaml,text -O "$d" "$T/in" 2>"$d.err"
  check 'summary "$d.err" | grep -q "converted $((total - lines)), unchanged $lines,"' "5: SIG$sig: the rerun did not resume: $(summary "$d.err") ($lines were done)"
done
# Temporary files of a dead run are removed by the next; a live run's not.
sleep 30 & alive=$!
(exit 0) & dead=$!; wait $dead
: >"$T/a/text/x.txt.tmp-$dead-0"; : >"$T/a/tei/y.xml.tmp-$alive-3"
"$CLI" -q convert -t tei,yaml,text -O "$T/a" "$T/in" 2>/dev/null
check '[ ! -e "$T/a/text/x.txt.tmp-$dead-0" ] && [ -e "$T/a/tei/y.xml.tmp-$alive-3" ]' "5: temporaries of a dead run: $(ls "$T/a/text" | grep tmp-)"
kill $alive 2>/dev/null; wait $alive 2>/dev/null
# A closed pipe on standard error does not end the run.
rm -rf "$T/pipe"
"$CLI" convert -j 1 -t text -O "$T/pipe" "$T/in" 2>&1 | head -c 0
check '[ "$(($(wc -l <"$T/pipe/manifest.tsv") - 1))" -eq "$total" ]' "5: 2>&1 | head ended the run: $(wc -l <"$T/pipe/manifest.tsv" 2>&1)"
# --sync: every mode converts; a bad one is a usage error.
for m in none end file; do
  "$CLI" -q convert --sync $m -t text -O "$T/sync-$m" "$SEEDS"/*.txt 2>/dev/null
  rc=$?
  check '[ $rc -eq 0 ] && [ "$(ls "$T/sync-$m"/*.txt | wc -l)" -eq 5 ]' "5: --sync $m"
done
"$CLI" -q convert --sync sometimes -t text -O "$T/sync-x" "$SEEDS"/*.txt 2>"$T/err"
rc=$?
check '[ $rc -eq 2 ] && grep -q "sync takes none, end or file" "$T/err"' "5: --sync sometimes: $(cat "$T/err")"

# 6. What a walk cannot read is reported and counted, not passed over.
mkdir -p "$T/w"
cp "$SEEDS/000_af69b110bcc56da9.txt" "$T/w/"
ln -s "$T/nowhere.txt" "$T/w/dangling.txt"
deep=$T/w
( cd "$T/w" && for k in $(seq 1 45); do d=$(printf 'd%.0s' $(seq 1 95)); mkdir "$d" && cd "$d" || exit 1; done &&
  cp "$SEEDS/001_b7a3f8f331ca27dc.txt" long.txt )
"$CLI" convert -t text -O "$T/w-out" "$T/w" 2>"$T/w.err"
rc=$?
check '[ $rc -eq 0 ] && grep -q "^$T/w/dangling.txt: warning: skipped: a symbolic link to nothing$" "$T/w.err"' "6: dangling link: exit $rc: $(cat "$T/w.err")"
check 'grep -q "/ddd*: warning: skipped: the path is longer than PATH_MAX" "$T/w.err" && summary "$T/w.err" | grep -q "converted 1, .* skipped 2"' "6: long path: $(cut -c1-200 "$T/w.err" | tail -n 3)"
for v in -1 0 12abc '' 99999999999999999999; do
  SCRIPTORIUM_MAX_INPUT=$v "$CLI" convert -t text -o "$T/mx.txt" "$SEEDS/000_af69b110bcc56da9.txt" 2>"$T/err"
  rc=$?
  check '[ $rc -eq 2 ] && grep -q "SCRIPTORIUM_MAX_INPUT takes a number of bytes" "$T/err" && [ ! -e "$T/mx.txt" ]' "6: SCRIPTORIUM_MAX_INPUT='$v': $(cat "$T/err")"
done
SCRIPTORIUM_MAX_INPUT=100 "$CLI" convert -t text -o "$T/mx.txt" "$SEEDS/000_af69b110bcc56da9.txt" 2>"$T/err"
rc=$?
check '[ $rc -eq 1 ] && grep -q "larger than the limit of 100 bytes" "$T/err"' "6: SCRIPTORIUM_MAX_INPUT=100: $(cat "$T/err")"

# 8. Planted links and special files at output paths: never written
# through, never hung on.
o=$T/plant/text
mkdir -p "$o" "$T/plant-in"
cp "$SEEDS"/00[0-3]*.txt "$T/plant-in/"
ln -s /dev/null "$o/000_af69b110bcc56da9.txt"
mkfifo "$o/001_b7a3f8f331ca27dc.txt"
echo "precious" >"$T/precious.txt"
ln -s "$T/precious.txt" "$o/002_248ce3e746adae3b.txt"
timeout 20 "$CLI" -q convert -t text -O "$T/plant" "$T/plant-in" 2>"$T/plant.err"
rc=$?
# a pipe is refused (and not opened: no hang); a link, to a device or to a
# file, is replaced by the output, and what it pointed at is untouched
check '[ $rc -eq 1 ] && [ "$(grep -c "refusing to write" "$T/plant.err")" -eq 1 ] && grep -q "refusing to write .*001_b7a3f8f331ca27dc.txt.: it is not a regular file" "$T/plant.err" && [ -p "$o/001_b7a3f8f331ca27dc.txt" ]' "8: planted pipe: exit $rc: $(cat "$T/plant.err")"
check '[ "$(cat "$T/precious.txt")" = precious ] && [ -c /dev/null ]' "8: written through a link"
for f in 000_af69b110bcc56da9 002_248ce3e746adae3b 003_f39709ca279a179f; do
  check '[ -f "$o/$f.txt" ] && [ ! -L "$o/$f.txt" ] && cmp -s "$o/$f.txt" "$SEEDS/$f.txt"' "8: $f.txt is not the output"
done
mkdir -p "$T/plant2" "$T/elsewhere"
ln -s "$T/elsewhere" "$T/plant2/text"
timeout 20 "$CLI" -q convert -t text -O "$T/plant2" "$T/plant-in" 2>"$T/plant.err"
rc=$?
check '[ $rc -eq 1 ] && [ -z "$(ls "$T/elsewhere")" ] && grep -q "a directory above it in the output directory is a symbolic link" "$T/plant.err"' "8: written through a linked directory: $(ls "$T/elsewhere")"
# -o names its file itself: a device there is written, as a shell would.
"$CLI" convert -t text -o /dev/null "$SEEDS/000_af69b110bcc56da9.txt"
rc=$?
check '[ $rc -eq 0 ] && [ -c /dev/null ]' "8: -o /dev/null"

echo "trust: $passes passed, $failures failed"
[ $failures -eq 0 ]
