/* corpus.c - a run's corpus files (corpus.h), over the core's corpus API
 * (scr_corpus_*): this file decides which corpus files a run has and
 * names them; the protocol is the library's. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "diag.h"

/* On the worker: each corpus writer that can prepares the document's part
 * of its corpus here; for the others the document is kept (j->doc) until
 * the main thread hands it to corpus_add. Takes `doc`'s ownership. */
void corpus_prepare_parts(run *r, job *j, scr_doc *doc) {
  int keep = 0;
  for (size_t w = 0; w < r->nwriters; w++) {
    const scr_writer *wr = r->writers[w];
    if (!r->corpus_paths[w]) continue;
    if (!scr_writer_can_prepare(wr)) {
      keep = 1;
      continue;
    }
    if (!j->prepared) { /* out of memory when planned: fall back to corpus_add */
      keep = 1;
      break;
    }
    const char *relpath =
        (j->written >> w) & 1 ? scr_corpus_relpath(r->corpus_paths[w], j->outputs[w]) : NULL;
    scr_diag *cd = scr_diag_new(r->corpus_paths[w], cli_buffer_diag, &j->diags);
    if (!cd) { /* out of memory: fall back to corpus_add */
      keep = 1;
      continue;
    }
    j->prepared[w] = scr_corpus_prepare(wr, doc, relpath, r->writer_opts[w], cd);
    if (!j->prepared[w]) j->corpus_failed |= 1u << w;
    scr_diag_free(cd);
  }
  if (keep) {
    j->doc = doc;
  } else {
    scr_doc_free(doc);
  }
}

int corpus_plan(run *r, int no_corpus, unsigned shard_k, unsigned shard_n) {
  int any_dir = 0;
  for (size_t i = 0; i < r->njobs; i++) any_dir |= r->jobs[i].from_dir;
  r->corpus_files = calloc(r->nwriters, sizeof *r->corpus_files);
  r->corpus_paths = calloc(r->nwriters, sizeof *r->corpus_paths);
  if (!r->corpus_files || !r->corpus_paths) goto oom;
  if (!r->outdir || no_corpus || (r->njobs <= 1 && !any_dir)) return 0;
  for (size_t w = 0; w < r->nwriters; w++) {
    const scr_writer *wr = r->writers[w];
    if (!scr_writer_has_corpus(wr)) continue;
    char shard_part[64] = "";
    if (shard_n > 1) snprintf(shard_part, sizeof shard_part, ".%u-of-%u", shard_k, shard_n);
    int n = any_dir ? asprintf(&r->corpus_paths[w], "%s/%s/corpus%s.%s", r->outdir, wr->format,
                               shard_part, wr->extensions[0])
                    : asprintf(&r->corpus_paths[w], "%s/corpus%s.%s", r->outdir, shard_part,
                               wr->extensions[0]);
    if (n < 0) {
      r->corpus_paths[w] = NULL;
      goto oom;
    }
    int dup = str_set_add(&r->planned, r->corpus_paths[w]);
    if (dup < 0) goto oom;
    if (dup == 1) {
      usage_error("an input would be written to '%s', the corpus file", r->corpus_paths[w]);
      return EXIT_USAGE;
    }
    r->corpus = 1;
  }
  return 0;
oom:
  usage_error("out of memory");
  return EXIT_FAILED;
}

int corpus_open_all(run *r) {
  int rc = 0;
  for (size_t w = 0; w < r->nwriters; w++) {
    if (!r->corpus_paths[w]) continue;
    scr_diag *diag = cli_printing_diag(r->corpus_paths[w]);
    if (diag)
      r->corpus_files[w] = scr_corpus_open(r->writers[w], r->corpus_paths[w],
                                           r->sync == SYNC_FILE ? SCR_OUTFILE_SYNC : 0,
                                           r->writer_opts[w], diag);
    if (!r->corpus_files[w]) {
      rc = EXIT_FAILED;
      free(r->corpus_paths[w]);
      r->corpus_paths[w] = NULL;
    }
    scr_diag_free(diag);
  }
  /* The slots for prepared corpus parts, allocated here rather than on the
   * workers: what the main thread frees should be its own (glibc locks the
   * arena of a worker for a block freed from another thread). */
  for (size_t i = 0; r->corpus && i < r->njobs; i++)
    r->jobs[i].prepared = calloc(r->nwriters, sizeof *r->jobs[i].prepared);
  return rc;
}

int corpus_keeps_docs(const run *r) {
  for (size_t w = 0; w < r->nwriters; w++)
    if (r->corpus_paths[w] && !scr_writer_can_prepare(r->writers[w])) return 1;
  return 0;
}

int corpus_take(run *r, job *j) {
  int rc = 0;
  for (size_t w = 0; w < r->nwriters; w++) {
    void *prepared = j->prepared ? j->prepared[w] : NULL;
    if (!r->corpus_files[w]) {
      scr_corpus_discard(r->writers[w], prepared);
      continue;
    }
    /* neither prepared nor failing in corpus_prepare: corpus_add (a writer
     * without corpus_prepare, or the fallback when memory ran out) */
    if (!prepared && (!j->doc || ((j->corpus_failed >> w) & 1))) continue;
    scr_diag *diag = cli_printing_diag(r->corpus_paths[w]);
    const char *relpath =
        (j->written >> w) & 1 ? scr_corpus_relpath(r->corpus_paths[w], j->outputs[w]) : NULL;
    int added = diag ? scr_corpus_add(r->corpus_files[w], prepared, prepared ? NULL : j->doc,
                                      relpath, diag)
                     : -1;
    /* A document the corpus writer refused (an id already taken) is left
     * out of it: a failure of that document, not a warning. */
    if (added == 1) j->corpus_failed |= 1u << w;
    if (added < 0) {
      if (!diag) scr_corpus_discard(r->writers[w], prepared);
      rc = EXIT_FAILED;
      scr_corpus_abort(r->corpus_files[w]);
      r->corpus_files[w] = NULL;
    }
    scr_diag_free(diag);
  }
  scr_doc_free(j->doc);
  j->doc = NULL;
  free(j->prepared);
  j->prepared = NULL;
  return rc;
}

int corpus_finish(run *r, int interrupted) {
  int rc = 0;
  for (size_t w = 0; w < r->nwriters; w++) {
    scr_corpus *c = r->corpus_files[w];
    if (!c) continue;
    r->corpus_files[w] = NULL;
    scr_diag *diag = interrupted ? NULL : cli_printing_diag(r->corpus_paths[w]);
    /* interrupted: a corpus of part of the inputs would pass for the whole */
    if (!diag) {
      scr_corpus_abort(c);
      if (!interrupted) rc = EXIT_FAILED;
      continue;
    }
    if (scr_corpus_commit(c, diag)) rc = EXIT_FAILED;
    scr_diag_free(diag);
  }
  return rc;
}

void corpus_free(run *r) {
  for (size_t w = 0; r->corpus_files && w < r->nwriters; w++)
    scr_corpus_abort(r->corpus_files[w]);
  free(r->corpus_files);
  for (size_t w = 0; r->corpus_paths && w < r->nwriters; w++) free(r->corpus_paths[w]);
  free(r->corpus_paths);
  for (size_t i = 0; i < r->njobs; i++) {
    job *j = &r->jobs[i];
    for (size_t w = 0; j->prepared && w < r->nwriters; w++)
      scr_corpus_discard(r->writers[w], j->prepared[w]);
  }
}
