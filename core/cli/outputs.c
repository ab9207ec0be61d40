/* outputs.c - planning and writing a run's outputs (outputs.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "outdir.h"
#include "outputs.h"

int mkdir_p(const char *dir) {
  char buf[PATH_MAX];
  if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf) return -1;
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0777) && errno != EEXIST) return -1;
    *p = '/';
  }
  return mkdir(buf, 0777) && errno != EEXIST ? -1 : 0;
}

/* -1 (errno ELOOP) if a directory between `outdir` and `dir` (below
 * outdir) is a symbolic link or not a directory: outputs are never written
 * through a link planted in the output tree. The output directory itself
 * may be a link (the user named it). */
static int no_links_below(const char *outdir, char *dir) {
  size_t n = outdir ? strlen(outdir) : 0;
  if (!n || strncmp(dir, outdir, n) != 0 || dir[n] != '/') return 0;
  for (char *p = dir + n + 1;; p++) {
    if (*p && *p != '/') continue;
    char c = *p;
    *p = '\0';
    struct stat st;
    int bad = lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode);
    *p = c;
    if (bad) {
      errno = ELOOP;
      return -1;
    }
    if (!c) return 0;
  }
}

/* Creates the directories above `path`. Each thread remembers the last
 * directory it made, so a tree of 10,000 files costs a few mkdir calls. */
static int parent_dirs(const char *outdir, const char *path) {
  static _Thread_local char last[PATH_MAX];
  char buf[PATH_MAX];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return errno = ENAMETOOLONG, -1;
  char *slash = strrchr(buf, '/');
  if (!slash || slash == buf) return 0;
  *slash = '\0';
  if (strcmp(buf, last) == 0) return 0;
  if (mkdir_p(buf) || no_links_below(outdir, buf)) return -1;
  memcpy(last, buf, (size_t)(slash - buf) + 1);
  return 0;
}

static char *plan_output(const run *r, const job *j, const scr_writer *w) {
  char *path = NULL;
  if (r->output) return strdup(r->output);
  if (!r->outdir) return strdup("-");
  int n = j->from_dir ? asprintf(&path, "%s/%s/%s.%s", r->outdir, w->format, j->rel, w->extensions[0])
                      : asprintf(&path, "%s/%s.%s", r->outdir, j->rel, w->extensions[0]);
  return n < 0 ? NULL : path;
}

int outputs_plan(run *r) {
  for (size_t i = 0; i < r->njobs; i++) {
    job *j = &r->jobs[i];
    j->outputs = calloc(r->nwriters, sizeof *j->outputs);
    j->out_sha = calloc(r->nwriters, sizeof *j->out_sha);
    if (!j->outputs || !j->out_sha) goto oom;
    for (size_t w = 0; w < r->nwriters; w++) {
      if (!(j->outputs[w] = plan_output(r, j, r->writers[w]))) goto oom;
      int dup = r->outdir ? str_set_add(&r->planned, j->outputs[w]) : 0;
      if (dup < 0) goto oom;
      if (dup == 1) {
        usage_error("two inputs would both be written to '%s' (rename one, or give their "
                    "directory)", j->outputs[w]);
        return EXIT_USAGE;
      }
    }
    if (j->id.ino && id_set_add(&r->inputs, j->id) < 0) goto oom;
  }
  return 0;
oom:
  usage_error("out of memory");
  return EXIT_FAILED;
}

void outputs_clean_temporaries(const run *r) {
  str_set dirs = {0};
  char *top = strdup(r->outdir);
  if (!top || str_set_add(&dirs, top) < 0) free(top);
  for (size_t i = 0; i < r->njobs; i++)
    for (size_t w = 0; w < r->nwriters; w++) {
      const char *slash = strrchr(r->jobs[i].outputs[w], '/');
      char *d = slash ? strndup(r->jobs[i].outputs[w], (size_t)(slash - r->jobs[i].outputs[w]))
                      : NULL;
      if (!d || str_set_add(&dirs, d) != 0) free(d);
    }
  for (size_t i = 0; i < dirs.cap; i++)
    if (dirs.slots[i]) {
      outdir_clean_temporaries(dirs.slots[i]);
      free((char *)dirs.slots[i]);
    }
  free(dirs.slots);
}

int output_refused(const run *r, const char *path, scr_diag *diag) {
  if (strcmp(path, "-") == 0 || !id_set_has(&r->inputs, file_id_of(path))) return 0;
  scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "io",
                  "refusing to write '%s': it is an input", path);
  return 1;
}

/* Writes one output atomically; -o names its file itself, so a device or a
 * pipe there is written directly. */
static int write_output(const run *r, const char *path, const char *data, size_t len,
                        scr_diag *diag) {
  unsigned flags = (r->output ? SCR_OUTFILE_DEVICE : 0) | (r->sync == SYNC_FILE ? SCR_OUTFILE_SYNC : 0);
  scr_outfile *f = scr_outfile_open_ex(path, flags, diag);
  if (!f) return -1;
  if (scr_outfile_write(f, data, len, diag)) {
    scr_outfile_abort(f);
    return -1;
  }
  return scr_outfile_commit(f, diag);
}

int output_write(const run *r, const char *path, const scr_buf *out, scr_diag *diag) {
  if (strcmp(path, "-") != 0 && parent_dirs(r->outdir, path) != 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "io",
                    errno == ELOOP ? "refusing to write '%s': a directory above it in the "
                                     "output directory is a symbolic link or not a directory"
                                   : "cannot create the directory of '%s': %s",
                    path, strerror(errno));
    return -1;
  }
  return write_output(r, path, out->data ? out->data : "", out->len, diag);
}
