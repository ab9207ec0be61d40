#!/usr/bin/env bash
# notices.sh FUZZER CORPUS TEXT_PLUGIN LIAR_PLUGIN INVARIANT - the pipeline
# fuzzer, over its corpus with the text plugin and a writer that lies
# (plugins/liar.c), must stop and name the invariant broken: checks that
# cannot fail are no checks.
set -u
FUZZER=$1 CORPUS=$2 TEXT=$3 LIAR=$4 INVARIANT=$5
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
ln -s "$TEXT" "$d/text.so" && ln -s "$LIAR" "$d/liar.so" || exit 1
SCRIPTORIUM_FUZZ_PLUGIN_DIR=$d "$FUZZER" "$CORPUS" >"$d/out" 2>"$d/err"
rc=$?
if [ $rc -ne 0 ] && grep -qF "fuzz: invariant broken: $INVARIANT" "$d/err"; then
  echo "notices: 1 passed, 0 failed"
  exit 0
fi
echo "FAIL: the fuzzer (exit $rc) did not report '$INVARIANT': $(head -c 400 "$d/err")"
exit 1
