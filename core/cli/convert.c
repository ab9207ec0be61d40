/* convert.c - `scriptorium convert`: files and directory trees, in parallel,
 * with a manifest, a progress bar, streamed corpus files, shards, and
 * outputs that are written atomically and skipped when up to date.
 *
 * Workers (threads) read, convert and write one input each; the main thread
 * consumes finished inputs strictly in input order, so that messages, the
 * manifest and corpus files are the same bytes whatever -j is. Workers run at
 * most a small window ahead of the main thread, which bounds memory by the
 * window, not by the corpus. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chain.h"
#include "cli.h"
#include "interrupt.h"
#include "manifest.h"
#include "outdir.h"

static const char convert_help[] =
    "Usage: scriptorium convert [-f FORMAT] -t FORMAT[,FORMAT...]\n"
    "                           [-o FILE | -O DIR] [--set [FMT.]KEY=VALUE]...\n"
    "                           [--transform NAMES] [--no-transform NAMES]\n"
    "                           [-j N] [--force] [--shard K/N] INPUT...\n"
    "\n"
    "Reads each INPUT (a file, a directory walked recursively, or '-' for\n"
    "standard input), runs the transforms its reader wants on it (see\n"
    "'scriptorium formats -v') and writes it in every format named by -t. Without -f\n"
    "each input's format is detected; an input no reader recognises clearly is\n"
    "reported, not guessed.\n"
    "\n"
    "Options:\n"
    "  -f, --from FORMAT      the input format (see 'scriptorium formats')\n"
    "  -t, --to FORMATS       output formats, comma-separated\n"
    "  -o, --output FILE      output file ('-' for standard output); one input\n"
    "                         and one format only\n"
    "  -O, --output-dir DIR   write DIR/NAME.EXT for each input file, and\n"
    "                         DIR/FORMAT/PATH.EXT for the files of an input\n"
    "                         directory (its layout mirrored per format); with\n"
    "                         several inputs also the corpus file of formats\n"
    "                         that have one (corpus.EXT) and DIR/manifest.tsv\n"
    "  -s, --set KEY=VALUE    set a reader, transform or writer option; FMT.KEY\n"
    "                         sets it for one format (or transform) only\n"
    "      --transform NAMES  run these transforms too (comma-separated), after\n"
    "                         the reader's own; naming one already run moves it\n"
    "                         last, so the order can be changed\n"
    "      --no-transform NAMES  do not run these ('all': none of the reader's)\n"
    "  -j, --jobs N           convert N inputs at once (default: the number of\n"
    "                         cores); the output is the same for every N\n"
    "      --force            convert even inputs whose outputs are up to date\n"
    "      --no-corpus        do not write corpus files\n"
    "      --shard K/N        convert only the K-th of N deterministic slices of\n"
    "                         the inputs (1 <= K <= N), for job arrays\n"
    "  -h, --help             show this help\n"
    "\n"
    "Without -o or -O, one input in one format goes to standard output.\n"
    "Every file is written atomically: on failure nothing is left behind, and\n"
    "an output that is an input is refused. A file that fails is reported and\n"
    "the others are still converted; the exit status is then 1.\n"
    "\n"
    "Up to date: with -O, an input whose size and SHA-256, the options, the\n"
    "formats and the plugins' versions match its line in DIR/manifest.tsv, and\n"
    "whose outputs all exist, is not written again (status 'unchanged').\n"
    "\n"
    "Shards: each shard writes manifest.K-of-N.tsv (and corpus.K-of-N.EXT);\n"
    "combine the manifests with\n"
    "    { head -n 1 manifest.1-of-N.tsv; tail -q -n +2 manifest.*-of-N.tsv | sort; }\n"
    "and each input lands in exactly one shard.\n";

/* ---- a set of strings (output paths) and of files (inputs) ------------------ */

typedef struct str_set {
  const char **slots;
  size_t cap, len;
} str_set;

static uint64_t fnv1a(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

/* Adds `s` (not copied); returns 1 if it was already there, -1 on OOM. */
static int str_set_add(str_set *set, const char *s) {
  if (set->len * 2 >= set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 64;
    const char **slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < set->cap; i++) {
      if (!set->slots[i]) continue;
      size_t j = fnv1a(set->slots[i]) & (cap - 1);
      while (slots[j]) j = (j + 1) & (cap - 1);
      slots[j] = set->slots[i];
    }
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
  }
  size_t j = fnv1a(s) & (set->cap - 1);
  while (set->slots[j]) {
    if (strcmp(set->slots[j], s) == 0) return 1;
    j = (j + 1) & (set->cap - 1);
  }
  set->slots[j] = s;
  set->len++;
  return 0;
}

typedef struct file_id {
  dev_t dev;
  ino_t ino;
} file_id;

typedef struct id_set {
  file_id *slots; /* ino 0 marks an empty slot */
  size_t cap, len;
} id_set;

static size_t id_hash(file_id id, size_t cap) {
  return (size_t)(((uint64_t)id.dev * 31 + (uint64_t)id.ino) * 11400714819323198485ULL >> 7) &
         (cap - 1);
}

static int id_set_add(id_set *set, file_id id) {
  if (id.ino == 0) return 0;
  if (set->len * 2 >= set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 64;
    file_id *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < set->cap; i++) {
      if (!set->slots[i].ino) continue;
      size_t j = id_hash(set->slots[i], cap);
      while (slots[j].ino) j = (j + 1) & (cap - 1);
      slots[j] = set->slots[i];
    }
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
  }
  size_t j = id_hash(id, set->cap);
  while (set->slots[j].ino) {
    if (set->slots[j].dev == id.dev && set->slots[j].ino == id.ino) return 1;
    j = (j + 1) & (set->cap - 1);
  }
  set->slots[j] = id;
  set->len++;
  return 0;
}

static int id_set_has(const id_set *set, file_id id) {
  if (!set->cap) return 0;
  size_t j = id_hash(id, set->cap);
  while (set->slots[j].ino) {
    if (set->slots[j].dev == id.dev && set->slots[j].ino == id.ino) return 1;
    j = (j + 1) & (set->cap - 1);
  }
  return 0;
}

/* ---- jobs ----------------------------------------------------------------------- */

enum { JOB_PENDING, JOB_OK, JOB_UNCHANGED, JOB_FAILED, JOB_SKIPPED, JOB_CANCELLED };

typedef char sha_hex[65];

typedef struct job {
  char *path;       /* as given, or as found under a directory */
  char *rel;        /* output name without extension: stem, or path under the root */
  int from_dir;     /* found by walking a directory */
  off_t stat_size;  /* for progress */
  file_id id;       /* device and inode, as found (never overwritten) */
  char *skip;       /* found by the walk but not to be read: why (a warning) */
  /* results, written by the worker, read by the main thread once done */
  atomic_int done;
  int status;
  size_t size, warnings;
  sha_hex sha;
  const manifest_entry *prev; /* its line in the previous manifest, if up to date */
  sha_hex *out_sha; /* per writer: the SHA-256 of the output written */
  size_t ndeps;     /* files the reader consulted, and their hashes */
  char **dep_path, **dep_sha;
  scr_buf diags;    /* formatted diagnostics, printed in input order */
  scr_doc *doc;     /* kept for corpus writers without corpus_prepare */
  void **prepared;  /* per writer: its corpus_prepare's result, until merged */
  char **outputs;   /* planned output paths, one per writer */
  unsigned written; /* bit w: output w was written or is up to date */
  unsigned corpus_failed; /* bit w: corpus_prepare failed */
} job;

typedef struct setting {
  char *format; /* NULL: any format that has the option */
  char *key;
  char *value;
  int used;
} setting;

/* Hashes of the files readers consulted, taken once per run (checked
 * against the previous manifest by the workers at once). */
typedef struct dep_cache {
  pthread_mutex_t lock;
  char **path;
  sha_hex *sha;
  size_t len, cap;
} dep_cache;

enum { SYNC_NONE, SYNC_END, SYNC_FILE };

typedef struct run {
  scr_registry *reg;
  const scr_reader *reader;       /* -f, or NULL: detect */
  const scr_reader **readers;     /* every loaded reader (for detection) */
  scr_options **reader_opts;      /* their options */
  chain *chains;                  /* the transforms of their documents */
  size_t nreaders;
  const scr_transform **transforms; /* every transform in some chain */
  scr_options **transform_opts;   /* their options */
  size_t ntransforms;
  const scr_writer **writers;
  scr_options **writer_opts;
  size_t nwriters;
  const char *outdir;
  const char *output;
  job *jobs;
  size_t njobs;
  id_set inputs;                  /* every input file, never overwritten */
  manifest prev;                  /* the previous manifest and journal, by path */
  dep_cache deps;
  int sync;                       /* SYNC_* */
  sha_hex key;
  int corpus;                     /* corpus writers are in use */
  char **corpus_paths;            /* per writer: its corpus file, or NULL */
  int force;
  /* the pool: worker threads and the main thread take jobs in order; the
   * main thread also consumes them in order (diagnostics, corpus, manifest)
   * and converts one itself whenever the next to consume is not done yet */
  atomic_size_t next;             /* next job to take */
  size_t consumed;                /* jobs the main thread has consumed */
  size_t window;
  pthread_mutex_t lock;
  pthread_cond_t job_done, job_consumed;
} run;

/* ---- small helpers ------------------------------------------------------------------ */

static int mkdir_p(const char *dir) {
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

static file_id id_of(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return (file_id){0, 0};
  return (file_id){st.st_dev, st.st_ino};
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- collecting inputs ---------------------------------------------------------------- */

typedef struct job_list {
  job *items;
  size_t len, cap;
} job_list;

static int push_job(job_list *l, const char *path, const char *rel, int from_dir,
                    const struct stat *st, const char *skip) {
  if (l->len == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    job *items = realloc(l->items, cap * sizeof *items);
    if (!items) return -1;
    l->items = items;
    l->cap = cap;
  }
  job *j = &l->items[l->len];
  memset(j, 0, sizeof *j);
  j->path = strdup(path);
  j->rel = strdup(rel);
  j->from_dir = from_dir;
  if (skip && !(j->skip = strdup(skip))) return free(j->path), free(j->rel), -1;
  if (st) {
    j->stat_size = st->st_size;
    j->id = (file_id){st->st_dev, st->st_ino};
  }
  if (!j->path || !j->rel) return free(j->path), free(j->rel), free(j->skip), -1;
  l->len++;
  return 0;
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_extension(const char *name, const char *const *exts) {
  const char *dot = strrchr(name, '.');
  if (!dot || dot == name) return 0;
  for (size_t i = 0; exts && exts[i]; i++)
    if (strcmp(dot + 1, exts[i]) == 0) return 1;
  return 0;
}

static int readable_by(const run *r, const char *name) {
  if (r->reader) return has_extension(name, r->reader->extensions);
  for (size_t i = 0; i < r->nreaders; i++)
    if (has_extension(name, r->readers[i]->extensions)) return 1;
  return 0;
}

/* What this program wrote into the output directory, which a walk of an
 * input tree that is, or lies inside, the output directory never reads. */
typedef struct own_outputs {
  const char *prefix;   /* the walked root relative to the output directory
                           ("" for the directory itself); NULL: not inside */
  const char **formats; /* every writer's format: DIR/FORMAT/ holds outputs */
  size_t nformats;
  str_set previous;     /* outputs the previous manifest lists */
} own_outputs;

/* Whether `rel` (relative to the output directory) is this program's: a
 * format's directory, a manifest, journal or corpus file at the top, or an
 * output the previous manifest lists. */
static int is_own(const own_outputs *own, const char *rel, int is_dir) {
  const char *slash = strchr(rel, '/');
  size_t first = slash ? (size_t)(slash - rel) : strlen(rel);
  for (size_t i = 0; i < own->nformats; i++)
    if (strlen(own->formats[i]) == first && strncmp(rel, own->formats[i], first) == 0 &&
        (slash || is_dir))
      return 1;
  if (!slash && !is_dir &&
      (strncmp(rel, "manifest.", 9) == 0 || strncmp(rel, "corpus.", 7) == 0))
    return 1;
  if (!is_dir && own->previous.cap) {
    size_t j = fnv1a(rel) & (own->previous.cap - 1);
    while (own->previous.slots[j]) {
      if (strcmp(own->previous.slots[j], rel) == 0) return 1;
      j = (j + 1) & (own->previous.cap - 1);
    }
  }
  return 0;
}

/* Walks `root` iteratively (a stack of directories, names sorted), adding
 * the files a reader takes. `skip` is the output directory; `own` says
 * what in it this program wrote. Entries that cannot be inputs although
 * they look like ones (a dangling symbolic link, a path longer than
 * PATH_MAX) become skipped jobs with a warning. */
static int walk(const run *r, const char *root, file_id skip, const own_outputs *own,
                job_list *out) {
  char **stack = NULL;
  size_t depth = 0, cap = 0;
  size_t rootlen = strlen(root);
  while (rootlen > 1 && root[rootlen - 1] == '/') rootlen--;
  char *first = strndup(root, rootlen);
  if (!first) return -1;
  stack = malloc(sizeof *stack);
  if (!stack) return free(first), -1;
  stack[depth++] = first;
  cap = 1;
  int rc = 0;
  scr_buf rel_out = {0};
  /* Directories are visited in sorted order: pop the last pushed, so push
   * subdirectories in reverse order. Files of a directory are added before
   * its subdirectories are visited. */
  while (depth) {
    char *dir = stack[--depth];
    DIR *d = opendir(dir);
    if (!d) {
      fprintf(stderr, "%s: error: cannot read directory: %s\n", dir, strerror(errno));
      rc = 1;
      free(dir);
      continue;
    }
    char **names = NULL;
    size_t n = 0, ncap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.') continue; /* ., .., hidden files */
      if (n == ncap) {
        ncap = ncap ? ncap * 2 : 64;
        char **grown = realloc(names, ncap * sizeof *grown);
        if (!grown) { rc = -1; break; }
        names = grown;
      }
      if (!(names[n] = strdup(e->d_name))) { rc = -1; break; }
      n++;
    }
    if (e) rc = -1; /* out of memory: the directory was not read whole */
    if (n) qsort(names, n, sizeof *names, cmp_name);
    size_t first_sub = depth;
    for (size_t i = 0; i < n; i++) {
      char *path = NULL;
      struct stat st;
      if (rc >= 0 && asprintf(&path, "%s/%s", dir, names[i]) < 0) path = NULL, rc = -1;
      const char *rel = path ? path + rootlen + 1 : NULL;
      if (path && own->prefix) {
        scr_buf_clear(&rel_out);
        if ((*own->prefix && scr_buf_printf(&rel_out, "%s/", own->prefix)) ||
            scr_buf_puts(&rel_out, rel))
          rc = -1;
      }
      /* relative to the open directory: no lookup of the whole path */
      if (path && fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) == 0) {
        int link = S_ISLNK(st.st_mode);
        const char *why = NULL;
        if (link && stat(path, &st) != 0) {
          why = errno == ENOENT ? "skipped: a symbolic link to nothing"
                                : "skipped: a symbolic link that cannot be followed";
          st.st_mode = 0;
        } else if (strlen(path) >= PATH_MAX) {
          why = "skipped: the path is longer than PATH_MAX";
        }
        int own_entry = own->prefix && rel_out.data &&
                        is_own(own, rel_out.data, S_ISDIR(st.st_mode));
        if (why) {
          if (push_job(out, path, rel, 1, NULL, why)) rc = -1;
        } else if (own_entry) {
          /* this program's output: never read back */
        } else if (S_ISDIR(st.st_mode)) {
          /* Symbolic links to directories are not followed (no loops). */
          if (!link && !(st.st_dev == skip.dev && st.st_ino == skip.ino)) {
            if (depth == cap) {
              cap *= 2;
              char **grown = realloc(stack, cap * sizeof *grown);
              if (!grown) { free(path); rc = -1; break; }
              stack = grown;
            }
            stack[depth++] = path;
            path = NULL;
          }
        } else if (S_ISREG(st.st_mode) && readable_by(r, names[i])) {
          const char *dot = strrchr(names[i], '.');
          size_t cut = dot && dot != names[i] ? strlen(dot) : 0;
          char *stem = strndup(rel, strlen(rel) - cut);
          if (!stem || push_job(out, path, stem, 1, &st, NULL)) rc = -1;
          free(stem);
        }
      }
      free(path);
      free(names[i]);
    }
    free(names);
    closedir(d);
    /* reverse the subdirectories just pushed so that the first sorts first */
    for (size_t a = first_sub, b = depth; a + 1 < b; a++, b--) {
      char *t = stack[a];
      stack[a] = stack[b - 1];
      stack[b - 1] = t;
    }
    free(dir);
    if (rc < 0) break;
  }
  while (depth) free(stack[--depth]);
  free(stack);
  scr_buf_free(&rel_out);
  return rc;
}

/* ---- the previous manifest ---------------------------------------------------------------- */

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
static const manifest_entry *up_to_date(run *r, const job *j) {
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

/* ---- one input ------------------------------------------------------------------------------ */

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
static void prepare_corpus_parts(run *r, job *j, scr_doc *doc) {
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

static void convert_one(run *r, job *j) {
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
  if (scr_file_read(j->path, &data, &len, diag)) goto out;
  j->size = len;
  scr_sha256_hex(data, len, j->sha);
  int unchanged = r->outdir && !r->force && (j->prev = up_to_date(r, j)) != NULL;
  if (unchanged && !r->corpus) {
    free(data);
    j->status = JOB_UNCHANGED;
    j->written = (1u << r->nwriters) - 1;
    goto out;
  }
  const scr_reader *rd = r->reader;
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
    if (strcmp(path, "-") != 0 && id_set_has(&r->inputs, id_of(path))) {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "io",
                      "refusing to write '%s': it is an input", path);
      ok = 0;
      continue;
    }
    scr_buf out = {0};
    if (scr_write(r->writers[w], doc, &out, r->writer_opts[w], diag) != 0) {
      ok = 0;
    } else if (strcmp(path, "-") != 0 && parent_dirs(r->outdir, path) != 0) {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "io",
                      errno == ELOOP ? "refusing to write '%s': a directory above it in the "
                                       "output directory is a symbolic link or not a directory"
                                     : "cannot create the directory of '%s': %s",
                      path, strerror(errno));
      ok = 0;
    } else if (write_output(r, path, out.data ? out.data : "", out.len, diag)) {
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
    prepare_corpus_parts(r, j, doc);
  else
    scr_doc_free(doc);
}

static void finish(run *r, size_t i) {
  pthread_mutex_lock(&r->lock);
  atomic_store(&r->jobs[i].done, 1);
  pthread_cond_broadcast(&r->job_done);
  pthread_mutex_unlock(&r->lock);
}

static void *worker(void *arg) {
  run *r = arg;
  for (;;) {
    size_t i = atomic_fetch_add(&r->next, 1);
    if (i >= r->njobs) break;
    /* Stay within the window ahead of the main thread. */
    pthread_mutex_lock(&r->lock);
    while (i >= r->consumed + r->window && !interrupt_signal())
      pthread_cond_wait(&r->job_consumed, &r->lock);
    pthread_mutex_unlock(&r->lock);
    if (interrupt_signal())
      r->jobs[i].status = JOB_CANCELLED;
    else
      convert_one(r, &r->jobs[i]);
    finish(r, i);
  }
  return NULL;
}

/* The main thread, before it consumes job i: while job i is not done, it
 * converts the next job itself if that lies within the window (with -j 1
 * this converts every job in order), else it sleeps until a worker is done.
 * Job i is always taken by someone: if nobody has, it is the next one, and
 * it lies within the window. Only the main thread writes r->consumed. */
static void wait_for(run *r, size_t i) {
  while (!atomic_load(&r->jobs[i].done)) {
    size_t k = atomic_load(&r->next);
    if (k < r->njobs && k < r->consumed + r->window) {
      if (atomic_compare_exchange_strong(&r->next, &k, k + 1)) {
        if (interrupt_signal())
          r->jobs[k].status = JOB_CANCELLED;
        else
          convert_one(r, &r->jobs[k]);
        finish(r, k);
      }
      continue; /* a worker took it first: look again */
    }
    pthread_mutex_lock(&r->lock);
    if (!atomic_load(&r->jobs[i].done) && atomic_load(&r->next) > i)
      pthread_cond_wait(&r->job_done, &r->lock);
    pthread_mutex_unlock(&r->lock);
  }
}

/* ---- progress ---------------------------------------------------------------------------------- */

typedef struct progress {
  int on;
  double start, last;
  uint64_t total_bytes, done_bytes;
} progress;

static void progress_show(progress *p, size_t done, size_t total, int final) {
  if (!p->on) return;
  double t = now();
  if (!final && t - p->last < 0.1) return;
  p->last = t;
  double elapsed = t - p->start;
  double rate = elapsed > 0 ? (double)p->done_bytes / elapsed : 0;
  double left = rate > 0 ? (double)(p->total_bytes - p->done_bytes) / rate : 0;
  int width = 24, filled = total ? (int)((double)done / (double)total * width) : width;
  char bar[32];
  for (int i = 0; i < width; i++) bar[i] = i < filled ? '#' : '.';
  bar[width] = '\0';
  fprintf(stderr, "\r\033[K%zu/%zu files [%s] %.1f MB/s, %d:%02d left", done, total, bar,
          rate / 1e6, (int)left / 60, (int)left % 60);
  if (final) fprintf(stderr, "\r\033[K");
  fflush(stderr);
}

/* ---- the command ---------------------------------------------------------------------------------- */

/* Builds the options of one reader or writer from the --set list; NULL
 * when memory ran out. */
static scr_options *make_options(const char *format, const scr_option_spec *specs,
                                 size_t count, setting *sets, size_t nsets, int *bad) {
  scr_options *o = scr_options_new(specs, count);
  if (!o) return NULL;
  for (size_t i = 0; i < nsets; i++) {
    setting *s = &sets[i];
    /* A key goes to the parts that have it (`text.edition` to the text
     * writer, not to the text reader); one no part has is reported once,
     * after every part was offered it. */
    if (s->format && strcmp(s->format, format) != 0) continue;
    if (!scr_options_has(specs, count, s->key)) continue;
    char err[256];
    int set = scr_options_set(o, s->key, s->value, err, sizeof err);
    if (set == -3) return scr_options_free(o), NULL;
    if (set) {
      usage_error("%s: %s", format, err);
      *bad = 1;
    }
    s->used = 1;
  }
  return o;
}

static char *plan_output(const run *r, const job *j, const scr_writer *w) {
  char *path = NULL;
  if (r->output) return strdup(r->output);
  if (!r->outdir) return strdup("-");
  int n = j->from_dir ? asprintf(&path, "%s/%s/%s.%s", r->outdir, w->format, j->rel, w->extensions[0])
                      : asprintf(&path, "%s/%s.%s", r->outdir, j->rel, w->extensions[0]);
  return n < 0 ? NULL : path;
}

static char *stem_of(const char *path) {
  if (strcmp(path, "-") == 0) return strdup("stdin");
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  return strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

/* The run's key: what, besides the input, decides the output bytes. -1 on
 * out of memory. */
static int compute_key(run *r, const char *from, const char *to, setting *sets, size_t nsets,
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
  scr_sha256_hex(b.data ? b.data : "", b.len, r->key);
  scr_buf_free(&b);
  return err ? -1 : 0;
}

static int parse_shard(const char *s, unsigned *k, unsigned *n) {
  char *end;
  unsigned long a = strtoul(s, &end, 10);
  if (end == s || *end != '/') return -1;
  const char *q = end + 1;
  unsigned long b = strtoul(q, &end, 10);
  if (end == q || *end || b < 1 || a < 1 || a > b || b > 1000000) return -1;
  *k = (unsigned)a;
  *n = (unsigned)b;
  return 0;
}

/* A sink that prints; when none can be made, says "out of memory" for
 * `file` and returns NULL. */
static scr_diag *printing_diag(const char *file) {
  scr_diag *d = scr_diag_new(file, cli_print_diag, NULL);
  if (!d) fprintf(stderr, "%s: error: out of memory\n", file ? file : program);
  return d;
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

static int parse_sync(const char *s) {
  if (strcmp(s, "none") == 0) return SYNC_NONE;
  if (strcmp(s, "end") == 0) return SYNC_END;
  if (strcmp(s, "file") == 0) return SYNC_FILE;
  return -1;
}

int cmd_convert(int argc, char **argv) {
  const char *from = NULL, *to = NULL, *shard = NULL;
  long jobs_wanted = 0;
  setting *sets = NULL;
  size_t nsets = 0;
  int c, rc = EXIT_OK, force = 0, no_corpus = 0, sync_mode = SYNC_END;
  int lock_fd = -1, journal_fd = -1;
  char *mpath = NULL, *jpath = NULL;
  own_outputs own = {0};
  const char **format_names = NULL;
  char *outdir_copy = NULL;
  chain_edit *edits = NULL;
  size_t nedits = 0;
  static const struct option longopts[] = {
      {"from", required_argument, NULL, 'f'},
      {"to", required_argument, NULL, 't'},
      {"output", required_argument, NULL, 'o'},
      {"output-dir", required_argument, NULL, 'O'},
      {"set", required_argument, NULL, 's'},
      {"jobs", required_argument, NULL, 'j'},
      {"force", no_argument, NULL, 'F'},
      {"no-corpus", no_argument, NULL, 'N'},
      {"shard", required_argument, NULL, 'S'},
      {"sync", required_argument, NULL, 'Y'},
      {"transform", required_argument, NULL, 'X'},
      {"no-transform", required_argument, NULL, 'x'},
      {"help", no_argument, NULL, 'h'},
      {0}};
  run r;
  memset(&r, 0, sizeof r);
  job_list list = {0};
  char *to_copy = NULL;
  str_set planned = {0};
  void **corpus_state = NULL;
  char **corpus_paths = NULL; /* = r.corpus_paths */
  FILE **corpus_body = NULL; /* each corpus's BODY, kept on disk, not in memory */
  scr_buf chunk = {0};
  pthread_t *threads = NULL;
  size_t nthreads = 0;

  optind = 1;
  while ((c = getopt_long(argc, argv, "+f:t:o:O:s:j:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'f': from = optarg; break;
    case 't': to = optarg; break;
    case 'o': r.output = optarg; break;
    case 'O': r.outdir = optarg; break;
    case 'F': force = 1; break;
    case 'N': no_corpus = 1; break;
    case 'S': shard = optarg; break;
    case 'X':
    case 'x': {
      char err[256];
      int bad_list = chain_parse(c == 'X' ? '+' : '-', optarg, &edits, &nedits, err, sizeof err);
      if (bad_list == -1) cli_out_of_memory();
      if (bad_list) {
        usage_error("%s", err);
        for (size_t i = 0; i < nedits; i++) free((char *)edits[i].name);
        free(edits);
        free(sets);
        return EXIT_USAGE;
      }
      break;
    }
    case 'Y':
      if ((sync_mode = parse_sync(optarg)) < 0) {
        usage_error("--sync takes none, end or file, not '%s'", optarg);
        free(sets);
        return EXIT_USAGE;
      }
      break;
    case 'j': {
      char *end;
      jobs_wanted = strtol(optarg, &end, 10);
      if (*end || jobs_wanted < 1 || jobs_wanted > 1024) {
        usage_error("-j takes a number of jobs from 1 to 1024, not '%s'", optarg);
        free(sets);
        return EXIT_USAGE;
      }
      break;
    }
    case 's': {
      char *eq = strchr(optarg, '=');
      if (!eq || eq == optarg) {
        usage_error("--set takes KEY=VALUE, not '%s'", optarg);
        for (size_t i = 0; i < nsets; i++) free(sets[i].format), free(sets[i].key), free(sets[i].value);
        free(sets);
        return EXIT_USAGE;
      }
      setting *grown = realloc(sets, (nsets + 1) * sizeof *sets);
      if (!grown) cli_out_of_memory();
      sets = grown;
      setting *s = &sets[nsets++];
      char *key = strndup(optarg, (size_t)(eq - optarg));
      char *dot = key ? strchr(key, '.') : NULL;
      s->format = dot ? strndup(key, (size_t)(dot - key)) : NULL;
      s->key = dot ? strdup(dot + 1) : strdup(key ? key : "");
      s->value = strdup(eq + 1);
      s->used = 0;
      if (!key || (dot && !s->format) || !s->key || !s->value) cli_out_of_memory();
      free(key);
      break;
    }
    case 'h': free(sets); return fputs(convert_help, stdout), EXIT_OK;
    default: free(sets); return fputs(convert_help, stderr), EXIT_USAGE;
    }
  }
  r.force = force;
  r.sync = sync_mode;
  pthread_mutex_init(&r.deps.lock, NULL);
  int ninputs = argc - optind;
  char **inputs = argv + optind;
  unsigned shard_k = 1, shard_n = 1;

#define USAGE(...) do { usage_error(__VA_ARGS__); rc = EXIT_USAGE; goto done; } while (0)
#define OUT_OF_MEMORY() do { usage_error("out of memory"); rc = EXIT_FAILED; goto done; } while (0)
  if (!to) USAGE("convert needs -t FORMAT (see 'scriptorium formats')");
  if (ninputs < 1) USAGE("convert needs at least one INPUT ('-' for standard input)");
  if (r.output && r.outdir) USAGE("-o and -O cannot be used together");
  if (shard && parse_shard(shard, &shard_k, &shard_n))
    USAGE("--shard takes K/N with 1 <= K <= N, not '%s'", shard);
  {
    size_t max_input;
    if (scr_max_input_env(&max_input))
      USAGE("SCRIPTORIUM_MAX_INPUT takes a number of bytes from 1 to 1099511627776, not '%s'",
            getenv("SCRIPTORIUM_MAX_INPUT"));
  }
  if (r.outdir) {
    /* DIR/ and DIR name one directory: outputs are DIR/NAME, never DIR//NAME. */
    size_t n = strlen(r.outdir);
    while (n > 1 && r.outdir[n - 1] == '/') n--;
    if (!(outdir_copy = strndup(r.outdir, n))) OUT_OF_MEMORY();
    r.outdir = outdir_copy;
    struct stat st;
    if (stat(r.outdir, &st) != 0 && errno == ENOENT && mkdir_p(r.outdir) != 0)
      USAGE("cannot create the output directory '%s': %s", r.outdir, strerror(errno));
    if (stat(r.outdir, &st) != 0 || !S_ISDIR(st.st_mode))
      USAGE("'%s' is not a directory", r.outdir);
  }

  int failed;
  r.reg = cli_load_plugins(&failed);
  if (failed) USAGE("%d plugin(s) failed to load (see above)", failed);

  to_copy = strdup(to);
  if (!to_copy) OUT_OF_MEMORY();
  for (char *save = NULL, *tok = to_copy ? strtok_r(to_copy, ",", &save) : NULL; tok;
       tok = strtok_r(NULL, ",", &save)) {
    const scr_writer *w = scr_registry_writer(r.reg, tok);
    if (!w) USAGE("unknown output format '%s' (see 'scriptorium formats')", tok);
    for (size_t i = 0; i < r.nwriters; i++)
      if (r.writers[i] == w) USAGE("output format '%s' named twice", tok);
    if (r.nwriters == 32) USAGE("too many output formats");
    const scr_writer **grown = realloc(r.writers, (r.nwriters + 1) * sizeof *grown);
    if (!grown) OUT_OF_MEMORY();
    r.writers = grown;
    r.writers[r.nwriters++] = w;
  }
  if (r.nwriters == 0) USAGE("-t names no output format");
  if (from && !(r.reader = scr_registry_reader(r.reg, from)))
    USAGE("unknown input format '%s' (see 'scriptorium formats')", from);

  /* Options are checked against the plugins' tables before any plugin runs:
   * the writers', and every reader's that may be used. */
  int bad = 0;
  r.writer_opts = calloc(r.nwriters, sizeof *r.writer_opts);
  if (!r.writer_opts) OUT_OF_MEMORY();
  for (size_t i = 0; i < r.nwriters; i++)
    if (!(r.writer_opts[i] = make_options(r.writers[i]->format, r.writers[i]->options,
                                          r.writers[i]->option_count, sets, nsets, &bad)))
      OUT_OF_MEMORY();
  for (size_t p = 0; p < scr_registry_plugin_count(r.reg); p++) {
    const scr_plugin *pl = scr_registry_plugin(r.reg, p);
    for (size_t k = 0; pl->readers && pl->readers[k]; k++) {
      const scr_reader *rd = pl->readers[k];
      if (r.reader && rd != r.reader) continue;
      const scr_reader **gr = realloc(r.readers, (r.nreaders + 1) * sizeof *gr);
      scr_options **go = realloc(r.reader_opts, (r.nreaders + 1) * sizeof *go);
      if (gr) r.readers = gr;
      if (go) r.reader_opts = go;
      if (!gr || !go) OUT_OF_MEMORY();
      r.readers[r.nreaders] = rd;
      r.reader_opts[r.nreaders++] = make_options(rd->format, rd->options, rd->option_count,
                                                 sets, nsets, &bad);
      if (!r.reader_opts[r.nreaders - 1]) OUT_OF_MEMORY();
    }
  }
  /* The transforms of each reader's documents, and their options. */
  {
    char err[256];
    if (chain_check(r.reg, edits, nedits, err, sizeof err)) USAGE("%s", err);
  }
  if (r.nreaders && !(r.chains = calloc(r.nreaders, sizeof *r.chains))) OUT_OF_MEMORY();
  for (size_t i = 0; i < r.nreaders; i++) {
    if (chain_build(r.reg, r.readers[i], edits, nedits, &r.chains[i])) OUT_OF_MEMORY();
    for (size_t k = 0; k < r.chains[i].n; k++) {
      const scr_transform *t = r.chains[i].t[k];
      size_t have = 0;
      while (have < r.ntransforms && r.transforms[have] != t) have++;
      if (have < r.ntransforms) continue;
      const scr_transform **gt = realloc(r.transforms, (r.ntransforms + 1) * sizeof *gt);
      if (gt) r.transforms = gt;
      scr_options **go = realloc(r.transform_opts, (r.ntransforms + 1) * sizeof *go);
      if (go) r.transform_opts = go;
      if (!gt || !go) OUT_OF_MEMORY();
      r.transforms[r.ntransforms] = t;
      if (!(r.transform_opts[r.ntransforms++] =
                make_options(t->name, t->options, t->option_count, sets, nsets, &bad)))
        OUT_OF_MEMORY();
    }
  }
  if (bad) { rc = EXIT_USAGE; goto done; }
  for (size_t i = 0; i < nsets; i++) {
    if (sets[i].used) continue;
    if (sets[i].format) USAGE("unknown option '%s' for format '%s'", sets[i].key, sets[i].format);
    USAGE("unknown option '%s': no format in this conversion takes it", sets[i].key);
  }

  /* The output directory: one run at a time (a shard beside its sibling
   * shards), and the previous manifest with the journal of a run that did
   * not finish, read before the inputs are, so that nothing this program
   * wrote there is taken for an input. */
  if (r.outdir) {
    char shard_part[64] = "";
    if (shard_n > 1) snprintf(shard_part, sizeof shard_part, ".%u-of-%u", shard_k, shard_n);
    if (asprintf(&mpath, "%s/manifest%s.tsv", r.outdir, shard_part) < 0) mpath = NULL;
    if (!mpath || asprintf(&jpath, "%s.journal", mpath) < 0) {
      jpath = NULL;
      rc = EXIT_FAILED;
      fprintf(stderr, "%s: error: out of memory\n", program);
      goto done;
    }
    if ((lock_fd = outdir_lock(r.outdir, shard_n > 1 ? mpath + strlen(r.outdir) + 1 : NULL)) < 0) {
      rc = EXIT_FAILED;
      goto done;
    }
    load_manifest(&r, mpath);
    load_manifest(&r, jpath);
    manifest_finish(&r.prev);
    size_t nf = 0;
    for (size_t p = 0; p < scr_registry_plugin_count(r.reg); p++) {
      const scr_plugin *pl = scr_registry_plugin(r.reg, p);
      for (size_t k = 0; pl->writers && pl->writers[k]; k++) nf++;
    }
    if (!(format_names = calloc(nf ? nf : 1, sizeof *format_names))) OUT_OF_MEMORY();
    for (size_t p = 0; p < scr_registry_plugin_count(r.reg); p++) {
      const scr_plugin *pl = scr_registry_plugin(r.reg, p);
      for (size_t k = 0; pl->writers && pl->writers[k]; k++)
        format_names[own.nformats++] = pl->writers[k]->format;
    }
    own.formats = format_names;
    for (size_t i = 0; i < r.prev.len; i++)
      for (size_t k = 0; k < r.prev.v[i].noutputs; k++)
        if (str_set_add(&own.previous, r.prev.v[i].outputs[k]) < 0) OUT_OF_MEMORY();
  }
  if (!r.outdir || force) manifest_free(&r.prev);

  /* Inputs: files as given, directories walked. */
  file_id skip = r.outdir ? id_of(r.outdir) : (file_id){0, 0};
  char *real_out = r.outdir ? realpath(r.outdir, NULL) : NULL;
  for (int i = 0; i < ninputs; i++) {
    struct stat st;
    if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      if (!r.outdir) USAGE("a directory input ('%s') needs -O DIR", inputs[i]);
      size_t before = list.len;
      /* An input directory that is, or lies inside, the output directory:
       * what this program wrote there is left alone. */
      char *real_in = real_out ? realpath(inputs[i], NULL) : NULL;
      size_t ro = real_out ? strlen(real_out) : 0;
      own.prefix = NULL;
      if (real_in && strncmp(real_in, real_out, ro) == 0 &&
          (real_in[ro] == '\0' || real_in[ro] == '/' || (ro == 1 && real_out[0] == '/')))
        own.prefix = real_in + ro + (real_in[ro] == '/');
      int w = walk(&r, inputs[i], skip, &own, &list);
      free(real_in);
      own.prefix = NULL;
      if (w < 0) {
        free(real_out);
        OUT_OF_MEMORY();
      }
      if (w > 0) rc = EXIT_FAILED;
      if (list.len == before && !quiet_warnings) {
        /* Say which extensions were looked for: the usual surprise. */
        fprintf(stderr, "%s: warning: no input files found (looked for", inputs[i]);
        for (size_t k = 0; k < r.nreaders; k++)
          for (size_t e = 0; r.readers[k]->extensions && r.readers[k]->extensions[e]; e++)
            fprintf(stderr, " *.%s", r.readers[k]->extensions[e]);
        fprintf(stderr, ")\n");
      }
    } else {
      char *stem = stem_of(inputs[i]);
      int known = strcmp(inputs[i], "-") != 0 && stat(inputs[i], &st) == 0;
      if (!stem || push_job(&list, inputs[i], stem, 0, known ? &st : NULL, NULL)) {
        free(stem);
        free(real_out);
        OUT_OF_MEMORY();
      }
      free(stem);
    }
  }
  free(real_out);
  /* A shard keeps the inputs whose path hashes to it: stable when files are
   * added to or removed from the corpus. */
  if (shard_n > 1) {
    size_t kept = 0;
    for (size_t i = 0; i < list.len; i++) {
      if (fnv1a(list.items[i].path) % shard_n == shard_k - 1) {
        list.items[kept++] = list.items[i];
      } else {
        free(list.items[i].path);
        free(list.items[i].rel);
        free(list.items[i].skip);
      }
    }
    list.len = kept;
  }
  r.jobs = list.items;
  r.njobs = list.len;
  if (r.output && (r.njobs > 1 || r.nwriters > 1))
    USAGE("-o takes one input and one output format; use -O DIR for more");
  if (!r.output && !r.outdir && (r.njobs > 1 || r.nwriters > 1))
    USAGE("several inputs or formats need -O DIR");

  /* Plan every output; two inputs may not write one file. */
  for (size_t i = 0; i < r.njobs; i++) {
    job *j = &r.jobs[i];
    j->outputs = calloc(r.nwriters, sizeof *j->outputs);
    j->out_sha = calloc(r.nwriters, sizeof *j->out_sha);
    if (!j->outputs || !j->out_sha) OUT_OF_MEMORY();
    for (size_t w = 0; w < r.nwriters; w++) {
      if (!(j->outputs[w] = plan_output(&r, j, r.writers[w]))) OUT_OF_MEMORY();
      int dup = r.outdir ? str_set_add(&planned, j->outputs[w]) : 0;
      if (dup < 0) OUT_OF_MEMORY();
      if (dup == 1)
        USAGE("two inputs would both be written to '%s' (rename one, or give their directory)",
              j->outputs[w]);
    }
    if (j->id.ino && id_set_add(&r.inputs, j->id) < 0) OUT_OF_MEMORY();
  }

  /* Corpus files, for several inputs written to a directory. */
  int any_dir = 0;
  for (size_t i = 0; i < r.njobs; i++) any_dir |= r.jobs[i].from_dir;
  corpus_state = calloc(r.nwriters, sizeof *corpus_state);
  corpus_paths = r.corpus_paths = calloc(r.nwriters, sizeof *corpus_paths);
  corpus_body = calloc(r.nwriters, sizeof *corpus_body);
  if (!corpus_state || !corpus_paths || !corpus_body) OUT_OF_MEMORY();
  if (r.outdir && !no_corpus && (r.njobs > 1 || any_dir)) {
    for (size_t w = 0; w < r.nwriters; w++) {
      const scr_writer *wr = r.writers[w];
      if (!wr->corpus_open) continue;
      char shard_part[64] = "";
      if (shard_n > 1) snprintf(shard_part, sizeof shard_part, ".%u-of-%u", shard_k, shard_n);
      int n = any_dir ? asprintf(&corpus_paths[w], "%s/%s/corpus%s.%s", r.outdir, wr->format,
                                 shard_part, wr->extensions[0])
                      : asprintf(&corpus_paths[w], "%s/corpus%s.%s", r.outdir, shard_part,
                                 wr->extensions[0]);
      if (n < 0) OUT_OF_MEMORY();
      int dup = str_set_add(&planned, corpus_paths[w]);
      if (dup < 0) OUT_OF_MEMORY();
      if (dup == 1)
        USAGE("an input would be written to '%s', the corpus file", corpus_paths[w]);
      r.corpus = 1;
    }
  }
  if (compute_key(&r, from, to, sets, nsets, edits, nedits)) OUT_OF_MEMORY();

  /* Temporary files of dead runs in the directories this run writes to,
   * and the journal this run appends to as inputs finish. */
  if (r.outdir) {
    str_set dirs = {0};
    char *top = strdup(r.outdir);
    if (!top || str_set_add(&dirs, top) < 0) free(top);
    for (size_t i = 0; i < r.njobs; i++)
      for (size_t w = 0; w < r.nwriters; w++) {
        const char *slash = strrchr(r.jobs[i].outputs[w], '/');
        char *d = slash ? strndup(r.jobs[i].outputs[w], (size_t)(slash - r.jobs[i].outputs[w]))
                        : NULL;
        if (!d || str_set_add(&dirs, d) != 0) free(d);
      }
    for (size_t i = 0; i < dirs.cap; i++)
      if (dirs.slots[i]) {
        outdir_clean_temporaries(dirs.slots[i]);
        free((char *)dirs.slots[i]);
      }
    free(dirs.slots);
    journal_fd = open(jpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0666);
    struct stat st;
    if (journal_fd >= 0 && fstat(journal_fd, &st) == 0 && st.st_size > 0) {
      /* a line torn by a kill stays a line of its own, ignored */
      char last = '\n';
      if (pread(journal_fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
        journal_append(journal_fd, "\n", 1);
    } else if (journal_fd >= 0) {
      journal_append(journal_fd, manifest_header, strlen(manifest_header));
    }
  }
  interrupt_install();

  for (size_t w = 0; w < r.nwriters; w++) {
    if (!corpus_paths[w]) continue;
    scr_diag *diag = printing_diag(corpus_paths[w]);
    corpus_body[w] = tmpfile();
    if (!corpus_body[w]) {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "io",
                      "cannot create a temporary file: %s", strerror(errno));
    } else if (diag) {
      corpus_state[w] = r.writers[w]->corpus_open(r.writer_opts[w], diag);
    }
    if (!corpus_state[w]) {
      rc = EXIT_FAILED;
      free(corpus_paths[w]);
      corpus_paths[w] = NULL;
    }
    scr_diag_free(diag);
  }

  /* The slots for prepared corpus parts, allocated here rather than on the
   * workers: what the main thread frees should be its own (glibc locks the
   * arena of a worker for a block freed from another thread). */
  for (size_t i = 0; r.corpus && i < r.njobs; i++)
    r.jobs[i].prepared = calloc(r.nwriters, sizeof *r.jobs[i].prepared);

  /* Run: -j N is N - 1 worker threads and the main thread, which converts
   * too (see wait_for). The window bounds how far the workers run ahead of
   * the main thread's consuming, and so how many finished jobs (and, for a
   * corpus writer without corpus_prepare, documents) wait in memory. */
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  nthreads = (size_t)(jobs_wanted ? jobs_wanted : cores > 0 ? cores : 1);
  if (nthreads > r.njobs) nthreads = r.njobs ? r.njobs : 1;
  /* Finished jobs waiting for the main thread hold their diagnostics and
   * prepared corpus parts, usually a few KB (a TEI part holds the whole text
   * only when the document's own file could not be written); documents only
   * for a corpus writer without corpus_prepare. A wide window keeps the
   * workers busy while the main thread converts a long document itself. */
  int keeps_docs = 0;
  for (size_t w = 0; w < r.nwriters; w++)
    if (corpus_paths[w] && !can_prepare(r.writers[w])) keeps_docs = 1;
  r.window = nthreads * (keeps_docs ? 4 : 64);
  pthread_mutex_init(&r.lock, NULL);
  pthread_cond_init(&r.job_done, NULL);
  pthread_cond_init(&r.job_consumed, NULL);
  threads = calloc(nthreads, sizeof *threads);
  size_t started = 0;
  for (size_t t = 0; threads && t + 1 < nthreads; t++)
    if (pthread_create(&threads[t], NULL, worker, &r) == 0) started++;

  progress prog = {0};
  prog.on = isatty(2) && r.njobs > 1 && !quiet_warnings;
  prog.start = prog.last = now();
  for (size_t i = 0; i < r.njobs; i++) prog.total_bytes += (uint64_t)r.jobs[i].stat_size;
  size_t n_ok = 0, n_unchanged = 0, n_failed = 0, n_warnings = 0, n_skipped = 0, n_left_out = 0;
  scr_buf mlines = {0};
  /* A line that could not be formatted (out of memory) leaves the manifest
   * as it was and keeps the journal, which has every line that was. */
  int mlines_lost = scr_buf_puts(&mlines, manifest_header) != 0;
  for (size_t i = 0; i < r.njobs; i++) {
    job *j = &r.jobs[i];
    wait_for(&r, i);
    if (j->diags.len) {
      if (prog.on) fprintf(stderr, "\r\033[K");
      fwrite(j->diags.data, 1, j->diags.len, stderr);
    }
    if (j->status == JOB_CANCELLED) {
      /* interrupted before it was converted: its previous line stands */
      const manifest_entry *e = manifest_find(&r.prev, j->path);
      size_t at = mlines.len;
      if (e && manifest_format_line(&mlines, e)) mlines.len = at, mlines_lost = 1;
      goto consumed;
    }
    n_warnings += j->warnings;
    for (size_t w = 0; w < r.nwriters; w++) {
      void *prepared = j->prepared ? j->prepared[w] : NULL;
      if (!corpus_state[w]) {
        if (prepared) r.writers[w]->corpus_merge(NULL, prepared, NULL, NULL);
        continue;
      }
      /* neither prepared nor failing in corpus_prepare: corpus_add (a writer
       * without corpus_prepare, or the fallback when memory ran out) */
      if (!prepared && (!j->doc || ((j->corpus_failed >> w) & 1))) continue;
      scr_diag *diag = printing_diag(corpus_paths[w]);
      scr_buf_clear(&chunk);
      int added;
      if (!diag) {
        added = -1;
        if (prepared) r.writers[w]->corpus_merge(NULL, prepared, NULL, NULL);
      } else if (prepared) {
        added = r.writers[w]->corpus_merge(corpus_state[w], prepared, &chunk, diag);
      } else {
        const char *relpath =
            (j->written >> w) & 1 ? corpus_relpath(corpus_paths[w], j->outputs[w]) : NULL;
        added = r.writers[w]->corpus_add(corpus_state[w], j->doc, relpath, &chunk, diag);
      }
      /* A document the corpus writer refused (an id already taken) is left
       * out of it: a failure of that document, not a warning. */
      if (added == 0 && scr_diag_count(diag, SCR_ERROR)) j->corpus_failed |= 1u << w;
      if (added != 0 ||
          (chunk.len && fwrite(chunk.data, 1, chunk.len, corpus_body[w]) != chunk.len)) {
        if (diag && !scr_diag_count(diag, SCR_ERROR))
          scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "io",
                          "cannot write the corpus's temporary file: %s", strerror(errno));
        rc = EXIT_FAILED;
        r.writers[w]->corpus_close(corpus_state[w], NULL, NULL, diag);
        corpus_state[w] = NULL;
      }
      scr_diag_free(diag);
    }
    scr_doc_free(j->doc);
    j->doc = NULL;
    free(j->prepared);
    j->prepared = NULL;
    if (j->corpus_failed) {
      /* reported; not in the corpus: the document failed */
      n_left_out++;
      if (j->status != JOB_FAILED) j->status = JOB_FAILED, j->prev = NULL;
    }
    if (j->status == JOB_FAILED) n_failed++, rc = EXIT_FAILED;
    else if (j->status == JOB_UNCHANGED) n_unchanged++;
    else if (j->status == JOB_SKIPPED) n_skipped++;
    else n_ok++;
    if (r.outdir) {
      size_t at = mlines.len;
      if (job_line(&r, j, &mlines)) {
        mlines.len = at;
        mlines_lost = 1;
      } else {
        journal_append(journal_fd, mlines.data + at, mlines.len - at);
      }
    }
  consumed:
    scr_buf_free(&j->diags);
    prog.done_bytes += (uint64_t)j->stat_size;
    pthread_mutex_lock(&r.lock);
    r.consumed = i + 1;
    pthread_cond_broadcast(&r.job_consumed);
    pthread_mutex_unlock(&r.lock);
    progress_show(&prog, i + 1, r.njobs, 0);
  }
  progress_show(&prog, r.njobs, r.njobs, 1);
  for (size_t t = 0; t < started; t++) pthread_join(threads[t], NULL);
  int interrupted = interrupt_signal();

  for (size_t w = 0; w < r.nwriters; w++) {
    if (!corpus_state[w]) continue;
    if (interrupted) { /* a corpus of part of the inputs would pass for the whole */
      r.writers[w]->corpus_close(corpus_state[w], NULL, NULL, NULL);
      corpus_state[w] = NULL;
      continue;
    }
    /* The corpus file is HEAD + BODY + TAIL; BODY is copied from disk. */
    scr_diag *diag = printing_diag(corpus_paths[w]);
    if (!diag) {
      r.writers[w]->corpus_close(corpus_state[w], NULL, NULL, NULL);
      corpus_state[w] = NULL;
      rc = EXIT_FAILED;
      continue;
    }
    scr_buf head = {0}, tail = {0};
    int ok = r.writers[w]->corpus_close(corpus_state[w], &head, &tail, diag) == 0 &&
             !scr_diag_count(diag, SCR_ERROR);
    corpus_state[w] = NULL;
    scr_outfile *f =
        ok ? scr_outfile_open_ex(corpus_paths[w], r.sync == SYNC_FILE ? SCR_OUTFILE_SYNC : 0, diag)
           : NULL;
    ok = f && scr_outfile_write(f, head.data ? head.data : "", head.len, diag) == 0 &&
         fflush(corpus_body[w]) == 0 && fseek(corpus_body[w], 0, SEEK_SET) == 0;
    char block[65536];
    size_t n;
    while (ok && (n = fread(block, 1, sizeof block, corpus_body[w])) > 0)
      ok = scr_outfile_write(f, block, n, diag) == 0;
    ok = ok && !ferror(corpus_body[w]) &&
         scr_outfile_write(f, tail.data ? tail.data : "", tail.len, diag) == 0;
    if (ok) {
      ok = scr_outfile_commit(f, diag) == 0;
    } else {
      scr_outfile_abort(f);
    }
    if (!ok) rc = EXIT_FAILED;
    scr_buf_free(&head);
    scr_buf_free(&tail);
    scr_diag_free(diag);
  }
  if (r.outdir) {
    /* Durable before it is reported: the outputs (one syncfs for all of
     * them, or each one's fdatasync before its rename with --sync file),
     * then the manifest, then the directory's entries. The journal goes
     * once the manifest holds everything it held. */
    scr_diag *diag = printing_diag(mpath);
    if (!diag) mlines_lost = 1;
    if (r.sync == SYNC_END && outdir_sync(r.outdir) != 0) {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "io",
                      "cannot sync the outputs to disk: %s", strerror(errno));
      rc = EXIT_FAILED;
    }
    scr_outfile *f = NULL;
    if (mlines_lost) {
      if (diag)
        scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom",
                        "out of memory: not rewritten; its journal keeps what was done, "
                        "and the same command resumes");
      rc = EXIT_FAILED;
    } else if (!(f = scr_outfile_open_ex(mpath, r.sync != SYNC_NONE ? SCR_OUTFILE_SYNC : 0, diag)) ||
               scr_outfile_write(f, mlines.data, mlines.len, diag) != 0) {
      scr_outfile_abort(f);
      rc = EXIT_FAILED;
    } else if (scr_outfile_commit(f, diag) != 0) {
      rc = EXIT_FAILED;
    } else {
      if (journal_fd >= 0) close(journal_fd), journal_fd = -1;
      unlink(jpath);
      if (r.sync != SYNC_NONE && outdir_sync_dir(r.outdir) != 0) {
        scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "io",
                        "cannot sync the output directory to disk: %s", strerror(errno));
        rc = EXIT_FAILED;
      }
    }
    scr_diag_free(diag);
  }
  scr_buf_free(&mlines);
  if (interrupted) {
    size_t left = r.njobs - n_ok - n_unchanged - n_failed - n_skipped;
    fprintf(stderr,
            "%s: interrupted: converted %zu, unchanged %zu, failed %zu, not converted %zu; "
            "the manifest records what was done, and the same command resumes%s\n",
            program, n_ok, n_unchanged, n_failed, left,
            r.corpus ? " (no corpus file was written)" : "");
    rc = 128 + interrupted;
  } else
  if (r.njobs > 1 || r.outdir) {
    double secs = now() - prog.start;
    char skipped[96] = "";
    int sn = n_skipped ? snprintf(skipped, sizeof skipped, ", skipped %zu", n_skipped) : 0;
    if (n_left_out)
      snprintf(skipped + sn, sizeof skipped - (size_t)sn, ", left out of a corpus %zu", n_left_out);
    fprintf(stderr, "%s: converted %zu, unchanged %zu, warnings %zu, failed %zu%s (%.2f s, %.1f MB/s)\n",
            program, n_ok, n_unchanged, n_warnings, n_failed, skipped, secs,
            secs > 0 ? (double)prog.total_bytes / secs / 1e6 : 0.0);
  }
  pthread_mutex_destroy(&r.lock);
  pthread_cond_destroy(&r.job_done);
  pthread_cond_destroy(&r.job_consumed);

done:
  if (journal_fd >= 0) close(journal_fd);
  if (lock_fd >= 0) close(lock_fd);
  free(mpath);
  free(jpath);
  free(format_names);
  free(own.previous.slots);
  manifest_free(&r.prev);
  for (size_t i = 0; i < r.deps.len; i++) free(r.deps.path[i]);
  free(r.deps.path);
  free(r.deps.sha);
  pthread_mutex_destroy(&r.deps.lock);
  free(outdir_copy);
  for (size_t w = 0; corpus_state && w < r.nwriters; w++)
    if (corpus_state[w]) r.writers[w]->corpus_close(corpus_state[w], NULL, NULL, NULL);
  free(corpus_state);
  for (size_t w = 0; corpus_body && w < r.nwriters; w++)
    if (corpus_body[w]) fclose(corpus_body[w]);
  free(corpus_body);
  scr_buf_free(&chunk);
  for (size_t w = 0; corpus_paths && w < r.nwriters; w++) free(corpus_paths[w]);
  free(corpus_paths);
  free(threads);
  for (size_t i = 0; i < list.len; i++) {
    job *j = &list.items[i];
    for (size_t w = 0; j->outputs && w < r.nwriters; w++) free(j->outputs[w]);
    free(j->outputs);
    free(j->out_sha);
    for (size_t d = 0; d < j->ndeps; d++) free(j->dep_path[d]), free(j->dep_sha[d]);
    free(j->dep_path);
    free(j->dep_sha);
    free(j->path);
    free(j->rel);
    free(j->skip);
    scr_buf_free(&j->diags);
    scr_doc_free(j->doc);
    for (size_t w = 0; j->prepared && w < r.nwriters; w++)
      if (j->prepared[w]) r.writers[w]->corpus_merge(NULL, j->prepared[w], NULL, NULL);
    free(j->prepared);
  }
  free(list.items);
  free(planned.slots);
  free(r.inputs.slots);
  for (size_t i = 0; r.writer_opts && i < r.nwriters; i++) scr_options_free(r.writer_opts[i]);
  free(r.writer_opts);
  for (size_t i = 0; i < r.nreaders; i++) scr_options_free(r.reader_opts[i]);
  free(r.reader_opts);
  for (size_t i = 0; r.chains && i < r.nreaders; i++) chain_free(&r.chains[i]);
  free(r.chains);
  for (size_t i = 0; i < r.ntransforms; i++) scr_options_free(r.transform_opts[i]);
  free(r.transforms);
  free(r.transform_opts);
  for (size_t i = 0; i < nedits; i++) free((char *)edits[i].name);
  free(edits);
  free(r.readers);
  free(r.writers);
  free(to_copy);
  for (size_t i = 0; i < nsets; i++) {
    free(sets[i].format);
    free(sets[i].key);
    free(sets[i].value);
  }
  free(sets);
  if (r.reg) scr_registry_free(r.reg);
  return rc;
#undef USAGE
#undef OUT_OF_MEMORY
}
