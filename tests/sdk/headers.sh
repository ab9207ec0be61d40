#!/usr/bin/env bash
# headers.sh INCLUDE_DIR - every public header compiles alone, as C11 and as
# C++, with -Wall -Wextra -Wpedantic -Werror.
set -u
INC=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failures=0 passes=0
for h in "$INC"/scriptorium/*.h; do
  name=scriptorium/$(basename "$h")
  printf '#include <%s>\nint scr_header_test;\n' "$name" >"$T/t.c"
  if cc -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I"$INC" "$T/t.c" 2>"$T/err"; then
    passes=$((passes + 1))
  else
    echo "FAIL: $name as C11: $(cat "$T/err")"; failures=$((failures + 1))
  fi
  cp "$T/t.c" "$T/t.cpp"
  if c++ -std=c++11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I"$INC" "$T/t.cpp" 2>"$T/err"; then
    passes=$((passes + 1))
  else
    echo "FAIL: $name as C++: $(cat "$T/err")"; failures=$((failures + 1))
  fi
done
echo "headers: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
