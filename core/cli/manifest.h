/* manifest.h - DIR/manifest.tsv: one line per input, what a rerun reads
 * back to tell which outputs are up to date (private to the CLI).
 *
 * Columns, tab-separated, after a header line:
 *   path           the input as given or found
 *   size, sha256   the input's size and SHA-256 ("-" when unread)
 *   status         ok, failed or skipped (an input found up to date keeps
 *                  the status of the conversion that wrote its outputs)
 *   warnings       how many warnings that conversion reported
 *   outputs        the outputs written, relative to DIR, comma-separated
 *   key            SHA-256 of what besides the input decides the outputs
 *                  (program, plugins, formats, options, option files)
 *   output_sha256  each output's SHA-256 as written, in the same order
 *   depends        files the reader consulted: SHA256:PATH, comma-separated
 *                  (SHA256 "-": looked for and absent)
 * Empty lists are "-". In paths, backslash, tab, newline and comma are
 * written \\, \t, \n and \, . A reader takes the last line of a path: a
 * journal of a run appended after the manifest overrides it. */
#ifndef SCR_CLI_MANIFEST_H
#define SCR_CLI_MANIFEST_H

#include <stddef.h>

#include <scriptorium/util.h>

typedef struct manifest_entry {
  char *path;
  size_t size;
  char *sha;
  char *status;
  size_t warnings;
  size_t noutputs;
  char **outputs;    /* relative to the output directory */
  char **output_sha; /* noutputs of them */
  char *key;
  size_t ndeps;
  char **dep_path;
  char **dep_sha;
} manifest_entry;

typedef struct manifest {
  manifest_entry *v;
  size_t len, cap;
} manifest;

extern const char manifest_header[];

/* Parses one line (without its newline) into *e. 0; -1 when the line is not
 * a manifest line (the header, a torn last line, another format); -2 on
 * out of memory. */
int manifest_parse_line(const char *line, size_t len, manifest_entry *e);
/* Appends e as one line, with its newline. 0 or -1 on out of memory. */
int manifest_format_line(scr_buf *b, const manifest_entry *e);
void manifest_entry_free(manifest_entry *e);

/* Adds the lines of `data` to m (a line that does not parse is ignored;
 * only lines ending in a newline count). 0, or -1 on out of memory. */
int manifest_add_text(manifest *m, const char *data, size_t len);
/* Sorts m by path, keeping the last entry of each path. */
void manifest_finish(manifest *m);
/* The entry of `path` in a finished manifest, or NULL. */
const manifest_entry *manifest_find(const manifest *m, const char *path);
void manifest_free(manifest *m);

/* Index of `rel` among e's outputs, or -1. */
long manifest_output_index(const manifest_entry *e, const char *rel);

#endif
