/* registry.c - finds, loads and checks plugins, and looks formats up.
 *
 * The model is PostgreSQL's PG_MODULE_MAGIC and GStreamer's plugin_desc: one
 * exported function returns a static descriptor that is checked (ABI, required
 * fields, conflicts) before any other plugin code runs. Accepted plugins are
 * never unloaded: their descriptors and code stay valid for the process. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scriptorium/scriptorium.h"

#ifndef SCR_PLUGIN_DIR
#define SCR_PLUGIN_DIR "/usr/local/lib/scriptorium/plugins"
#endif
#ifndef SCR_PLUGIN_DIR_FROM_BIN
#define SCR_PLUGIN_DIR_FROM_BIN "../lib/scriptorium/plugins"
#endif

typedef struct loaded {
  const scr_plugin *plugin;
  char *path;
  void *handle;
} loaded;

struct scr_registry {
  loaded *items;
  size_t len, cap;
};

const char *scr_version(void) { return SCR_VERSION_STRING; }

const char *scr_installed_plugin_dir(void) { return SCR_PLUGIN_DIR; }

scr_registry *scr_registry_new(void) { return calloc(1, sizeof(scr_registry)); }

void scr_registry_free(scr_registry *r) {
  if (!r) return;
  /* Plugins stay loaded (no dlclose): a descriptor or a string a plugin
   * handed out may still be referenced by the host. */
  for (size_t i = 0; i < r->len; i++) free(r->items[i].path);
  free(r->items);
  free(r);
}

size_t scr_registry_plugin_count(const scr_registry *r) { return r->len; }

const scr_plugin *scr_registry_plugin(const scr_registry *r, size_t i) {
  return i < r->len ? r->items[i].plugin : NULL;
}

const char *scr_registry_plugin_path(const scr_registry *r, size_t i) {
  return i < r->len ? r->items[i].path : NULL;
}

#define FOR_EACH(list, var) \
  for (size_t var##_i = 0; (list) && (var = (list)[var##_i]) != NULL; var##_i++)

const scr_reader *scr_registry_reader(const scr_registry *r,
                                      const char *format) {
  for (size_t i = 0; i < r->len; i++) {
    const scr_reader *rd;
    FOR_EACH(r->items[i].plugin->readers, rd)
    if (strcmp(rd->format, format) == 0) return rd;
  }
  return NULL;
}

const scr_writer *scr_registry_writer(const scr_registry *r,
                                      const char *format) {
  for (size_t i = 0; i < r->len; i++) {
    const scr_writer *w;
    FOR_EACH(r->items[i].plugin->writers, w)
    if (strcmp(w->format, format) == 0) return w;
  }
  return NULL;
}

const scr_validator *scr_registry_validator(const scr_registry *r,
                                            const char *format) {
  for (size_t i = 0; i < r->len; i++) {
    const scr_validator *v;
    FOR_EACH(r->items[i].plugin->validators, v)
    if (strcmp(v->format, format) == 0) return v;
  }
  return NULL;
}

/* A plugin's transforms: none for a descriptor built before ABI 1.3. */
static const scr_transform *const *transforms_of(const scr_plugin *p) {
  return SCR_HAS_FIELD(p, scr_plugin, transforms) ? p->transforms : NULL;
}

const scr_transform *scr_registry_transform(const scr_registry *r, const char *name) {
  for (size_t i = 0; i < r->len; i++) {
    const scr_transform *t;
    FOR_EACH(transforms_of(r->items[i].plugin), t)
    if (strcmp(t->name, name) == 0) return t;
  }
  return NULL;
}

/* A plugin's archives: none for a descriptor built before ABI 1.4. */
static const scr_archive *const *archives_of(const scr_plugin *p) {
  return SCR_HAS_FIELD(p, scr_plugin, archives) ? p->archives : NULL;
}

const scr_archive *scr_registry_archive(const scr_registry *r, const char *format) {
  for (size_t i = 0; i < r->len; i++) {
    const scr_archive *a;
    FOR_EACH(archives_of(r->items[i].plugin), a)
    if (strcmp(a->format, format) == 0) return a;
  }
  return NULL;
}

/* Whether `name` ends in "." + ext, ignoring case. */
static int has_extension(const char *name, const char *ext) {
  size_t n = strlen(name), e = strlen(ext);
  return n > e + 1 && name[n - e - 1] == '.' && strcasecmp(name + n - e, ext) == 0;
}

const scr_archive *scr_registry_archive_for(const scr_registry *r, const char *path) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  for (size_t i = 0; i < r->len; i++) {
    const scr_archive *a;
    FOR_EACH(archives_of(r->items[i].plugin), a) {
      const char *ext;
      FOR_EACH(a->extensions, ext) if (has_extension(base, ext)) return a;
    }
  }
  return NULL;
}

const char *const *scr_reader_default_transforms(const scr_reader *rd) {
  return SCR_HAS_FIELD(rd, scr_reader, default_transforms) ? rd->default_transforms : NULL;
}

/* Which loaded plugin provides `format` in the direction of `kind`. */
static const char *owner_of(const scr_registry *r, int kind,
                            const char *format) {
  for (size_t i = 0; i < r->len; i++) {
    const scr_plugin *p = r->items[i].plugin;
    if (kind == 0) {
      const scr_reader *x;
      FOR_EACH(p->readers, x) if (strcmp(x->format, format) == 0) return r->items[i].path;
    } else if (kind == 1) {
      const scr_writer *x;
      FOR_EACH(p->writers, x) if (strcmp(x->format, format) == 0) return r->items[i].path;
    } else if (kind == 2) {
      const scr_validator *x;
      FOR_EACH(p->validators, x) if (strcmp(x->format, format) == 0) return r->items[i].path;
    } else if (kind == 3) {
      const scr_transform *x;
      FOR_EACH(transforms_of(p), x) if (strcmp(x->name, format) == 0) return r->items[i].path;
    } else {
      const scr_archive *x;
      FOR_EACH(archives_of(p), x) if (strcmp(x->format, format) == 0) return r->items[i].path;
    }
  }
  return NULL;
}

static int valid_name(const char *s) {
  if (!s || !*s) return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
          *s == '_'))
      return 0;
  return 1;
}

static const scr_pos nopos = {0, 0, 0};

/* Checks the descriptor; reports and returns -1 on the first problem. */
static int check_descriptor(const scr_registry *r, const scr_plugin *p,
                            const char *path, scr_diag *diag) {
  if (p->abi_major != SCR_ABI_MAJOR || p->abi_minor > SCR_ABI_MINOR) {
    scr_diag_report(diag, SCR_ERROR, nopos, "plugin-abi",
                    "incompatible plugin \"%s\": built for ABI %u.%u, this is "
                    "%d.%d",
                    p->struct_size >= offsetof(scr_plugin, readers) && p->name ? p->name : path,
                    p->abi_major, p->abi_minor, SCR_ABI_MAJOR, SCR_ABI_MINOR);
    return -1;
  }
#define MISSING(what)                                                         \
  do {                                                                        \
    scr_diag_report(diag, SCR_ERROR, nopos, "plugin-invalid",                 \
                    "invalid plugin: descriptor has no %s", what);            \
    return -1;                                                                \
  } while (0)
  /* An older minor's descriptor ends earlier: it must reach at least the
   * fields of ABI 1.0, and fields after its struct_size are not read. */
  if (p->struct_size < offsetof(scr_plugin, init)) MISSING("valid struct_size");
  if (!valid_name(p->name)) MISSING("name (lower-case letters, digits, - or _)");
  if (!p->version || !*p->version) MISSING("version");
  if (!p->readers && !p->writers && !p->validators && !transforms_of(p) && !archives_of(p))
    MISSING("readers, writers, validators, transforms or archives");
  const scr_reader *rd;
  FOR_EACH(p->readers, rd) {
    /* a reader built for ABI 1.2 or before ends before default_transforms */
    if (rd->struct_size < offsetof(scr_reader, default_transforms))
      MISSING("valid reader struct_size");
    if (!valid_name(rd->format)) MISSING("reader format name");
    if (!rd->probe || !rd->read) MISSING("reader probe and read functions");
    if (rd->option_count && !rd->options) MISSING("reader option table");
    const char *name;
    FOR_EACH(scr_reader_default_transforms(rd), name)
    if (!valid_name(name)) MISSING("valid names in the reader's default transforms");
  }
  const scr_transform *tr;
  FOR_EACH(transforms_of(p), tr) {
    if (tr->struct_size < sizeof *tr) MISSING("valid transform struct_size");
    if (!valid_name(tr->name)) MISSING("transform name");
    if (!tr->run) MISSING("transform run function");
    if (tr->option_count && !tr->options) MISSING("transform option table");
  }
  const scr_writer *wr;
  FOR_EACH(p->writers, wr) {
    /* a writer built for ABI 1.0 or 1.1 ends before corpus_prepare */
    if (wr->struct_size < offsetof(scr_writer, corpus_prepare))
      MISSING("valid writer struct_size");
    if (!valid_name(wr->format)) MISSING("writer format name");
    if (!wr->write) MISSING("writer write function");
    if (!wr->extensions || !wr->extensions[0]) MISSING("writer extensions");
    if ((wr->corpus_open || wr->corpus_add || wr->corpus_close) &&
        !(wr->corpus_open && wr->corpus_add && wr->corpus_close))
      MISSING("corpus_open, corpus_add and corpus_close together");
    if (SCR_HAS_FIELD(wr, scr_writer, corpus_merge) &&
        (!wr->corpus_prepare != !wr->corpus_merge || (wr->corpus_prepare && !wr->corpus_add)))
      MISSING("corpus_prepare and corpus_merge together, with corpus_add");
    if (wr->option_count && !wr->options) MISSING("writer option table");
  }
  const scr_archive *ar;
  FOR_EACH(archives_of(p), ar) {
    if (ar->struct_size < sizeof *ar) MISSING("valid archive struct_size");
    if (!valid_name(ar->format)) MISSING("archive format name");
    if (!ar->extensions || !ar->extensions[0]) MISSING("archive extensions");
    if (!ar->open || !ar->next || !ar->load || !ar->close)
      MISSING("archive open, next, load and close functions");
  }
  const scr_validator *va;
  FOR_EACH(p->validators, va) {
    if (va->struct_size < sizeof *va) MISSING("valid validator struct_size");
    if (!valid_name(va->format)) MISSING("validator format name");
    if (!va->open || !va->check || !va->close)
      MISSING("validator open, check and close functions");
  }
#undef MISSING
  /* Two plugins may not claim one format in the same direction. */
  const char *other;
  FOR_EACH(p->readers, rd) if ((other = owner_of(r, 0, rd->format))) {
    scr_diag_report(diag, SCR_ERROR, nopos, "plugin-conflict",
                    "plugin \"%s\" reads format '%s', already read by %s",
                    p->name, rd->format, other);
    return -1;
  }
  FOR_EACH(p->writers, wr) if ((other = owner_of(r, 1, wr->format))) {
    scr_diag_report(diag, SCR_ERROR, nopos, "plugin-conflict",
                    "plugin \"%s\" writes format '%s', already written by %s",
                    p->name, wr->format, other);
    return -1;
  }
  FOR_EACH(p->validators, va) if ((other = owner_of(r, 2, va->format))) {
    scr_diag_report(diag, SCR_ERROR, nopos, "plugin-conflict",
                    "plugin \"%s\" validates format '%s', already validated by %s",
                    p->name, va->format, other);
    return -1;
  }
  FOR_EACH(transforms_of(p), tr) if ((other = owner_of(r, 3, tr->name))) {
    scr_diag_report(diag, SCR_ERROR, nopos, "plugin-conflict",
                    "plugin \"%s\" has transform '%s', already provided by %s",
                    p->name, tr->name, other);
    return -1;
  }
  FOR_EACH(archives_of(p), ar) if ((other = owner_of(r, 4, ar->format))) {
    scr_diag_report(diag, SCR_ERROR, nopos, "plugin-conflict",
                    "plugin \"%s\" opens archives of format '%s', already opened by %s",
                    p->name, ar->format, other);
    return -1;
  }
  return 0;
}

/* Whether dlopen failed for want of memory (or of address space, under
 * ulimit -v): a plugin that could not be loaded so is no usage error. The
 * loader gives no errno, only its words; and glibc 2.36's loader, once an
 * allocation failed while it listed a plugin's dependencies, may fail every
 * later dlopen of this process with "undefined symbol" (it leaves a
 * library already loaded marked as listed), so after one such failure
 * every later one counts too. Last, memory that is gone for good: a small
 * allocation fails as well. */
static int dl_hurt;

static int dl_out_of_memory(const char *e) {
  static const char *const words[] = {"allocate", "out of memory", "map segment",
                                      "map zero-fill", "map pages", NULL};
  int oom = !e; /* dlerror could not allocate its message */
  for (size_t i = 0; e && words[i] && !oom; i++)
    if (strcasestr(e, words[i])) oom = 1;
  if (!oom && !dl_hurt) {
    void *probe = malloc(64 * 1024);
    oom = !probe;
    free(probe);
  }
  if (oom) dl_hurt = 1;
  return oom || dl_hurt;
}

int scr_registry_load_file(scr_registry *r, const char *path, scr_diag *diag) {
  const char *old_file = scr_diag_file(diag);
  char *saved = old_file ? strdup(old_file) : NULL;
  scr_diag_set_file(diag, path);
  int rc = -1;
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  /* Once more: under memory pressure the loader fails on whatever
   * allocation or mapping fails first, and may say something else (a file
   * it could not open); a real problem fails again. */
  if (!h) {
    (void)dl_out_of_memory(dlerror()); /* notes that the loader is hurt */
    h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  }
  if (!h) {
    const char *e = dlerror();
    if (dl_out_of_memory(e))
      scr_diag_report(diag, SCR_ERROR, nopos, "oom", "cannot load the plugin: out of memory (%s)",
                      e ? e : "dlopen failed");
    else
      scr_diag_report(diag, SCR_ERROR, nopos, "plugin-load", "not a loadable plugin: %s", e);
    goto out;
  }
  scr_plugin_entry_fn entry;
  void *sym = dlsym(h, SCR_PLUGIN_ENTRY);
  if (!sym) {
    scr_diag_report(diag, SCR_ERROR, nopos, "plugin-entry",
                    "not a Scriptorium plugin: no entry symbol '%s'",
                    SCR_PLUGIN_ENTRY);
    dlclose(h);
    goto out;
  }
  memcpy(&entry, &sym, sizeof entry); /* object pointer to function pointer */
  const scr_plugin *p = entry();
  if (!p) {
    scr_diag_report(diag, SCR_ERROR, nopos, "plugin-entry",
                    "invalid plugin: '%s' returned no descriptor",
                    SCR_PLUGIN_ENTRY);
    dlclose(h);
    goto out;
  }
  /* A plugin of the same name found earlier in the search path shadows this
   * one, the way PATH does for programs. */
  if (p->abi_major == SCR_ABI_MAJOR && p->struct_size >= offsetof(scr_plugin, readers) && p->name)
    for (size_t i = 0; i < r->len; i++)
      if (strcmp(r->items[i].plugin->name, p->name) == 0) {
        rc = 1;
        goto out; /* the handle stays open; dlopen counts references */
      }
  if (check_descriptor(r, p, path, diag)) {
    dlclose(h);
    goto out;
  }
  if (r->len == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 8;
    loaded *items = realloc(r->items, cap * sizeof *items);
    if (!items) goto oom;
    r->items = items;
    r->cap = cap;
  }
  int (*init)(void) = SCR_HAS_FIELD(p, scr_plugin, init) ? p->init : NULL;
  if (init && init() != 0) {
    scr_diag_report(diag, SCR_ERROR, nopos, "plugin-init",
                    "plugin \"%s\" failed to initialise", p->name);
    dlclose(h);
    goto out;
  }
  char *copy = strdup(path);
  if (!copy) goto oom;
  r->items[r->len++] = (loaded){p, copy, h};
  rc = 0;
  goto out;
oom:
  scr_diag_report(diag, SCR_ERROR, nopos, "oom", "out of memory");
  dlclose(h);
out:
  scr_diag_set_file(diag, saved);
  free(saved);
  return rc;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int scr_registry_load_dir(scr_registry *r, const char *dir, scr_diag *diag) {
  DIR *d = opendir(dir);
  if (!d && errno == ENOMEM) {
    scr_diag_report(diag, SCR_ERROR, nopos, "oom", "%s: cannot list the plugins: out of memory",
                    dir);
    return 1;
  }
  if (!d) return 0;
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rejected = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len < 4 || strcmp(e->d_name + len - 3, ".so") != 0 ||
        e->d_name[0] == '.')
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      char **grown = realloc(names, cap * sizeof *grown);
      if (!grown) break;
      names = grown;
    }
    if (!(names[n] = strdup(e->d_name))) break;
    n++;
  }
  if (e) { /* out of memory: no plugin of the directory is left out unsaid */
    scr_diag_report(diag, SCR_ERROR, nopos, "oom", "%s: cannot list the plugins: out of memory",
                    dir);
    rejected++;
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n; i++) {
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) <
            (int)sizeof path &&
        scr_registry_load_file(r, path, diag) < 0)
      rejected++;
    free(names[i]);
  }
  free(names);
  return rejected;
}

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int scr_registry_load_default(scr_registry *r, const char *const *dirs,
                              const char *exe_path, scr_diag *diag) {
  int rejected = 0;
  for (size_t i = 0; dirs && dirs[i]; i++)
    rejected += scr_registry_load_dir(r, dirs[i], diag);
  const char *env = getenv("SCRIPTORIUM_PLUGIN_PATH");
  if (env && *env) {
    char *copy = strdup(env), *save = NULL;
    if (!copy) {
      scr_diag_report(diag, SCR_ERROR, nopos, "oom",
                      "cannot read SCRIPTORIUM_PLUGIN_PATH: out of memory");
      rejected++;
    }
    for (char *tok = copy ? strtok_r(copy, ":", &save) : NULL; tok;
         tok = strtok_r(NULL, ":", &save))
      rejected += scr_registry_load_dir(r, tok, diag);
    free(copy);
  }
  /* The installed directory, found relative to the program so that an
   * installed tree can be moved; the build tree's own plugins when the
   * program runs from the build tree. */
  char exe[PATH_MAX], dir[PATH_MAX];
  const char *self = exe_path ? exe_path : "/proc/self/exe";
  int found = realpath(self, exe) || realpath("/proc/self/exe", exe);
  if (!found && errno == ENOMEM) {
    scr_diag_report(diag, SCR_ERROR, nopos, "oom", "cannot find the plugins: out of memory");
    return rejected + 1;
  }
  if (found) {
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';
#ifdef SCR_BUILD_BIN_DIR
    if (strcmp(exe, SCR_BUILD_BIN_DIR) == 0 && is_dir(SCR_BUILD_PLUGIN_DIR))
      return rejected + scr_registry_load_dir(r, SCR_BUILD_PLUGIN_DIR, diag);
#endif
    char canon[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s/%s", exe, SCR_PLUGIN_DIR_FROM_BIN) <
            (int)sizeof dir &&
        is_dir(dir)) {
      if (realpath(dir, canon)) return rejected + scr_registry_load_dir(r, canon, diag);
      if (errno == ENOMEM) {
        scr_diag_report(diag, SCR_ERROR, nopos, "oom", "cannot find the plugins: out of memory");
        return rejected + 1;
      }
    }
  }
  return rejected + scr_registry_load_dir(r, SCR_PLUGIN_DIR, diag);
}

int scr_registry_detect(const scr_registry *r, const char *data, size_t len,
                        int min_score, const scr_reader **out,
                        scr_diag *diag) {
  const scr_reader *best = NULL, *tie = NULL;
  int best_score = -1;
  if (len > 4096) len = 4096;
  for (size_t i = 0; i < r->len; i++) {
    const scr_reader *rd;
    FOR_EACH(r->items[i].plugin->readers, rd) {
      int s = rd->probe(data, len);
      if (s > best_score) {
        best = rd, best_score = s, tie = NULL;
      } else if (s == best_score) {
        tie = rd;
      }
    }
  }
  *out = NULL;
  if (!best) {
    scr_diag_report(diag, SCR_ERROR, nopos, "detect",
                    "no reader is loaded to read this input");
    return -1;
  }
  if (tie && best_score > 0) {
    scr_diag_report(diag, SCR_ERROR, nopos, "detect",
                    "cannot tell the input format: readers '%s' and '%s' both "
                    "score %d; name one with -f",
                    best->format, tie->format, best_score);
    return -1;
  }
  if (best_score < min_score) {
    /* Every format here is UTF-8: say so when the input is UTF-16 or -32,
     * the usual reason nothing recognises a text file. */
    const unsigned char *u = (const unsigned char *)data;
    const char *hint = "";
    if (len >= 4 && ((u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0) ||
                     (u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF)))
      hint = " (it is UTF-32: convert it to UTF-8, e.g. iconv -f UTF-32 -t UTF-8)";
    else if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
      hint = " (it is UTF-16: convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8)";
    scr_diag_report(diag, SCR_ERROR, nopos, "detect",
                    "cannot tell the input format: the best guess, '%s', "
                    "scores only %d of 100; name one with -f%s",
                    best->format, best_score, hint);
    return -1;
  }
  *out = best;
  return 0;
}

int scr_registry_detect_validator(const scr_registry *r, const char *data,
                                  size_t len, const scr_validator **out,
                                  scr_diag *diag) {
  const scr_validator *best = NULL;
  int best_score = 0;
  if (len > 4096) len = 4096;
  for (size_t i = 0; i < r->len; i++) {
    const scr_validator *v;
    FOR_EACH(r->items[i].plugin->validators, v) {
      int s = v->probe ? v->probe(data, len) : 0;
      if (s > best_score) best = v, best_score = s;
    }
  }
  *out = best;
  if (!best) {
    scr_diag_report(diag, SCR_ERROR, nopos, "detect",
                    "no validator recognises this file; name one with -f");
    return -1;
  }
  return 0;
}
