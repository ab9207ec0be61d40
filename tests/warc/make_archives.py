#!/usr/bin/env python3
"""make_archives.py DIR - writes the web archives that tests/warc check:
well-formed ones (plain and gzip, one member per record and one member for
all) and broken ones (truncated, a Content-Length that lies either way, bytes
between records, a digest that does not match, a gzip bomb, a chunked and a
gzip-coded page, a record larger than the limit). Deterministic."""
import base64, gzip, hashlib, io, os, sys, zlib

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

def b32(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()

def page(n, words):
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Page %d</title></head>"
            "<body><h1>Page %d</h1><p>%s</p></body></html>\n" % (n, n, words)).encode()

def http(body, extra=b""):
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + extra +
            b"Content-Length: %d\r\n\r\n" % len(body) + body)

def record(uri, block, typ="response", cl=None, block_digest=None, payload=None, ctype=b"application/http; msgtype=response"):
    head = [b"WARC/1.0", b"WARC-Type: " + typ.encode()]
    if uri:
        head.append(b"WARC-Target-URI: " + uri.encode())
    head += [b"WARC-Date: 2020-08-30T03:03:01Z",
             b"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012d>" % (abs(hash(uri)) % 10**12 if uri else 0)]
    if payload is not None:
        head.append(b"WARC-Payload-Digest: " + payload.encode())
    head.append(b"Content-Type: " + ctype)
    head.append(b"WARC-Block-Digest: " + (block_digest or b32(block)).encode())
    head.append(b"Content-Length: %d" % (len(block) if cl is None else cl))
    return b"\r\n".join(head) + b"\r\n\r\n" + block + b"\r\n\r\n"

def payload_of(block):
    return b32(block.split(b"\r\n\r\n", 1)[1])

def resp(n, words=None):
    body = page(n, words or "The text of page %d, said in so many words." % n)
    block = http(body)
    return record("http://example.org/news/%d" % n, block, payload=payload_of(block))

info = record(None, b"software: tests/warc/make_archives.py\r\nformat: WARC File Format 1.0\r\n",
              typ="warcinfo", ctype=b"application/warc-fields")

def gz_members(records):
    return b"".join(gzip.compress(r, mtime=0) for r in records)

def put(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

good = [info] + [resp(i) for i in range(1, 6)]
put("good.warc", b"".join(good))
put("good.warc.gz", gz_members(good))
put("one-member.warc.gz", gzip.compress(b"".join(good), mtime=0))

# Truncated: the compressed file cut in the middle of the fourth member.
g = gz_members(good)
cut = len(gz_members(good[:4])) + 20
put("truncated.warc.gz", g[:cut])
put("truncated.warc", b"".join(good)[: len(b"".join(good[:4])) + 100])

# A Content-Length too small, and one too large (it swallows the next record).
r2 = resp(2)
i = r2.index(b"Content-Length: ")
j = r2.index(b"\r\n", i)
cl = int(r2[i + 16:j])
put("length-short.warc", b"".join([info, resp(1), r2[:i] + b"Content-Length: %d" % (cl - 10) + r2[j:], resp(3)]))
put("length-long.warc", b"".join([info, resp(1), r2[:i] + b"Content-Length: %d" % (cl + 60) + r2[j:], resp(3), resp(4)]))

# Bytes that are not a record between two records.
put("garbage.warc", b"".join([info, resp(1), b"this is not a record\r\nnor this\r\n\r\n", resp(2)]))

# A block digest that does not match (one byte of the page changed).
r3 = resp(3)
k = r3.index(b"page 3")
put("digest.warc", b"".join([info, resp(1), r3[:k] + b"PAGE 3" + r3[k + 6:], resp(4)]))

# A gzip bomb: one record of 300 MB of zeros (a few hundred KB compressed),
# more than the 256 MiB limit, then a good record.
bomb_len = 300 * 1024 * 1024
head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/bomb\r\n"
        b"WARC-Date: 2020-08-30T03:03:01Z\r\nWARC-Record-ID: <urn:uuid:bomb>\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % bomb_len)
http_head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
c = zlib.compressobj(9, zlib.DEFLATED, 16 + 15)
parts = [c.compress(head + http_head)]
zeros = b"\0" * (1 << 20)
left = bomb_len - len(http_head)
while left > 0:
    n = min(left, len(zeros))
    parts.append(c.compress(zeros[:n]))
    left -= n
parts.append(c.compress(b"\r\n\r\n"))
parts.append(c.flush())
put("bomb.warc.gz", gz_members([info]) + b"".join(parts) + gz_members([resp(7)]))

# A chunked page and a gzip-coded page (as crawlers keep them).
body = page(8, "Chunked transfer coding.")
chunked = b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (20, body[:20], len(body) - 20, body[20:])
blk = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked
body9 = page(9, "Gzip content coding.")
gz9 = gzip.compress(body9, mtime=0)
blk9 = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(gz9) + gz9
put("codings.warc", b"".join([info, record("http://example.org/news/8", blk, payload=payload_of(blk)),
                               record("http://example.org/news/9", blk9, payload=payload_of(blk9))]))

# A page that is not HTML and a request record: skipped, not errors.
img = b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 4\r\n\r\n\xff\xd8\xff\xe0"
req = b"GET /news/1 HTTP/1.1\r\nHost: example.org\r\n\r\n"
put("mixed.warc", b"".join([info, record("http://example.org/a.jpg", img),
                             record("http://example.org/news/1", req, typ="request", ctype=b"application/http; msgtype=request"),
                             resp(1)]))
