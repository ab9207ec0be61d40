#!/usr/bin/env bash
# install.sh BUILD_DIR SEEDS_DIR - install into a temporary prefix and use the
# installed program: it must find the installed plugins (not the build
# tree's), and the library must carry its SONAME.
set -eu
BUILD=$1 SEEDS=$2
P=$(mktemp -d)
trap 'rm -rf "$P"' EXIT
cmake --install "$BUILD" --prefix "$P/usr" >/dev/null
cli="$P/usr/bin/scriptorium"
[ -x "$cli" ] || { echo "FAIL: no installed program"; exit 1; }
out=$(env -u SCRIPTORIUM_PLUGIN_PATH "$cli" formats)
echo "$out" | grep -q "$P/usr/lib.*/scriptorium/plugins/text.so" ||
  { echo "FAIL: installed program did not load installed plugins:"; echo "$out"; exit 1; }
for s in "$SEEDS"/*.txt; do
  env -u SCRIPTORIUM_PLUGIN_PATH "$cli" convert -t text "$s" | cmp -s - "$s" ||
    { echo "FAIL: installed program changed $s"; exit 1; }
done
lib=$(ls "$P"/usr/lib*/libscriptorium.so.* "$P"/usr/lib/*/libscriptorium.so.* 2>/dev/null | head -n 1)
objdump -p "$lib" | grep -q 'SONAME *libscriptorium.so.0' ||
  { echo "FAIL: $lib has no SONAME libscriptorium.so.0"; exit 1; }
for h in scriptorium.h plugin.h tree.h util.h; do
  [ -f "$P/usr/include/scriptorium/$h" ] || { echo "FAIL: header $h not installed"; exit 1; }
done
echo "install: 1 passed, 0 failed"
