#!/usr/bin/python3
"""Score the TEI writer's choice for the publisher's [insertions]: supplied
words (TEI `supplied`) or a gloss (`note type="editorial"`).

    bench/insertions.py [options] SCRIPTORIUM

Reads the gold sets of tests/insertions (gold.tsv, the sample the rules
were written on; heldout.tsv, a second sample read before the rules were
run on it), converts each file they name from the kremlin corpus to TEI
with SCRIPTORIUM (`convert -t tei -o - FILE`, copied into an empty
directory, so no persons.yaml lies beside it), and finds each gold
insertion in the TEI: the k-th `supplied` or editorial `note` of the body
whose text equals the insertion, k being how many brackets of the same text
come before it in the source. A gold row the TEI has no element for counts
as wrong.

The gold's criterion, read aloud: "supplied" when a reader reads the words
in the flow of the sentence ("the [US] authorities", "40 billion
[rubles]", "[Sergei] Lavrov"); "gloss" when they are an aside about the
word before them, a translation, a conversion, an expansion, an office
after a name ("Astana [the capital of Kazakhstan]", "rubles [$300]", "GECF
[Gas Exporting Countries Forum]", "Mr Shmakov [President of …]").

Prints, per gold file: accuracy, and the precision and recall of "gloss".

Options:
  --corpus DIR   the kremlin corpus (default: ../shared/corpus/kremlin from the repo)
  --floor A      exit 1 unless the accuracy on every gold file is >= A
  --verbose      list every wrong row

Exit status: 0, 1 (below the floor, or a conversion error), 2 usage, 77
when the corpus is absent (a test skips).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TEI = "{http://www.tei-c.org/ns/1.0}"


def read_gold(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            src, off, ins, kind = line.rstrip("\n").split("\t")
            if kind not in ("supplied", "gloss"):
                sys.exit(f"{path}: {kind!r} is neither supplied nor gloss")
            rows.append((src, int(off), ins, kind))
    return rows


def text_of(el):
    return "".join(el.itertext())


def choices(cli, path, tmp):
    """The body's insertions, in order: (text, 'supplied'|'gloss')."""
    local = os.path.join(tmp, os.path.basename(path))
    shutil.copyfile(path, local)
    p = subprocess.run([cli, "convert", "-q", "-t", "tei", "-o", "-", local],
                       capture_output=True, env=dict(os.environ, SOURCE_DATE_EPOCH="0"))
    os.unlink(local)
    if p.returncode != 0:
        sys.exit(f"{cli} failed on {path}: {p.stderr.decode(errors='replace')}")
    body = ET.fromstring(p.stdout).find(f"{TEI}text")
    out = []
    for el in body.iter():
        if el.tag == f"{TEI}supplied":
            out.append((text_of(el), "supplied"))
        elif el.tag == f"{TEI}note" and el.get("type") == "editorial":
            out.append((text_of(el), "gloss"))
    return out


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("cli")
    ap.add_argument("--corpus", default=os.path.join(REPO, "..", "shared", "corpus", "kremlin"))
    ap.add_argument("--floor", type=float)
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(a.corpus):
        print(f"no corpus at {a.corpus}: skipped")
        return 77
    below = False
    with tempfile.TemporaryDirectory() as tmp:
        cache = {}
        for name in ("gold.tsv", "heldout.tsv"):
            rows = read_gold(os.path.join(REPO, "tests", "insertions", name))
            ok = tp = fp = fn = 0
            for src, off, ins, kind in rows:
                path = os.path.join(a.corpus, src + ".txt")
                if src not in cache:
                    cache[src] = choices(a.cli, path, tmp)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                k = sum(1 for m in re.finditer(r"\[([^\[\]\n]*)\]", text[:off]) if m.group(1) == ins)
                same = [c for t, c in cache[src] if t == ins]
                got = same[k] if k < len(same) else None
                ok += got == kind
                tp += got == "gloss" and kind == "gloss"
                fp += got == "gloss" and kind != "gloss"
                fn += got != "gloss" and kind == "gloss"
                if got != kind and a.verbose:
                    print(f"  {src}:{off} [{ins}] gold {kind}, TEI {got}")
            acc = ok / len(rows)
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn) if tp + fn else 0.0
            print(f"{name}: {len(rows)} insertions, accuracy {acc:.3f} ({ok}/{len(rows)}); "
                  f"gloss precision {prec:.3f} recall {rec:.3f}")
            if a.floor is not None and acc < a.floor:
                below = True
    if below:
        print(f"below the floor {a.floor}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
