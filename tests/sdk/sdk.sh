#!/usr/bin/env bash
# sdk.sh BUILD_DIR SOURCE_DIR - a plugin author's path, end to end: install
# the SDK into a temporary prefix, build the example plugin from a separate
# directory against it (with CMake's find_package and with pkg-config), load
# it through SCRIPTORIUM_PLUGIN_PATH, and check its output.
set -u
BUILD=$1 SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failures=0 passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() { if eval "$1"; then passes=$((passes + 1)); else fail "$2"; fi; }

cmake --install "$BUILD" --prefix "$T/prefix" >/dev/null || { echo "FAIL: install"; exit 1; }
cli="$T/prefix/bin/scriptorium"

# CMake: find_package(Scriptorium) and scriptorium_add_plugin().
cp -r "$SRC/examples/markdown" "$T/markdown"
cmake -S "$T/markdown" -B "$T/md-build" -DCMAKE_PREFIX_PATH="$T/prefix" >"$T/cmake.log" 2>&1 &&
  cmake --build "$T/md-build" >>"$T/cmake.log" 2>&1
check '[ -f "$T/md-build/markdown.so" ]' "the example did not build with CMake: $(tail -20 "$T/cmake.log")"
exported=$(nm -D --defined-only "$T/md-build/markdown.so" 2>/dev/null | awk '$2 ~ /^[TDBRV]$/ {print $3}')
check '[ "$exported" = "scriptorium_plugin" ]' "the module exports more than its entry: $exported"

# pkg-config: the same source with the flags it gives, and the plugin dir.
export PKG_CONFIG_PATH="$T/prefix/lib/pkgconfig:$(ls -d "$T"/prefix/lib/*/pkgconfig 2>/dev/null | paste -sd:)"
check 'pkg-config --exists scriptorium' "pkg-config does not find scriptorium"
plugindir=$(pkg-config --variable=plugindir scriptorium)
check '[ -f "$plugindir/text.so" ]' "pkg-config's plugindir ($plugindir) holds no plugins"
mkdir "$T/pc"
cc -std=c11 -Wall -Wextra -Wpedantic -Werror -fPIC -shared -fvisibility=hidden \
  $(pkg-config --cflags scriptorium) "$T/markdown/markdown.c" -o "$T/pc/markdown.so" \
  $(pkg-config --libs scriptorium) 2>"$T/cc.log"
check '[ -f "$T/pc/markdown.so" ]' "the example did not build with pkg-config: $(cat "$T/cc.log")"

# The installed program loads it through SCRIPTORIUM_PLUGIN_PATH.
out=$(SCRIPTORIUM_PLUGIN_PATH="$T/md-build" "$cli" formats)
check 'echo "$out" | grep -q "^markdown 1.0.0  $T/md-build/markdown.so$"' "formats does not list the example: $out"
check 'echo "$out" | grep -q "^text "' "the installed plugins are no longer found"
seed="$SRC/seeds/003_f39709ca279a179f.txt"
SCRIPTORIUM_PLUGIN_PATH="$T/md-build" "$cli" convert -t markdown -o "$T/003.md" "$seed" 2>"$T/conv.log"
check '[ -s "$T/003.md" ]' "convert -t markdown wrote nothing: $(cat "$T/conv.log")"
expected="$SRC/examples/markdown/expected/003.md"
if [ "${SCRIPTORIUM_REGENERATE:-}" = 1 ]; then
  mkdir -p "$(dirname "$expected")" && cp "$T/003.md" "$expected"
fi
check 'diff -u "$expected" "$T/003.md" >"$T/diff"' "markdown output differs: $(head -30 "$T/diff")"
# Its option is checked by the host.
SCRIPTORIUM_PLUGIN_PATH="$T/pc" "$cli" convert -t markdown --set bold-speakers=maybe "$seed" >/dev/null 2>"$T/opt.log"
rc=$?
check '[ $rc -eq 2 ] && grep -q "option .bold-speakers. takes true or false" "$T/opt.log"' "bad option value: $(cat "$T/opt.log")"

echo "sdk: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
