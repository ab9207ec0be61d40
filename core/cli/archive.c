/* archive.c - the members of archives as jobs (archive.h). */
#define _GNU_SOURCE
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "archive.h"
#include "diag.h"

/* A member's name as a relative path that stays inside the output
 * directory: the URI without its scheme, each segment with only safe
 * bytes ('.' and '..' segments, empty ones, a query string made plain), a
 * trailing '/' as "index", a final ".html"/".htm" dropped (the writer adds
 * its own extension). */
static char *safe_rel(const char *name) {
  const char *p = strstr(name, "://");
  p = p ? p + 3 : name;
  size_t n = strlen(p);
  char *out = malloc(n * 1 + 16);
  if (!out) return NULL;
  size_t o = 0, seg = 0; /* seg: where the current segment began in out */
  for (size_t i = 0; i <= n && o < n + 8; i++) {
    char c = i < n ? p[i] : '/';
    if (c == '#') c = '/'; /* a fragment is no file; keep it as a segment */
    if (c == '/') {
      size_t len = o - seg;
      if (len == 0 && i < n) continue; /* empty segment */
      if ((len == 1 && out[seg] == '.') || (len == 2 && out[seg] == '.' && out[seg + 1] == '.'))
        out[seg] = '_', o = seg + 1, len = 1;
      if (i == n && len == 0) { /* ends with '/' */
        memcpy(out + o, "index", 5);
        o += 5;
        break;
      }
      if (i < n) {
        out[o++] = '/';
        seg = o;
      }
      continue;
    }
    int safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '-' || c == '_' || c == '~';
    if (o - seg < 200) out[o++] = safe ? c : '_';
  }
  while (o && out[o - 1] == '/') o--;
  out[o] = '\0';
  size_t L = strlen(out);
  if (L > 5 && !strcasecmp(out + L - 5, ".html")) out[L - 5] = '\0';
  else if (L > 4 && !strcasecmp(out + L - 4, ".htm")) out[L - 4] = '\0';
  if (!*out) {
    free(out);
    return strdup("index");
  }
  return out;
}

char *archive_stem(const scr_archive *format, const char *name) {
  size_t n = strlen(name), cut = 0;
  for (size_t i = 0; format->extensions[i]; i++) {
    size_t e = strlen(format->extensions[i]);
    if (n > e + 1 && name[n - e - 1] == '.' && !strcasecmp(name + n - e, format->extensions[i]) &&
        e + 1 > cut)
      cut = e + 1;
  }
  return strndup(name, n - cut);
}

static int add_archive(run *r, const scr_archive *format, const char *path, size_t *index) {
  if (r->narchives == r->caparchives) {
    size_t cap = r->caparchives ? r->caparchives * 2 : 4;
    archive_input *a = realloc(r->archives, cap * sizeof *a);
    if (!a) return -1;
    r->archives = a, r->caparchives = cap;
  }
  archive_input *a = &r->archives[r->narchives];
  memset(a, 0, sizeof *a);
  if (!(a->path = strdup(path))) return -1;
  a->format = format;
  pthread_mutex_init(&a->lock, NULL);
  *index = r->narchives++;
  return 0;
}

static char **copy_meta(const char *const *meta) {
  size_t n = 0;
  while (meta && meta[n]) n++;
  char **v = calloc(n + 1, sizeof *v);
  if (!v) return NULL;
  for (size_t i = 0; i < n; i++)
    if (!(v[i] = strdup(meta[i]))) {
      for (size_t k = 0; k < i; k++) free(v[k]);
      free(v);
      return NULL;
    }
  return v;
}

int archive_list(run *r, const scr_archive *format, const char *path, const char *stem,
                 job_list *list) {
  size_t index;
  if (add_archive(r, format, path, &index)) return -1;
  scr_diag *diag = scr_diag_new(path, cli_print_diag, NULL);
  if (!diag) return -1;
  void *st = format->open(path, diag);
  if (!st) {
    scr_diag_free(diag);
    return 1;
  }
  str_set rels = {0};
  scr_member m;
  int rc, result = 0;
  size_t count = 0;
  while ((rc = format->next(st, &m, diag)) == 1) {
    count++;
    char *safe = safe_rel(m.name);
    char *jpath = NULL, *rel = NULL;
    if (!safe || asprintf(&jpath, "%s#%s", path, m.name) < 0) jpath = NULL;
    if (jpath && asprintf(&rel, "%s/%s", stem, safe) < 0) rel = NULL;
    /* two names made one path (a.html and a): the later gets its number */
    for (int k = 2; rel && str_set_has(&rels, rel); k++) {
      free(rel);
      if (asprintf(&rel, "%s/%s~%d", stem, safe, k) < 0) rel = NULL;
    }
    free(safe);
    job *j = NULL;
    if (rel && jpath && strlen(rel) < PATH_MAX - 64 && !list_push(list, jpath, rel, 1)) {
      j = &list->items[list->len - 1];
      j->archive = index + 1;
      j->pos[0] = m.pos[0];
      j->pos[1] = m.pos[1];
      j->stat_size = (off_t)m.size;
      j->member_reader = m.format ? scr_registry_reader(r->reg, m.format) : NULL;
      if (m.error && !(j->member_error = strdup(m.error))) j = NULL;
      if (j && m.meta && !(j->meta = copy_meta(m.meta))) j = NULL;
      if (j && str_set_add(&rels, j->rel) < 0) j = NULL;
    }
    free(jpath);
    free(rel);
    if (!j) {
      result = -1;
      break;
    }
  }
  if (rc < 0) result = 1;
  if (result == 0 && count == 0 && !quiet_warnings)
    fprintf(stderr, "%s: warning: the archive holds no document a reader takes\n", path);
  format->close(st);
  free(rels.slots);
  scr_diag_free(diag);
  return result;
}

static int pos_le(const uint64_t a[2], const uint64_t b[2]) {
  return a[0] < b[0] || (a[0] == b[0] && a[1] <= b[1]);
}

#define MAX_STATES 16 /* open states of one archive: one per thread at work */

int archive_load(run *r, const job *j, char **data, size_t *len, scr_diag *diag) {
  archive_input *a = &r->archives[j->archive - 1];
  pthread_mutex_lock(&a->lock);
  /* The free state that stands nearest before the member reads forward to
   * it; without one, a new state, or else any free one (it seeks). */
  size_t best = SIZE_MAX, any = SIZE_MAX;
  for (size_t i = 0; i < a->nstates; i++) {
    struct archive_state *s = &a->states[i];
    if (s->busy || !s->state) continue;
    any = i;
    if (pos_le(s->pos, j->pos) && (best == SIZE_MAX || pos_le(a->states[best].pos, s->pos)))
      best = i;
  }
  if (best == SIZE_MAX && (a->nstates < MAX_STATES || any == SIZE_MAX)) {
    if (a->nstates == a->capstates) {
      size_t cap = a->capstates ? a->capstates * 2 : 4;
      struct archive_state *ns = realloc(a->states, cap * sizeof *ns);
      if (!ns) {
        pthread_mutex_unlock(&a->lock);
        scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
        return -1;
      }
      a->states = ns, a->capstates = cap;
    }
    best = a->nstates++;
    memset(&a->states[best], 0, sizeof a->states[best]);
    a->states[best].busy = 1;
    pthread_mutex_unlock(&a->lock);
    void *st = a->format->open(a->path, diag);
    pthread_mutex_lock(&a->lock);
    a->states[best].state = st;
    if (!st) {
      a->states[best].busy = 0;
      pthread_mutex_unlock(&a->lock);
      return -1;
    }
  } else if (best == SIZE_MAX) {
    best = any;
  }
  a->states[best].busy = 1;
  void *st = a->states[best].state;
  pthread_mutex_unlock(&a->lock);
  int rc = a->format->load(st, j->pos, data, len, diag);
  pthread_mutex_lock(&a->lock);
  a->states[best].pos[0] = j->pos[0];
  a->states[best].pos[1] = j->pos[1];
  a->states[best].busy = 0;
  pthread_mutex_unlock(&a->lock);
  return rc;
}

int archive_apply_meta(const job *j, scr_doc *doc) {
  for (size_t i = 0; j->meta && j->meta[i] && j->meta[i + 1]; i += 2) {
    const char *name = j->meta[i], *value = j->meta[i + 1];
    int set = 0;
    for (size_t k = 0; k < scr_meta_count(); k++) {
      const char *mn = scr_meta_name((scr_meta)k);
      if (mn && !strcmp(mn, name)) {
        if (scr_doc_set_meta(doc, (scr_meta)k, value, strlen(value))) return -1;
        set = 1;
      }
    }
    if (!set) {
      char *note = NULL;
      if (asprintf(&note, "%s: %s", name, value) < 0) return -1;
      int rc = scr_doc_add_note(doc, note, strlen(note));
      free(note);
      if (rc) return -1;
    }
  }
  return 0;
}

void archive_free_all(run *r) {
  for (size_t i = 0; i < r->narchives; i++) {
    archive_input *a = &r->archives[i];
    for (size_t k = 0; k < a->nstates; k++)
      if (a->states[k].state) a->format->close(a->states[k].state);
    free(a->states);
    free(a->path);
    pthread_mutex_destroy(&a->lock);
  }
  free(r->archives);
  r->archives = NULL;
  r->narchives = r->caparchives = 0;
}
