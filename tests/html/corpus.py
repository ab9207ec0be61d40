#!/usr/bin/python3
"""corpus.py - the html reader against the kremlin text corpus.

    corpus.py CLI SHARED_DIR [N] [--floor F] [--list K]

Extracts N pages (a spread sample; 0 or absent: all 7,209) of
SHARED_DIR/corpus/kremlin-html/kremlin-events-2020.warc.gz to a temporary
directory, converts them with `CLI convert -f html -t text --set
photos=false` (the text corpus leaves the photo slider out) and compares
each result with SHARED_DIR/corpus/kremlin/<id>.txt:

- words: the sequence of white-space separated words (Unicode white space,
  no-break spaces included: SOURCE.md's rule collapses runs of white space
  inside a block) must be equal;
- exact: the bytes, once every run of ASCII white space is one space, too;
- byte for byte: the text edition equals the file.

Prints the counts and the first K differing pages with their first
differing words; exits 1 if the share of pages whose words agree is below
the floor F (a fraction), 77 if the shared corpus is absent.
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import extract  # noqa: E402


def first_diff(a, b):
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n if len(a) != len(b) else -1


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in argv[1:] if a.startswith("--") and "=" in a)
    cli, shared = args[0], args[1]
    n = int(args[2]) if len(args) > 2 else 0
    floor = float(opts.get("floor", "0"))
    listn = int(opts.get("list", "20"))
    warc = os.path.join(shared, "corpus/kremlin-html/kremlin-events-2020.warc.gz")
    texts = os.path.join(shared, "corpus/kremlin")
    if not os.path.exists(warc) or not os.path.isdir(texts):
        print("no shared corpus at", shared)
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        pages = os.path.join(tmp, "pages")
        out = os.path.join(tmp, "out")
        sys.stdout.flush()
        old = sys.stdout
        sys.stdout = open(os.devnull, "w")
        try:
            extract.main(["extract.py", warc, pages] + ([str(n)] if n else []))
        finally:
            sys.stdout.close()
            sys.stdout = old
        ids = sorted(f[:-5] for f in os.listdir(pages) if f.endswith(".html"))
        p = subprocess.run([cli, "convert", "-f", "html", "-t", "text", "--set",
                            "photos=false", "--no-corpus", "-O", out, pages],
                           capture_output=True, text=True)
        errors = [l for l in p.stderr.splitlines() if "error" in l]
        warnings = [l for l in p.stderr.splitlines() if "warning" in l]
        agree = exact = same = missing = 0
        diffs = []
        for pid in ids:
            got_path = os.path.join(out, "text", pid + ".txt")
            if not os.path.exists(got_path):
                got_path = os.path.join(out, pid + ".txt")
            want_path = os.path.join(texts, pid + ".txt")
            if not os.path.exists(got_path) or not os.path.exists(want_path):
                missing += 1
                diffs.append((pid, "no output" if os.path.exists(want_path) else "no text file"))
                continue
            got = open(got_path, encoding="utf-8", errors="replace").read()
            want = open(want_path, encoding="utf-8", errors="replace").read()
            gw, ww = got.split(), want.split()
            if got == want:
                same += 1
            if gw == ww:
                agree += 1
                ws = re.compile(r"[ \t\r\n\f]+")
                if ws.sub(" ", got).strip() == ws.sub(" ", want).strip():
                    exact += 1
                continue
            i = first_diff(gw, ww)
            diffs.append((pid, "word %d: html %r / text %r (%d / %d words)" % (
                i, " ".join(gw[max(0, i - 3):i + 4]), " ".join(ww[max(0, i - 3):i + 4]),
                len(gw), len(ww))))
        total = len(ids)
        share = agree / total if total else 0
        print("pages: %d; words agree: %d (%.2f%%); also exact modulo ASCII white space: %d;"
              " byte for byte: %d; differ: %d (no output: %d); reader errors: %d, warnings: %d" % (
                  total, agree, 100 * share, exact, same, total - agree, missing,
                  len(errors), len(warnings)))
        for pid, d in diffs[:listn]:
            print("  %s: %s" % (pid, d))
        if len(diffs) > listn:
            print("  ... and %d more" % (len(diffs) - listn))
        for l in (errors + warnings)[:10]:
            print("  " + l)
        if share < floor:
            print("below the floor %.4f" % floor)
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
