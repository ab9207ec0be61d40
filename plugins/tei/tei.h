/* tei.h - the TEI plugin's parts (private to the plugin). */
#ifndef SCR_PLUGIN_TEI_H
#define SCR_PLUGIN_TEI_H

#include <libxml/xmlerror.h>
#include <scriptorium/plugin.h>

/* libxml.c */
/* Sets libxml2 up (once) and this thread's libxml2 globals: -1 when they
 * could not be allocated (no libxml2 call may be made then). */
int tei_init(void);
/* Sets up libxml2's RELAX NG and XML Schema type tables (once). */
void tei_init_relaxng(void);
/* tei_fatal_oom(1) ... tei_fatal_oom(0): between them (nested), an
 * allocation of libxml2's that fails ends the process, status 1, with a
 * message. Only where no output is being written. */
void tei_fatal_oom(int on);
/* The structured error handler tei_init installs: ignores them. */
void tei_xml_errors(void *user, xmlErrorPtr err);

/* writer.c, corpus.c: the TEI writer (state.h) */
int tei_write(const scr_doc *doc, scr_buf *out, const scr_options *opts,
              scr_diag *diag);
void *tei_corpus_open(const scr_options *opts, scr_diag *diag);
int tei_corpus_add(void *state, const scr_doc *doc, const char *path,
                   scr_buf *body, scr_diag *diag);
int tei_corpus_close(void *state, scr_buf *head, scr_buf *tail, scr_diag *diag);
void *tei_corpus_prepare(const scr_doc *doc, const char *path, const scr_options *opts,
                         scr_diag *diag);
int tei_corpus_merge(void *state, void *prepared, scr_buf *body, scr_diag *diag);

/* reader.c */
int tei_read(scr_doc *doc, const scr_input *in, const scr_options *opts,
             scr_diag *diag);

/* validator.c */
int tei_probe(const char *data, size_t len);
void *tei_validator_open(const char *schema, scr_diag *diag);
int tei_validator_check(void *state, const scr_input *in, scr_diag *diag);
void tei_validator_close(void *state);

/* loader.c: what libxml2 may read (docs/tei.md, "What validate reads") */

/** What the current thread's parsing may read, on top of the loader's
 * rules (local regular files only). */
typedef struct tei_io_scope {
  const char *deny_all; /* non-NULL: nothing at all; the reason given */
  const char *dir;      /* a real path: what is read must be under it (NULL: anywhere) */
  const char *exempt;   /* the real path of one file read wherever it is (a schema) */
  scr_diag *diag;       /* where refusals are reported (NULL: not reported) */
  int quiet;            /* not reported but kept in `last`, for the caller to */
  size_t refused;       /* how many reads were refused */
  char last[640];       /* quiet: the last refusal not yet reported, or "" */
  char last_file[512];  /* where libxml2 was when it asked ("": unknown) */
  unsigned last_line;   /* and on which line (0: unknown) */
} tei_io_scope;
/** Installs the external entity loader (process-global); tei_init calls it
 * once. */
void tei_io_install(void);
/** Sets the thread's scope (NULL: none); returns the previous one, for
 * tei_io_leave. */
tei_io_scope *tei_io_enter(tei_io_scope *scope);
void tei_io_leave(tei_io_scope *prev);
/** Reports the scope's pending refusal (quiet), if any, where libxml2 was
 * when it asked, and clears it. */
void tei_io_flush(tei_io_scope *scope);
/** The real path of the local regular file `uri` names, if the loader would
 * read it under `dir` (NULL: anywhere; `exempt` as in the scope); else NULL
 * and the reason in `reason`. malloc'd. */
char *tei_io_check(const char *uri, const char *dir, const char *exempt, char *reason,
                   size_t size);
/** The real path of the directory `path` is in (malloc'd), or NULL. */
char *tei_io_dir_of(const char *path);

/* names.c: identifiers, sets of strings and value checks */

/** Appends to `out` an XML NCName made from `s`: characters that may not
 * stand in an NCName become '_', and `prefix` (an NCName start, e.g. "d")
 * goes first when the first character may not start one. 0 or -1 (OOM). */
int tei_ncname(scr_buf *out, const char *s, size_t len, const char *prefix);
/** Non-zero if s[0..len) is an NCName. */
int tei_is_ncname(const char *s, size_t len);

/** A set of strings (open addressing; keys are copied), each with a value.
 * Zero-initialise. */
typedef struct tei_set {
  char **keys;
  size_t *lens;
  size_t *vals;
  size_t count, cap;
} tei_set;
/** Adds a key: 1 added, 0 already there, -1 OOM. */
int tei_set_add(tei_set *s, const char *key, size_t len);
int tei_set_has(const tei_set *s, const char *key, size_t len);
void tei_set_free(tei_set *s);
/** Adds a key with a value (kept if the key was there): as tei_set_add. */
int tei_set_put(tei_set *s, const char *key, size_t len, size_t val);
/** 1 and the value in *val if the key is there, else 0. */
int tei_set_get(const tei_set *s, const char *key, size_t len, size_t *val);

/** Distinct strings in the order first added (copied). Zero-initialise. */
typedef struct tei_list {
  tei_set set;
  char **items;
  size_t count, cap;
} tei_list;
/** 1 added, 0 already there, -1 OOM. */
int tei_list_add(tei_list *l, const char *s, size_t len);
void tei_list_free(tei_list *l);

/** Non-zero if `s` is a value of TEI's teidata.temporal.w3c: an xsd date,
 * gYear, gYearMonth, gMonthDay (--MM-DD), gDay, gMonth, time or dateTime. */
int tei_is_w3c_temporal(const char *s, size_t len);
/** Non-zero if `s` is an absolute URI as teidata.pointer wants it for
 * @target: a scheme, ':', then no space or control character. */
int tei_is_uri(scr_str s);
/** Non-zero if `s` is an xsd:duration (PT6M46S). */
int tei_is_duration(const char *s, size_t len);
/** The English name of a BCP 47 primary language subtag, or NULL. */
const char *tei_language_name(const char *tag, size_t len);

#endif
