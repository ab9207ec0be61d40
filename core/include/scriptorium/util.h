/*
 * scriptorium/util.h - byte buffers, diagnostics and UTF-8 helpers shared by
 * the core and every plugin, so that no plugin writes them again.
 */
#ifndef SCRIPTORIUM_UTIL_H
#define SCRIPTORIUM_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "tree.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- growable byte buffer ------------------------------------------------ */

/** A growable byte buffer. Zero-initialise it ({0}); free with
 * scr_buf_free(). `data` is always NUL-terminated once anything was added. */
typedef struct scr_buf {
  char *data;
  size_t len;
  size_t cap;
} scr_buf;

/** Appends bytes. 0, or -1 on out of memory (the buffer is unchanged). */
SCR_API int scr_buf_put(scr_buf *b, const void *data, size_t len);
SCR_API int scr_buf_puts(scr_buf *b, const char *s);
SCR_API int scr_buf_putc(scr_buf *b, char c);
SCR_API int scr_buf_printf(scr_buf *b, const char *fmt, ...) SCR_PRINTF(2, 3);
/** Makes room for `extra` more bytes. 0 or -1. */
SCR_API int scr_buf_reserve(scr_buf *b, size_t extra);
SCR_API void scr_buf_clear(scr_buf *b);
/** Frees the bytes and zeroes the buffer. */
SCR_API void scr_buf_free(scr_buf *b);

/* ---- diagnostics --------------------------------------------------------- */

typedef enum scr_severity {
  SCR_NOTE = 0,
  SCR_WARNING = 1,
  SCR_ERROR = 2
} scr_severity;

/** One diagnostic, as handed to a scr_diag's callback. `file` may be NULL;
 * line 0 means "no position". Strings are valid during the callback only. */
typedef struct scr_diagnostic {
  scr_severity severity;
  const char *file;
  uint32_t line;
  uint32_t column;
  const char *kind; /* a short stable tag ("unclosed-quote"), may be NULL */
  const char *message;
} scr_diagnostic;

typedef void (*scr_diag_fn)(const scr_diagnostic *d, void *user);

/** Where a plugin reports problems. The library never prints: the host
 * (the CLI, or a program embedding the library) sets the callback. */
typedef struct scr_diag scr_diag;

/** A new diagnostics sink for `file` (copied; may be NULL). The callback
 * may be NULL: counts are still kept. Free with scr_diag_free(). */
SCR_API scr_diag *scr_diag_new(const char *file, scr_diag_fn fn, void *user);
SCR_API void scr_diag_free(scr_diag *d);
/** Changes the file name later reports carry (copied). */
SCR_API int scr_diag_set_file(scr_diag *d, const char *file);
SCR_API const char *scr_diag_file(const scr_diag *d);
/** Reports a problem at a position (pos.line 0: none). `kind` is a short
 * stable tag or NULL. */
SCR_API void scr_diag_report(scr_diag *d, scr_severity sev, scr_pos pos,
                             const char *kind, const char *fmt, ...)
    SCR_PRINTF(5, 6);
SCR_API void scr_diag_vreport(scr_diag *d, scr_severity sev, scr_pos pos,
                              const char *kind, const char *fmt, va_list ap);
/** How many reports of this severity were made. */
SCR_API size_t scr_diag_count(const scr_diag *d, scr_severity sev);

/* ---- UTF-8 ---------------------------------------------------------------- */

/** Checks that `s` is valid UTF-8 without NUL bytes. Returns the length on
 * success, or the byte offset of the first offending byte with *bad set to 1
 * (bad may be NULL). */
SCR_API size_t scr_utf8_check(const char *s, size_t len, int *bad);
/** Decodes one code point at s[0..len). Returns the byte length (>= 1) and
 * stores the code point, or U+FFFD and 1 for an invalid sequence. */
SCR_API size_t scr_utf8_decode(const char *s, size_t len, uint32_t *cp);
/** Encodes `cp` into out[0..4). Returns the byte length. */
SCR_API size_t scr_utf8_encode(uint32_t cp, char out[4]);
/** The number of terminal columns `s` takes (East Asian wide = 2,
 * combining = 0), by Unicode's tables (utf8proc). */
SCR_API size_t scr_utf8_width(const char *s, size_t len);
/** Non-zero if `cp` may appear in an XML 1.0 document. */
SCR_API int scr_xml_char_ok(uint32_t cp);

/** Appends to `out` an identifier derived from a name, the same wherever the
 * name is written the same way: an ASCII XML NCName (so it is valid as an
 * xml:id, in YAML and in JSON Schema patterns alike). Letters are folded to
 * ASCII by Unicode decomposition ("Jörg Schönenborn" -> "jorg-schonenborn"),
 * lower-cased, and runs of anything else become one '-'; "p-" is put in
 * front of an id that would not start with a letter, and a name with no
 * Latin letter at all gets "p-" and a hash of its bytes. 0, or -1 on OOM. */
SCR_API int scr_ascii_id(const char *name, size_t len, scr_buf *out);

/** Appends to `out` the id of a person named `name` when no authority file
 * gives one (since ABI 1.6): scr_ascii_id's, made the same for the ways one
 * name is spelt, so that one person has one id in every document and from
 * every publisher. A middle initial is dropped ("Alexander G. Lukashenko"),
 * and a word that is a transliteration variant is written one way
 * ("Aleksandr", "Aliaksandr" -> "alexander"; "Sergey" -> "sergei";
 * "Lukashenka", "Lukasenko" -> "lukashenko"; the table is in util.c). Every
 * reader that derives person ids calls this, never scr_ascii_id, so that
 * the rule is in one place. 0, or -1 on OOM. */
SCR_API int scr_person_name_id(const char *name, size_t len, scr_buf *out);

/** Whether person id `a` may be a misspelling of id `b` or `b` of `a`
 * (since ABI 1.6): as many words, all equal but one, and that one with the
 * same first letter and at edit distance 1 (adjacent letters swapped count
 * one; words of 6 letters or more, and 7 for a letter added or dropped) or
 * 2 (7 letters or more). "valdimir-putin" and "vladimir-putin" are;
 * "andrei-medvedev" and "dmitry-medvedev", "ivan-petrov" and "igor-petrov"
 * are not. Returns the distance (1 or 2), or 0. The one rule for the text
 * reader's merging in a document and `scriptorium persons`'s in a corpus. */
SCR_API int scr_person_id_typo(const char *a, size_t alen, const char *b, size_t blen);

/** Whether s[0, n) is a calendar date of the ISO 8601 shapes the project
 * writes (since ABI 1.7): YYYY, YYYY-MM or YYYY-MM-DD, month 01-12, day
 * 01-31. Returns 1, 2 or 3 for the year, month or day it is precise to,
 * or 0 ("--09-15", an interval, a date-time are not). The one check for a
 * document's date before it dates an office or an index entry. */
SCR_API int scr_iso_date(const char *s, size_t n);

/* ---- line and column ----------------------------------------------------- */

/** Maps byte offsets of a buffer to 1-based line and column numbers in
 * O(log lines). Build once per source. */
typedef struct scr_linemap scr_linemap;
SCR_API scr_linemap *scr_linemap_new(const char *s, size_t len);
SCR_API void scr_linemap_free(scr_linemap *m);
SCR_API scr_pos scr_linemap_pos(const scr_linemap *m, uint64_t offset);

/* ---- content hashes ------------------------------------------------------ */

/** The SHA-256 of `len` bytes as 64 lower-case hex digits and a NUL (from
 * nettle, the library the manifest's hashes come from). */
SCR_API void scr_sha256_hex(const void *data, size_t len, char out[65]);
/** The SHA-256 of the regular file `path` into out: "-" when the file does
 * not exist, "?" when it is not a regular file, cannot be read or changed
 * while it was read. Nothing is reported; 0 when a hash was taken. */
SCR_API int scr_file_sha256(const char *path, char out[65]);

#ifdef __cplusplus
}
#endif
#endif
