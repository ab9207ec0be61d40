#!/usr/bin/python3
"""speech_agree.py [--indirect] HTML_TEI_DIR TEXT_TEI_DIR [K] - who said what, from the
pages and from their text files: for every <id>.xml in both directories,
the quotations (TEI said) with their @who and words, compared as multisets.

Prints the pages compared, the quotations found on each side, how many
agree (same words, same @who), and the first K pages that differ with what
differs. A report for issue 19 ("the turns and quotations with their
speakers agree with what the text reader finds in the same file"), used by
the warc-speech test (tests/warc/warc.sh speech) with a floor."""
import collections
import os
import re
import sys
import xml.etree.ElementTree as ET

TEI = "{http://www.tei-c.org/ns/1.0}"
# direct quotations ("true"), or with --indirect reported speech ("false")
KIND = "false" if "--indirect" in sys.argv else "true"
if "--indirect" in sys.argv:
    sys.argv.remove("--indirect")


def quotes(path):
    out = collections.Counter()
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return None
    for s in root.iter(TEI + "said"):
        if (s.get("direct") or "true") != KIND:
            continue
        words = " ".join("".join(s.itertext()).split())
        out[(s.get("who") or "-", s.get("direct") or "true", words)] += 1
    return out


def main():
    hdir, tdir = sys.argv[1], sys.argv[2]
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    pages = same_pages = 0
    n_h = n_t = agree = 0
    shown = 0
    for name in sorted(os.listdir(tdir)):
        if not name.endswith(".xml"):
            continue
        hp = os.path.join(hdir, name)
        if name == "corpus.xml" or not os.path.exists(hp):
            continue
        a, b = quotes(hp), quotes(os.path.join(tdir, name))
        if a is None or b is None:
            continue
        pages += 1
        n_h += sum(a.values())
        n_t += sum(b.values())
        common = a & b
        agree += sum(common.values())
        if a == b:
            same_pages += 1
        elif shown < k:
            shown += 1
            print("%s: html only %s; text only %s" % (name, list((a - b).items())[:2], list((b - a).items())[:2]))
    print("pages %d, the same quotations and speakers on %d; quotations: html %d, text %d, agreeing %d"
          % (pages, same_pages, n_h, n_t, agree))
    print("agreement: %.4f of the text reader's quotations" % (agree / n_t if n_t else 1.0))


main()
