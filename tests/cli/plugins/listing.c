/* listing.c - a test writer with a corpus file, to test how the host drives
 * corpus writers. Compiled twice (see CMakeLists.txt): with corpus_add only,
 * as a writer built for ABI 1.1 is, and with PREPARE, which adds ABI 1.2's
 * corpus_prepare and corpus_merge. Both must give the same corpus file.
 *
 * A document's file holds its text's length; the corpus file is a header
 * with the count, one line per document (its file's path and length) and an
 * end line. A document whose path contains "FAIL" fails corpus_prepare (or
 * corpus_add) with an error, so that the host's handling can be tested. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scriptorium/plugin.h>

typedef struct state {
  size_t count;
} state;

static size_t text_length(const scr_doc *doc) {
  scr_buf b = {0};
  size_t n = scr_node_flatten(scr_doc_root(doc), 1, &b) == 0 ? b.len : 0;
  scr_buf_free(&b);
  return n;
}

static int write_doc(const scr_doc *doc, scr_buf *out, const scr_options *o, scr_diag *diag) {
  (void)o, (void)diag;
  return scr_buf_printf(out, "%zu\n", text_length(doc));
}

static void *open_corpus(const scr_options *o, scr_diag *diag) {
  (void)o, (void)diag;
  return calloc(1, sizeof(state));
}

/* The document's line, or NULL after reporting. */
static char *line_of(const scr_doc *doc, const char *path, scr_diag *diag) {
  scr_str src = scr_doc_meta(doc, SCR_META_SOURCE);
  if (src.len && memmem(src.ptr, src.len, "FAIL", 4)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "test", "refusing %.*s",
                    (int)src.len, src.ptr);
    return NULL;
  }
  char *line = NULL;
  return asprintf(&line, "%s\t%zu\n", path ? path : "-", text_length(doc)) < 0 ? NULL : line;
}

static int add(void *st, const scr_doc *doc, const char *path, scr_buf *body, scr_diag *diag) {
  char *line = line_of(doc, path, diag);
  if (!line) return 0; /* left out, reported */
  ((state *)st)->count++;
  int rc = scr_buf_puts(body, line);
  free(line);
  return rc;
}

static int close_corpus(void *st, scr_buf *head, scr_buf *tail, scr_diag *diag) {
  (void)diag;
  int rc = 0;
  if (head && tail)
    rc = scr_buf_printf(head, "corpus of %zu\n", ((state *)st)->count) ||
         scr_buf_puts(tail, "end\n");
  free(st);
  return rc ? -1 : 0;
}

#ifdef PREPARE
static void *prepare(const scr_doc *doc, const char *path, const scr_options *o, scr_diag *diag) {
  (void)o;
  return line_of(doc, path, diag);
}

static int merge(void *st, void *prepared, scr_buf *body, scr_diag *diag) {
  (void)diag;
  int rc = 0;
  if (st && body) {
    ((state *)st)->count++;
    rc = scr_buf_puts(body, prepared);
  }
  free(prepared);
  return rc;
}
#endif

static const char *const ext[] = {"lst", NULL};

static const scr_writer writer = {
#ifdef PREPARE
    .struct_size = sizeof(scr_writer),
#else
    .struct_size = offsetof(scr_writer, corpus_prepare),
#endif
    .format = "listing",
    .description = "lengths (a test of corpus writers)",
    .extensions = ext,
    .media_type = "text/plain",
    .write = write_doc,
    .corpus_open = open_corpus,
    .corpus_add = add,
    .corpus_close = close_corpus,
#ifdef PREPARE
    .corpus_prepare = prepare,
    .corpus_merge = merge,
#endif
};

static const scr_writer *const writers[] = {&writer, NULL};

static const scr_plugin descriptor = {
    .abi_major = SCR_ABI_MAJOR,
#ifdef PREPARE
    .abi_minor = SCR_ABI_MINOR,
#else
    .abi_minor = 1,
#endif
    .struct_size = sizeof(scr_plugin),
    .name = "listing",
    .version = "1.0.0",
    .description = "a test writer with corpus files",
    .writers = writers,
};

SCR_PLUGIN_DEFINE(descriptor)
