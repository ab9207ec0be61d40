#!/usr/bin/python3
"""Score the reader's attribution of quotations against the gold set of issue 16.

    bench/attribution.py [options] SCRIPTORIUM

Converts every file of tests/attribution/files.tsv to TEI with SCRIPTORIUM
(`convert -t tei -o - FILE`), without an authority file (each input is copied
into an empty temporary directory, so no persons.yaml lies beside it), takes
every quotation element of the TEI <text> (said, q, quote, soCalled,
mentioned, title; said[@direct="false"] is indirect speech), matches it to
the gold rows by locator and prints precision and recall of @who, overall
and per kind of evidence.

Matching: the element's text (a <corr> left out, since the locator is the
printed <sic>; brackets, quotation marks and apostrophes dropped, white
space collapsed, case ignored) must begin with the row's locator, normalised
the same way. Rows are matched in file order, each to the first element not
yet taken. For indirect rows the locator may also stand anywhere in the
element's first 200 characters (a reader may start the clause at "that").

    precision = correct non-empty @who / non-empty @who, over matched rows
    recall    = correct non-empty @who / gold rows that have a speaker

A non-empty @who on a row whose speaker is "-" is counted wrong. Person ids
agree when equal or when the shorter's words are the last words of the
longer's ("putin" = "vladimir-putin", "tayyip-erdogan" =
"recep-tayyip-erdogan"), or when a given name is another transliteration
(the same first letter, at most 3 edits: "aleksandr-lukashenko" =
"alexander-lukashenko", "petr-" = "pyotr-stolypin"): the id scheme is
not what is measured.

Options:
  --gold DIR         the gold set (default: tests/attribution beside this script's repo)
  --corpus DIR       the kremlin corpus (default: ../shared/corpus/kremlin from the repo)
  --seeds DIR        the seeds (default: seeds/ of the repo)
  --seeds-persons    convert the seeds with the persons.yaml beside them
                     (seeds/persons.yaml) instead of without an authority file
  --only-seeds       score only the seeds
  --floor P R        exit 1 unless direct precision >= P and recall >= R
  --floor-indirect P R  the same for indirect speech (said direct="false")
  --verbose          list every scored row: ok, WRONG, MISSING, unmatched
  --check            only check the gold files (format, locators present); no CLI needed

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
import xml.etree.ElementTree as ET

TEI = "{http://www.tei-c.org/ns/1.0}"
QUOTE_TAGS = {"said", "q", "quote", "soCalled", "mentioned", "title"}
KINDS = ["label", "name", "epithet", "pronoun", "context", "third-party", "none"]
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def norm(s):
    s = s.replace("\u00a0", " ").replace("\u202f", " ")
    s = re.sub(r"[“”\"«»„‟‘’‚‛'`\[\]]", "", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def read_tsv(path, ncols):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            p = line.rstrip("\n").split("\t")
            if len(p) < ncols:
                sys.exit(f"{path}:{n}: {len(p)} columns, want {ncols}")
            rows.append((n, p))
    return rows


def same_person(a, b):
    if a == b:
        return True
    x, y = a.split("-"), b.split("-")
    if len(x) > len(y):
        x, y = y, x
    y = y[len(y) - len(x):]
    # A given name in another transliteration ("aleksandr" in the gold,
    # "alexander" from the core's one spelling of it, issue 17): the surname
    # equal, the given names with the same first letter and at most 3 edits
    # apart ("petr" = "pyotr"; not "dmitry" = "daniil").
    return y == x or (len(x) >= 2 and x[1:] == y[1:] and x[0][:1] == y[0][:1] and
                      edits(x[0], y[0]) <= 3)


def edits(a, b):
    d = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, d[0] = d[0], i
        for j, cb in enumerate(b, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (ca != cb))
    return d[len(b)]


def source_path(src, corpus, seeds):
    kind, _, name = src.partition("/")
    base = corpus if kind == "kremlin" else seeds
    return os.path.join(base, name + ".txt")


def text_of(el, skip_nested=False):
    """The element's text as printed: <corr> left out (its <sic> kept)."""
    out = [el.text or ""]
    for c in el:
        tag = c.tag.replace(TEI, "")
        if tag != "corr":
            out.append(text_of(c))
        out.append(c.tail or "")
    return "".join(out)


def quotations(tei_bytes):
    """(direct, indirect) lists of (normalised text, who) in document order."""
    root = ET.fromstring(tei_bytes)
    text = root.find(TEI + "text")
    direct, indirect = [], []
    if text is None:
        return direct, indirect
    for el in text.iter():
        tag = el.tag.replace(TEI, "")
        if tag not in QUOTE_TAGS:
            continue
        who = el.get("who", "").split()
        who = who[0].lstrip("#") if who else ""
        item = [norm(text_of(el)), who, False]
        if tag == "said" and el.get("direct") == "false":
            indirect.append(item)
        else:
            direct.append(item)
    return direct, indirect


def convert(cli, path, with_persons, tmp):
    if with_persons:
        src = path
    else:
        d = tempfile.mkdtemp(dir=tmp)
        src = os.path.join(d, os.path.basename(path))
        shutil.copyfile(path, src)
    r = subprocess.run([cli, "-q", "convert", "-t", "tei", "-o", "-", src],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"{path}: exit {r.returncode}: {r.stderr.decode(errors='replace')[:300]}")
    return r.stdout


class Score:
    def __init__(self):
        self.c = collections.Counter()

    def add(self, kind, gold_who, prog_who, matched):
        for k in ("all", kind):
            c = self.c
            c[k, "rows"] += 1
            if gold_who != "-":
                c[k, "speaker"] += 1
            if not matched:
                c[k, "unmatched"] += 1
                continue
            c[k, "matched"] += 1
            if prog_who:
                c[k, "who"] += 1
                if gold_who != "-" and same_person(gold_who, prog_who):
                    c[k, "correct"] += 1

    def pr(self, k):
        c = self.c
        p = c[k, "correct"] / c[k, "who"] if c[k, "who"] else None
        r = c[k, "correct"] / c[k, "speaker"] if c[k, "speaker"] else None
        return p, r

    def report(self, title, out):
        f = lambda v: "  -  " if v is None else f"{v:.3f}"
        out.write(f"{title}\n")
        out.write(f"  {'kind':12} {'rows':>5} {'spkr':>5} {'match':>5} {'unm':>4} {'@who':>5} {'ok':>4} {'prec':>6} {'recall':>6}\n")
        for k in ["all"] + KINDS:
            c = self.c
            if not c[k, "rows"]:
                continue
            p, r = self.pr(k)
            out.write(f"  {k:12} {c[k,'rows']:5} {c[k,'speaker']:5} {c[k,'matched']:5} "
                      f"{c[k,'unmatched']:4} {c[k,'who']:5} {c[k,'correct']:4} {f(p):>6} {f(r):>6}\n")


def main():
    ap = argparse.ArgumentParser(description="Score attribution against the issue-16 gold set.")
    ap.add_argument("cli", nargs="?")
    ap.add_argument("--gold", default=os.path.join(REPO, "tests", "attribution"))
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(REPO), "shared", "corpus", "kremlin"))
    ap.add_argument("--seeds", default=os.path.join(REPO, "seeds"))
    ap.add_argument("--seeds-persons", action="store_true")
    ap.add_argument("--only-seeds", action="store_true")
    ap.add_argument("--floor", nargs=2, type=float, metavar=("P", "R"))
    ap.add_argument("--floor-indirect", nargs=2, type=float, metavar=("P", "R"))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    if not a.check and not a.cli:
        ap.error("SCRIPTORIUM is required (or --check)")

    files = [(p[0], p[3]) for _, p in read_tsv(os.path.join(a.gold, "files.tsv"), 4)]
    if a.only_seeds:
        files = [f for f in files if f[0].startswith("seeds/")]
    elif not os.path.isdir(a.corpus):
        print(f"attribution: no corpus at {a.corpus}: skipped", file=sys.stderr)
        return 77
    known = {f for f, _ in files}
    gold = {"direct": collections.defaultdict(list), "indirect": collections.defaultdict(list)}
    errors = 0
    for table in gold:
        path = os.path.join(a.gold, f"gold-{table}.tsv")
        for n, p in read_tsv(path, 5):
            src, loc, who, kind = p[:4]
            if kind not in KINDS:
                print(f"{path}:{n}: unknown kind {kind!r}", file=sys.stderr)
                errors += 1
            if src.startswith("seeds/") or not a.only_seeds:
                if src not in known and not a.only_seeds:
                    print(f"{path}:{n}: {src} is not in files.tsv", file=sys.stderr)
                    errors += 1
                gold[table][src].append((n, loc, who, kind))

    if a.check:
        for table, by in gold.items():
            for src, rows in by.items():
                t = norm(open(source_path(src, a.corpus, a.seeds), encoding="utf-8").read())
                for n, loc, who, kind in rows:
                    if norm(loc) not in t:
                        print(f"gold-{table}.tsv:{n}: locator not in {src}: {loc}", file=sys.stderr)
                        errors += 1
        cd = collections.Counter(r[3] for rows in gold["direct"].values() for r in rows)
        ci = collections.Counter(r[3] for rows in gold["indirect"].values() for r in rows)
        print(f"files {len(files)}; direct rows {sum(cd.values())} {dict(cd)}; "
              f"indirect rows {sum(ci.values())} {dict(ci)}; errors {errors}")
        return 1 if errors else 0

    scores = {"direct": Score(), "indirect": Score(), "seeds": Score()}
    spurious = collections.Counter()
    out = sys.stdout
    tmp = tempfile.mkdtemp(prefix="scr-attr-")
    try:
        for src, coverage in files:
            path = source_path(src, a.corpus, a.seeds)
            is_seed = src.startswith("seeds/")
            try:
                tei = convert(a.cli, path, is_seed and a.seeds_persons, tmp)
                direct, indirect = quotations(tei)
            except (RuntimeError, ET.ParseError, subprocess.TimeoutExpired) as e:
                print(f"attribution: {e}", file=sys.stderr)
                errors += 1
                direct, indirect = [], []
            for table, elems in (("direct", direct), ("indirect", indirect)):
                for n, loc, who, kind in gold[table].get(src, []):
                    l = norm(loc)
                    hit = next((e for e in elems if not e[2] and e[0].startswith(l)), None)
                    if hit is None and table == "indirect":
                        hit = next((e for e in elems if not e[2] and l in e[0][:200]), None)
                    if hit is not None:
                        hit[2] = True
                    pw = hit[1] if hit else ""
                    s = scores["seeds" if is_seed and table == "direct" else table]
                    s.add(kind, who, pw, hit is not None)
                    if is_seed and table == "direct":
                        scores["direct"].add(kind, who, pw, hit is not None)
                    if a.verbose:
                        if hit is None:
                            st = "MISSING"
                        elif not pw:
                            st = "no-who" if who != "-" else "ok"
                        elif who != "-" and same_person(who, pw):
                            st = "ok"
                        else:
                            st = "WRONG"
                        out.write(f"{st:8} {table[:3]} {src} [{kind}] gold={who} prog={pw or '-'} | {loc}\n")
                if coverage == "partial" or (table == "indirect" and coverage == "direct"):
                    continue
                for e in elems:
                    if not e[2]:
                        spurious[table, "all"] += 1
                        if e[1]:
                            spurious[table, "who"] += 1
                        if a.verbose:
                            out.write(f"unmatched {table[:3]} {src} prog={e[1] or '-'} | {e[0][:60]}\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    auth = "with seeds/persons.yaml for the seeds" if a.seeds_persons else "without an authority file"
    scores["direct"].report(f"direct quotations, {auth} (corpus and seeds):", out)
    out.write(f"  program quotations matching no gold row: {spurious['direct','all']} "
              f"({spurious['direct','who']} with @who)\n")
    scores["seeds"].report(f"of which the seeds:", out)
    scores["indirect"].report("indirect speech (said direct=\"false\"), corpus:", out)
    out.write(f"  program indirect quotations matching no gold row: {spurious['indirect','all']}\n")
    p, r = scores["direct"].pr("all")
    p, r = p or 0.0, r or 0.0
    out.write(f"SUMMARY direct precision {p:.3f} recall {r:.3f}\n")
    ip, ir = scores["indirect"].pr("all")
    ip, ir = ip or 0.0, ir or 0.0
    out.write(f"SUMMARY indirect precision {ip:.3f} recall {ir:.3f}\n")
    if errors:
        return 1
    if a.floor:
        fp, fr = a.floor
        if p < fp or r < fr:
            out.write(f"FAIL: below the floor (precision {fp}, recall {fr})\n")
            return 1
        out.write(f"floor held (precision {fp}, recall {fr})\n")
    if a.floor_indirect:
        fp, fr = a.floor_indirect
        if ip < fp or ir < fr:
            out.write(f"FAIL: indirect below the floor (precision {fp}, recall {fr})\n")
            return 1
        out.write(f"indirect floor held (precision {fp}, recall {fr})\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
