/* one.c - converting one input (one.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "corpus.h"
#include "diag.h"
#include "one.h"
#include "outputs.h"
#include "provenance.h"
#include "record.h"

/* Keeps the files the reader consulted (they go to the manifest). */
static int keep_depends(job *j, const scr_doc *doc) {
  size_t n = scr_doc_depend_count(doc);
  if (!n) return 0;
  j->dep_path = calloc(n, sizeof *j->dep_path);
  j->dep_sha = calloc(n, sizeof *j->dep_sha);
  if (!j->dep_path || !j->dep_sha) {
    free(j->dep_path), free(j->dep_sha);
    j->dep_path = j->dep_sha = NULL;
    return -1;
  }
  j->ndeps = n;
  for (size_t i = 0; i < n; i++) {
    j->dep_path[i] = strdup(scr_doc_depend_path(doc, i).ptr);
    j->dep_sha[i] = strdup(scr_doc_depend_sha256(doc, i).ptr);
    if (!j->dep_path[i] || !j->dep_sha[i]) {
      /* none rather than some: the manifest line lists all or nothing */
      for (size_t k = 0; k <= i; k++) free(j->dep_path[k]), free(j->dep_sha[k]);
      free(j->dep_path), free(j->dep_sha);
      j->dep_path = j->dep_sha = NULL;
      j->ndeps = 0;
      return -1;
    }
  }
  return 0;
}


void convert_one(run *r, job *j) {
  const char *shown = strcmp(j->path, "-") == 0 ? "<stdin>" : j->path;
  scr_diag *diag = scr_diag_new(shown, cli_buffer_diag, &j->diags);
  char *data = NULL;
  size_t len = 0;
  scr_doc *doc = NULL;
  j->status = JOB_FAILED;
  if (!diag) {
    fprintf(stderr, "%s: error: out of memory\n", shown);
    return;
  }
  if (j->skip) {
    scr_diag_report(diag, SCR_WARNING, (scr_pos){0, 0, 0}, "skipped", "%s", j->skip);
    j->status = JOB_SKIPPED;
    goto out;
  }
  if (j->member_error) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "archive", "%s", j->member_error);
    goto out;
  }
  if (j->archive ? archive_load(r, j, &data, &len, diag) : scr_file_read(j->path, &data, &len, diag))
    goto out;
  j->size = len;
  scr_sha256_hex(data, len, j->sha);
  int unchanged = r->outdir && !r->force && (j->prev = record_up_to_date(r, j)) != NULL;
  if (unchanged && !r->corpus) {
    free(data);
    j->status = JOB_UNCHANGED;
    j->written = (1u << r->nwriters) - 1;
    goto out;
  }
  const scr_reader *rd = r->reader ? r->reader : j->member_reader;
  const scr_options *ropts = NULL;
  if (!rd) {
    /* A file found in a directory that no reader recognises (an authority
     * file such as persons.yaml beside the transcripts, notes, a stray
     * export) is skipped with a warning, not counted as a failure; a file
     * named on the command line is an error. */
    scr_diag *probe = j->from_dir ? scr_diag_new(NULL, NULL, NULL) : NULL;
    if (scr_registry_detect(r->reg, data, len, 25, &rd, probe ? probe : diag)) {
      if (probe)
        scr_diag_report(diag, SCR_WARNING, (scr_pos){0, 0, 0}, "skipped",
                        "skipped: no reader recognises this file (name its format with -f "
                        "to convert it anyway)");
      scr_diag_free(probe);
      free(data);
      if (j->from_dir) j->status = JOB_SKIPPED;
      goto out;
    }
    scr_diag_free(probe);
  }
  const chain *ch = NULL;
  for (size_t i = 0; i < r->nreaders; i++)
    if (r->readers[i] == rd) ropts = r->reader_opts[i], ch = &r->chains[i];
  if (scr_read_bytes(rd, j->path, data, len, ropts, diag, &doc)) goto out;
  if (j->archive && archive_apply_meta(j, doc)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    goto out;
  }
  if (ch && ch->missing) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "transform",
                    "the %s reader's documents need the transform '%s', which no loaded "
                    "plugin provides (--no-transform %s converts without it)",
                    rd->format, ch->missing, ch->missing);
    goto out;
  }
  for (size_t i = 0; ch && i < ch->n; i++) {
    const scr_options *topts = NULL;
    for (size_t k = 0; k < r->ntransforms; k++)
      if (r->transforms[k] == ch->t[i]) topts = r->transform_opts[k];
    if (scr_transform_apply(ch->t[i], doc, topts, diag)) goto out;
  }
  /* After the transforms, which look for files beside the source as read
   * (persons.yaml): its provenance, and its path relative to its root. */
  if (provenance_apply(r, j, doc)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    goto out;
  }
  /* Documents found in subdirectories are named by their path below the
   * root, so that a/100.txt and b/100.txt stay two documents in a corpus. */
  if (j->from_dir && strchr(j->rel, '/') &&
      scr_doc_set_meta(doc, SCR_META_ID, j->rel, strlen(j->rel))) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    goto out;
  }
  if (keep_depends(j, doc)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    goto out;
  }
  int ok = 1;
  for (size_t w = 0; w < r->nwriters; w++) {
    const char *path = j->outputs[w];
    if (unchanged) {
      j->written |= 1u << w;
      continue;
    }
    if (output_refused(r, path, diag)) {
      ok = 0;
      continue;
    }
    scr_buf out = {0};
    if (scr_write(r->writers[w], doc, &out, r->writer_opts[w], diag) != 0 ||
        output_write(r, path, &out, diag) != 0) {
      ok = 0;
    } else {
      j->written |= 1u << w;
      if (j->out_sha) scr_sha256_hex(out.data ? out.data : "", out.len, j->out_sha[w]);
    }
    scr_buf_free(&out);
  }
  j->status = !ok ? JOB_FAILED : unchanged ? JOB_UNCHANGED : JOB_OK;
out:
  j->warnings = scr_diag_count(diag, SCR_WARNING);
  scr_diag_free(diag);
  if (r->corpus && doc)
    corpus_prepare_parts(r, j, doc);
  else
    scr_doc_free(doc);
}
