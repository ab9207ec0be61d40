#!/usr/bin/env bash
# tests/tei/parla.sh - the Parla-CLARIN profile of the TEI writer and the
# reader on Parla-CLARIN files (docs/tei.md, "The Parla-CLARIN profile").
#   parla.sh valid    CLI SEEDS SHARED WORK N  the seeds, the every-node fixtures
#                                              (tests/common) and N kremlin files (0: all),
#                                              with their corpus.xml, converted with
#                                              the profile: valid against
#                                              parla-clarin.rng and tei_all (jing);
#                                              read back, the text of every file is
#                                              its source byte for byte, and the
#                                              seeds' trees are the text reader's
#   parla.sh exemplar CLI SHARED WORK          Parla-CLARIN-Exemplar.xml read back keeps
#                                              its speakers: a turn per labelled u, the
#                                              label a speaker, not a note; a u with
#                                              only @who shows its speaker's name
# Exits 77 (skipped) when jing or ../shared is missing.
set -euo pipefail
SKIP=77
what=$1
shift
fail() { echo "FAIL: $*" >&2; exit 1; }
need() { [ -e "$1" ] || { echo "$1 is not there: skipped"; exit $SKIP; }; }
PROFILE=(--set tei.profile=parla-clarin)

case $what in
valid)
  cli=$1 seeds=$2 shared=$3 work=$4 n=$5
  command -v jing >/dev/null || { echo "jing is not installed: skipped"; exit $SKIP; }
  need "$shared/parla-clarin/parla-clarin.rng"; need "$shared/tei/tei_all.rng"
  need "$shared/corpus/kremlin"
  rm -rf "$work" && mkdir -p "$work/seeds" "$work/corpus"
  start=$(date +%s.%N)
  # the seeds: TEI, their corpus, and the trees read back
  "$cli" -q convert -t tei "${PROFILE[@]}" -O "$work/seeds" "$seeds"/*.txt
  for f in "$seeds"/*.txt; do
    b=$(basename "$f" .txt)
    "$cli" -q convert -f text -t native --set layout=true -o "$work/seeds/$b.text.tree" "$f"
    "$cli" -q convert -f tei -t native --set layout=true -o "$work/seeds/$b.tei.tree" "$work/seeds/$b.xml"
    cmp -s "$work/seeds/$b.text.tree" "$work/seeds/$b.tei.tree" ||
      { diff "$work/seeds/$b.text.tree" "$work/seeds/$b.tei.tree" | head -20; fail "$b: text -> Parla-CLARIN -> tree differs"; }
    "$cli" -q convert -f tei -t text -o "$work/seeds/$b.txt" "$work/seeds/$b.xml"
    cmp -s "$f" "$work/seeds/$b.txt" || fail "$b: text -> Parla-CLARIN -> text is not the source"
  done
  grep -q '<u who=' "$work/seeds/003_f39709ca279a179f.xml" || fail "seed 003 has no u"
  # every node type (the writers' fixtures): valid, and read back into the
  # tree the default profile's TEI reads back into (the profile loses
  # nothing the default keeps)
  common=$(cd "$(dirname "$0")/../common" && pwd)
  for y in "$common"/every-node*.yaml; do
    b=$(basename "$y" .yaml)
    "$cli" -q convert -f yaml -t tei "${PROFILE[@]}" -o "$work/seeds/$b.xml" "$y"
    "$cli" -q convert -f yaml -t tei -o "$work/$b.default.xml" "$y"
    "$cli" -q convert -f tei -t native --set layout=true -o "$work/$b.parla.tree" "$work/seeds/$b.xml"
    "$cli" -q convert -f tei -t native --set layout=true -o "$work/$b.default.tree" "$work/$b.default.xml"
    sed -i '/^  meta source /d; /^  meta id /d' "$work/$b.parla.tree" "$work/$b.default.tree"
    cmp -s "$work/$b.parla.tree" "$work/$b.default.tree" ||
      { diff "$work/$b.default.tree" "$work/$b.parla.tree" | head -20; fail "$b: the profile reads back otherwise than the default"; }
  done
  if grep -l -E '<(sp|argument|dateline)[ >]' "$work/seeds"/*.xml; then fail "sp, argument or dateline written"; fi
  # the corpus (or an even sample of it)
  if [ "$n" = 0 ]; then
    "$cli" -q convert -t tei "${PROFILE[@]}" -O "$work/corpus" "$shared/corpus/kremlin"
  else
    mapfile -t files < <(find "$shared/corpus/kremlin" -name '*.txt' | sort |
      awk -v n="$n" -v t="$(find "$shared/corpus/kremlin" -name '*.txt' | wc -l)" \
        'BEGIN { step = t / n } NR - 1 >= k * step { print; k++ }')
    "$cli" -q convert -t tei "${PROFILE[@]}" -O "$work/corpus" "${files[@]}"
  fi
  count=$(find "$work/corpus" -name '*.xml' ! -name corpus.xml | wc -l)
  [ "$count" -gt 0 ] || fail "nothing converted"
  [ -n "$(find "$work/corpus" -name corpus.xml)" ] || fail "no corpus.xml"
  find "$work/corpus" "$work/seeds" -name '*.xml' -print0 |
    xargs -0 jing "$shared/parla-clarin/parla-clarin.rng" || fail "invalid against parla-clarin.rng"
  find "$work/corpus" "$work/seeds" -name '*.xml' -print0 |
    xargs -0 jing "$shared/tei/tei_all.rng" || fail "invalid against tei_all"
  # nothing lost: every file read back gives its source byte for byte
  find "$work/corpus" -name '*.xml' ! -name corpus.xml | sort > "$work/list"
  mkdir -p "$work/text"
  "$cli" -q convert -f tei -t text --no-corpus -O "$work/text" $(cat "$work/list") 2>/dev/null
  /usr/bin/python3 - "$work/list" "$work/text" "$shared/corpus/kremlin" <<'PY' || fail "a source is not given back"
import os, sys
names = [os.path.basename(l.strip())[:-4] for l in open(sys.argv[1]) if l.strip()]
bad = [n for n in names
       if open(os.path.join(sys.argv[2], n + ".txt"), "rb").read()
       != open(os.path.join(sys.argv[3], n + ".txt"), "rb").read()]
if bad:
    print("differ:", " ".join(bad[:10]), f"({len(bad)} of {len(names)})")
    sys.exit(1)
print(f"{len(names)} sources given back byte for byte")
PY
  end=$(date +%s.%N)
  echo "ok: the seeds and $count corpus files, with their corpus.xml, valid against" \
       "parla-clarin.rng and tei_all ($(echo "$end - $start" | bc) s)"
  ;;
exemplar)
  cli=$1 shared=$2 work=$3
  ex="$shared/parla-clarin/Parla-CLARIN-Exemplar.xml"
  need "$ex"
  rm -rf "$work" && mkdir -p "$work"
  "$cli" -q convert -f tei -t text --set text.edition=reading -o "$work/reading.txt" "$ex"
  "$cli" -q convert -f tei -t native -o "$work/tree" "$ex"
  # the exemplar's three labelled u: turns with their speaker, never notes
  [ "$(grep -c '^Kučan Milan: ' "$work/reading.txt")" = 3 ] || fail "Kučan's turns lost their speaker"
  grep -q '^John Doe: Of course, I will vote in favor.' "$work/reading.txt" || fail "John Doe's turn"
  if grep -q 'Note: MILAN' "$work/reading.txt"; then fail "a speaker label read as a note"; fi
  # its three u with only @who: the speaker's name all the same, in both editions
  grep -q '^Johnson Boris: I propose a no-deal Brexit.' "$work/reading.txt" || fail "an unlabelled u shows no speaker"
  grep -q '^Corbyn Jeremy Bernard: Traitor!' "$work/reading.txt" || fail "an unlabelled u shows no speaker"
  "$cli" -q convert -f tei -t html -o "$work/reading.html" "$ex" 2>/dev/null
  [ "$(grep -c '<p class="speaker' "$work/reading.html")" = 7 ] || fail "not seven speakers in the html edition"
  [ "$(grep -c 'class="speaker supplied"' "$work/reading.html")" = 3 ] || fail "not three supplied speakers"
  [ "$(grep -c '^ *speaker ' "$work/tree")" = 4 ] || fail "not four speaker labels in the tree"
  [ "$(grep -c '^ *turn .*who=' "$work/tree")" = 7 ] || fail "not seven turns with @who"
  if grep -q 'kind=speaker' "$work/tree"; then fail "a speaker note is left"; fi
  # and our own profile's output of it is Parla-CLARIN again, with the same speakers
  if command -v jing >/dev/null; then
    "$cli" -q convert -f tei -t tei "${PROFILE[@]}" -o "$work/again.xml" "$ex" 2>/dev/null
    jing "$shared/parla-clarin/parla-clarin.rng" "$work/again.xml" || fail "the exemplar written again is invalid"
    [ "$(grep -o '<note type="speaker">' "$work/again.xml" | wc -l)" = 4 ] || fail "labels lost on the way back"
    [ "$(grep -o '<u who=' "$work/again.xml" | wc -l)" = 7 ] || fail "u lost on the way back"
  fi
  echo "ok: the exemplar keeps its speakers"
  ;;
*) fail "unknown check $what" ;;
esac
