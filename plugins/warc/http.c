/* http.c - the HTTP response of a WARC record (http.h). */
#include "http.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

static void lower_copy(char *dst, size_t size, const char *s, size_t n) {
  size_t k = 0;
  for (; k + 1 < size && k < n; k++) dst[k] = (char)tolower((unsigned char)s[k]);
  dst[k] = '\0';
}

/* The parameter `name` of a header value (e.g. charset in Content-Type). */
static void param(const char *v, size_t n, const char *name, char *dst, size_t size) {
  size_t nl = strlen(name);
  dst[0] = '\0';
  for (size_t i = 0; i + nl < n; i++) {
    if ((i == 0 || v[i - 1] == ';' || v[i - 1] == ' ') && strncasecmp(v + i, name, nl) == 0 &&
        v[i + nl] == '=') {
      size_t a = i + nl + 1, e = a;
      if (a < n && v[a] == '"') a++, e++;
      while (e < n && v[e] != ';' && v[e] != '"' && v[e] != ' ') e++;
      lower_copy(dst, size, v + a, e - a);
      return;
    }
  }
}

int http_parse(const char *block, size_t n, http_response *h, char *err, size_t errlen) {
  memset(h, 0, sizeof *h);
  if (n < 12 || strncmp(block, "HTTP/", 5) != 0) {
    snprintf(err, errlen, "the block is not an HTTP response");
    return -1;
  }
  const char *sp = memchr(block, ' ', n);
  if (!sp || (size_t)(sp - block) + 4 > n || !isdigit((unsigned char)sp[1]) ||
      !isdigit((unsigned char)sp[2]) || !isdigit((unsigned char)sp[3])) {
    snprintf(err, errlen, "an HTTP status line without a status code");
    return -1;
  }
  h->status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
  size_t i = 0;
  int first = 1;
  for (;;) {
    const char *nl = memchr(block + i, '\n', n - i);
    if (!nl) {
      snprintf(err, errlen, "the HTTP headers do not end (no blank line)");
      return -1;
    }
    size_t e = (size_t)(nl - block);
    size_t le = e > i && block[e - 1] == '\r' ? e - 1 : e;
    if (le == i) { /* the blank line */
      h->head_len = e + 1;
      break;
    }
    if (!first) {
      const char *line = block + i;
      size_t ln = le - i;
      const char *colon = memchr(line, ':', ln);
      if (colon) {
        size_t nn = (size_t)(colon - line);
        const char *v = colon + 1;
        while (v < line + ln && (*v == ' ' || *v == '\t')) v++;
        size_t vn = (size_t)(line + ln - v);
        if (nn == 12 && !strncasecmp(line, "Content-Type", 12)) {
          size_t t = 0;
          while (t < vn && v[t] != ';' && v[t] != ' ') t++;
          lower_copy(h->media_type, sizeof h->media_type, v, t);
          param(v, vn, "charset", h->charset, sizeof h->charset);
        } else if (nn == 17 && !strncasecmp(line, "Transfer-Encoding", 17)) {
          char te[64];
          lower_copy(te, sizeof te, v, vn);
          h->chunked = strstr(te, "chunked") != NULL;
        } else if (nn == 16 && !strncasecmp(line, "Content-Encoding", 16)) {
          lower_copy(h->encoding, sizeof h->encoding, v, vn);
          if (!strcmp(h->encoding, "identity")) h->encoding[0] = '\0';
        }
      }
    }
    first = 0;
    i = e + 1;
  }
  return 0;
}

/* Joins the chunks of a chunked body. 0, -1 broken, -3 OOM. */
static int dechunk(const char *s, size_t n, char **out, size_t *out_len, char *err, size_t errlen) {
  char *o = malloc(n + 1);
  if (!o) return -3;
  size_t i = 0, len = 0;
  for (;;) {
    size_t size = 0;
    int digits = 0;
    while (i < n && isxdigit((unsigned char)s[i])) {
      int c = tolower((unsigned char)s[i]);
      if (size > (SIZE_MAX >> 4)) goto bad;
      size = size * 16 + (size_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
      i++, digits++;
    }
    if (!digits) goto bad;
    const char *nl = memchr(s + i, '\n', n - i); /* chunk extensions skipped */
    if (!nl) goto bad;
    i = (size_t)(nl - s) + 1;
    if (size == 0) break; /* trailers, if any, are not payload */
    if (size > n - i) goto bad;
    memcpy(o + len, s + i, size);
    len += size;
    i += size;
    if (i < n && s[i] == '\r') i++;
    if (i < n && s[i] == '\n') i++;
  }
  o[len] = '\0';
  *out = o;
  *out_len = len;
  return 0;
bad:
  free(o);
  snprintf(err, errlen, "a chunked HTTP body whose chunk sizes do not add up");
  return -1;
}

/* Inflates gzip or deflate (zlib or raw) data, up to `max` bytes. */
static int inflate_all(const char *s, size_t n, int gzip, size_t max, char **out, size_t *out_len,
                       char *err, size_t errlen) {
  z_stream z;
  memset(&z, 0, sizeof z);
  /* gzip: 16 + MAX_WBITS; deflate: 32 + MAX_WBITS detects zlib or gzip */
  if (inflateInit2(&z, gzip ? 16 + MAX_WBITS : 32 + MAX_WBITS) != Z_OK) return -3;
  size_t cap = n * 4 + 1024, len = 0;
  if (cap > max + 1) cap = max + 1;
  char *o = malloc(cap + 1);
  if (!o) {
    inflateEnd(&z);
    return -3;
  }
  z.next_in = (Bytef *)(uintptr_t)s;
  z.avail_in = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
  int rc;
  for (;;) {
    if (len == cap) {
      if (cap > max) {
        free(o);
        inflateEnd(&z);
        return -2;
      }
      size_t nc = cap * 2 > max + 1 ? max + 1 : cap * 2;
      char *no = realloc(o, nc + 1);
      if (!no) {
        free(o);
        inflateEnd(&z);
        return -3;
      }
      o = no, cap = nc;
    }
    z.next_out = (Bytef *)o + len;
    z.avail_out = (uInt)(cap - len > UINT32_MAX ? UINT32_MAX : cap - len);
    size_t before = z.avail_out;
    rc = inflate(&z, Z_NO_FLUSH);
    len += before - z.avail_out;
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && !(rc == Z_BUF_ERROR && z.avail_out == 0)) {
      free(o);
      inflateEnd(&z);
      snprintf(err, errlen, "the HTTP body's %s content coding is corrupt", gzip ? "gzip" : "deflate");
      return -1;
    }
  }
  inflateEnd(&z);
  if (len > max) {
    free(o);
    return -2;
  }
  o[len] = '\0';
  *out = o;
  *out_len = len;
  return 0;
}

int http_decode(const http_response *h, const char *body, size_t n, size_t max, char **out,
                size_t *out_len, char *err, size_t errlen) {
  *out = NULL;
  *out_len = 0;
  char *joined = NULL;
  size_t joined_len = 0;
  if (h->chunked) {
    int rc = dechunk(body, n, &joined, &joined_len, err, errlen);
    if (rc) return rc;
    body = joined, n = joined_len;
  }
  if (h->encoding[0]) {
    int gzip = !strcmp(h->encoding, "gzip") || !strcmp(h->encoding, "x-gzip");
    if (!gzip && strcmp(h->encoding, "deflate") != 0) {
      free(joined);
      snprintf(err, errlen, "the HTTP body has a content coding Scriptorium cannot read: '%s'",
               h->encoding);
      return -1;
    }
    int rc = inflate_all(body, n, gzip, max, out, out_len, err, errlen);
    free(joined);
    return rc;
  }
  if (joined) {
    if (joined_len > max) {
      free(joined);
      return -2;
    }
    *out = joined;
    *out_len = joined_len;
    return 0;
  }
  if (n > max) return -2;
  return 1;
}
