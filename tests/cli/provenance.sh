#!/usr/bin/env bash
# provenance.sh CLI SEEDS_DIR - where each text came from (issue 18): the
# URL, licence, retrieval date and citation given on the command line or
# in a sources table, the input's SHA-256, its path relative to the input
# root (never the path as given), the table as a consulted file of the
# up-to-date check, and bad rows refused at FILE:LINE:COL.
set -u
CLI=$1 SEEDS=$(cd "$2" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failures=0 passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }
check() { if eval "$1"; then pass; else fail "$2"; fi; }
S=003_f39709ca279a179f
U=http://en.kremlin.ru/events/president/news/64000
CC=https://creativecommons.org/licenses/by/4.0/

mkdir -p "$T/in/sub"
cp "$SEEDS/$S.txt" "$T/in/"
cp "$SEEDS/000_af69b110bcc56da9.txt" "$T/in/sub/"
sha=$(sha256sum "$T/in/$S.txt" | cut -d' ' -f1)

# 1. The command line, for one input, and an absolute path given: the
# output names the file by its name only, and holds the input's hash.
"$CLI" convert -t yaml --source-url "$U" --licence "$CC" --retrieved 2026-12-01 \
  --citation "Kremlin, 14 September 2020" "$T/in/$S.txt" > "$T/one.yaml" 2> "$T/err"
check "grep -qx '  url: $U' '$T/one.yaml'" "--source-url not in the YAML"
check "grep -qx '  licence: $CC' '$T/one.yaml'" "--licence not in the YAML"
check "grep -qx \"  retrieved: '2026-12-01'\" '$T/one.yaml'" "--retrieved not in the YAML"
check "grep -qx '  citation: Kremlin, 14 September 2020' '$T/one.yaml'" "--citation not in the YAML"
check "grep -q '$sha' '$T/one.yaml'" "the input's SHA-256 not in the YAML"
check "grep -qx '  source: $S.txt' '$T/one.yaml'" "source is not the file name"
check "! grep -q '$T' '$T/one.yaml'" "a local path in the YAML"
"$CLI" convert -t tei "$T/in/$S.txt" > "$T/one.xml" 2>/dev/null
check "! grep -q '$T' '$T/one.xml'" "a local path in the TEI"

# 2. Bad values on the command line are usage errors; a URL or a citation
# for several inputs is refused (it names one text).
"$CLI" convert -t yaml --retrieved 'yesterday' "$T/in/$S.txt" > /dev/null 2> "$T/err"
check "[ $? -eq 2 ] && grep -q \"retrieved: 'yesterday' is not an ISO 8601 date\" '$T/err'" "a bad --retrieved accepted"
"$CLI" convert -t yaml --source-url 'not a url' "$T/in/$S.txt" > /dev/null 2> "$T/err"
check "[ $? -eq 2 ]" "a bad --source-url accepted"
"$CLI" convert -t yaml -O "$T/o0" --source-url "$U" "$T/in" > /dev/null 2> "$T/err"
check "[ $? -eq 2 ] && grep -q 'describe one input, not 2' '$T/err'" "--source-url for two inputs accepted"
check "[ ! -e '$T/o0/yaml' ]" "something was converted after a usage error"

# 3. A directory: paths below the root, and sources.tsv beside the inputs
# (paths relative to it, "./" and all).
printf 'path\turl\tlicence\tretrieved\n./%s.txt\t%s\t%s\t2026-11-30T10:00:00Z\n' "$S" "$U" "$CC" \
  > "$T/in/sources.tsv"
"$CLI" convert -t yaml,tei -O "$T/o1" "$T/in" > /dev/null 2> "$T/err"
check "[ $? -eq 0 ]" "a directory with a sources table failed: $(cat "$T/err")"
y=$T/o1/yaml/$S.yaml
check "grep -qx '  url: $U' '$y'" "the table's url not applied"
check "grep -qx \"  retrieved: '2026-11-30T10:00:00Z'\" '$y'" "the table's retrieved not applied"
check "grep -qx '  source: sub/000_af69b110bcc56da9.txt' '$T/o1/yaml/sub/000_af69b110bcc56da9.yaml'" \
  "source of a file in a subdirectory is not its path below the root"
check "! grep -q 'url:' '$T/o1/yaml/sub/000_af69b110bcc56da9.yaml'" "a row applied to another file"
check "! grep -rq '$T' '$T/o1/yaml' '$T/o1/tei'" "a local path in an output"
check "grep -q 'sources.tsv' '$T/o1/manifest.tsv'" "the table is not recorded in the manifest"

# 4. Up to date: the same run changes nothing; editing the table converts
# the files beside it again; a table added where there was none too.
"$CLI" convert -t yaml,tei -O "$T/o1" "$T/in" > /dev/null 2> "$T/err"
check "grep -q 'converted 0, unchanged 2' '$T/err'" "a second run was not up to date: $(tail -n1 "$T/err")"
sed -i 's/2026-11-30T10:00:00Z/2026-11-29/' "$T/in/sources.tsv"
"$CLI" convert -t yaml,tei -O "$T/o1" "$T/in" > /dev/null 2> "$T/err"
check "grep -q 'converted 1, unchanged 1' '$T/err'" "editing the table did not reconvert: $(tail -n1 "$T/err")"
check "grep -qx \"  retrieved: '2026-11-29'\" '$y'" "the edited table not applied"
printf 'path\tlicence\n000_af69b110bcc56da9.txt\tCC BY 4.0\n' > "$T/in/sub/sources.tsv"
"$CLI" convert -t yaml,tei -O "$T/o1" "$T/in" > /dev/null 2> "$T/err"
check "grep -q 'converted 1, unchanged 1' '$T/err'" "adding a table did not reconvert: $(tail -n1 "$T/err")"
check "grep -qx '  licence: CC BY 4.0' '$T/o1/yaml/sub/000_af69b110bcc56da9.yaml'" "the added table not applied"

# 5. --sources FILE elsewhere, paths relative to it; the command line
# wins over the table.
mkdir -p "$T/meta"
printf 'path\tcitation\tlicence\n../in/%s.txt\tA citation\tfrom the table\n' "$S" > "$T/meta/t.tsv"
"$CLI" convert -t yaml --sources "$T/meta/t.tsv" --licence CLI "$T/in/$S.txt" > "$T/t.yaml" 2> "$T/err"
check "grep -qx '  citation: A citation' '$T/t.yaml'" "--sources FILE not applied"
check "grep -qx '  licence: CLI' '$T/t.yaml'" "the command line does not win over the table"
"$CLI" convert -t yaml --sources "$T/meta/none.tsv" "$T/in/$S.txt" > /dev/null 2> "$T/err"
check "[ $? -eq 1 ] && grep -q 'none.tsv: error: cannot open the sources table' '$T/err'" \
  "a missing --sources table accepted: $(cat "$T/err")"

# 6. Bad tables: every bad row at its line and column, nothing converted.
printf 'path\turl\tcolour\n' > "$T/meta/b1.tsv"
"$CLI" convert -t yaml --sources "$T/meta/b1.tsv" "$T/in/$S.txt" > /dev/null 2> "$T/err"
check "[ $? -eq 1 ] && grep -q 'b1.tsv:1:10: error: unknown column .colour.' '$T/err'" "an unknown column: $(cat "$T/err")"
printf 'url\n' > "$T/meta/b2.tsv"
"$CLI" convert -t yaml --sources "$T/meta/b2.tsv" "$T/in/$S.txt" > /dev/null 2> "$T/err"
check "grep -q \"b2.tsv:1:1: error: the header names no 'path' column\" '$T/err'" "no path column: $(cat "$T/err")"
printf 'path\turl\tretrieved\n# a comment\n\n../in/%s.txt\tnope\t2026-13-01\n../in/%s.txt\n../in/%s.txt\t\t\n./%s.txt\t\t\n' \
  "$S" "$S" "$S" "../in/$S" > "$T/meta/b3.tsv"
"$CLI" convert -t yaml --sources "$T/meta/b3.tsv" "$T/in/$S.txt" > "$T/out" 2> "$T/err"
rc=$?
check "[ $rc -eq 1 ] && [ ! -s '$T/out' ]" "a bad table converted anyway (rc $rc)"
check "grep -q \"b3.tsv:4:$((${#S} + 12)): error: url 'nope' is not an absolute URL\" '$T/err'" "a bad url: $(cat "$T/err")"
check "grep -q \"b3.tsv:4:$((${#S} + 17)): error: retrieved '2026-13-01' is not an ISO 8601 date\" '$T/err'" "a bad date: $(cat "$T/err")"
check "grep -q 'b3.tsv:5:1: error: 1 fields where the header has 3' '$T/err'" "a short row: $(cat "$T/err")"
check "grep -q 'b3.tsv:7:1: error: the file of this row is also that of line 6' '$T/err'" "a repeated file: $(cat "$T/err")"

# 7. An edition read back names its own source: its source and hash stay
# (the edition's bytes are not the source's), and so do its url and all.
"$CLI" convert -f yaml -t yaml "$T/one.yaml" > "$T/again.yaml" 2> "$T/err"
check "cmp -s '$T/one.yaml' '$T/again.yaml'" "a YAML edition with provenance does not read back the same"
# and TEI: the header carries the provenance, read back the same
"$CLI" convert -t tei --source-url "$U" --licence "$CC" --retrieved 2026-12-01 \
  --citation "Kremlin, 14 September 2020" "$T/in/$S.txt" > "$T/p.xml" 2>/dev/null
check "grep -q '<licence target=\"$CC\">$CC</licence>' '$T/p.xml'" "no licence in the TEI"
check "grep -q '<ref target=\"$U\">' '$T/p.xml' && grep -q '<idno type=\"URI\">$U</idno>' '$T/p.xml'" "no URL in the TEI"
check "grep -q '<date type=\"retrieved\" when=\"2026-12-01\">' '$T/p.xml'" "no retrieval date in the TEI"
check "grep -q '<idno type=\"sha256\">$sha</idno>' '$T/p.xml'" "no SHA-256 in the TEI"
"$CLI" convert -f tei -t yaml "$T/p.xml" > "$T/p.yaml" 2>/dev/null
check "cmp -s '$T/one.yaml' '$T/p.yaml'" "TEI with provenance does not read back: $(diff "$T/one.yaml" "$T/p.yaml" | head -5)"
"$CLI" convert -t tei "$T/in/$S.txt" > "$T/x.xml" 2>/dev/null
"$CLI" convert -f tei -t yaml "$T/x.xml" > "$T/x.yaml" 2>/dev/null
check "grep -q '$sha' '$T/x.yaml' && ! grep -q \"\$(sha256sum < '$T/x.xml' | cut -c1-64)\" '$T/x.yaml'" \
  "TEI read back does not keep the source's hash"

# 8. Derived where the user said nothing (the provenance transform): a
# kremlin.ru page number in the file name gives the page's address and the
# site its licence, each marked as inferred in every edition, read back
# as inferred; what the user gives is never marked.
cp "$SEEDS/$S.txt" "$T/in/64000.txt"
"$CLI" convert -t tei,yaml,text -O "$T/o8" --set text.edition=reading "$T/in/64000.txt" > /dev/null 2>&1
check "grep -q '<idno type=\"URI\" resp=\"#scriptorium\" cert=\"medium\">$U</idno>' '$T/o8/64000.xml'" "no derived URL in the TEI"
check "! grep -q '<ref target=\"$U\">' '$T/o8/64000.xml'" "a link to a derived URL"
check "grep -q '<licence target=\"$CC\" resp=\"#scriptorium\" cert=\"medium\">' '$T/o8/64000.xml'" "no inferred licence in the TEI"
check "grep -qx '  url: $U' '$T/o8/64000.yaml' && grep -qx '    url: medium' '$T/o8/64000.yaml' && grep -qx '    licence: medium' '$T/o8/64000.yaml'" "no inferred url and licence in the YAML"
check "grep -q '^Source: $U (derived' '$T/o8/64000.txt'" "the reading edition does not say the URL is derived"
"$CLI" convert -f tei -t yaml "$T/o8/64000.xml" > "$T/o8/again.yaml" 2>/dev/null
check "cmp -s '$T/o8/64000.yaml' '$T/o8/again.yaml'" "the inferred values do not read back from TEI: $(diff "$T/o8/64000.yaml" "$T/o8/again.yaml" | head -5)"
"$CLI" convert -f yaml -t yaml "$T/o8/64000.yaml" > "$T/o8/again2.yaml" 2>/dev/null
check "cmp -s '$T/o8/64000.yaml' '$T/o8/again2.yaml'" "the inferred values do not read back from YAML"
"$CLI" convert -t yaml --source-url "$U" --licence "$CC" "$T/in/64000.txt" > "$T/o8/given.yaml" 2>/dev/null
check "! grep -q 'inferred:' '$T/o8/given.yaml'" "a value the user gave is marked as inferred"

echo "provenance: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
