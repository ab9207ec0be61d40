/* warc_list.c - lists the records of a web archive as the warc plugin reads
 * them (plugins/warc/source.c, record.c, http.c), one line each:
 *   INDEX TYPE URI STATUS MEDIA-TYPE PAYLOAD-BYTES DIGEST
 * and a broken record as "INDEX broken OFFSET: WHY". Used by warc.sh to
 * check the reading of the real archive and of broken ones. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "record.h"
#include "source.h"

static int want(const warc_record *r, const char *peek, size_t n, void *user) {
  (void)peek, (void)n, (void)user;
  const char *t = warc_field(r, "WARC-Type");
  return t && (!strcmp(t, "response") || !strcmp(t, "resource"));
}

int main(int argc, char **argv) {
  if (argc != 2 && argc != 3) {
    fprintf(stderr, "usage: warc_list FILE [MAX-BLOCK]\n");
    return 2;
  }
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) {
    perror(argv[1]);
    return 2;
  }
  size_t max = argc == 3 ? strtoul(argv[2], NULL, 10) : (size_t)256 << 20;
  warc_source *src = warc_source_new(fd);
  warc_reader *w = warc_reader_new(src, max);
  warc_record r;
  int rc, status = 0;
  size_t records = 0, pages = 0, broken = 0;
  while ((rc = warc_next(w, &r, want, NULL)) != 0) {
    if (rc == -2) {
      printf("fatal at record %zu: %s\n", r.index, warc_reader_error(w));
      status = 1;
      break;
    }
    if (rc == -1) {
      printf("%zu broken %llu: %s\n", r.index, (unsigned long long)r.offset, r.kept);
      broken++;
      warc_record_clear(&r);
      continue;
    }
    records++;
    const char *type = warc_field(&r, "WARC-Type");
    const char *uri = warc_field(&r, "WARC-Target-URI");
    printf("%zu %s %s", r.index, type ? type : "-", uri ? uri : "-");
    if (r.too_large) printf(" too-large %llu", (unsigned long long)r.content_length);
    if (r.held) {
      http_response h;
      char err[256];
      if (http_parse(r.block, r.block_len, &h, err, sizeof err) == 0) {
        char *body;
        size_t blen;
        int d = http_decode(&h, r.block + h.head_len, r.block_len - h.head_len, max, &body,
                            &blen, err, sizeof err);
        if (d == 1) blen = r.block_len - h.head_len;
        printf(" %d %s %zu", h.status, h.media_type[0] ? h.media_type : "-", d >= 0 ? blen : 0);
        int pd = warc_digest_of(warc_field(&r, "WARC-Payload-Digest"), r.block + h.head_len,
                                r.block_len - h.head_len);
        printf(" payload:%s", pd > 0 ? "ok" : pd < 0 ? "MISMATCH" : "unchecked");
        if (d < 0) printf(" decode-error:%d", d);
        free(body);
        if (!strncmp(h.media_type, "text/html", 9)) pages++;
      } else {
        printf(" not-http");
      }
      printf(" digest:%s", r.digest > 0 ? "ok" : r.digest < 0 ? "MISMATCH" : "unchecked");
    }
    printf("\n");
    warc_record_clear(&r);
  }
  fprintf(stderr, "%zu records, %zu HTML pages, %zu broken\n", records, pages, broken);
  warc_reader_free(w);
  warc_source_free(src);
  close(fd);
  return status;
}
