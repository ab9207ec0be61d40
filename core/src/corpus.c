/* corpus.c - a writer's corpus file by the plugin ABI 1.2 protocol, for
 * every host (the CLI, the fuzzers, a program embedding the library):
 * parts prepared where the documents are, merged in input order,
 * corpus_add as the fallback; HEAD + BODY + TAIL, the BODY on disk. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scriptorium/scriptorium.h"

static const scr_pos nopos = {0, 0, 0};

struct scr_corpus {
  const scr_writer *writer;
  void *state;    /* corpus_open's, until corpus_close; NULL once failed */
  FILE *body;     /* BODY, not in memory: a corpus may hold 10,000 documents */
  scr_buf chunk;  /* one document's part, on its way to `body` */
  unsigned flags; /* scr_outfile_open_ex's, at commit */
  char *path;
};

int scr_writer_has_corpus(const scr_writer *w) {
  return w->corpus_open && w->corpus_add && w->corpus_close;
}

int scr_writer_can_prepare(const scr_writer *w) {
  return scr_writer_has_corpus(w) && SCR_HAS_FIELD(w, scr_writer, corpus_merge) &&
         w->corpus_prepare && w->corpus_merge;
}

const char *scr_corpus_relpath(const char *corpus_path, const char *output) {
  const char *end = strrchr(corpus_path, '/');
  size_t n = end ? (size_t)(end - corpus_path) : 0;
  return strncmp(output, corpus_path, n) == 0 && output[n] == '/' ? output + n + 1 : output;
}

scr_corpus *scr_corpus_open(const scr_writer *w, const char *path, unsigned flags,
                            const scr_options *opts, scr_diag *diag) {
  if (!scr_writer_has_corpus(w)) {
    scr_diag_report(diag, SCR_ERROR, nopos, "corpus", "the '%s' writer has no corpus files",
                    w->format);
    return NULL;
  }
  scr_corpus *c = calloc(1, sizeof *c);
  if (!c || !(c->path = strdup(path))) {
    free(c);
    scr_diag_report(diag, SCR_ERROR, nopos, "oom", "out of memory");
    return NULL;
  }
  c->writer = w;
  c->flags = flags;
  if (!(c->body = tmpfile())) {
    scr_diag_report(diag, SCR_ERROR, nopos, "io", "cannot create a temporary file: %s",
                    strerror(errno));
    scr_corpus_abort(c);
    return NULL;
  }
  size_t errors = scr_diag_count(diag, SCR_ERROR);
  c->state = w->corpus_open(opts, diag);
  if (!c->state || scr_diag_count(diag, SCR_ERROR) > errors) {
    if (scr_diag_count(diag, SCR_ERROR) == errors)
      scr_diag_report(diag, SCR_ERROR, nopos, "corpus",
                      "the '%s' writer's corpus failed to open without saying why", w->format);
    scr_corpus_abort(c);
    return NULL;
  }
  return c;
}

const char *scr_corpus_path(const scr_corpus *c) { return c->path; }

void *scr_corpus_prepare(const scr_writer *w, const scr_doc *doc, const char *relpath,
                         const scr_options *opts, scr_diag *diag) {
  size_t errors = scr_diag_count(diag, SCR_ERROR);
  void *part = w->corpus_prepare(doc, relpath, opts, diag);
  if (part && scr_diag_count(diag, SCR_ERROR) == errors) return part;
  if (part) w->corpus_merge(NULL, part, NULL, NULL);
  if (scr_diag_count(diag, SCR_ERROR) == errors)
    scr_diag_report(diag, SCR_ERROR, nopos, "corpus",
                    "the '%s' writer failed to prepare the document's part without saying why",
                    w->format);
  return NULL;
}

void scr_corpus_discard(const scr_writer *w, void *prepared) {
  if (prepared) w->corpus_merge(NULL, prepared, NULL, NULL);
}

/* The corpus cannot go on: the writer frees its state, nothing is written. */
static void corpus_fail(scr_corpus *c, scr_diag *diag) {
  if (c->state) c->writer->corpus_close(c->state, NULL, NULL, diag);
  c->state = NULL;
}

int scr_corpus_add(scr_corpus *c, void *prepared, const scr_doc *doc, const char *relpath,
                   scr_diag *diag) {
  const scr_writer *w = c->writer;
  if (!c->state) {
    scr_corpus_discard(w, prepared);
    return -1;
  }
  size_t errors = scr_diag_count(diag, SCR_ERROR);
  scr_buf_clear(&c->chunk);
  int rc = prepared ? w->corpus_merge(c->state, prepared, &c->chunk, diag)
                    : w->corpus_add(c->state, doc, relpath, &c->chunk, diag);
  /* A document the writer refused but went on without (an id already
   * taken) is left out of the corpus, which goes on. */
  if (rc == 0 && scr_diag_count(diag, SCR_ERROR) > errors) return 1;
  if (rc == 0 && c->chunk.len &&
      fwrite(c->chunk.data, 1, c->chunk.len, c->body) != c->chunk.len) {
    scr_diag_report(diag, SCR_ERROR, nopos, "io",
                    "cannot write the corpus's temporary file: %s", strerror(errno));
    rc = -1;
  } else if (rc != 0 && scr_diag_count(diag, SCR_ERROR) == errors) {
    scr_diag_report(diag, SCR_ERROR, nopos, "corpus",
                    "the '%s' writer's corpus failed without saying why", w->format);
  }
  if (rc == 0) return 0;
  corpus_fail(c, diag);
  return -1;
}

int scr_corpus_commit(scr_corpus *c, scr_diag *diag) {
  const scr_writer *w = c->writer;
  if (!c->state) {
    scr_corpus_abort(c);
    return -1;
  }
  scr_buf head = {0}, tail = {0};
  size_t errors = scr_diag_count(diag, SCR_ERROR);
  int ok = w->corpus_close(c->state, &head, &tail, diag) == 0 &&
           scr_diag_count(diag, SCR_ERROR) == errors;
  c->state = NULL;
  if (!ok && scr_diag_count(diag, SCR_ERROR) == errors)
    scr_diag_report(diag, SCR_ERROR, nopos, "corpus",
                    "the '%s' writer's corpus failed to close without saying why", w->format);
  scr_outfile *f = ok ? scr_outfile_open_ex(c->path, c->flags, diag) : NULL;
  ok = f && scr_outfile_write(f, head.data ? head.data : "", head.len, diag) == 0;
  if (ok && (fflush(c->body) != 0 || fseek(c->body, 0, SEEK_SET) != 0)) {
    scr_diag_report(diag, SCR_ERROR, nopos, "io", "cannot read the corpus's temporary file: %s",
                    strerror(errno));
    ok = 0;
  }
  char block[65536];
  size_t n;
  while (ok && (n = fread(block, 1, sizeof block, c->body)) > 0)
    ok = scr_outfile_write(f, block, n, diag) == 0;
  if (ok && ferror(c->body)) {
    scr_diag_report(diag, SCR_ERROR, nopos, "io", "cannot read the corpus's temporary file");
    ok = 0;
  }
  ok = ok && scr_outfile_write(f, tail.data ? tail.data : "", tail.len, diag) == 0;
  if (ok) {
    ok = scr_outfile_commit(f, diag) == 0;
  } else {
    scr_outfile_abort(f);
  }
  scr_buf_free(&head);
  scr_buf_free(&tail);
  scr_corpus_abort(c);
  return ok ? 0 : -1;
}

void scr_corpus_abort(scr_corpus *c) {
  if (!c) return;
  corpus_fail(c, NULL);
  if (c->body) fclose(c->body);
  scr_buf_free(&c->chunk);
  free(c->path);
  free(c);
}
