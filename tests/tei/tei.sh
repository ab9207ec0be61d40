#!/usr/bin/env bash
# tests/tei/tei.sh - end-to-end checks of the TEI writer, schema and validator.
#   tei.sh seeds    CLI SEEDS SHARED SCHEMA WORK  every seed's TEI and their corpus
#                                                  against tei_all (jing) and the
#                                                  project schema (jing, validate)
#   tei.sh invalid  CLI INVALID SHARED SCHEMA     documents tei_all accepts and the
#                                                  project schema must refuse
#   tei.sh validate CLI SEEDS WORK                 `scriptorium validate`: exit codes,
#                                                  FILE:LINE: messages
#   tei.sh corpus   CLI SHARED SCHEMA WORK N       N files of the kremlin corpus (0: all)
# Exits 77 (skipped) when jing or ../shared is missing.
set -euo pipefail
SKIP=77
what=$1
shift
fail() { echo "FAIL: $*" >&2; exit 1; }
need_jing() { command -v jing >/dev/null || { echo "jing is not installed: skipped"; exit $SKIP; }; }
need_shared() { [ -f "$1/tei/tei_all.rng" ] || { echo "$1 is not there: skipped"; exit $SKIP; }; }

case $what in
seeds)
  cli=$1 seeds=$2 shared=$3 schema=$4 work=$5
  need_jing; need_shared "$shared"
  rm -rf "$work" && mkdir -p "$work"
  "$cli" -q convert -t tei -O "$work" "$seeds"/*.txt
  ls "$work"/corpus.xml >/dev/null || fail "no corpus.xml"
  jing "$shared/tei/tei_all.rng" "$work"/*.xml || fail "not valid against tei_all"
  jing "$schema" "$work"/*.xml || fail "not valid against the project schema"
  # the corpus once its XIncludes are assembled, as an archive would keep it
  xmllint --xinclude --nonet "$work/corpus.xml" > "$work/corpus-assembled.xml.out"
  if grep -q 'xi:include' "$work/corpus-assembled.xml.out"; then fail "XIncludes left"; fi
  jing "$shared/tei/tei_all.rng" "$work/corpus-assembled.xml.out" || fail "assembled corpus invalid"
  "$cli" -q validate "$work"/*.xml || fail "scriptorium validate refused the seeds' TEI"
  echo "ok: $(ls "$work"/*.xml | wc -l) files valid against tei_all and the project schema"
  ;;
invalid)
  cli=$1 invalid=$2 shared=$3 schema=$4
  need_jing; need_shared "$shared"
  n=0
  for f in "$invalid"/*.xml; do
    jing "$shared/tei/tei_all.rng" "$f" >/dev/null || fail "$f: tei_all refuses it; it should test the project schema only"
    if jing "$schema" "$f" >/dev/null; then fail "$f: the project schema accepts it"; fi
    set +e
    out=$("$cli" validate "$f" 2>&1)
    rc=$?
    set -e
    [ $rc -eq 1 ] || fail "$f: validate exited $rc, not 1"
    grep -Eq "^$f:[0-9]+: error: " <<<"$out" || fail "$f: no FILE:LINE: error: message in: $out"
    n=$((n + 1))
  done
  [ $n -ge 5 ] || fail "only $n invalid documents"
  echo "ok: $n documents tei_all accepts are refused by the project schema"
  ;;
validate)
  cli=$1 seeds=$2 work=$3
  rm -rf "$work" && mkdir -p "$work"
  seed=$(ls "$seeds"/*.txt | head -1)
  "$cli" -q convert -t tei -o "$work/good.xml" "$seed"
  # good files: exit 0, "valid" on stderr
  out=$("$cli" validate "$work/good.xml" "$work/good.xml" 2>&1) || fail "a good file is refused: $out"
  grep -q "good.xml: valid (tei)" <<<"$out" || fail "no 'valid' line: $out"
  # a dangling @who: exit 1, FILE:LINE: message naming the pointer
  sed '0,/<p>/s//<p><persName ref="#ghost">X<\/persName>/' "$work/good.xml" > "$work/dangling.xml"
  exp='no element has xml:id "ghost"'
  set +e
  out=$("$cli" validate "$work/good.xml" "$work/dangling.xml" 2>&1); rc=$?
  set -e
  [ $rc -eq 1 ] || fail "dangling pointer: exit $rc, not 1"
  grep -Eq "^$work/dangling.xml:[0-9]+: error: .*$exp" <<<"$out" || fail "dangling pointer message: $out"
  grep -q "good.xml: valid" <<<"$out" || fail "the good file was not reported valid beside the bad one"
  # not well-formed
  printf '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>\n</TEI>\n' > "$work/broken.xml"
  set +e
  out=$("$cli" validate "$work/broken.xml" 2>&1); rc=$?
  set -e
  [ $rc -eq 1 ] || fail "ill-formed: exit $rc"
  grep -Eq "^$work/broken.xml:[0-9]+: error: " <<<"$out" || fail "ill-formed message: $out"
  # entities are refused, never expanded; nothing is fetched
  cat > "$work/entities.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY ext SYSTEM "file:///etc/passwd">]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><p>&b;&ext;</p></body></text></TEI>
XML
  set +e
  out=$("$cli" validate "$work/entities.xml" 2>&1); rc=$?
  set -e
  [ $rc -eq 1 ] || fail "entities: exit $rc"
  grep -q "refusing a DOCTYPE that declares entities" <<<"$out" || fail "entities message: $out"
  if grep -q "root:" <<<"$out"; then fail "an external entity was read"; fi
  # --schema FILE that does not exist: an error, exit 1
  set +e
  "$cli" validate --schema "$work/none.rng" "$work/good.xml" 2>/dev/null; rc=$?
  set -e
  [ $rc -eq 1 ] || fail "missing schema: exit $rc"
  echo "ok: validate's exit codes and messages"
  ;;
corpus)
  cli=$1 shared=$2 schema=$3 work=$4 n=$5
  need_jing; need_shared "$shared"
  [ -d "$shared/corpus/kremlin" ] || { echo "no kremlin corpus: skipped"; exit $SKIP; }
  rm -rf "$work" && mkdir -p "$work/out"
  if [ "$n" = 0 ]; then
    find "$shared/corpus/kremlin" -name '*.txt' | sort > "$work/list"
  else # an even sample across the corpus, the same every time
    find "$shared/corpus/kremlin" -name '*.txt' | sort | awk -v n="$n" -v t="$(find "$shared/corpus/kremlin" -name '*.txt' | wc -l)" \
      'BEGIN { step = t / n } NR - 1 >= k * step { print; k++ }' > "$work/list"
  fi
  count=$(wc -l < "$work/list")
  start=$(date +%s.%N)
  if [ "$n" = 0 ]; then
    "$cli" -q convert -t tei -O "$work/out" "$shared/corpus/kremlin"
  else
    mapfile -t files < "$work/list"
    "$cli" -q convert -t tei -O "$work/out" "${files[@]}"
  fi
  mid=$(date +%s.%N)
  find "$work/out" -name '*.xml' -print0 | xargs -0 jing "$shared/tei/tei_all.rng" || fail "invalid against tei_all"
  find "$work/out" -name '*.xml' -print0 | xargs -0 jing "$schema" || fail "invalid against the project schema"
  # layout that is not forme work is text, not fw (issue 18): no corpus
  # file needs one (a dateline's line breaks, a label's no-break space)
  with_fw=$(find "$work/out" -name '*.xml' -print0 | xargs -0 grep -l '<fw' || true)
  [ -z "$with_fw" ] || fail "fw in the corpus's TEI: $(head -3 <<<"$with_fw")"
  end=$(date +%s.%N)
  echo "ok: $count corpus files and their corpus.xml valid against tei_all and the project schema" \
       "(convert $(echo "$mid - $start" | bc) s, jing $(echo "$end - $mid" | bc) s)"
  ;;
*) fail "unknown check $what" ;;
esac
