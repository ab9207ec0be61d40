#!/usr/bin/env bash
# speech-tei.sh CLI SEEDS - the speech transform over TEI from elsewhere:
# each seed as TEI without the analysis (--no-transform speech,participants: no
# quotations, no attributions), read back with --transform speech,participants, gives
# the TEI of the direct conversion, its quotations attributed.
set -euo pipefail
CLI=$1 SEEDS=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0 quoted=0
for f in "$SEEDS"/*.txt; do
  n=$(basename "$f" .txt)
  "$CLI" -q convert -t tei --no-transform speech,participants -o "$T/$n.plain.xml" "$f"
  if grep -q 'who=' "$T/$n.plain.xml"; then
    echo "FAIL: $n: TEI without the analysis has who= attributes"; fail=1
  fi
  "$CLI" -q convert -f tei -t tei --transform speech,participants --set "persons=$SEEDS/persons.yaml" \
    -o "$T/$n.speech.xml" "$T/$n.plain.xml"
  "$CLI" -q convert -t tei -o "$T/$n.direct.xml" "$f"
  if ! cmp -s "$T/$n.speech.xml" "$T/$n.direct.xml"; then
    echo "FAIL: $n: --transform speech over its TEI differs from the direct conversion:"
    diff "$T/$n.direct.xml" "$T/$n.speech.xml" | head -n 10; fail=1
  fi
  q=$(grep -o '<said [^>]*who=' "$T/$n.speech.xml" | wc -l || true)
  quoted=$((quoted + q))
  echo "$n: $q attributed quotations"
done
if [ "$quoted" -eq 0 ]; then echo "FAIL: no quotation attributed"; fail=1; fi
[ "$fail" -eq 0 ] && echo "ok: $quoted quotations attributed over TEI"
exit "$fail"
