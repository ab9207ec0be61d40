#!/usr/bin/python3
"""Figures of issue 17: how many persons a corpus gets, and whether one
person has one id.

    bench/persons.py [options] SCRIPTORIUM

Converts the kremlin corpus and the seeds to TEI with SCRIPTORIUM
(`convert -t tei -O TMP`), the seeds copied into an empty directory so that
no authority file lies beside them (unless --persons), and reads every
document's `listPerson`. Prints:

  * distinct person ids, and persons (id, document) in all;
  * ids that contain an office word (president, minister, cosmonaut, of ...);
  * persons that are organisations or collectives (central-bank, state-duma,
    both-presidents ...): an id with a word of an organisation or a plural;
  * for each merge issue 17 lists, the ids the name forms of one person get
    over the whole run: "merged" when they get one id;
  * for the typos issue 17 names, whether the document that also writes the
    name correctly gives both one id.

Not a test: it prints figures (README, docs/text-reader.md "Persons").

Options:
  --corpus DIR     the kremlin corpus (default: ../shared/corpus/kremlin)
  --seeds DIR      the seeds (default: seeds/ of the repo)
  --persons FILE   convert with this authority file (--set persons=FILE)
  --tei DIR        read the TEI already in DIR (a `convert -O` directory)
                   instead of converting
  --list           list the offending ids
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

OFFICE_WORDS = {
    "president", "presidents", "minister", "ministers", "prime", "chairman",
    "chairwoman", "governor", "cosmonaut", "secretary", "ambassador", "deputy",
    "director", "vice", "general", "mayor", "speaker", "commander", "of", "the",
    "mr", "ms", "mrs", "dr", "colonel", "captain", "patriarch", "premier",
    "chief", "head", "emir", "king", "queen",
    # the words of a department or region before a name ("Minister of
    # Economic Development Maxim Oreshkin")
    "development", "affairs", "territory", "region", "economic", "foreign",
}
ORG_WORDS = {
    "bank", "duma", "union", "ministry", "states", "kingdom", "federation",
    "council", "committee", "government", "company", "corporation",
    "parliament", "assembly", "republic", "agency", "service", "office",
    "nations", "organisation", "organization", "both", "presidents",
    "ministers", "leaders", "sides", "delegations", "countries", "emirates",
}

# Each line: the name forms of one person (issue 17).
MERGES = [
    ("Lukashenko", ["Alexander Lukashenko", "Aleksandr Lukashenko",
                    "Alyaksandr Lukashenka", "Aliaksandr Lukashenka",
                    "Aleksandr Lukašenko", "Alexandre Loukachenko",
                    "Alexander G. Lukashenko"]),
    ("Golikova", ["Tatyana Golikova", "Tatiana Golikova", "Tatayana Golikova"]),
    ("Chemezov", ["Sergei Chemezov", "Sergey Chemezov"]),
    ("Aliyev", ["Ilham Aliyev", "Ilkham Aliyev"]),
    ("Fradkov", ["Pyotr Fradkov", "Petr Fradkov"]),
    ("Erdogan", ["Recep Tayyip Erdogan", "Tayyip Erdogan"]),
    ("Putin", ["Vladimir Putin", "Valdimir Putin", "Vladimit Putin",
               "Vladmir Putin", "Vlaidmir Putin", "Vladimri Putin"]),
]
# Documents that write a name right and misspell it (issue 17).
SAME_DOC = [("63204", "Vladimir Putin", "Vladmir Putin"),
            ("63754", "Vladimir Putin", "Vlaidmir Putin")]

PERSON = re.compile(r'<person xml:id="([^"]*)"[^>]*>(.*?)</person>', re.S)
PERSNAME = re.compile(r"<persName[^>]*>(.*?)</persName>", re.S)
LISTPERSON = re.compile(r"<listPerson[^>]*>.*?</listPerson>", re.S)
TAG = re.compile(r"<[^>]*>")


def unescape(s):
    return (s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def read_persons(path):
    """(id, [persName]) of every person of the document's listPerson."""
    with open(path, encoding="utf-8") as f:
        xml = f.read()
    out = []
    for lp in LISTPERSON.findall(xml):
        for pid, body in PERSON.findall(lp):
            names = [unescape(TAG.sub("", n)).strip() for n in PERSNAME.findall(body)]
            out.append((pid, names))
    return out


def convert(exe, inputs, outdir, persons):
    cmd = [exe, "-q", "convert", "-t", "tei", "-j", "2", "--no-corpus", "-O", outdir]
    if persons:
        cmd += ["--set", "persons=" + persons]
    r = subprocess.run(cmd + inputs, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode not in (0, 1):
        sys.exit("persons.py: %s failed (%d): %s" % (" ".join(cmd), r.returncode, r.stderr[-2000:]))


def main(argv):
    args = {"corpus": os.path.join(REPO, "..", "shared", "corpus", "kremlin"),
            "seeds": os.path.join(REPO, "seeds"), "persons": None, "tei": None}
    listing = False
    exe = None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--corpus", "--seeds", "--persons", "--tei"):
            if i + 1 >= len(argv):
                sys.exit("persons.py: %s needs a value" % a)
            args[a[2:]] = argv[i + 1]
            i += 2
            continue
        if a == "--list":
            listing = True
        elif a.startswith("-"):
            sys.exit(__doc__)
        elif exe is None:
            exe = a
        else:
            sys.exit(__doc__)
        i += 1
    tmp = None
    if args["tei"]:
        root = args["tei"]
    else:
        if not exe:
            sys.exit(__doc__)
        tmp = tempfile.mkdtemp(prefix="persons-bench-")
        seeds = os.path.join(tmp, "seeds-in")
        os.mkdir(seeds)
        for n in sorted(os.listdir(args["seeds"])):
            if n.endswith(".txt"):
                shutil.copy(os.path.join(args["seeds"], n), seeds)
        root = os.path.join(tmp, "out")
        convert(os.path.abspath(exe), [os.path.abspath(args["corpus"]), seeds], root,
                args["persons"])
    try:
        docs = {}
        for d, _, files in os.walk(root):
            for n in files:
                if n.endswith(".xml"):
                    p = os.path.join(d, n)
                    docs[os.path.relpath(p, root)] = read_persons(p)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    ids = defaultdict(int)
    by_form = defaultdict(set)
    for persons in docs.values():
        for pid, names in persons:
            ids[pid] += 1
            for n in names:
                by_form[n].add(pid)
    office = sorted(p for p in ids if set(p.split("-")) & OFFICE_WORDS)
    org = sorted(p for p in ids if set(p.split("-")) & ORG_WORDS)
    print("documents read:                 %d" % len(docs))
    print("persons (id, document):         %d" % sum(ids.values()))
    print("distinct person ids:            %d" % len(ids))
    print("ids with an office word:        %d" % len(office))
    if listing:
        for p in office:
            print("    %s (%d)" % (p, ids[p]))
    print("organisations/collectives:      %d" % len(org))
    if listing:
        for p in org:
            print("    %s (%d)" % (p, ids[p]))
    print("merges (the ids one person's forms get over the run):")
    made = 0
    for who, forms in MERGES:
        got = set()
        seen = []
        for f in forms:
            if by_form.get(f):
                got |= by_form[f]
                seen.append(f)
        ok = len(got) <= 1
        made += ok
        print("  %-11s %-7s %d forms seen, ids: %s" % (
            who, "merged" if ok else "APART", len(seen), " ".join(sorted(got)) or "-"))
    print("merges made:                    %d of %d" % (made, len(MERGES)))
    print("typos beside the right name in one document:")
    for doc, right, typo in SAME_DOC:
        persons = next((v for k, v in docs.items() if os.path.basename(k) == doc + ".xml"), None)
        if persons is None:
            print("  %s: not converted" % doc)
            continue
        a = {p for p, ns in persons if right in ns}
        b = {p for p, ns in persons if typo in ns}
        ok = bool(a) and (not b or a == b)
        print("  %s %-7s %s: %s, %s: %s" % (doc, "merged" if ok else "APART", right,
                                         " ".join(sorted(a)) or "-", typo,
                                         " ".join(sorted(b)) or "(a form of the same)"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
