/* source.h - the bytes of a web archive file, plain (.warc) or gzip
 * (.warc.gz: usually each record its own gzip member, but any number of
 * members, and a member holding several records, are read alike), read as
 * one stream with bounded memory. zlib does the inflating. */
#ifndef SCR_WARC_SOURCE_H
#define SCR_WARC_SOURCE_H

#include <stddef.h>
#include <stdint.h>

typedef struct warc_source warc_source;

/* Opens the stream on `fd` (not closed by the source). NULL on OOM. */
warc_source *warc_source_new(int fd);
void warc_source_free(warc_source *s);

/* Reads up to `n` bytes of the (decompressed) stream into `buf`. Returns
 * the count (0 at the end), or -1 with warc_source_error() saying why (a
 * read error, corrupt gzip data, a truncated member). */
long warc_source_read(warc_source *s, char *buf, size_t n);
/* Reads one byte: 0..255, -1 at the end, -2 on an error. */
int warc_source_getc(warc_source *s);
/* Puts back the byte warc_source_getc() returned (one only). */
void warc_source_ungetc(warc_source *s);

/* What went wrong, after -1/-2 (static text or the source's own buffer). */
const char *warc_source_error(const warc_source *s);
/* Bytes of the decompressed stream read so far, and whether the file is
 * gzip-compressed. */
uint64_t warc_source_offset(const warc_source *s);
int warc_source_gzip(const warc_source *s);
/* The compressed file offset where the current gzip member began (for
 * messages: a tool such as `tail -c +N | zcat` can go there), or the plain
 * offset. */
uint64_t warc_source_member_offset(const warc_source *s);
/* Bytes of the decompressed stream handed out before the current member
 * began (0 for a plain file). */
uint64_t warc_source_member_start(const warc_source *s);

/* Goes to `file_offset` of the file (the start of a gzip member, or any
 * byte of a plain file): what is read next comes from there, and offsets
 * count from 0 again. 0, or -1 (warc_source_error() says why). */
int warc_source_seek(warc_source *s, uint64_t file_offset);

#endif
