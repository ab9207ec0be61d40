/*
 * scriptorium/scriptorium.h - the host API: load plugins, find formats, read
 * inputs into trees and write them out. The CLI is one user of it; a program
 * that embeds Scriptorium is another.
 */
#ifndef SCRIPTORIUM_H
#define SCRIPTORIUM_H

#include <stddef.h>

#include "plugin.h"
#include "tree.h"
#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SCR_VERSION_MAJOR 0
#define SCR_VERSION_MINOR 1
#define SCR_VERSION_PATCH 0
#define SCR_VERSION_STRING "0.1.0"

/** The library's version string ("0.1.0"). */
SCR_API const char *scr_version(void);

/* ---- limits ---------------------------------------------------------------- */

/** The largest input the library reads, in bytes (default 256 MiB). The
 * environment variable SCRIPTORIUM_MAX_INPUT (decimal bytes, 1 to 2^40)
 * raises or lowers it; any other value leaves the default. */
SCR_API size_t scr_max_input_size(void);
/** Reads SCRIPTORIUM_MAX_INPUT into *out (the default when unset); -1 when
 * it is set to anything but such a number (*out is then the default), so
 * that a host can refuse it. */
SCR_API int scr_max_input_env(size_t *out);

/* ---- the plugin registry ---------------------------------------------------- */

typedef struct scr_registry scr_registry;

/** A new, empty registry. Free with scr_registry_free(); accepted plugins
 * stay loaded for the life of the process (they are never dlclose'd). */
SCR_API scr_registry *scr_registry_new(void);
SCR_API void scr_registry_free(scr_registry *r);

/** Loads one plugin file. Returns 0, or -1 after reporting why it was
 * rejected (the message names the file). A plugin whose name is already
 * loaded from an earlier directory of the search path is skipped (1). */
SCR_API int scr_registry_load_file(scr_registry *r, const char *path,
                                   scr_diag *diag);
/** Loads every "*.so" plugin in `dir` in name order. Returns the number of
 * plugins that were rejected (0 when all loaded). A missing directory is
 * not an error. */
SCR_API int scr_registry_load_dir(scr_registry *r, const char *dir,
                                  scr_diag *diag);
/** Loads the search path: each of `dirs` (NULL-terminated, may be NULL; the
 * CLI's --plugin-dir), then each directory of $SCRIPTORIUM_PLUGIN_PATH
 * (colon-separated), then the installed plugin directory, found relative to
 * `exe_path` (or the compiled-in one), or the build tree's when running from
 * the build tree. Returns the number of rejected plugins. */
SCR_API int scr_registry_load_default(scr_registry *r, const char *const *dirs,
                                      const char *exe_path, scr_diag *diag);

/** The installed plugin directory compiled into the library. */
SCR_API const char *scr_installed_plugin_dir(void);

SCR_API size_t scr_registry_plugin_count(const scr_registry *r);
SCR_API const scr_plugin *scr_registry_plugin(const scr_registry *r, size_t i);
/** The file a plugin was loaded from. */
SCR_API const char *scr_registry_plugin_path(const scr_registry *r, size_t i);

/** The reader / writer / validator for a format name, or NULL. */
SCR_API const scr_reader *scr_registry_reader(const scr_registry *r,
                                              const char *format);
SCR_API const scr_writer *scr_registry_writer(const scr_registry *r,
                                              const char *format);
SCR_API const scr_validator *scr_registry_validator(const scr_registry *r,
                                                    const char *format);
/** The transform called `name`, or NULL (since ABI 1.3). */
SCR_API const scr_transform *scr_registry_transform(const scr_registry *r,
                                                   const char *name);
/** The archive format called `format`, or NULL (since ABI 1.4). */
SCR_API const scr_archive *scr_registry_archive(const scr_registry *r,
                                                const char *format);
/** The archive format whose extensions the file name of `path` ends in
 * ("x.warc.gz"), ignoring case, or NULL: an archive is known by its name,
 * so that listing a directory reads no file. */
SCR_API const scr_archive *scr_registry_archive_for(const scr_registry *r,
                                                    const char *path);
/** A reader's default transforms, NULL-terminated, or NULL (none, or a
 * reader built before ABI 1.3). */
SCR_API const char *const *scr_reader_default_transforms(const scr_reader *rd);

/** Runs transform `t` on `doc`. When transforms are checked (debug and
 * sanitizer builds, or SCRIPTORIUM_CHECK_TRANSFORMS=1), a transform that
 * changed the text of a block, or the blocks, is reported as an error
 * naming it and the block, and -1 returned. 0, or -1 after reporting. */
SCR_API int scr_transform_apply(const scr_transform *t, scr_doc *doc,
                                const scr_options *opts, scr_diag *diag);
/** Whether scr_transform_apply checks the contract. */
SCR_API int scr_transform_checking(void);

/** Detects the format of `data` with every reader's probe. Stores the best
 * reader in *out and returns 0; returns -1 and reports through `diag` (whose
 * file names the input) when no reader scores at least `min_score`, or when
 * two readers tie for the best score. */
SCR_API int scr_registry_detect(const scr_registry *r, const char *data,
                                size_t len, int min_score,
                                const scr_reader **out, scr_diag *diag);
/** Same for validators. */
SCR_API int scr_registry_detect_validator(const scr_registry *r,
                                          const char *data, size_t len,
                                          const scr_validator **out,
                                          scr_diag *diag);

/* ---- options (host side) ---------------------------------------------------- */

/** Options for one reader or writer, initialised to the table's defaults.
 * NULL on OOM. Free with scr_options_free(). */
SCR_API scr_options *scr_options_new(const scr_option_spec *specs,
                                     size_t count);
SCR_API void scr_options_free(scr_options *o);
/** Sets `name` to `value` after checking it against the table. Returns 0;
 * -1 if the table has no such option (err says so), -2 if the value is not
 * valid for its type (err says why), -3 if memory ran out. `err` may be
 * NULL. */
SCR_API int scr_options_set(scr_options *o, const char *name,
                            const char *value, char *err, size_t errlen);
/** Non-zero if the table has an option of that name. */
SCR_API int scr_options_has(const scr_option_spec *specs, size_t count,
                            const char *name);

/* ---- files ------------------------------------------------------------------ */

/** Reads a whole file ("-": stdin) into a malloc'd buffer (*out, *len; NUL
 * appended, not counted). Refuses directories and inputs larger than
 * scr_max_input_size(). Returns 0, or -1 after reporting. */
SCR_API int scr_file_read(const char *path, char **out, size_t *len,
                          scr_diag *diag);

/** Writes `len` bytes to `path` atomically: a temporary file in the same
 * directory (scr_outfile_open), renamed over `path`; not fsync'd (use
 * scr_outfile_open_ex with SCR_OUTFILE_SYNC for that). On any failure
 * nothing is left behind and the message says why. "-" writes to stdout.
 * 0 or -1. */
SCR_API int scr_file_write_atomic(const char *path, const char *data,
                                  size_t len, scr_diag *diag);

/** An output file written atomically in pieces, for outputs too large to
 * hold in memory (a corpus file): bytes go to a temporary file beside
 * `path` (named PATH.tmp-PID-N, see SCR_TEMP_INFIX), renamed over it by
 * scr_outfile_commit(). "-" streams to stdout. Nothing is ever written
 * through what stands at `path`: a regular file or a symbolic link there is
 * replaced by the rename (the link itself, not its target); a directory,
 * device, pipe or socket is refused. */
typedef struct scr_outfile scr_outfile;
/** Starts writing `path`. NULL after reporting. */
SCR_API scr_outfile *scr_outfile_open(const char *path, scr_diag *diag);

/** Flags of scr_outfile_open_ex(). */
enum {
  /** The user named `path` (as `-o /dev/null`): an existing device or pipe
   * there is written directly, as a shell redirection would. */
  SCR_OUTFILE_DEVICE = 1u << 0,
  /** fdatasync() the bytes before the rename puts them in place. */
  SCR_OUTFILE_SYNC = 1u << 1
};
/** What the name of a temporary output file has between the final path and
 * "PID-N": a later run can tell (and remove) those a dead run left. */
#define SCR_TEMP_INFIX ".tmp-"
SCR_API scr_outfile *scr_outfile_open_ex(const char *path, unsigned flags, scr_diag *diag);
/** Appends bytes. 0, or -1 after reporting (then only abort is allowed). */
SCR_API int scr_outfile_write(scr_outfile *f, const char *data, size_t len,
                              scr_diag *diag);
/** Puts the file in place and frees `f`. 0, or -1 after reporting, and then
 * nothing is left behind. */
SCR_API int scr_outfile_commit(scr_outfile *f, scr_diag *diag);
/** Removes the temporary file and frees `f`. NULL is allowed. */
SCR_API void scr_outfile_abort(scr_outfile *f);

/** Reads `path` with `reader` into a new document (*out). The document owns
 * the input bytes. Returns 0, or -1 after reporting (then *out is NULL). */
SCR_API int scr_read_path(const scr_reader *reader, const char *path,
                          const scr_options *opts, scr_diag *diag,
                          scr_doc **out);
/** Same, from bytes the call takes ownership of (malloc'd). */
SCR_API int scr_read_bytes(const scr_reader *reader, const char *path,
                           char *data, size_t len, const scr_options *opts,
                           scr_diag *diag, scr_doc **out);

/** Writes `doc` with `writer`, appending to `out`. A writer that returns 0
 * but reported an error through `diag` has failed too, and one that fails
 * without saying why is reported here, as scr_read_bytes() does for
 * readers; every host gets this rule from here rather than restating it.
 * Returns 0, or -1 after reporting; on failure `out` holds what it held
 * before the call (the writer's partial bytes are cut off, not freed). */
SCR_API int scr_write(const scr_writer *writer, const scr_doc *doc, scr_buf *out,
                      const scr_options *opts, scr_diag *diag);

/* ---- corpus files ----------------------------------------------------------- */

/** A writer's corpus file (scr_writer.corpus_open: a teiCorpus of many
 * documents) being written, by the protocol of plugin.h, for every host
 * alike (since ABI 1.4):
 *
 *     c = scr_corpus_open(w, "out/corpus.xml", 0, opts, diag);
 *     on the thread of each document, if scr_writer_can_prepare(w):
 *         part = scr_corpus_prepare(w, doc, relpath, opts, diag);
 *         (the document may be freed now; otherwise keep it for add)
 *     then in input order, on one thread:
 *         scr_corpus_add(c, part, part ? NULL : doc, relpath, diag);
 *     scr_corpus_commit(c, diag);   (or scr_corpus_abort(c): nothing written)
 *
 * The file is HEAD + BODY + TAIL: the documents' parts (BODY) go to a
 * temporary file as they are added, so memory does not grow with the
 * corpus; HEAD and TAIL come from corpus_close at commit, and the file is
 * written with scr_outfile (atomically, nothing left behind on failure).
 * Every step applies the rule of scr_write: a writer that returned success
 * but reported an error through `diag` has failed, and one that failed
 * without saying why is reported here. */
typedef struct scr_corpus scr_corpus;

/** Whether `writer` writes corpus files (corpus_open, corpus_add and
 * corpus_close set), and whether it also prepares documents' parts apart
 * from the merge (ABI 1.2's corpus_prepare and corpus_merge). */
SCR_API int scr_writer_has_corpus(const scr_writer *writer);
SCR_API int scr_writer_can_prepare(const scr_writer *writer);

/** Starts the corpus file `path` of `writer` (which has corpus files);
 * `flags` are scr_outfile_open_ex's, used at commit. NULL after
 * reporting. The corpus is owned by the caller until commit or abort. */
SCR_API scr_corpus *scr_corpus_open(const scr_writer *writer, const char *path,
                                    unsigned flags, const scr_options *opts,
                                    scr_diag *diag);
/** The path given to scr_corpus_open. Owned by the corpus. */
SCR_API const char *scr_corpus_path(const scr_corpus *c);
/** `output` relative to the directory of `corpus_path` (a pointer into
 * `output`, which is returned whole when it lies elsewhere): how a corpus
 * part names the document's own file. */
SCR_API const char *scr_corpus_relpath(const char *corpus_path, const char *output);

/** On any thread, without the corpus (reentrant): the document's part by
 * `writer`'s corpus_prepare (only for a writer that can prepare), owned by
 * the caller until scr_corpus_add or scr_corpus_discard. `relpath` is the
 * document's own file relative to the corpus's directory, or NULL. NULL
 * after reporting: the document is then left out of the corpus. */
SCR_API void *scr_corpus_prepare(const scr_writer *writer, const scr_doc *doc,
                                 const char *relpath, const scr_options *opts,
                                 scr_diag *diag);
/** Frees a prepared part that will not be added. NULL is allowed. */
SCR_API void scr_corpus_discard(const scr_writer *writer, void *prepared);

/** In input order, on one thread: adds the next document, as its prepared
 * part (taken, also on failure) or, when `prepared` is NULL, as `doc`
 * through corpus_add (`doc` stays the caller's). Returns 0 when added; 1
 * when the writer refused this document (an error was reported, say an id
 * already taken): it is left out and the corpus goes on; -1 when the
 * corpus failed (reported): it is closed, further adds return -1 and
 * commit writes nothing. */
SCR_API int scr_corpus_add(scr_corpus *c, void *prepared, const scr_doc *doc,
                           const char *relpath, scr_diag *diag);
/** Writes HEAD + BODY + TAIL to the corpus's path and frees `c`. 0, or -1
 * after reporting (then nothing is left behind). */
SCR_API int scr_corpus_commit(scr_corpus *c, scr_diag *diag);
/** Writes nothing (the writer frees its state) and frees `c`: after a
 * failure, or when a run was interrupted and a corpus of part of the inputs
 * would pass for the whole. NULL is allowed. */
SCR_API void scr_corpus_abort(scr_corpus *c);

#ifdef __cplusplus
}
#endif
#endif
