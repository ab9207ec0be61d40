#!/usr/bin/python3
"""turns.py - speaker turns from the HTML against the text reader's.

    turns.py HTML_NATIVE_DIR TEXT_NATIVE_DIR [K]

Both directories hold `-t native` trees (<id>.tree) of the same pages, one
read with `-f html`, one with `-f text` from the kremlin text corpus.
Prints how many pages have the same sequence of speaker labels, the turns
each found, how many @who agree on those pages, and the first K pages that
differ. A report, not a test (the text reader's labels are a heuristic too).
"""
import os
import re
import sys


def speakers(path):
    out = []
    lines = open(path, encoding="utf-8").read().split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*)speaker(.*)$", line)
        if not m:
            continue
        depth, txt = len(m.group(1)), []
        for l2 in lines[i + 1:]:
            m2 = re.match(r"^(\s*)\S", l2)
            if not m2 or len(m2.group(1)) <= depth:
                break
            t = re.search(r'text (?:@\S+ )?"(.*)"$', l2)
            if t:
                txt.append(t.group(1))
        w = re.search(r"who=(\S+)", m.group(2))
        out.append(("".join(txt).strip(), w.group(1) if w else None))
    return out


def main(argv):
    hd, td = argv[1], argv[2]
    k = int(argv[3]) if len(argv) > 3 else 15
    ids = sorted(f[:-5] for f in os.listdir(hd) if f.endswith(".tree"))
    same = nh = nt = who = whon = 0
    diffs = []
    for i in ids:
        tp = os.path.join(td, i + ".tree")
        if not os.path.exists(tp):
            continue
        a, b = speakers(os.path.join(hd, i + ".tree")), speakers(tp)
        nh += len(a)
        nt += len(b)
        if [x[0] for x in a] == [x[0] for x in b]:
            same += 1
            for x, y in zip(a, b):
                whon += 1
                who += x[1] == y[1]
        else:
            sa, sb = [x[0] for x in a], [x[0] for x in b]
            j = next((j for j in range(min(len(sa), len(sb))) if sa[j] != sb[j]), min(len(sa), len(sb)))
            diffs.append("%s: turn %d: html %r / text %r (%d / %d turns)" % (
                i, j, sa[j] if j < len(sa) else None, sb[j] if j < len(sb) else None, len(sa), len(sb)))
    print("pages: %d; same speaker labels: %d; turns: html %d, text %d; who agrees on %d of %d turns"
          " of those pages" % (len(ids), same, nh, nt, who, whon))
    for d in diffs[:k]:
        print("  " + d)


if __name__ == "__main__":
    main(sys.argv)
