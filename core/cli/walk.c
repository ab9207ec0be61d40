/* walk.c - collecting a run's inputs (walk.h): files as named, directory
 * trees walked iteratively in sorted order, this program's own outputs
 * left alone, the slice of a shard. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "archive.h"
#include "diag.h"
#include "walk.h"

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
  return !is_dir && str_set_has(&own->previous, rel);
}


/* Walks `root` iteratively (a stack of directories, names sorted), adding
 * the files a reader takes. `skip` is the output directory; `own` says
 * what in it this program wrote. Entries that cannot be inputs although
 * they look like ones (a dangling symbolic link, a path longer than
 * PATH_MAX) become skipped jobs with a warning. */
static int walk(run *r, const char *root, file_id skip, const own_outputs *own,
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
    if (!d && errno == ENOMEM) {
      free(dir); /* opendir's own buffer: out of memory, not an unreadable directory */
      rc = -1;
      break;
    }
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
          if (list_push_stat(out, path, rel, 1, NULL, why)) rc = -1;
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
        } else if (S_ISREG(st.st_mode) &&
                   scr_registry_archive_for(r->reg, names[i])) {
          /* an archive: its members are the inputs, below its stem */
          const scr_archive *fmt = scr_registry_archive_for(r->reg, names[i]);
          char *stem = archive_stem(fmt, rel);
          int a = stem ? archive_list(r, fmt, path, stem, out) : -1;
          free(stem);
          if (a < 0) rc = -1;
          else if (a > 0 && rc == 0) rc = 1;
        } else if (S_ISREG(st.st_mode) && readable_by(r, names[i])) {
          const char *dot = strrchr(names[i], '.');
          size_t cut = dot && dot != names[i] ? strlen(dot) : 0;
          char *stem = strndup(rel, strlen(rel) - cut);
          if (!stem || list_push_stat(out, path, stem, 1, &st, NULL)) rc = -1;
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

static char *stem_of(const char *path) {
  if (strcmp(path, "-") == 0) return strdup("stdin");
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  return strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}


/* The outputs of this program among what a walk of a tree inside the
 * output directory finds: each writer's DIR/FORMAT/, and the outputs the
 * previous manifest lists (their strings are r->prev's). */
static int own_outputs_init(const run *r, own_outputs *own) {
  size_t nf = 0;
  for (size_t p = 0; p < scr_registry_plugin_count(r->reg); p++) {
    const scr_plugin *pl = scr_registry_plugin(r->reg, p);
    for (size_t k = 0; pl->writers && pl->writers[k]; k++) nf++;
  }
  const char **names = calloc(nf ? nf : 1, sizeof *names);
  if (!names) return -1;
  own->formats = names;
  for (size_t p = 0; p < scr_registry_plugin_count(r->reg); p++) {
    const scr_plugin *pl = scr_registry_plugin(r->reg, p);
    for (size_t k = 0; pl->writers && pl->writers[k]; k++)
      names[own->nformats++] = pl->writers[k]->format;
  }
  for (size_t i = 0; i < r->prev.len; i++)
    for (size_t k = 0; k < r->prev.v[i].noutputs; k++)
      if (str_set_add(&own->previous, r->prev.v[i].outputs[k]) < 0) return -1;
  return 0;
}

int walk_inputs(run *r, int ninputs, char **inputs, job_list *list, int *unreadable) {
  own_outputs own = {0};
  int rc = 0;
  if (r->outdir && own_outputs_init(r, &own)) {
    usage_error("out of memory");
    rc = EXIT_FAILED;
    goto done;
  }
  file_id skip = r->outdir ? file_id_of(r->outdir) : (file_id){0, 0};
  char *real_out = r->outdir ? realpath(r->outdir, NULL) : NULL;
  for (int i = 0; i < ninputs; i++) {
    struct stat st;
    if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      if (!r->outdir) {
        usage_error("a directory input ('%s') needs -O DIR", inputs[i]);
        rc = EXIT_USAGE;
        break;
      }
      size_t before = list->len;
      /* An input directory that is, or lies inside, the output directory:
       * what this program wrote there is left alone. */
      char *real_in = real_out ? realpath(inputs[i], NULL) : NULL;
      size_t ro = real_out ? strlen(real_out) : 0;
      own.prefix = NULL;
      if (real_in && strncmp(real_in, real_out, ro) == 0 &&
          (real_in[ro] == '\0' || real_in[ro] == '/' || (ro == 1 && real_out[0] == '/')))
        own.prefix = real_in + ro + (real_in[ro] == '/');
      int w = walk(r, inputs[i], skip, &own, list);
      free(real_in);
      own.prefix = NULL;
      if (w < 0) {
        usage_error("out of memory");
        rc = EXIT_FAILED;
        break;
      }
      if (w > 0) *unreadable = 1;
      if (list->len == before && !quiet_warnings) {
        /* Say which extensions were looked for: the usual surprise. */
        fprintf(stderr, "%s: warning: no input files found (looked for", inputs[i]);
        for (size_t k = 0; k < r->nreaders; k++)
          for (size_t e = 0; r->readers[k]->extensions && r->readers[k]->extensions[e]; e++)
            fprintf(stderr, " *.%s", r->readers[k]->extensions[e]);
        fprintf(stderr, ")\n");
      }
    } else if (strcmp(inputs[i], "-") != 0 &&
               scr_registry_archive_for(r->reg, inputs[i])) {
      const scr_archive *fmt = scr_registry_archive_for(r->reg, inputs[i]);
      const char *base = strrchr(inputs[i], '/');
      char *stem = archive_stem(fmt, base ? base + 1 : inputs[i]);
      int a = stem ? archive_list(r, fmt, inputs[i], stem, list) : -1;
      free(stem);
      if (a < 0) {
        usage_error("out of memory");
        rc = EXIT_FAILED;
        break;
      }
      if (a > 0) *unreadable = 1;
    } else {
      char *stem = stem_of(inputs[i]);
      int known = strcmp(inputs[i], "-") != 0 && stat(inputs[i], &st) == 0;
      if (!stem || list_push_stat(list, inputs[i], stem, 0, known ? &st : NULL, NULL)) {
        free(stem);
        usage_error("out of memory");
        rc = EXIT_FAILED;
        break;
      }
      free(stem);
    }
  }
  free(real_out);
done:
  free(own.formats);
  free(own.previous.slots);
  return rc;
}

void walk_shard(job_list *list, unsigned k, unsigned n) {
  if (n <= 1) return;
  size_t kept = 0;
  for (size_t i = 0; i < list->len; i++) {
    if (fnv1a(list->items[i].path) % n == k - 1) {
      list->items[kept++] = list->items[i];
    } else {
      free(list->items[i].path);
      free(list->items[i].rel);
      free(list->items[i].skip);
    }
  }
  list->len = kept;
}

