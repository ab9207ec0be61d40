/* manifest.c - reading and writing the lines of DIR/manifest.tsv (see
 * manifest.h for the columns). */
#define _GNU_SOURCE
#include "manifest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char manifest_header[] =
    "path\tsize\tsha256\tstatus\twarnings\toutputs\tkey\toutput_sha256\tdepends\n";

enum { NCOLS = 9 };

/* ---- escaping ------------------------------------------------------------------ */

static int put_escaped(scr_buf *b, const char *s) {
  for (; *s; s++) {
    int rc;
    switch (*s) {
    case '\\': rc = scr_buf_puts(b, "\\\\"); break;
    case '\t': rc = scr_buf_puts(b, "\\t"); break;
    case '\n': rc = scr_buf_puts(b, "\\n"); break;
    case ',': rc = scr_buf_puts(b, "\\,"); break;
    default: rc = scr_buf_putc(b, *s);
    }
    if (rc) return -1;
  }
  return 0;
}

/* Unescapes s[0..n) into a new string; NULL on OOM or a bad escape. */
static char *unescape(const char *s, size_t n, int *oom) {
  char *out = malloc(n + 1);
  if (!out) {
    *oom = 1;
    return NULL;
  }
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '\\') {
      out[o++] = s[i];
      continue;
    }
    if (++i == n) { /* an escape cut off: not a line this program wrote */
      free(out);
      return NULL;
    }
    switch (s[i]) {
    case '\\': out[o++] = '\\'; break;
    case 't': out[o++] = '\t'; break;
    case 'n': out[o++] = '\n'; break;
    case ',': out[o++] = ','; break;
    default: free(out); return NULL;
    }
  }
  out[o] = '\0';
  if (memchr(out, '\0', o)) { /* an escaped NUL cannot be a path */
    free(out);
    return NULL;
  }
  return out;
}

/* Splits a list on unescaped commas; "-" is the empty list. */
static int split_list(const char *s, size_t n, char ***out, size_t *count, int *oom) {
  *out = NULL;
  *count = 0;
  if (n == 1 && s[0] == '-') return 0;
  if (n == 0) return -1;
  size_t items = 1;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\\') i++;
    else if (s[i] == ',') items++;
  }
  char **v = calloc(items, sizeof *v);
  if (!v) return *oom = 1, -1;
  size_t k = 0, start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] == '\\') {
      i++;
      continue;
    }
    if (i < n && s[i] != ',') continue;
    if (i == start || !(v[k] = unescape(s + start, i - start, oom))) {
      for (size_t j = 0; j < k; j++) free(v[j]);
      free(v);
      return -1;
    }
    k++;
    start = i + 1;
  }
  *out = v;
  *count = k;
  return 0;
}

static void free_list(char **v, size_t n) {
  for (size_t i = 0; v && i < n; i++) free(v[i]);
  free(v);
}

static int is_hash(const char *s) {
  if (strcmp(s, "-") == 0) return 1;
  size_t n = 0;
  for (; s[n]; n++)
    if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f'))) return 0;
  return n == 64;
}

static int parse_size(const char *s, size_t n, size_t *out) {
  if (!n || n > 19) return -1;
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  *out = (size_t)v;
  return 0;
}

/* ---- lines --------------------------------------------------------------------- */

void manifest_entry_free(manifest_entry *e) {
  free(e->path);
  free(e->sha);
  free(e->status);
  free_list(e->outputs, e->noutputs);
  free_list(e->output_sha, e->noutputs);
  free(e->key);
  free_list(e->dep_path, e->ndeps);
  free_list(e->dep_sha, e->ndeps);
  memset(e, 0, sizeof *e);
}

int manifest_parse_line(const char *line, size_t len, manifest_entry *e) {
  memset(e, 0, sizeof *e);
  const char *col[NCOLS];
  size_t clen[NCOLS];
  size_t n = 0, start = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && line[i] != '\t') continue;
    if (n == NCOLS) return -1;
    col[n] = line + start;
    clen[n++] = i - start;
    start = i + 1;
  }
  if (n != NCOLS) return -1;
  int oom = 0;
  char **tmp = NULL, **deps = NULL;
  size_t ntmp = 0, ndeps = 0;
  if (!(e->path = unescape(col[0], clen[0], &oom)) || !*e->path ||
      strcmp(e->path, "path") == 0 || parse_size(col[1], clen[1], &e->size) ||
      !(e->sha = strndup(col[2], clen[2])) || !is_hash(e->sha) ||
      !(e->status = strndup(col[3], clen[3])) ||
      parse_size(col[4], clen[4], &e->warnings) ||
      split_list(col[5], clen[5], &e->outputs, &e->noutputs, &oom) ||
      !(e->key = strndup(col[6], clen[6])) || strlen(e->key) != 64 || !is_hash(e->key) ||
      split_list(col[7], clen[7], &tmp, &ntmp, &oom) || ntmp != e->noutputs ||
      split_list(col[8], clen[8], &deps, &ndeps, &oom))
    goto bad;
  for (size_t i = 0; i < ntmp; i++)
    if (!is_hash(tmp[i])) goto bad;
  e->output_sha = tmp;
  tmp = NULL;
  if (ndeps) {
    e->dep_path = calloc(ndeps, sizeof *e->dep_path);
    e->dep_sha = calloc(ndeps, sizeof *e->dep_sha);
    if (!e->dep_path || !e->dep_sha) {
      oom = 1;
      goto bad;
    }
    e->ndeps = ndeps;
    for (size_t i = 0; i < ndeps; i++) {
      char *colon = strchr(deps[i], ':');
      if (!colon || !colon[1]) goto bad;
      *colon = '\0';
      if (!(strcmp(deps[i], "?") == 0 || is_hash(deps[i]))) goto bad;
      e->dep_sha[i] = strdup(deps[i]);
      e->dep_path[i] = strdup(colon + 1);
      if (!e->dep_sha[i] || !e->dep_path[i]) {
        oom = 1;
        goto bad;
      }
    }
  }
  free_list(deps, ndeps);
  return 0;
bad:
  free_list(tmp, ntmp);
  free_list(deps, ndeps);
  manifest_entry_free(e);
  return oom ? -2 : -1;
}

int manifest_format_line(scr_buf *b, const manifest_entry *e) {
  int rc = put_escaped(b, e->path);
  rc |= scr_buf_printf(b, "\t%zu\t%s\t%s\t%zu\t", e->size, e->sha, e->status, e->warnings);
  for (size_t i = 0; i < e->noutputs; i++) {
    if (i) rc |= scr_buf_putc(b, ',');
    rc |= put_escaped(b, e->outputs[i]);
  }
  if (!e->noutputs) rc |= scr_buf_putc(b, '-');
  rc |= scr_buf_printf(b, "\t%s\t", e->key);
  for (size_t i = 0; i < e->noutputs; i++) {
    if (i) rc |= scr_buf_putc(b, ',');
    rc |= scr_buf_puts(b, e->output_sha[i]);
  }
  if (!e->noutputs) rc |= scr_buf_putc(b, '-');
  rc |= scr_buf_putc(b, '\t');
  for (size_t i = 0; i < e->ndeps; i++) {
    if (i) rc |= scr_buf_putc(b, ',');
    rc |= scr_buf_puts(b, e->dep_sha[i]);
    rc |= scr_buf_putc(b, ':');
    rc |= put_escaped(b, e->dep_path[i]);
  }
  if (!e->ndeps) rc |= scr_buf_putc(b, '-');
  rc |= scr_buf_putc(b, '\n');
  return rc ? -1 : 0;
}

/* ---- a whole manifest ------------------------------------------------------------ */

int manifest_add_text(manifest *m, const char *data, size_t len) {
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    if (data[i] != '\n') continue;
    if (m->len == m->cap) {
      size_t cap = m->cap ? m->cap * 2 : 256;
      manifest_entry *grown = realloc(m->v, cap * sizeof *grown);
      if (!grown) return -1;
      m->v = grown;
      m->cap = cap;
    }
    int rc = manifest_parse_line(data + start, i - start, &m->v[m->len]);
    if (rc == -2) return -1;
    if (rc == 0) m->len++;
    start = i + 1;
  }
  return 0;
}

typedef struct ranked {
  manifest_entry e;
  size_t seq;
} ranked;

static int cmp_ranked(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  int c = strcmp(x->e.path, y->e.path);
  return c ? c : x->seq < y->seq ? -1 : x->seq > y->seq;
}

void manifest_finish(manifest *m) {
  if (m->len < 2) return;
  ranked *r = malloc(m->len * sizeof *r);
  if (!r) { /* out of memory: forget it all, so that everything is converted */
    manifest_free(m);
    return;
  }
  for (size_t i = 0; i < m->len; i++) r[i] = (ranked){m->v[i], i};
  qsort(r, m->len, sizeof *r, cmp_ranked);
  size_t k = 0;
  for (size_t i = 0; i < m->len; i++) {
    if (i + 1 < m->len && strcmp(r[i].e.path, r[i + 1].e.path) == 0) {
      manifest_entry_free(&r[i].e); /* a later line of the same path wins */
      continue;
    }
    m->v[k++] = r[i].e;
  }
  m->len = k;
  free(r);
}

static int cmp_entry(const void *key, const void *e) {
  return strcmp(key, ((const manifest_entry *)e)->path);
}

const manifest_entry *manifest_find(const manifest *m, const char *path) {
  if (!m->len) return NULL;
  return bsearch(path, m->v, m->len, sizeof *m->v, cmp_entry);
}

void manifest_free(manifest *m) {
  for (size_t i = 0; i < m->len; i++) manifest_entry_free(&m->v[i]);
  free(m->v);
  memset(m, 0, sizeof *m);
}

long manifest_output_index(const manifest_entry *e, const char *rel) {
  for (size_t i = 0; i < e->noutputs; i++)
    if (strcmp(e->outputs[i], rel) == 0) return (long)i;
  return -1;
}
