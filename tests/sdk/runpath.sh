#!/usr/bin/env bash
# runpath.sh BUILD_DIR - where the program and its plugins look for shared
# libraries. glibc reads an empty RUNPATH entry ("/a/build:" ends with one)
# or a relative one as the current directory, so a libnettle.so.8 left in
# whatever directory the program is run from would run its code. Every
# RUNPATH/RPATH entry of the build tree's program, library and plugins, and
# of the installed ones, must be absolute or start with $ORIGIN; the
# installed ones must not name the build tree; and the build tree's program
# must run from a directory holding libraries that are not libraries.
set -u
BUILD=$(cd "$1" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failures=0 passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The search path entries of one ELF file, one a line (none: no output).
entries() {
  readelf -d "$1" | sed -n 's/.*(\(RUNPATH\|RPATH\)).*\[\(.*\)\]$/\2/p' |
    awk '{ n = split($0, e, ":"); for (i = 1; i <= n; i++) print "<" e[i] ">" }'
}

check_file() { # FILE [FORBIDDEN-PREFIX]
  local f=$1 forbidden=${2:-} e bad=0
  [ -f "$f" ] || { fail "$f is missing"; return; }
  while IFS= read -r e; do
    e=${e#<} e=${e%>}
    case $e in
    '') fail "$f: an empty RUNPATH entry (the current directory)"; bad=1 ;;
    '$ORIGIN' | '$ORIGIN/'* | '${ORIGIN}' | '${ORIGIN}/'*) ;;
    /*)
      if [ -n "$forbidden" ] && [ "${e#"$forbidden"}" != "$e" ]; then
        fail "$f: the installed file looks for libraries in the build tree ($e)"; bad=1
      fi ;;
    *) fail "$f: a relative RUNPATH entry '$e' (relative to the current directory)"; bad=1 ;;
    esac
  done < <(entries "$f")
  [ $bad -eq 0 ] && passes=$((passes + 1))
}

# The build tree.
built=("$BUILD/scriptorium" "$BUILD"/libscriptorium.so.* "$BUILD"/plugins/*.so)
[ ${#built[@]} -ge 4 ] || fail "the build tree has no program, library or plugins: ${built[*]}"
for f in "${built[@]}"; do check_file "$f"; done

# Installed into a prefix.
cmake --install "$BUILD" --prefix "$T/usr" >"$T/install.log" 2>&1 ||
  { echo "FAIL: install: $(tail -20 "$T/install.log")"; exit 1; }
installed=("$T/usr/bin/scriptorium")
while IFS= read -r f; do installed+=("$f"); done < <(
  find "$T/usr" -type f \( -name 'libscriptorium.so*' -o -path '*/scriptorium/plugins/*.so' \) | sort)
[ ${#installed[@]} -ge 4 ] || fail "nothing installed: ${installed[*]}"
for f in "${installed[@]}"; do check_file "$f" "$BUILD"; done
out=$(env -u SCRIPTORIUM_PLUGIN_PATH "$T/usr/bin/scriptorium" formats 2>&1)
if echo "$out" | grep -q "$T/usr/.*/plugins/tei.so"; then passes=$((passes + 1))
else fail "the installed program does not load its installed plugins: $out"; fi

# Run from a directory holding junk under the names of the libraries the
# program and its plugins need: it must not try to load any of them.
mkdir "$T/cwd"
for f in "${built[@]}"; do
  readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'
done | sort -u | while IFS= read -r lib; do
  echo "not a library" >"$T/cwd/$lib"
done
if out=$(cd "$T/cwd" && "$BUILD/scriptorium" formats 2>&1) && echo "$out" | grep -q '^tei '; then
  passes=$((passes + 1))
else
  fail "run from a directory of junk libraries, the build tree's program loads them: $out"
fi

echo "runpath: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
