/* source.c - the decompressed byte stream of a web archive (source.h). */
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define IN_SIZE (64 * 1024)
#define OUT_SIZE (64 * 1024)

struct warc_source {
  int fd;
  int gzip;     /* 1: gzip members, 0: plain, -1: not known yet */
  int eof_in;   /* the file has no more bytes */
  int in_member; /* inflate is inside a member */
  z_stream z;
  int z_ready;
  unsigned char in[IN_SIZE];
  size_t in_len;        /* bytes in `in` (from z.next_in on) */
  uint64_t file_offset; /* file bytes consumed into `in` so far */
  uint64_t member_offset;
  uint64_t member_start; /* decompressed bytes handed out before it */
  unsigned char out[OUT_SIZE];
  size_t out_at, out_len;
  uint64_t offset; /* decompressed bytes handed out */
  int last;        /* the last byte handed out by getc, for ungetc */
  int unget;
  const char *error;
  char msg[160];
};

warc_source *warc_source_new(int fd) {
  warc_source *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->fd = fd;
  s->gzip = -1;
  s->last = -1;
  return s;
}

void warc_source_free(warc_source *s) {
  if (!s) return;
  if (s->z_ready) inflateEnd(&s->z);
  free(s);
}

const char *warc_source_error(const warc_source *s) { return s->error ? s->error : "no error"; }
uint64_t warc_source_offset(const warc_source *s) { return s->offset; }
int warc_source_gzip(const warc_source *s) { return s->gzip == 1; }
uint64_t warc_source_member_offset(const warc_source *s) { return s->member_offset; }
uint64_t warc_source_member_start(const warc_source *s) { return s->member_start; }

int warc_source_seek(warc_source *s, uint64_t file_offset) {
  if (lseek(s->fd, (off_t)file_offset, SEEK_SET) < 0) {
    snprintf(s->msg, sizeof s->msg, "cannot seek: %s", strerror(errno));
    s->error = s->msg;
    return -1;
  }
  s->eof_in = 0;
  s->in_len = 0;
  s->file_offset = file_offset;
  s->member_offset = file_offset;
  s->member_start = 0;
  s->out_at = s->out_len = 0;
  s->offset = 0;
  s->last = -1;
  s->unget = 0;
  s->in_member = 0;
  s->error = NULL;
  if (s->z_ready) {
    if (inflateReset(&s->z) != Z_OK) {
      s->error = "corrupt gzip data";
      return -1;
    }
    s->z.next_in = s->in;
    s->z.avail_in = 0;
  }
  return 0;
}

/* Moves the unread input to the front and reads more from the file. -1 on
 * a read error. */
static int fill(warc_source *s) {
  if (s->eof_in) return 0;
  const unsigned char *from = s->z_ready && s->z.next_in ? s->z.next_in : s->in;
  size_t keep = s->z_ready && s->z.next_in ? s->z.avail_in : s->in_len;
  if (from != s->in && keep) memmove(s->in, from, keep);
  s->in_len = keep;
  for (;;) {
    ssize_t n = read(s->fd, s->in + s->in_len, IN_SIZE - s->in_len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      snprintf(s->msg, sizeof s->msg, "cannot read: %s", strerror(errno));
      s->error = s->msg;
      return -1;
    }
    if (n == 0) s->eof_in = 1;
    s->in_len += (size_t)n;
    s->file_offset += (uint64_t)n;
    break;
  }
  if (s->z_ready) {
    s->z.next_in = s->in;
    s->z.avail_in = (uInt)s->in_len;
  }
  return 0;
}

/* Refills `out`: 1 with bytes, 0 at the end, -1 on an error. */
static int refill(warc_source *s) {
  s->out_at = s->out_len = 0;
  if (s->gzip == -1) {
    if (fill(s) < 0) return -1;
    s->gzip = s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b;
    if (s->gzip) {
      memset(&s->z, 0, sizeof s->z);
      if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK) {
        s->error = "out of memory";
        return -1;
      }
      s->z_ready = 1;
      s->z.next_in = s->in;
      s->z.avail_in = (uInt)s->in_len;
    }
  }
  if (!s->gzip) {
    if (!s->in_len && fill(s) < 0) return -1;
    if (!s->in_len) return 0;
    size_t n = s->in_len < OUT_SIZE ? s->in_len : OUT_SIZE;
    memcpy(s->out, s->in, n);
    memmove(s->in, s->in + n, s->in_len - n);
    s->in_len -= n;
    s->out_len = n;
    return 1;
  }
  while (s->out_len == 0) {
    if (s->z.avail_in == 0) {
      if (fill(s) < 0) return -1;
      if (s->z.avail_in == 0) {
        if (s->in_member) {
          s->error = "the file ends inside a gzip member (truncated)";
          return -1;
        }
        return 0;
      }
    }
    if (!s->in_member) {
      /* where this member starts in the file */
      s->member_offset = s->file_offset - s->z.avail_in;
      s->member_start = s->offset;
      s->in_member = 1;
    }
    s->z.next_out = s->out;
    s->z.avail_out = OUT_SIZE;
    int rc = inflate(&s->z, Z_NO_FLUSH);
    s->out_len = OUT_SIZE - s->z.avail_out;
    if (rc == Z_STREAM_END) {
      s->in_member = 0;
      if (inflateReset(&s->z) != Z_OK) {
        s->error = "corrupt gzip data";
        return -1;
      }
    } else if (rc == Z_BUF_ERROR) {
      if (s->z.avail_in == 0 && s->eof_in && s->out_len == 0) {
        s->error = "the file ends inside a gzip member (truncated)";
        return -1;
      }
    } else if (rc != Z_OK) {
      snprintf(s->msg, sizeof s->msg, "corrupt gzip data: %s",
               s->z.msg ? s->z.msg : "inflate failed");
      s->error = s->msg;
      return -1;
    }
  }
  return 1;
}

long warc_source_read(warc_source *s, char *buf, size_t n) {
  size_t got = 0;
  if (s->unget && n) {
    buf[got++] = (char)s->last;
    s->unget = 0;
    s->offset++;
  }
  while (got < n) {
    if (s->out_at == s->out_len) {
      int r = refill(s);
      if (r < 0) return -1;
      if (r == 0) break;
    }
    size_t k = s->out_len - s->out_at;
    if (k > n - got) k = n - got;
    memcpy(buf + got, s->out + s->out_at, k);
    s->out_at += k;
    got += k;
    s->offset += k;
  }
  if (got) s->last = (unsigned char)buf[got - 1];
  return (long)got;
}

int warc_source_getc(warc_source *s) {
  if (s->unget) {
    s->unget = 0;
    s->offset++;
    return s->last;
  }
  if (s->out_at == s->out_len) {
    int r = refill(s);
    if (r < 0) return -2;
    if (r == 0) return -1;
  }
  s->offset++;
  return s->last = s->out[s->out_at++];
}

void warc_source_ungetc(warc_source *s) {
  if (s->last >= 0 && !s->unget) {
    s->unget = 1;
    s->offset--;
  }
}
