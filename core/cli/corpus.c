/* corpus.c - a run's corpus files (corpus.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "diag.h"

static int can_prepare(const scr_writer *w) {
  return SCR_HAS_FIELD(w, scr_writer, corpus_merge) && w->corpus_prepare && w->corpus_merge;
}

/* The output's path relative to the directory of the corpus file. */
static const char *corpus_relpath(const char *corpus_path, const char *output) {
  const char *cdir_end = strrchr(corpus_path, '/');
  size_t n = cdir_end ? (size_t)(cdir_end - corpus_path) : 0;
  return strncmp(output, corpus_path, n) == 0 && output[n] == '/' ? output + n + 1 : output;
}


/* On the worker: each corpus writer that can prepares the document's part
 * of its corpus here; for the others the document is kept (j->doc) until
 * the main thread hands it to corpus_add. Takes `doc`'s ownership. */
void corpus_prepare_parts(run *r, job *j, scr_doc *doc) {
  int keep = 0;
  for (size_t w = 0; w < r->nwriters; w++) {
    const scr_writer *wr = r->writers[w];
    if (!r->corpus_paths[w]) continue;
    if (!can_prepare(wr)) {
      keep = 1;
      continue;
    }
    if (!j->prepared) { /* out of memory when planned: fall back to corpus_add */
      keep = 1;
      break;
    }
    const char *relpath =
        (j->written >> w) & 1 ? corpus_relpath(r->corpus_paths[w], j->outputs[w]) : NULL;
    scr_diag *cd = scr_diag_new(r->corpus_paths[w], cli_buffer_diag, &j->diags);
    if (!cd) { /* out of memory: fall back to corpus_add */
      keep = 1;
      continue;
    }
    j->prepared[w] = wr->corpus_prepare(doc, relpath, r->writer_opts[w], cd);
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
  r->corpus_state = calloc(r->nwriters, sizeof *r->corpus_state);
  r->corpus_paths = calloc(r->nwriters, sizeof *r->corpus_paths);
  r->corpus_body = calloc(r->nwriters, sizeof *r->corpus_body);
  if (!r->corpus_state || !r->corpus_paths || !r->corpus_body) goto oom;
  if (!r->outdir || no_corpus || (r->njobs <= 1 && !any_dir)) return 0;
  for (size_t w = 0; w < r->nwriters; w++) {
    const scr_writer *wr = r->writers[w];
    if (!wr->corpus_open) continue;
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
    r->corpus_body[w] = tmpfile();
    if (!r->corpus_body[w]) {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "io",
                      "cannot create a temporary file: %s", strerror(errno));
    } else if (diag) {
      r->corpus_state[w] = r->writers[w]->corpus_open(r->writer_opts[w], diag);
    }
    if (!r->corpus_state[w]) {
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
    if (r->corpus_paths[w] && !can_prepare(r->writers[w])) return 1;
  return 0;
}

int corpus_take(run *r, job *j) {
  int rc = 0;
  for (size_t w = 0; w < r->nwriters; w++) {
    void *prepared = j->prepared ? j->prepared[w] : NULL;
    if (!r->corpus_state[w]) {
      if (prepared) r->writers[w]->corpus_merge(NULL, prepared, NULL, NULL);
      continue;
    }
    /* neither prepared nor failing in corpus_prepare: corpus_add (a writer
     * without corpus_prepare, or the fallback when memory ran out) */
    if (!prepared && (!j->doc || ((j->corpus_failed >> w) & 1))) continue;
    scr_diag *diag = cli_printing_diag(r->corpus_paths[w]);
    scr_buf_clear(&r->chunk);
    int added;
    if (!diag) {
      added = -1;
      if (prepared) r->writers[w]->corpus_merge(NULL, prepared, NULL, NULL);
    } else if (prepared) {
      added = r->writers[w]->corpus_merge(r->corpus_state[w], prepared, &r->chunk, diag);
    } else {
      const char *relpath =
          (j->written >> w) & 1 ? corpus_relpath(r->corpus_paths[w], j->outputs[w]) : NULL;
      added = r->writers[w]->corpus_add(r->corpus_state[w], j->doc, relpath, &r->chunk, diag);
    }
    /* A document the corpus writer refused (an id already taken) is left
     * out of it: a failure of that document, not a warning. */
    if (added == 0 && scr_diag_count(diag, SCR_ERROR)) j->corpus_failed |= 1u << w;
    if (added != 0 || (r->chunk.len && fwrite(r->chunk.data, 1, r->chunk.len,
                                              r->corpus_body[w]) != r->chunk.len)) {
      if (diag && !scr_diag_count(diag, SCR_ERROR))
        scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "io",
                        "cannot write the corpus's temporary file: %s", strerror(errno));
      rc = EXIT_FAILED;
      r->writers[w]->corpus_close(r->corpus_state[w], NULL, NULL, diag);
      r->corpus_state[w] = NULL;
    }
    scr_diag_free(diag);
  }
  scr_doc_free(j->doc);
  j->doc = NULL;
  free(j->prepared);
  j->prepared = NULL;
  return rc;
}

/* HEAD + BODY + TAIL, BODY copied from disk. */
static int write_corpus(run *r, size_t w) {
  scr_diag *diag = cli_printing_diag(r->corpus_paths[w]);
  if (!diag) {
    r->writers[w]->corpus_close(r->corpus_state[w], NULL, NULL, NULL);
    r->corpus_state[w] = NULL;
    return -1;
  }
  FILE *body = r->corpus_body[w];
  scr_buf head = {0}, tail = {0};
  int ok = r->writers[w]->corpus_close(r->corpus_state[w], &head, &tail, diag) == 0 &&
           !scr_diag_count(diag, SCR_ERROR);
  r->corpus_state[w] = NULL;
  scr_outfile *f = ok ? scr_outfile_open_ex(r->corpus_paths[w],
                                            r->sync == SYNC_FILE ? SCR_OUTFILE_SYNC : 0, diag)
                      : NULL;
  ok = f && scr_outfile_write(f, head.data ? head.data : "", head.len, diag) == 0 &&
       fflush(body) == 0 && fseek(body, 0, SEEK_SET) == 0;
  char block[65536];
  size_t n;
  while (ok && (n = fread(block, 1, sizeof block, body)) > 0)
    ok = scr_outfile_write(f, block, n, diag) == 0;
  ok = ok && !ferror(body) && scr_outfile_write(f, tail.data ? tail.data : "", tail.len, diag) == 0;
  if (ok) {
    ok = scr_outfile_commit(f, diag) == 0;
  } else {
    scr_outfile_abort(f);
  }
  scr_buf_free(&head);
  scr_buf_free(&tail);
  scr_diag_free(diag);
  return ok ? 0 : -1;
}

int corpus_finish(run *r, int interrupted) {
  int rc = 0;
  for (size_t w = 0; w < r->nwriters; w++) {
    if (!r->corpus_state[w]) continue;
    if (interrupted) { /* a corpus of part of the inputs would pass for the whole */
      r->writers[w]->corpus_close(r->corpus_state[w], NULL, NULL, NULL);
      r->corpus_state[w] = NULL;
      continue;
    }
    if (write_corpus(r, w)) rc = EXIT_FAILED;
  }
  return rc;
}

void corpus_free(run *r) {
  for (size_t w = 0; r->corpus_state && w < r->nwriters; w++)
    if (r->corpus_state[w]) r->writers[w]->corpus_close(r->corpus_state[w], NULL, NULL, NULL);
  free(r->corpus_state);
  for (size_t w = 0; r->corpus_body && w < r->nwriters; w++)
    if (r->corpus_body[w]) fclose(r->corpus_body[w]);
  free(r->corpus_body);
  scr_buf_free(&r->chunk);
  for (size_t w = 0; r->corpus_paths && w < r->nwriters; w++) free(r->corpus_paths[w]);
  free(r->corpus_paths);
  for (size_t i = 0; i < r->njobs; i++) {
    job *j = &r->jobs[i];
    for (size_t w = 0; j->prepared && w < r->nwriters; w++)
      if (j->prepared[w]) r->writers[w]->corpus_merge(NULL, j->prepared[w], NULL, NULL);
  }
}
