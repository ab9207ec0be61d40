/* http.h - the HTTP response a WARC `response` record holds: its status,
 * the type of its payload, and the payload as a page reader wants it
 * (chunked transfer coding removed; gzip or deflate content coding
 * inflated, at most to a limit). */
#ifndef SCR_WARC_HTTP_H
#define SCR_WARC_HTTP_H

#include <stddef.h>

typedef struct http_response {
  int status;             /* 200 */
  char media_type[128];   /* "text/html", lower case, without parameters */
  char charset[64];       /* from Content-Type, "" when none */
  size_t head_len;        /* bytes of the status line and headers, with the blank line */
  int chunked;            /* Transfer-Encoding: chunked */
  char encoding[32];      /* Content-Encoding, lower case ("" identity) */
} http_response;

/* Parses the status line and headers at the start of `block` (n bytes).
 * 0, or -1 when it is not an HTTP response (why in `err`). Only the first
 * `n` bytes are looked at: a look at a record's first bytes works. */
int http_parse(const char *block, size_t n, http_response *h, char *err, size_t errlen);

/* The payload of a parsed response (the bytes after its head) decoded:
 * chunks joined, content coding inflated. *out is malloc'd (NUL-appended)
 * or, when nothing is to be decoded, NULL with *out_len 0 and 1 returned
 * (use the bytes as they are). 0 decoded; -1 broken (why in `err`); -2
 * larger than `max` once decoded; -3 out of memory. */
int http_decode(const http_response *h, const char *body, size_t n, size_t max,
                char **out, size_t *out_len, char *err, size_t errlen);

#endif
