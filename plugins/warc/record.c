/* record.c - WARC records from a decompressed stream (record.h). */
#define _GNU_SOURCE /* memmem */
#include "record.h"

#include <ctype.h>
#include <nettle/sha1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PEEK 8192

struct warc_reader {
  warc_source *src;
  size_t max_block;
  size_t count;    /* record headers found so far */
  int resync;      /* look for the next record header */
  char *pb;        /* bytes given back, read before the source */
  size_t pb_len, pb_at;
  const char *error;
  char msg[256];
};

warc_reader *warc_reader_new(warc_source *src, size_t max_block) {
  warc_reader *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->src = src;
  w->max_block = max_block;
  return w;
}

void warc_reader_free(warc_reader *w) {
  if (!w) return;
  free(w->pb);
  free(w);
}

const char *warc_reader_error(const warc_reader *w) { return w->error ? w->error : "no error"; }

void warc_record_clear(warc_record *r) {
  free(r->header);
  free(r->names);
  free(r->values);
  free(r->block);
  memset(r, 0, sizeof *r);
}

const char *warc_field(const warc_record *r, const char *name) {
  for (size_t i = 0; i < r->nfields; i++)
    if (strcasecmp(r->names[i], name) == 0) return r->values[i];
  return NULL;
}

/* ---- reading through the bytes given back ------------------------------------ */

static uint64_t offset(const warc_reader *w) {
  return warc_source_offset(w->src) - (w->pb_len - w->pb_at);
}

/* Gives `n` bytes back, to be read before anything not yet read. -1 on OOM. */
static int give_back(warc_reader *w, const char *data, size_t n) {
  if (!n) return 0;
  size_t rest = w->pb_len - w->pb_at;
  char *nb = malloc(n + rest);
  if (!nb) return -1;
  memcpy(nb, data, n);
  if (rest) memcpy(nb + n, w->pb + w->pb_at, rest);
  free(w->pb);
  w->pb = nb;
  w->pb_len = n + rest;
  w->pb_at = 0;
  return 0;
}

/* -1 at the end, -2 on an error */
static int next_byte(warc_reader *w) {
  if (w->pb_at < w->pb_len) return (unsigned char)w->pb[w->pb_at++];
  int c = warc_source_getc(w->src);
  if (c == -2) w->error = warc_source_error(w->src);
  return c;
}

static long read_bytes(warc_reader *w, char *buf, size_t n) {
  size_t got = 0;
  while (got < n && w->pb_at < w->pb_len) buf[got++] = w->pb[w->pb_at++];
  if (got < n) {
    long k = warc_source_read(w->src, buf + got, n - got);
    if (k < 0) {
      w->error = warc_source_error(w->src);
      return -1;
    }
    got += (size_t)k;
  }
  return (long)got;
}

/* ---- digests --------------------------------------------------------------------- */

static int b32(int c) {
  c = toupper(c);
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int warc_digest_matches(const char *digest, const unsigned char sha[20]) {
  if (!digest || strncasecmp(digest, "sha1:", 5) != 0) return 0;
  const char *v = digest + 5;
  size_t n = strlen(v);
  while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
  unsigned char got[20];
  if (n == 32) { /* base32, RFC 4648: 32 characters of 5 bits */
    uint64_t acc = 0;
    int bits = 0;
    size_t k = 0;
    for (size_t i = 0; i < 32; i++) {
      int d = b32((unsigned char)v[i]);
      if (d < 0) return -1;
      acc = (acc << 5) | (uint64_t)d;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        got[k++] = (unsigned char)(acc >> bits);
      }
    }
    if (k != 20) return -1;
  } else if (n == 40) {
    for (size_t i = 0; i < 20; i++) {
      int hi = hexval((unsigned char)v[2 * i]), lo = hexval((unsigned char)v[2 * i + 1]);
      if (hi < 0 || lo < 0) return -1;
      got[i] = (unsigned char)(hi << 4 | lo);
    }
  } else {
    return -1;
  }
  return memcmp(got, sha, 20) == 0 ? 1 : -1;
}

int warc_digest_of(const char *digest, const char *data, size_t n) {
  if (!digest || strncasecmp(digest, "sha1:", 5) != 0) return 0;
  struct sha1_ctx c;
  unsigned char d[SHA1_DIGEST_SIZE];
  sha1_init(&c);
  sha1_update(&c, n, (const uint8_t *)data);
  sha1_digest(&c, sizeof d, d);
  return warc_digest_matches(digest, d);
}

/* ---- records ----------------------------------------------------------------------- */

static int broken(warc_reader *w, warc_record *r, const char *fmt, const char *arg) {
  snprintf(r->kept, sizeof r->kept, fmt, arg);
  w->resync = 1;
  return -1;
}

/* Finds the next "WARC/" at the start of a line (or of the stream), giving
 * it back to be read. 1 found, 0 the end, -2 an error or no header within
 * the limit. */
static int find_header(warc_reader *w) {
  static const char magic[] = "WARC/";
  size_t matched = 0, scanned = 0;
  int at_line_start = offset(w) == 0;
  int prev = -1;
  for (;;) {
    int c = next_byte(w);
    if (c == -2) return -2;
    if (c == -1) return 0;
    scanned++;
    if (matched == 0 && !at_line_start && prev != '\n') {
      prev = c;
      if (scanned > w->max_block + WARC_MAX_HEADER) {
        snprintf(w->msg, sizeof w->msg,
                 "no WARC record header in the %zu bytes after byte %llu: the rest of the "
                 "file is not read", scanned, (unsigned long long)(offset(w) - scanned));
        w->error = w->msg;
        return -2;
      }
      continue;
    }
    if (c == magic[matched]) {
      if (++matched == 5) {
        if (give_back(w, magic, 5) < 0) {
          w->error = "out of memory";
          return -2;
        }
        return 1;
      }
      continue;
    }
    matched = 0;
    at_line_start = 0;
    prev = c;
  }
}

/* Reads the header's lines up to the empty line into r->header. 1, or -1
 * (broken, r->kept says why), or -2. */
static int read_header(warc_reader *w, warc_record *r) {
  size_t cap = 1024, len = 0;
  char *h = malloc(cap);
  if (!h) {
    w->error = "out of memory";
    return -2;
  }
  int line_len = 0;
  for (;;) {
    int c = next_byte(w);
    if (c == -2) {
      free(h);
      return -2;
    }
    if (c == -1) {
      free(h);
      return broken(w, r, "the file ends inside a record header%s", "");
    }
    if (len + 2 > WARC_MAX_HEADER) {
      free(h);
      return broken(w, r, "a record header longer than 64 KiB%s", "");
    }
    if (len + 2 > cap) {
      char *nh = realloc(h, cap *= 2);
      if (!nh) {
        free(h);
        w->error = "out of memory";
        return -2;
      }
      h = nh;
    }
    if (c == '\r') continue; /* CRLF, and a bare LF, end a line */
    if (c == '\n') {
      if (line_len == 0) break;
      h[len++] = '\n';
      line_len = 0;
      continue;
    }
    if (c == 0) {
      free(h);
      return broken(w, r, "a NUL byte in a record header%s", "");
    }
    h[len++] = (char)c;
    line_len++;
  }
  h[len] = '\0';
  r->header = h;
  return 1;
}

/* Splits r->header into the version line and the named fields. */
static int parse_fields(warc_reader *w, warc_record *r) {
  char *p = r->header;
  char *nl = strchr(p, '\n');
  if (!nl) return broken(w, r, "a record header with no fields%s", "");
  *nl = '\0';
  if (strncmp(p, "WARC/", 5) != 0 || !isdigit((unsigned char)p[5]))
    return broken(w, r, "not a WARC record header: '%.60s'", p);
  size_t cap = 16;
  r->names = malloc(cap * sizeof *r->names);
  r->values = malloc(cap * sizeof *r->values);
  if (!r->names || !r->values) {
    w->error = "out of memory";
    return -2;
  }
  p = nl + 1;
  while (*p) {
    nl = strchr(p, '\n');
    if (nl) *nl = '\0';
    if ((*p == ' ' || *p == '\t') && r->nfields) {
      /* a continuation line: the value goes on (kept as the first line) */
    } else {
      char *colon = strchr(p, ':');
      if (!colon || colon == p) return broken(w, r, "a header line that is not 'Name: value': '%.60s'", p);
      if (r->nfields == WARC_MAX_FIELDS) return broken(w, r, "more than 1024 fields in a record header%s", "");
      if (r->nfields == cap) {
        cap *= 2;
        char **nn = realloc(r->names, cap * sizeof *nn);
        if (nn) r->names = nn;
        char **nv = nn ? realloc(r->values, cap * sizeof *nv) : NULL;
        if (!nv) {
          w->error = "out of memory";
          return -2;
        }
        r->values = nv;
      }
      *colon = '\0';
      char *v = colon + 1;
      while (*v == ' ' || *v == '\t') v++;
      char *e = v + strlen(v);
      while (e > v && (e[-1] == ' ' || e[-1] == '\t')) *--e = '\0';
      r->names[r->nfields] = p;
      r->values[r->nfields] = v;
      r->nfields++;
    }
    if (!nl) break;
    p = nl + 1;
  }
  const char *cl = warc_field(r, "Content-Length");
  if (!cl) return broken(w, r, "a record without Content-Length%s", "");
  uint64_t n = 0;
  const char *q = cl;
  if (!*q) return broken(w, r, "an empty Content-Length%s", "");
  for (; *q; q++) {
    if (!isdigit((unsigned char)*q) || n > (UINT64_MAX - 9) / 10)
      return broken(w, r, "Content-Length '%.40s' is not a number of bytes", cl);
    n = n * 10 + (uint64_t)(*q - '0');
  }
  r->content_length = n;
  return 1;
}

/* The bytes of a dropped block from the first "\r\n\r\nWARC/" on, up to
 * KEEP of them (a pattern split across two reads is found too). */
#define KEEP (1024 * 1024)
typedef struct tail_keep {
  char *data;
  size_t len;
  int found, overflow;
  char carry[8]; /* the last bytes before the pattern was found */
  size_t ncarry;
} tail_keep;

static void scan_free(tail_keep *t) {
  free(t->data);
  memset(t, 0, sizeof *t);
}

static void scan_add(tail_keep *t, const char *p, size_t n) {
  static const char pat[] = "\r\n\r\nWARC/";
  if (t->overflow || !n) return;
  if (t->found) {
    if (t->len + n > KEEP) {
      t->overflow = 1;
      return;
    }
    memcpy(t->data + t->len, p, n);
    t->len += n;
    return;
  }
  /* look in carry + p */
  char joined[8 + 9];
  size_t jn = 0;
  memcpy(joined, t->carry, t->ncarry);
  jn = t->ncarry;
  size_t take = n < 8 ? n : 8;
  memcpy(joined + jn, p, take);
  jn += take;
  for (size_t i = 0; i + 9 <= jn && i < t->ncarry; i++)
    if (!memcmp(joined + i, pat, 9)) {
      t->data = malloc(KEEP);
      if (!t->data) {
        t->overflow = 1;
        return;
      }
      t->found = 1;
      memcpy(t->data, joined + i, t->ncarry - i);
      t->len = t->ncarry - i;
      scan_add(t, p, n);
      return;
    }
  const char *m = memmem(p, n, pat, 9);
  if (m) {
    t->data = malloc(KEEP);
    if (!t->data) {
      t->overflow = 1;
      return;
    }
    t->found = 1;
    scan_add(t, m, n - (size_t)(m - p));
    return;
  }
  size_t c = n < 8 ? n : 8;
  if (n < 8) { /* keep the last 8 bytes of carry + p */
    size_t total = t->ncarry + n;
    size_t drop = total > 8 ? total - 8 : 0;
    memmove(t->carry, t->carry + drop, t->ncarry - drop);
    t->ncarry -= drop;
    memcpy(t->carry + t->ncarry, p, n);
    t->ncarry += n;
  } else {
    memcpy(t->carry, p + n - c, c);
    t->ncarry = c;
  }
}

static void scan_init(tail_keep *t, const char *peek, size_t n) {
  memset(t, 0, sizeof *t);
  scan_add(t, peek, n);
}

int warc_next(warc_reader *w, warc_record *r, warc_want_fn want, void *user) {
  memset(r, 0, sizeof *r);
  int found;
  if (w->resync) {
    found = find_header(w);
    w->resync = 0;
  } else {
    /* line ends between records are tolerated; anything else is not */
    int c;
    do c = next_byte(w);
    while (c == '\r' || c == '\n');
    if (c == -2) return -2;
    if (c == -1) return 0;
    char ch = (char)c;
    if (give_back(w, &ch, 1) < 0) {
      w->error = "out of memory";
      return -2;
    }
    if (c != 'W') {
      r->index = w->count + 1;
      r->offset = offset(w);
      r->member_offset = warc_source_member_offset(w->src);
      snprintf(r->kept, sizeof r->kept, "bytes that are not a WARC record where record %zu should begin",
               r->index);
      w->resync = 1;
      /* skip the byte so that the search moves on */
      next_byte(w);
      return -1;
    }
    found = 1;
  }
  if (found <= 0) return found;
  r->index = ++w->count;
  r->offset = offset(w);
  r->member_offset = warc_source_member_offset(w->src);
  int rc = read_header(w, r);
  if (rc != 1) return rc;
  rc = parse_fields(w, r);
  if (rc != 1) return rc;

  /* the block: its first bytes for the caller's look, then all or nothing */
  char peek[PEEK];
  tail_keep keep = {0};
  size_t first = r->content_length < PEEK ? (size_t)r->content_length : PEEK;
  long got = read_bytes(w, peek, first);
  if (got < 0) return -2;
  if ((size_t)got < first) return broken(w, r, "the file ends inside a record's block (truncated)%s", "");
  int hold = want ? want(r, peek, first, user) : 0;
  if (hold && r->content_length > w->max_block) {
    r->too_large = 1;
    hold = 0;
  }
  struct sha1_ctx sha;
  sha1_init(&sha);
  if (hold) {
    r->block = malloc((size_t)r->content_length + 1);
    if (!r->block) {
      w->error = "out of memory";
      return -2;
    }
    memcpy(r->block, peek, first);
    size_t rest = (size_t)r->content_length - first;
    got = read_bytes(w, r->block + first, rest);
    if (got < 0) return -2;
    if ((size_t)got < rest) return broken(w, r, "the file ends inside a record's block (truncated)%s", "");
    r->block_len = (size_t)r->content_length;
    r->block[r->block_len] = '\0';
    r->held = 1;
    sha1_update(&sha, r->block_len, (const uint8_t *)r->block);
  } else {
    /* Dropped as it is read; but from the first "\r\n\r\nWARC/" in it on,
     * up to KEEP bytes are kept: if the block does not end where the record
     * does, its Content-Length was too large and swallowed that record. */
    uint64_t rest = r->content_length - first;
    char buf[PEEK];
    scan_init(&keep, peek, first);
    while (rest) {
      size_t k = rest < sizeof buf ? (size_t)rest : sizeof buf;
      got = read_bytes(w, buf, k);
      if (got < 0) {
        scan_free(&keep);
        return -2;
      }
      if ((size_t)got < k) {
        scan_free(&keep);
        return broken(w, r, "the file ends inside a record's block (truncated)%s", "");
      }
      scan_add(&keep, buf, k);
      rest -= k;
    }
  }
  if (r->held) {
    unsigned char d[SHA1_DIGEST_SIZE];
    sha1_digest(&sha, sizeof d, d);
    r->digest = warc_digest_matches(warc_field(r, "WARC-Block-Digest"), d);
  }
  /* the record ends with two line ends: if not, Content-Length is wrong */
  char end[4];
  got = read_bytes(w, end, 4);
  if (got < 0) {
    scan_free(&keep);
    return -2;
  }
  int ends = got == 4 && memcmp(end, "\r\n\r\n", 4) == 0;
  if (ends && r->digest >= 0) {
    scan_free(&keep);
    return 1;
  }
  /* A block that holds another record's header where its Content-Length
   * (too large) made it swallow that record: that record is read next. */
  const char *again = NULL;
  size_t again_len = 0;
  if (r->held && (!ends || r->digest < 0)) {
    for (size_t i = 0; i + 9 <= r->block_len; i++)
      if (!memcmp(r->block + i, "\r\n\r\nWARC/", 9)) {
        again = r->block + i + 4;
        again_len = r->block_len - i - 4;
        break;
      }
  } else if (!r->held && !ends && keep.found && !keep.overflow) {
    again = keep.data + 4;
    again_len = keep.len - 4;
  }
  if (ends && !again) {
    scan_free(&keep);
    return 1; /* only the digest is wrong: the caller says so */
  }
  if (give_back(w, end, (size_t)got) < 0 || (again && give_back(w, again, again_len) < 0)) {
    scan_free(&keep);
    w->error = "out of memory";
    return -2;
  }
  scan_free(&keep);
  snprintf(r->kept, sizeof r->kept,
           again ? "its Content-Length (%llu) runs into the next record"
                 : "its Content-Length (%llu) does not end where the record does (no blank line "
                   "after the block)",
           (unsigned long long)r->content_length);
  w->resync = !again;
  return -1;
}
