/* record.c - the output directory's record of a run (record.h): lock,
 * previous manifest and journal, the up-to-date check, the new manifest. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "outdir.h"
#include "record.h"

/* Loads a manifest file into r->prev (quietly: a missing or unreadable one
 * is no manifest). Returns whether the file existed. */
static int load_manifest(run *r, const char *path) {
  char *data;
  size_t len;
  scr_diag *quiet = scr_diag_new(NULL, NULL, NULL);
  if (!quiet || scr_file_read(path, &data, &len, quiet)) {
    scr_diag_free(quiet);
    return 0;
  }
  scr_diag_free(quiet);
  if (manifest_add_text(&r->prev, data, len)) manifest_free(&r->prev); /* OOM: convert all */
  free(data);
  return 1;
}


/* Output paths in the manifest are relative to the output directory. */
static const char *rel_to_outdir(const run *r, const char *path) {
  size_t n = strlen(r->outdir);
  if (strncmp(path, r->outdir, n) == 0 && path[n] == '/') return path + n + 1;
  return path;
}

/* The SHA-256 of an output as it is on disk: "?" unless it is a regular
 * file (not a link to one) that can be read. */
static void output_sha(const char *path, sha_hex out) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  struct stat st;
  strcpy(out, "?");
  if (fd < 0) return;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size < ((uint64_t)1 << 40)) {
    char *data = malloc(st.st_size ? (size_t)st.st_size : 1);
    size_t got = 0;
    while (data && got < (size_t)st.st_size) {
      ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += (size_t)n;
    }
    if (data && got == (size_t)st.st_size) scr_sha256_hex(data, got, out);
    free(data);
  }
  close(fd);
}

/* The current hash of a file a reader consulted, once per run. */
static void dep_sha(run *r, const char *path, sha_hex out) {
  dep_cache *c = &r->deps;
  pthread_mutex_lock(&c->lock);
  for (size_t i = 0; i < c->len; i++)
    if (strcmp(c->path[i], path) == 0) {
      memcpy(out, c->sha[i], sizeof(sha_hex));
      pthread_mutex_unlock(&c->lock);
      return;
    }
  pthread_mutex_unlock(&c->lock);
  scr_file_sha256(path, out);
  pthread_mutex_lock(&c->lock);
  if (c->len == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 16;
    char **p = realloc(c->path, cap * sizeof *p);
    if (p) c->path = p;
    sha_hex *h = p ? realloc(c->sha, cap * sizeof *h) : NULL;
    if (h) c->sha = h, c->cap = cap;
  }
  if (c->len < c->cap && (c->path[c->len] = strdup(path)) != NULL)
    memcpy(c->sha[c->len++], out, sizeof(sha_hex));
  pthread_mutex_unlock(&c->lock);
}


/* Whether job j's outputs are up to date: its input, the run's key and
 * every file its reader consulted are as the previous manifest says, and
 * each output is on disk with the hash it was written with. */
const manifest_entry *record_up_to_date(run *r, const job *j) {
  const manifest_entry *e = manifest_find(&r->prev, j->path);
  if (!e || e->size != j->size || strcmp(e->sha, j->sha) != 0 || strcmp(e->key, r->key) != 0 ||
      strcmp(e->status, "ok") != 0)
    return NULL;
  for (size_t d = 0; d < e->ndeps; d++) {
    sha_hex now_sha;
    dep_sha(r, e->dep_path[d], now_sha);
    if (strcmp(now_sha, "?") == 0 || strcmp(now_sha, e->dep_sha[d]) != 0) return NULL;
  }
  for (size_t w = 0; w < r->nwriters; w++) {
    long k = manifest_output_index(e, rel_to_outdir(r, j->outputs[w]));
    if (k < 0 || strcmp(e->output_sha[k], "-") == 0) return NULL;
    sha_hex on_disk;
    output_sha(j->outputs[w], on_disk);
    if (strcmp(on_disk, e->output_sha[k]) != 0) return NULL;
  }
  return e;
}

/* The run's key: what, besides the input, decides the output bytes. -1 on
 * out of memory. */
int record_key(run *r, const char *from, const char *to, const setting *sets, size_t nsets,
               const chain_edit *edits, size_t nedits) {
  scr_buf b = {0};
  int err = scr_buf_printf(&b, "scriptorium %s\nfrom %s\nto %s\n", scr_version(), from ? from : "-", to);
  for (size_t i = 0; i < nedits; i++)
    err |= scr_buf_printf(&b, "transform %c%s\n", edits[i].op, edits[i].name);
  /* A rebuilt plugin or program counts as a new version even when its
   * version string did not change (as during development). */
  for (size_t i = 0; i < scr_registry_plugin_count(r->reg); i++) {
    const scr_plugin *p = scr_registry_plugin(r->reg, i);
    struct stat st;
    const char *path = scr_registry_plugin_path(r->reg, i);
    if (stat(path, &st) != 0) memset(&st, 0, sizeof st);
    err |= scr_buf_printf(&b, "plugin %s %s %lld %lld.%09ld\n", p->name, p->version,
                   (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  }
  struct stat self;
  if (stat("/proc/self/exe", &self) == 0)
    err |= scr_buf_printf(&b, "program %lld %lld.%09ld\n", (long long)self.st_size,
                   (long long)self.st_mtim.tv_sec, self.st_mtim.tv_nsec);
  for (size_t i = 0; i < nsets; i++)
    err |= scr_buf_printf(&b, "set %s.%s=%s\n", sets[i].format ? sets[i].format : "", sets[i].key,
                   sets[i].value);
  /* provenance given on the command line is in every output it applies to
   * (a table is a consulted file of each document instead) */
  static const char *const prov[PROV_FIELDS] = {"url", "licence", "retrieved", "citation"};
  for (int f = 0; f < PROV_FIELDS; f++)
    if (r->prov.cli[f]) err |= scr_buf_printf(&b, "provenance %s=%s\n", prov[f], r->prov.cli[f]);
  if (r->prov.table) err |= scr_buf_printf(&b, "sources %s\n", r->prov.table);
  scr_sha256_hex(b.data ? b.data : "", b.len, r->key);
  scr_buf_free(&b);
  return err ? -1 : 0;
}

/* Job j's manifest line. An input found up to date keeps the line of the
 * conversion that wrote its outputs (status, warnings, hashes, consulted
 * files): the manifest of a resumed run is that of an uninterrupted one. */
static int job_line(const run *r, const job *j, scr_buf *b) {
  static const char *const names[] = {"pending", "ok", "ok", "failed", "skipped", "cancelled"};
  const manifest_entry *p = j->status == JOB_UNCHANGED ? j->prev : NULL;
  char *outs[32], *shas[32];
  manifest_entry e = {0};
  e.path = j->path;
  e.size = j->size;
  e.sha = (char *)(j->sha[0] ? j->sha : "-");
  e.status = (char *)(p ? p->status : names[j->status]);
  e.warnings = p ? p->warnings : j->warnings;
  e.key = (char *)r->key;
  for (size_t w = 0; w < r->nwriters; w++) {
    if (!((j->written >> w) & 1)) continue;
    const char *rel = rel_to_outdir(r, j->outputs[w]);
    long k = p ? manifest_output_index(p, rel) : -1;
    outs[e.noutputs] = (char *)rel;
    shas[e.noutputs++] = k >= 0 ? p->output_sha[k] : j->out_sha ? (char *)j->out_sha[w] : "-";
  }
  e.outputs = outs;
  e.output_sha = shas;
  e.ndeps = p ? p->ndeps : j->ndeps;
  e.dep_path = p ? p->dep_path : j->dep_path;
  e.dep_sha = p ? p->dep_sha : j->dep_sha;
  return manifest_format_line(b, &e);
}

/* Appends to the journal, whole lines at a time: what a run killed before
 * its end has finished, read back by the next run. */
static void journal_append(int fd, const char *data, size_t len) {
  while (fd >= 0 && len) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return; /* a full disk: the run goes on, resuming is lost */
    data += n;
    len -= (size_t)n;
  }
}

int record_open(run *r, unsigned shard_k, unsigned shard_n) {
  char shard_part[64] = "";
  if (shard_n > 1) snprintf(shard_part, sizeof shard_part, ".%u-of-%u", shard_k, shard_n);
  if (asprintf(&r->mpath, "%s/manifest%s.tsv", r->outdir, shard_part) < 0) r->mpath = NULL;
  if (!r->mpath || asprintf(&r->jpath, "%s.journal", r->mpath) < 0) {
    r->jpath = NULL;
    fprintf(stderr, "%s: error: out of memory\n", program);
    return -1;
  }
  r->lock_fd = outdir_lock(r->outdir, shard_n > 1 ? r->mpath + strlen(r->outdir) + 1 : NULL);
  if (r->lock_fd < 0) return -1;
  load_manifest(r, r->mpath);
  load_manifest(r, r->jpath);
  manifest_finish(&r->prev);
  return 0;
}

void record_start(run *r) {
  if (r->outdir) {
    r->journal_fd = open(r->jpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0666);
    struct stat st;
    if (r->journal_fd >= 0 && fstat(r->journal_fd, &st) == 0 && st.st_size > 0) {
      /* a line torn by a kill stays a line of its own, ignored */
      char last = '\n';
      if (pread(r->journal_fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
        journal_append(r->journal_fd, "\n", 1);
    } else if (r->journal_fd >= 0) {
      journal_append(r->journal_fd, manifest_header, strlen(manifest_header));
    }
  }
  /* A line that could not be formatted (out of memory) leaves the manifest
   * as it was and keeps the journal, which has every line that was. */
  r->mlines_lost = scr_buf_puts(&r->mlines, manifest_header) != 0;
}

void record_job(run *r, const job *j) {
  size_t at = r->mlines.len;
  if (j->status == JOB_CANCELLED) {
    /* interrupted before it was converted: its previous line stands */
    const manifest_entry *e = manifest_find(&r->prev, j->path);
    if (e && manifest_format_line(&r->mlines, e)) r->mlines.len = at, r->mlines_lost = 1;
    return;
  }
  if (!r->outdir) return;
  if (job_line(r, j, &r->mlines)) {
    r->mlines.len = at;
    r->mlines_lost = 1;
  } else {
    journal_append(r->journal_fd, r->mlines.data + at, r->mlines.len - at);
  }
}

int record_finish(run *r) {
  /* Durable before it is reported: the outputs (one syncfs for all of
   * them, or each one's fdatasync before its rename with --sync file),
   * then the manifest, then the directory's entries. The journal goes
   * once the manifest holds everything it held. */
  int rc = 0;
  scr_diag *diag = cli_printing_diag(r->mpath);
  if (!diag) r->mlines_lost = 1;
  if (r->sync == SYNC_END && outdir_sync(r->outdir) != 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "io",
                    "cannot sync the outputs to disk: %s", strerror(errno));
    rc = -1;
  }
  scr_outfile *f = NULL;
  if (r->mlines_lost) {
    if (diag)
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom",
                      "out of memory: not rewritten; its journal keeps what was done, "
                      "and the same command resumes");
    rc = -1;
  } else if (!(f = scr_outfile_open_ex(r->mpath, r->sync != SYNC_NONE ? SCR_OUTFILE_SYNC : 0,
                                       diag)) ||
             scr_outfile_write(f, r->mlines.data, r->mlines.len, diag) != 0) {
    scr_outfile_abort(f);
    rc = -1;
  } else if (scr_outfile_commit(f, diag) != 0) {
    rc = -1;
  } else {
    if (r->journal_fd >= 0) close(r->journal_fd), r->journal_fd = -1;
    unlink(r->jpath);
    if (r->sync != SYNC_NONE && outdir_sync_dir(r->outdir) != 0) {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "io",
                      "cannot sync the output directory to disk: %s", strerror(errno));
      rc = -1;
    }
  }
  scr_diag_free(diag);
  return rc;
}

void record_free(run *r) {
  if (r->journal_fd >= 0) close(r->journal_fd);
  if (r->lock_fd >= 0) close(r->lock_fd);
  r->journal_fd = r->lock_fd = -1;
  free(r->mpath);
  free(r->jpath);
  scr_buf_free(&r->mlines);
  manifest_free(&r->prev);
  for (size_t i = 0; i < r->deps.len; i++) free(r->deps.path[i]);
  free(r->deps.path);
  free(r->deps.sha);
  pthread_mutex_destroy(&r->deps.lock);
}
