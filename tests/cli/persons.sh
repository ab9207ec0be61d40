#!/bin/bash
# persons.sh CLI DIR - `scriptorium persons` (issue 17) on the small corpus
# DIR/corpus: the authority file it writes has the ids, offices and dates
# DIR/expected.tsv names (and not the ids it must not have); converted
# again with the file beside the corpus, and with --set persons=FILE, each
# document's TEI names exactly the persons expected.tsv gives it. Also: the
# file is written atomically with -o, a missing input is exit 2 or 1, and
# writing the same corpus twice gives the same file.
set -u
CLI=$1
DIR=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

cp -r "$DIR/corpus" "$T/corpus"
"$CLI" -q persons -o "$T/persons.yaml" "$T/corpus" || bad "persons exited $?"
"$CLI" -q persons "$T/corpus" > "$T/again.yaml" || bad "persons (stdout) exited $?"
cmp -s "$T/persons.yaml" "$T/again.yaml" || bad "two runs over the same corpus differ"

while IFS=$'\t' read -r kind a b; do
  case "$kind" in
  ''|'#'*) ;;
  file) grep -qx "  - id: $a #.*" "$T/persons.yaml" || bad "the file has no person $a" ;;
  not) ! grep -q "^  - id: $a " "$T/persons.yaml" || bad "the file has a person $a" ;;
  has) grep -qF -- "$a" "$T/persons.yaml" || bad "the file has no line with: $a" ;;
  doc) ;;
  *) bad "expected.tsv: unknown kind $kind" ;;
  esac
done < "$DIR/expected.tsv"

# The file beside the corpus, then given with --set: every document uses
# its ids.
cp "$T/persons.yaml" "$T/corpus/persons.yaml"
"$CLI" -q convert -t tei -O "$T/beside" "$T/corpus" || bad "convert (beside) exited $?"
rm "$T/corpus/persons.yaml"
"$CLI" -q convert -t tei --set persons="$T/persons.yaml" -O "$T/set" "$T/corpus" ||
  bad "convert (--set) exited $?"
while IFS=$'\t' read -r kind a b; do
  [ "$kind" = doc ] || continue
  for run in beside set; do
    f="$T/$run/tei/$a.xml"
    [ -f "$f" ] || { bad "$run: no $a.xml"; continue; }
    got=$(grep -o '<person xml:id="[^"]*"' "$f" | sed 's/.*id="//;s/"//' | sort | tr '\n' ' ')
    want=$(echo "$b" | tr ' ' '\n' | sort | tr '\n' ' ')
    [ "$got" = "$want" ] || bad "$run: $a names '$got', not '$want'"
  done
done < "$DIR/expected.tsv"

# Usage errors and a missing input.
"$CLI" -q persons > /dev/null 2>&1; [ $? -eq 2 ] || bad "persons without an input is not exit 2"
"$CLI" -q persons "$T/no-such" > /dev/null 2>&1; [ $? -eq 1 ] || bad "a missing input is not exit 1"
"$CLI" -q persons --set no-such-option=1 "$T/corpus" > /dev/null 2>&1
[ $? -eq 2 ] || bad "an unknown option is not exit 2"

[ $fail -eq 0 ] && echo "persons: ok"
exit $fail
