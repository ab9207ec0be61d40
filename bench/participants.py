#!/usr/bin/python3
"""Score who took part in the reported event against the gold set of issue 17.

    bench/participants.py [options] SCRIPTORIUM

Converts every file named in tests/participants/gold.tsv to TEI with
SCRIPTORIUM (`convert -t tei -o - FILE`), without an authority file (each
input is copied into an empty temporary directory, so no persons.yaml lies
beside it), and reads the persons of the header:

    profileDesc/particDesc/listPerson/person   a participant (a list typed
                                               "mentioned" would be mentioned)
    sourceDesc//listPerson[@type="mentioned"]  mentioned only
    person/@role                               the role in the event (host, guest, ...)

Each gold row (source, person, participant|mentioned|unclear, role) is
matched to one person of that document: first one whose @xml:id equals the
row's id, then one whose id is the same person by the lenient rule of
bench/attribution.py (the shorter id's words end the longer's; a given name
in another transliteration), then one of whose persName forms, made into an
id, is. Each program person is matched at most once.

    participant precision = gold participants listed as participants
                            / program participants matched to a gold row
    participant recall    = gold participants listed as participants / gold participants
    mentioned precision and recall: the same for "mentioned"
    role accuracy         = rows with a role in the gold (host, guest,
                            delegation) whose person carries that @role
                            / such rows; a @role on a row whose role is "-"
                            is counted as a wrong role

Program persons that match no gold row are counted apart ("not in gold"):
the gold set lists every named person of its files, so each of them is an
organisation, a collective or a split person, and they are listed with
--verbose.

Options:
  --gold FILE       the gold set (default: tests/participants/gold.tsv of the repo)
  --corpus DIR      the kremlin corpus (default: ../shared/corpus/kremlin from the repo)
  --seeds DIR       the seeds (default: seeds/ of the repo)
  --floor P R       exit 1 unless participant precision >= P and recall >= R
  --verbose         list every row: ok, WRONG-CLASS, MISSING, WRONG-ROLE, extra
  --check           only check the gold file (columns, values, sources present)

Exit status: 0, 1 (below the floor, or a conversion / gold error),
2 usage, 77 when the corpus is absent (a test skips).
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from attribution import same_person, source_path, convert  # noqa: E402

TEI = "{http://www.tei-c.org/ns/1.0}"
XMLID = "{http://www.w3.org/XML/1998/namespace}id"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLASSES = ("participant", "mentioned", "unclear")
ROLES = ("-", "host", "guest", "delegation")


def slug(name):
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"\b[a-z]\.\s*", "", s)  # middle initials
    return "-".join(re.findall(r"[a-z0-9]+", s))


def read_gold(path):
    rows, errors = [], 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            p = line.rstrip("\n").split("\t")
            if len(p) < 4:
                print(f"{path}:{n}: {len(p)} columns, want at least 4", file=sys.stderr)
                errors += 1
                continue
            src, who, cls, role = p[:4]
            if cls not in CLASSES:
                print(f"{path}:{n}: unknown participation {cls!r}", file=sys.stderr)
                errors += 1
            if role not in ROLES:
                print(f"{path}:{n}: unknown role {role!r}", file=sys.stderr)
                errors += 1
            if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", who):
                print(f"{path}:{n}: person {who!r} is not a lower-case hyphenated id", file=sys.stderr)
                errors += 1
            rows.append((n, src, who, cls, role))
    return rows, errors


def persons(tei_bytes):
    """[id, class, role, [name slugs], taken] for each person of the TEI header."""
    root = ET.fromstring(tei_bytes)
    header = root.find(TEI + "teiHeader")
    out = []
    if header is None:
        return out
    in_partic = set()
    for pd in header.iter(TEI + "particDesc"):
        in_partic.update(id(lp) for lp in pd.iter(TEI + "listPerson"))
    for lp in header.iter(TEI + "listPerson"):
        if lp.get("type") == "mentioned":
            cls = "mentioned"
        elif id(lp) in in_partic:
            cls = "participant"
        else:
            continue  # not a list of this event's persons
        for person in lp.findall(TEI + "person"):
            forms = [slug("".join(n.itertext())) for n in person.findall(TEI + "persName")]
            out.append([person.get(XMLID, ""), cls, person.get("role", "-"), forms, False])
    return out


def match(who, progs):
    for test in (lambda p: p[0] == who,
                 lambda p: bool(p[0]) and same_person(who, p[0]),
                 lambda p: any(f and (f == who or same_person(who, f)) for f in p[3])):
        for p in progs:
            if not p[4] and test(p):
                p[4] = True
                return p
    return None


def main():
    ap = argparse.ArgumentParser(description="Score participants against the issue-17 gold set.")
    ap.add_argument("cli", nargs="?")
    ap.add_argument("--gold", default=os.path.join(REPO, "tests", "participants", "gold.tsv"))
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(REPO), "shared", "corpus", "kremlin"))
    ap.add_argument("--seeds", default=os.path.join(REPO, "seeds"))
    ap.add_argument("--floor", nargs=2, type=float, metavar=("P", "R"))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    if not a.check and not a.cli:
        ap.error("SCRIPTORIUM is required (or --check)")
    if not os.path.isdir(a.corpus):
        print(f"participants: no corpus at {a.corpus}: skipped", file=sys.stderr)
        return 77

    rows, errors = read_gold(a.gold)
    by_src = collections.OrderedDict()
    for r in rows:
        by_src.setdefault(r[1], []).append(r)
    for src in by_src:
        if not os.path.isfile(source_path(src, a.corpus, a.seeds)):
            print(f"{a.gold}: {src}: no such source", file=sys.stderr)
            errors += 1
    if a.check:
        c = collections.Counter((r[3], r[4]) for r in rows)
        print(f"files {len(by_src)}; rows {len(rows)} {dict(sorted(c.items()))}; errors {errors}")
        return 1 if errors else 0

    c = collections.Counter()
    out = sys.stdout
    tmp = tempfile.mkdtemp(prefix="scr-part-")
    try:
        for src, grows in by_src.items():
            try:
                progs = persons(convert(a.cli, source_path(src, a.corpus, a.seeds), False, tmp))
            except (RuntimeError, ET.ParseError, subprocess.TimeoutExpired) as e:
                print(f"participants: {e}", file=sys.stderr)
                errors += 1
                progs = []
            for n, _, who, cls, role in grows:
                p = match(who, progs)
                if cls != "unclear":
                    c["gold", cls] += 1
                if p is None:
                    st = "MISSING"
                else:
                    c["prog", p[1]] += 1 if cls != "unclear" else 0
                    if cls == p[1]:
                        c["ok", cls] += 1
                    st = "ok" if cls in (p[1], "unclear") else "WRONG-CLASS"
                if role != "-":
                    c["role", "gold"] += 1
                if p is not None and (role != "-" or p[2] != "-"):
                    c["role", "seen"] += 1
                    if p[2] == role:
                        c["role", "ok"] += 1
                    elif st == "ok":
                        st = "WRONG-ROLE"
                if a.verbose:
                    got = f"{p[0]} {p[1]} role={p[2]}" if p else "-"
                    out.write(f"{st:11} {src} gold={who} {cls} role={role} | prog={got}\n")
            for p in progs:
                if not p[4]:
                    c["extra", p[1]] += 1
                    if a.verbose:
                        out.write(f"{'extra':11} {src} prog={p[0]} {p[1]} role={p[2]} forms={','.join(p[3])}\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def pr(cls):
        p = c["ok", cls] / c["prog", cls] if c["prog", cls] else 0.0
        r = c["ok", cls] / c["gold", cls] if c["gold", cls] else 0.0
        return p, r

    out.write(f"participants of the event, without an authority file ({len(by_src)} files, {len(rows)} gold rows):\n")
    out.write(f"  {'class':12} {'gold':>5} {'listed':>6} {'ok':>4} {'prec':>6} {'recall':>6} {'extra':>5}\n")
    for cls in ("participant", "mentioned"):
        p, r = pr(cls)
        out.write(f"  {cls:12} {c['gold',cls]:5} {c['prog',cls]:6} {c['ok',cls]:4} {p:6.3f} {r:6.3f} {c['extra',cls]:5}\n")
    ra = c["role", "ok"] / c["role", "seen"] if c["role", "seen"] else 0.0
    out.write(f"  roles: {c['role','gold']} gold rows with a role; {c['role','ok']} of {c['role','seen']} "
              f"rows where the gold or the program gives one agree ({ra:.3f})\n")
    pp, rp = pr("participant")
    mp, mr = pr("mentioned")
    out.write(f"SUMMARY participant precision {pp:.3f} recall {rp:.3f}; "
              f"mentioned precision {mp:.3f} recall {mr:.3f}; role agreement {ra:.3f}\n")
    if errors:
        return 1
    if a.floor:
        fp, fr = a.floor
        if pp < fp or rp < fr:
            out.write(f"FAIL: below the floor (precision {fp}, recall {fr})\n")
            return 1
        out.write(f"floor held (precision {fp}, recall {fr})\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
