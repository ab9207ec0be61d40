#!/usr/bin/python3
"""check_ids.py CLI DIR - every DIR/NAME.txt, converted to TEI without an
authority file, gets exactly the person ids of DIR/NAME.ids (issue 17: one
id for every spelling of one person; two people who share a surname apart;
no office, organisation or collective as a person). Exit 1 on a difference,
naming the ids missing and the ids too many."""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main(cli, d):
    bad = 0
    names = sorted(n[:-4] for n in os.listdir(d) if n.endswith(".txt"))
    if not names:
        print("check_ids.py: no .txt in %s" % d)
        return 1
    for name in names:
        with open(os.path.join(d, name + ".ids"), encoding="utf-8") as f:
            want = {l.strip() for l in f if l.strip() and not l.startswith("#")}
        tmp = tempfile.mkdtemp(prefix="persons-ids-")
        try:
            src = os.path.join(tmp, name + ".txt")
            shutil.copy(os.path.join(d, name + ".txt"), src)
            r = subprocess.run([cli, "-q", "convert", "-t", "tei", src],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if r.returncode != 0:
            print("%s: convert failed (%d): %s" % (name, r.returncode, r.stderr))
            bad = 1
            continue
        got = set(re.findall(r'<person xml:id="([^"]*)"', r.stdout))
        if got != want:
            print("%s: missing %s; too many %s" % (name, " ".join(sorted(want - got)) or "-",
                                                 " ".join(sorted(got - want)) or "-"))
            bad = 1
        else:
            print("%s: %d ids as expected" % (name, len(got)))
    return bad


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
