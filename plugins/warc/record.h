/* record.h - the records of a WARC 1.0/1.1 file (ISO 28500), read one after
 * another from a warc_source with bounded memory: a record's named fields,
 * and its block when the caller wants it held (a page to convert) and it is
 * no larger than the limit; any other block is read through and dropped.
 * The block digest (WARC-Block-Digest, sha1 in base32 or hex) is checked
 * as the block is read. */
#ifndef SCR_WARC_RECORD_H
#define SCR_WARC_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "source.h"

#define WARC_MAX_HEADER (64 * 1024) /* bytes of one record's header */
#define WARC_MAX_FIELDS 1024        /* named fields in one header */

typedef struct warc_record {
  size_t index;           /* 1-based, counting every record header found */
  uint64_t offset;        /* where "WARC/" began, in the decompressed stream */
  uint64_t member_offset; /* the gzip member it began in (file offset) */
  char *header;           /* the header's bytes (NUL-separated after parsing) */
  size_t nfields;
  char **names, **values; /* into `header` */
  uint64_t content_length;
  char *block; /* the block, malloc'd, NUL-appended; NULL when not held */
  size_t block_len;
  int held;           /* the block is in `block` */
  int too_large;      /* wanted, but larger than the limit: not held */
  int digest;         /* block digest: 1 matches, 0 absent or another
                         algorithm (not checked), -1 does not match */
  char kept[512];     /* why the record was refused (error text), if it was */
} warc_record;

/* What the caller wants of a record whose header was read: hold its block
 * (1) or drop it (0). `peek` holds the block's first bytes (up to 8 KiB,
 * fewer when the block is shorter), for a look at an HTTP header. */
typedef int (*warc_want_fn)(const warc_record *r, const char *peek, size_t n, void *user);

typedef struct warc_reader warc_reader;

warc_reader *warc_reader_new(warc_source *src, size_t max_block);
void warc_reader_free(warc_reader *w);

/* The next record into *r (free it with warc_record_clear()).
 *   1  a record (r->too_large or r->digest -1 say what is wrong with it);
 *   0  the end of the file;
 *  -1  a broken record (r->kept says why; r->index and the offsets say
 *      where): the reader goes on at the next record header it finds;
 *  -2  the file cannot be read on (warc_reader_error() says why). */
int warc_next(warc_reader *w, warc_record *r, warc_want_fn want, void *user);
void warc_record_clear(warc_record *r);
const char *warc_reader_error(const warc_reader *w);

/* The value of field `name` (case-insensitive), or NULL. */
const char *warc_field(const warc_record *r, const char *name);

/* Whether `digest` ("sha1:BASE32" or "sha1:HEX") names the SHA-1 `sha`
 * (20 bytes): 1 yes, -1 no, 0 not a SHA-1 digest (not checked). */
int warc_digest_matches(const char *digest, const unsigned char sha[20]);
/* Same for the SHA-1 of `n` bytes (the payload digest of a response). */
int warc_digest_of(const char *digest, const char *data, size_t n);

#endif
