/* provenance.c - per-input provenance (provenance.h).
 *
 * The table is tab-separated, UTF-8, one header line naming its columns
 * (path, and any of url, licence, retrieved, citation, in any order), then
 * one row per input; blank lines and lines starting with '#' are skipped.
 * A row's path is relative to the table's directory. Rows are matched to
 * inputs by the file they name (device and inode), so "./a.txt", "a.txt"
 * and a link to it are one input. The table is read once per run and kept
 * open: every document records it (scr_doc_add_depend) so that editing it
 * reconverts, and its absence so that adding one does. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "provenance.h"
#include "run.h"

typedef struct prov_row {
  file_id id;
  unsigned line;
  char *field[PROV_FIELDS];
} prov_row;

struct prov_table {
  char *path; /* as looked for */
  int fd;     /* -1: absent */
  prov_row *rows; /* sorted by id */
  size_t nrows;
};

static const char *const column_names[PROV_FIELDS] = {"url", "licence", "retrieved", "citation"};

/* ---- checking values ------------------------------------------------------------ */

static int digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

/* W3C dates as TEI's @when takes them: YYYY, YYYY-MM, YYYY-MM-DD, or
 * YYYY-MM-DDThh:mm:ss with an optional fraction and zone (Z or +hh:mm). */
static int is_w3c_date(const char *s) {
  size_t n = strlen(s);
  if (n <= 10) return scr_iso_date(s, n) > 0;
  if (scr_iso_date(s, 10) != 3) return 0;
  const char *t = s + 10;
  if (strlen(t) < 9 || t[0] != 'T' || !digits(t + 1, 2) || t[3] != ':' || !digits(t + 4, 2) ||
      t[6] != ':' || !digits(t + 7, 2) || memcmp(t + 1, "23", 2) > 0 ||
      memcmp(t + 4, "59", 2) > 0 || memcmp(t + 7, "59", 2) > 0)
    return 0;
  t += 9;
  if (*t == '.') {
    size_t f = 1;
    while (t[f] >= '0' && t[f] <= '9') f++;
    if (f == 1) return 0;
    t += f;
  }
  if (!*t || !strcmp(t, "Z")) return 1;
  return (t[0] == '+' || t[0] == '-') && strlen(t) == 6 && digits(t + 1, 2) && t[3] == ':' &&
         digits(t + 4, 2);
}

/* An absolute URI: a scheme, ':', then something without spaces or
 * control characters (what @target and idno type="URI" need). */
static int is_uri(const char *s) {
  size_t i = 0;
  if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return 0;
  while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
         (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '.' || s[i] == '-')
    i++;
  if (s[i] != ':' || !s[i + 1]) return 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p <= ' ' || *p == 0x7f) return 0;
  return 1;
}

const char *provenance_check(int field, const char *value) {
  if (field == PROV_URL && !is_uri(value))
    return "is not an absolute URL (such as http://en.kremlin.ru/events/president/news/64000)";
  if (field == PROV_RETRIEVED && !is_w3c_date(value))
    return "is not an ISO 8601 date (YYYY-MM-DD, or YYYY-MM-DDThh:mm:ssZ)";
  if (!*value) return "is empty";
  return NULL;
}

/* ---- reading a table ------------------------------------------------------------ */

static int id_cmp(const void *a, const void *b) {
  const file_id *x = a, *y = b;
  if (x->dev != y->dev) return x->dev < y->dev ? -1 : 1;
  if (x->ino != y->ino) return x->ino < y->ino ? -1 : 1;
  return 0;
}

static int row_cmp(const void *a, const void *b) {
  return id_cmp(&((const prov_row *)a)->id, &((const prov_row *)b)->id);
}

static void report(scr_diag *diag, scr_severity sev, unsigned line, size_t col, const char *fmt,
                   const char *arg) {
  scr_diag_report(diag, sev, (scr_pos){line, (uint32_t)col, 0}, "sources", fmt, arg);
}

/* Reads the whole file (at most the input limit). 0, or -1 reported. */
static int read_all(prov_table *t, char **out, size_t *len, scr_diag *diag) {
  struct stat st;
  if (fstat(t->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    report(diag, SCR_ERROR, 0, 0, "%s", "the sources table is not a regular file");
    return -1;
  }
  if ((uint64_t)st.st_size > scr_max_input_size()) {
    report(diag, SCR_ERROR, 0, 0, "%s", "the sources table is larger than the input limit");
    return -1;
  }
  char *data = malloc((size_t)st.st_size + 1);
  if (!data) cli_out_of_memory();
  size_t n = 0;
  while (n < (size_t)st.st_size) {
    ssize_t got = pread(t->fd, data + n, (size_t)st.st_size - n, (off_t)n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    n += (size_t)got;
  }
  data[n] = '\0';
  *out = data;
  *len = n;
  return 0;
}

/* Parses the table's text into rows (matched to files by id). Every bad
 * line is reported; returns the number of errors. */
static size_t parse_table(prov_table *t, char *data, size_t len, scr_diag *diag) {
  size_t errors = 0, cap = 0;
  int col_of[PROV_FIELDS + 1]; /* column index of each field; [PROV_FIELDS]: path */
  int ncols = 0, have_header = 0;
  for (int f = 0; f <= PROV_FIELDS; f++) col_of[f] = -1;
  int field_of[64];
  char *dir = strdup(t->path);
  if (!dir) cli_out_of_memory();
  char *slash = strrchr(dir, '/');
  if (slash) slash[1] = '\0';
  else dir[0] = '\0';
  unsigned line = 0;
  for (char *p = data; p < data + len;) {
    char *end = memchr(p, '\n', (size_t)(data + len - p));
    if (!end) end = data + len;
    line++;
    char *next = end + 1;
    if (end > p && end[-1] == '\r') end--;
    *end = '\0';
    if (memchr(p, '\0', (size_t)(end - p))) {
      report(diag, SCR_ERROR, line, 1, "%s", "a NUL byte in the line");
      errors++;
      p = next;
      continue;
    }
    if (p == end || *p == '#') {
      p = next;
      continue;
    }
    /* split at tabs, remembering where each field starts (its column) */
    char *cells[64];
    size_t ncells = 0;
    int too_many = 0;
    for (char *c = p;;) {
      if (ncells == 64) {
        too_many = 1;
        break;
      }
      cells[ncells++] = c;
      char *tab = strchr(c, '\t');
      if (!tab) break;
      *tab = '\0';
      c = tab + 1;
    }
    if (too_many) {
      report(diag, SCR_ERROR, line, 1, "%s", "more than 64 columns");
      errors++;
      p = next;
      continue;
    }
    if (!have_header) {
      have_header = 1;
      ncols = (int)ncells;
      for (size_t c = 0; c < ncells; c++) {
        int f = -1;
        if (!strcmp(cells[c], "path")) f = PROV_FIELDS;
        for (int k = 0; k < PROV_FIELDS; k++)
          if (!strcmp(cells[c], column_names[k])) f = k;
        size_t col = (size_t)(cells[c] - p) + 1;
        if (f < 0) {
          report(diag, SCR_ERROR, line, col,
                 "unknown column '%s' (the columns are path, url, licence, retrieved, citation)",
                 cells[c]);
          errors++;
        } else if (col_of[f] >= 0) {
          report(diag, SCR_ERROR, line, col, "the column '%s' is named twice", cells[c]);
          errors++;
        } else {
          col_of[f] = (int)c;
        }
        field_of[c] = f;
      }
      if (col_of[PROV_FIELDS] < 0) {
        report(diag, SCR_ERROR, line, 1, "%s", "the header names no 'path' column");
        errors++;
      }
      if (errors) break; /* the rows cannot be read without their header */
      p = next;
      continue;
    }
    if ((int)ncells != ncols) {
      char n[64];
      snprintf(n, sizeof n, "%zu fields where the header has %d", ncells, ncols);
      report(diag, SCR_ERROR, line, 1, "%s", n);
      errors++;
      p = next;
      continue;
    }
    prov_row row = {.line = line};
    int bad = 0;
    for (size_t c = 0; c < ncells; c++) {
      int f = field_of[c];
      size_t col = (size_t)(cells[c] - p) + 1;
      if (f == PROV_FIELDS || !*cells[c]) continue; /* an empty field gives nothing */
      const char *why = provenance_check(f, cells[c]);
      if (why) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s '%%s' %s", column_names[f], why);
        report(diag, SCR_ERROR, line, col, msg, cells[c]);
        bad = 1;
      }
    }
    const char *rel = cells[col_of[PROV_FIELDS]];
    size_t pcol = (size_t)(rel - p) + 1;
    if (!*rel) {
      report(diag, SCR_ERROR, line, pcol, "%s", "the path is empty");
      bad = 1;
    }
    if (bad) {
      errors++;
      p = next;
      continue;
    }
    char *full = NULL;
    if (asprintf(&full, "%s%s", rel[0] == '/' ? "" : dir, rel) < 0) cli_out_of_memory();
    row.id = file_id_of(full);
    free(full);
    if (!row.id.ino) {
      /* the table may list more than this run converts; nothing is lost */
      report(diag, SCR_WARNING, line, pcol, "no file '%s' (the row is not used)", rel);
      p = next;
      continue;
    }
    for (size_t c = 0; c < ncells; c++) {
      int f = field_of[c];
      if (f < PROV_FIELDS && *cells[c] && !(row.field[f] = strdup(cells[c]))) cli_out_of_memory();
    }
    if (t->nrows == cap) {
      cap = cap ? cap * 2 : 64;
      prov_row *rows = realloc(t->rows, cap * sizeof *rows);
      if (!rows) cli_out_of_memory();
      t->rows = rows;
    }
    t->rows[t->nrows++] = row;
    p = next;
  }
  free(dir);
  qsort(t->rows, t->nrows, sizeof *t->rows, row_cmp);
  for (size_t i = 1; i < t->nrows; i++)
    if (!id_cmp(&t->rows[i - 1].id, &t->rows[i].id)) {
      const prov_row *a = &t->rows[i - 1], *b = &t->rows[i];
      char msg[96];
      snprintf(msg, sizeof msg, "the file of this row is also that of line %u",
               a->line < b->line ? a->line : b->line);
      report(diag, SCR_ERROR, a->line > b->line ? a->line : b->line, 1, "%s", msg);
      errors++;
    }
  return errors;
}

/* The table at `path`, read once per run; NULL on a bad table (reported). */
static prov_table *table_get(provenance *pv, const char *path, int *failed) {
  for (size_t i = pv->ntables; i-- > 0;)
    if (!strcmp(pv->tables[i]->path, path)) return pv->tables[i];
  prov_table *t = calloc(1, sizeof *t);
  if (!t || !(t->path = strdup(path))) cli_out_of_memory();
  if (pv->ntables == pv->captables) {
    pv->captables = pv->captables ? pv->captables * 2 : 8;
    prov_table **v = realloc(pv->tables, pv->captables * sizeof *v);
    if (!v) cli_out_of_memory();
    pv->tables = v;
  }
  pv->tables[pv->ntables++] = t;
  t->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  scr_diag *diag = cli_printing_diag(path);
  if (!diag) cli_out_of_memory();
  if (t->fd < 0) {
    if (errno != ENOENT || path == pv->table) {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "sources",
                      "cannot open the sources table: %s", strerror(errno));
      *failed = 1;
    }
  } else {
    char *data;
    size_t len;
    if (read_all(t, &data, &len, diag)) *failed = 1;
    else {
      if (parse_table(t, data, len, diag)) *failed = 1;
      free(data);
    }
  }
  scr_diag_free(diag);
  return t;
}

int provenance_plan(run *r) {
  provenance *pv = &r->prov;
  size_t files = 0;
  for (size_t i = 0; i < r->njobs; i++) files += !r->jobs[i].skip;
  if ((pv->cli[PROV_URL] || pv->cli[PROV_CITATION]) && files != 1)
    return usage_error("--source-url and --citation describe one input, not %zu (a sources "
                       "table, --sources FILE, describes many)",
                       files),
           EXIT_USAGE;
  int failed = 0;
  char *want = NULL;
  for (size_t i = 0; i < r->njobs; i++) {
    job *j = &r->jobs[i];
    /* an archive's members and standard input have no file of their own */
    if (j->archive || j->skip || !strcmp(j->path, "-")) continue;
    free(want);
    want = NULL;
    if (!pv->table) {
      const char *slash = strrchr(j->path, '/');
      int dn = slash ? (int)(slash - j->path + 1) : 0;
      if (asprintf(&want, "%.*s%s", dn, j->path, PROV_TABLE_NAME) < 0) cli_out_of_memory();
    }
    prov_table *t = table_get(pv, pv->table ? pv->table : want, &failed);
    for (size_t k = 0; k < pv->ntables; k++)
      if (pv->tables[k] == t) j->prov_table = k + 1;
    if (j->id.ino && t->nrows)
      j->prov_row = bsearch(&j->id, t->rows, t->nrows, sizeof *t->rows, id_cmp);
  }
  free(want);
  return failed ? EXIT_FAILED : 0;
}

/* ---- applying it ---------------------------------------------------------------- */

/* The input's path below its root: what the walk found under a directory
 * (as many trailing components as its output name has), or the file name
 * of a file named on the command line. Never the path as given, which may
 * be absolute and name the converting machine's directories. */
static const char *relative_source(const job *j) {
  size_t up = 1;
  for (const char *c = j->rel; j->from_dir && *c; c++) up += *c == '/';
  const char *p = j->path + strlen(j->path);
  while (p > j->path) {
    if (p[-1] == '/' && --up == 0) break;
    p--;
  }
  return p;
}

int provenance_apply(const run *r, const job *j, scr_doc *doc) {
  const provenance *pv = &r->prov;
  /* A source the reader found in the input (an edition's, a TEI header's)
   * is kept, and so is the hash of that source, or its absence: the input
   * is then an edition, not the source, and its hash is no source's. */
  scr_str given = scr_doc_meta(doc, SCR_META_SOURCE);
  int is_source = !given.ptr || !strcmp(given.ptr, j->path);
  if (!j->archive && strcmp(j->path, "-") != 0 && is_source) {
    const char *rel = relative_source(j);
    if (scr_doc_set_meta(doc, SCR_META_SOURCE, rel, strlen(rel))) return -1;
  }
  /* a web archive's member gives its URI as its source */
  scr_str src = scr_doc_meta(doc, SCR_META_SOURCE);
  if (j->archive && !scr_doc_meta(doc, SCR_META_URL).len && src.ptr && strstr(src.ptr, "://") &&
      !provenance_check(PROV_URL, src.ptr) &&
      scr_doc_set_meta(doc, SCR_META_URL, src.ptr, src.len))
    return -1;
  if ((is_source || j->archive) && !scr_doc_meta(doc, SCR_META_SHA256).len && j->sha[0] &&
      scr_doc_set_meta(doc, SCR_META_SHA256, j->sha, 64))
    return -1;
  static const scr_meta keys[PROV_FIELDS] = {SCR_META_URL, SCR_META_LICENCE, SCR_META_RETRIEVED,
                                             SCR_META_CITATION};
  const prov_row *row = j->prov_row;
  for (int f = 0; f < PROV_FIELDS; f++) {
    const char *v = pv->cli[f] ? pv->cli[f] : row ? row->field[f] : NULL;
    if (v && scr_doc_set_meta(doc, keys[f], v, strlen(v))) return -1;
  }
  if (j->prov_table) {
    const prov_table *t = pv->tables[j->prov_table - 1];
    if (scr_doc_add_depend(doc, t->path, t->fd)) return -1;
  }
  return 0;
}

void provenance_free(run *r) {
  provenance *pv = &r->prov;
  for (size_t i = 0; i < pv->ntables; i++) {
    prov_table *t = pv->tables[i];
    for (size_t k = 0; k < t->nrows; k++)
      for (int f = 0; f < PROV_FIELDS; f++) free(t->rows[k].field[f]);
    free(t->rows);
    if (t->fd >= 0) close(t->fd);
    free(t->path);
    free(t);
  }
  free(pv->tables);
  pv->tables = NULL;
  pv->ntables = pv->captables = 0;
}
