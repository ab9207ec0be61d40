#!/usr/bin/python3
"""extract.py - pages of a WARC (.warc or .warc.gz) as <id>.html files.

    extract.py ARCHIVE OUTDIR [N] [--ids ID,ID,...]

Writes the HTML payload of `response` records whose WARC-Target-URI ends in
/events/president/news/<id> to OUTDIR/<id>.html (the id is the one of
../shared/corpus/kremlin/<id>.txt). With N, a spread sample of N pages
(every k-th record, k = total / N); without, all of them. A gzip'ed archive
is read member after member (each record is its own gzip member; Python's
gzip module reads concatenated members as one stream). Prints the number of
pages written.
"""
import gzip
import os
import re
import sys

URI_ID = re.compile(rb"/events/president/news/(\d+)/?$")


def records(path):
    """(headers dict, block bytes) for every WARC record."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        while True:
            line = f.readline()
            if not line:
                return
            if not line.strip():
                continue
            if not line.startswith(b"WARC/"):
                raise SystemExit(f"{path}: not a WARC record: {line[:40]!r}")
            headers = {}
            while True:
                h = f.readline()
                if not h or not h.strip():
                    break
                k, _, v = h.partition(b":")
                headers[k.strip().lower().decode()] = v.strip()
            n = int(headers.get("content-length", b"0"))
            block = f.read(n)
            if len(block) != n:
                raise SystemExit(f"{path}: truncated record")
            yield headers, block


def payload(block):
    """The HTTP body of a response block."""
    i = block.find(b"\r\n\r\n")
    j = block.find(b"\n\n")
    if i < 0 and j < 0:
        return b""
    if i < 0 or (0 <= j < i):
        return block[j + 2:]
    return block[i + 4:]


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    ids = None
    for a in argv[1:]:
        if a.startswith("--ids="):
            ids = set(a[6:].split(","))
    if len(args) < 2:
        raise SystemExit(__doc__)
    archive, outdir = args[0], args[1]
    n = int(args[2]) if len(args) > 2 else 0
    os.makedirs(outdir, exist_ok=True)
    total = 7209  # the archive's response records (SOURCE.md)
    step = max(1, total // n) if n else 1
    written = 0
    k = 0
    for headers, block in records(archive):
        if headers.get("warc-type") != b"response":
            continue
        m = URI_ID.search(headers.get("warc-target-uri", b""))
        if not m:
            continue
        pid = m.group(1).decode()
        k += 1
        if ids is not None:
            if pid not in ids:
                continue
        elif (k - 1) % step or (n and written >= n):
            continue
        with open(os.path.join(outdir, pid + ".html"), "wb") as out:
            out.write(payload(block))
        written += 1
    print(written)


if __name__ == "__main__":
    main(sys.argv)
