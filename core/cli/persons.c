/* persons.c - `scriptorium persons`: reads a corpus as `convert` would
 * (each file's reader and transforms) and writes an authority file, in the
 * format the text reader takes (docs/persons.md), with every person found:
 * id, name forms, nationality, offices with the dates seen, counts (as
 * comments), the variants merged over the corpus and the likely duplicates
 * left for a person to review. */
#include <dirent.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chain.h"
#include "commands.h"
#include "diag.h"
#include "plugins.h"
#include "sets.h"
#include "settings.h"

static const char persons_help[] =
    "Usage: scriptorium persons [-q] [-o FILE] [--set KEY=VALUE]... INPUT...\n"
    "\n"
    "Reads every input (files, or directories walked recursively in name\n"
    "order; files no reader recognises are skipped) through its reader and\n"
    "transforms, as convert does, and writes an authority file (persons.yaml,\n"
    "the format the text reader takes) with every person found: id, name\n"
    "forms, nationality, offices with the first and last dates seen, and\n"
    "counts as comments (the documents' warnings are not printed, their\n"
    "errors are). Spellings of one person that the documents kept\n"
    "apart are merged over the corpus when the rule is sure (a rare misspelt\n"
    "id beside a frequent one, a name without its first given name, a\n"
    "surname beside one dominant full name), each merge a comment to review;\n"
    "other likely duplicates are listed at the end as comments.\n"
    "Write it beside the corpus (or give it with --set persons=FILE) and\n"
    "every document converted uses its ids.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE      write to FILE (atomically) instead of standard output\n"
    "      --set KEY=VALUE    a reader's or transform's option, as for convert\n"
    "  -q, --quiet            do not print warnings\n";

/* ---- what is collected ------------------------------------------------------ */

typedef struct counted {
  char *text;
  size_t docs;
  char first[11], last[11]; /* dates seen (ISO, the first 10 bytes), or "" */
} counted;

typedef struct counted_list {
  counted *v;
  size_t len, cap;
} counted_list;

typedef struct entry {
  char *id;
  char *nationality;
  size_t docs;
  counted_list names, offices;
  counted_list idnos; /* an authority file's identifiers: "TYPE\tVALUE" */
  int merged_into; /* -1, or the entry it was merged into */
  char *merged_why; /* a comment */
} entry;

typedef struct collect {
  entry *v;
  size_t len, cap;
  size_t *slots; /* entry index + 1 by id hash; 0 empty */
  size_t slots_cap;
  size_t docs;
  const char *source;
} collect;

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) cli_out_of_memory();
  return q;
}

static char *xstrndup(const char *s, size_t n) {
  char *d = xrealloc(NULL, n + 1);
  memcpy(d, s, n);
  d[n] = 0;
  return d;
}

static size_t hash_str(const char *s) {
  return (size_t)fnv1a(s);
}

static void slots_put(size_t *slots, size_t cap, const entry *v, size_t k) {
  size_t h = hash_str(v[k].id) & (cap - 1);
  while (slots[h]) h = (h + 1) & (cap - 1);
  slots[h] = k + 1;
}

static entry *entry_get(collect *c, const char *id, size_t n) {
  char *key = xstrndup(id, n);
  if (c->slots_cap) {
    for (size_t h = hash_str(key) & (c->slots_cap - 1); c->slots[h];
         h = (h + 1) & (c->slots_cap - 1))
      if (strcmp(c->v[c->slots[h] - 1].id, key) == 0) {
        free(key);
        return &c->v[c->slots[h] - 1];
      }
  }
  if ((c->len + 1) * 2 > c->slots_cap) {
    size_t cap = c->slots_cap ? c->slots_cap * 2 : 256;
    size_t *slots = calloc(cap, sizeof *slots);
    if (!slots) cli_out_of_memory();
    for (size_t k = 0; k < c->len; k++) slots_put(slots, cap, c->v, k);
    free(c->slots);
    c->slots = slots;
    c->slots_cap = cap;
  }
  if (c->len == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 256;
    c->v = xrealloc(c->v, c->cap * sizeof *c->v);
  }
  entry *e = &c->v[c->len];
  memset(e, 0, sizeof *e);
  e->id = key;
  e->merged_into = -1;
  slots_put(c->slots, c->slots_cap, c->v, c->len++);
  return e;
}

static counted *counted_get(counted_list *l, const char *s, size_t n) {
  for (size_t i = 0; i < l->len; i++)
    if (strlen(l->v[i].text) == n && memcmp(l->v[i].text, s, n) == 0) return &l->v[i];
  if (l->len == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 4;
    l->v = xrealloc(l->v, l->cap * sizeof *l->v);
  }
  counted *k = &l->v[l->len++];
  memset(k, 0, sizeof *k);
  k->text = xstrndup(s, n);
  return k;
}

/* A date seen: the first and last kept (ISO dates sort as strings). */
static void seen_on(counted *k, const char *date) {
  if (!date[0]) return;
  if (!k->first[0] || strcmp(date, k->first) < 0) memcpy(k->first, date, 11);
  if (!k->last[0] || strcmp(date, k->last) > 0) memcpy(k->last, date, 11);
}

static void collect_doc(collect *c, const scr_doc *doc) {
  char date[11] = "";
  scr_str d = scr_doc_meta(doc, SCR_META_DATE);
  /* A full year at least ("2019", "2019-05-07"); not "--09-15". */
  if (scr_iso_date(d.ptr, d.len)) {
    memcpy(date, d.ptr, d.len);
    date[d.len] = 0;
  }
  c->docs++;
  for (size_t i = 0; i < scr_doc_person_count(doc); i++) {
    const scr_person *p = scr_doc_person_at(doc, i);
    scr_str id = scr_person_id(p);
    if (!id.len) continue;
    entry *e = entry_get(c, id.ptr, id.len);
    e->docs++;
    for (size_t k = 0; k < scr_person_name_count(p); k++) {
      scr_str n = scr_person_name(p, k);
      if (n.len) counted_get(&e->names, n.ptr, n.len)->docs++;
    }
    for (size_t k = 0; k < scr_person_role_count(p); k++) {
      scr_str r = scr_person_role(p, k);
      if (!r.len) continue;
      counted *o = counted_get(&e->offices, r.ptr, r.len);
      o->docs++;
      seen_on(o, date);
    }
    scr_str nat = scr_person_nationality(p);
    if (nat.len && !e->nationality) e->nationality = xstrndup(nat.ptr, nat.len);
    for (size_t k = 0; k < scr_person_idno_count(p); k++) {
      scr_str ty = scr_person_idno_type(p, k), v = scr_person_idno_value(p, k);
      char *both = xrealloc(NULL, ty.len + v.len + 2);
      memcpy(both, ty.ptr, ty.len);
      both[ty.len] = '\t';
      memcpy(both + ty.len + 1, v.ptr, v.len);
      counted_get(&e->idnos, both, ty.len + v.len + 1)->docs++;
      free(both);
    }
  }
}

/* ---- merging over the corpus ----------------------------------------------------- */

static void merge_lists(counted_list *to, const counted_list *from) {
  for (size_t i = 0; i < from->len; i++) {
    counted *k = counted_get(to, from->v[i].text, strlen(from->v[i].text));
    k->docs += from->v[i].docs;
    seen_on(k, from->v[i].first);
    seen_on(k, from->v[i].last);
  }
}

/* Merges entry `from` into `to`; `why` says how (the comment). */
static void merge(collect *c, size_t from, size_t to, const char *why, int dist) {
  entry *a = &c->v[from], *b = &c->v[to];
  merge_lists(&b->names, &a->names);
  merge_lists(&b->offices, &a->offices);
  merge_lists(&b->idnos, &a->idnos);
  b->docs += a->docs;
  if (!b->nationality && a->nationality) b->nationality = xstrndup(a->nationality, strlen(a->nationality));
  a->merged_into = (int)to;
  char buf[512];
  if (dist)
    snprintf(buf, sizeof buf, "merged: %s (%zu document%s), %s %d; review", a->id, a->docs,
             a->docs == 1 ? "" : "s", why, dist);
  else
    snprintf(buf, sizeof buf, "merged: %s (%zu document%s), %s; review", a->id, a->docs,
             a->docs == 1 ? "" : "s", why);
  a->merged_why = xstrndup(buf, strlen(buf));
}

static size_t words_of(const char *id) {
  size_t n = 1;
  for (; *id; id++) n += *id == '-';
  return n;
}

/* Whether id `tail` ends id `id` after a '-'. */
static int ends_with(const char *id, const char *tail) {
  size_t n = strlen(id), t = strlen(tail);
  return t < n && id[n - t - 1] == '-' && strcmp(id + n - t, tail) == 0;
}

/* The rules (docs/persons.md): a misspelt id at most a fifth as frequent as
 * the one it is a misspelling of, and no other; an id of two words or more
 * that ends exactly one longer id; a surname alone beside full names that
 * end with it, one of which has ten times the documents of all the others
 * together, and as many as the surname. */
static void merge_corpus(collect *c) {
  for (size_t a = 0; a < c->len; a++) {
    entry *e = &c->v[a];
    long best = -1;
    int dist = 0, many = 0;
    for (size_t b = 0; b < c->len; b++) {
      if (b == a || c->v[b].docs < 5 * e->docs) continue;
      int d = scr_person_id_typo(e->id, strlen(e->id), c->v[b].id, strlen(c->v[b].id));
      if (!d) continue;
      if (best >= 0) many = 1;
      best = (long)b, dist = d;
    }
    if (best >= 0 && !many)
      merge(c, a, (size_t)best, "edit distance", dist);
  }
  /* Names without a given name first, then surnames, so that a surname
   * is weighed against full names only. */
  for (int pass = 0; pass < 2; pass++)
  for (size_t a = 0; a < c->len; a++) {
    entry *e = &c->v[a];
    if (e->merged_into >= 0) continue;
    size_t w = words_of(e->id);
    if ((pass == 0) != (w >= 2)) continue;
    long best = -1;
    int many = 0;
    size_t best_docs = 0, others = 0;
    for (size_t b = 0; b < c->len; b++) {
      if (b == a || c->v[b].merged_into >= 0 || !ends_with(c->v[b].id, e->id)) continue;
      if (c->v[b].docs > best_docs) {
        if (best >= 0) others += best_docs;
        best = (long)b, best_docs = c->v[b].docs;
      } else {
        others += c->v[b].docs;
      }
      many = 1 + (many > 0);
    }
    if (best < 0) continue;
    if (w >= 2 && many == 1)
      merge(c, a, (size_t)best, "the same name without a given name", 0);
    else if (w == 1 && best_docs >= 10 * others && best_docs >= e->docs)
      merge(c, a, (size_t)best, "the surname of the one frequent full name", 0);
  }
}

/* ---- writing ------------------------------------------------------------------------- */

static void put_quoted(scr_buf *b, const char *s) {
  int rc = scr_buf_putc(b, '"');
  for (; *s && rc == 0; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') rc = scr_buf_printf(b, "\\%c", ch);
    else if (ch < 0x20 || ch == 0x7F) rc = scr_buf_printf(b, "\\x%02X", ch);
    else rc = scr_buf_putc(b, (char)ch);
  }
  if (rc || scr_buf_putc(b, '"')) cli_out_of_memory();
}

static void put(scr_buf *b, const char *fmt, ...) SCR_PRINTF(2, 3);
static void put(scr_buf *b, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0 || scr_buf_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1))
    cli_out_of_memory();
}

static int by_docs(const void *x, const void *y) {
  const counted *a = x, *b = y;
  if (a->docs != b->docs) return a->docs > b->docs ? -1 : 1;
  return strcmp(a->text, b->text);
}

static const collect *sort_c;
static int by_entry(const void *x, const void *y) {
  const entry *a = &sort_c->v[*(const size_t *)x], *b = &sort_c->v[*(const size_t *)y];
  if (a->docs != b->docs) return a->docs > b->docs ? -1 : 1;
  return strcmp(a->id, b->id);
}

/* How many kept persons have the name form s (a form of two persons is
 * left out of both: the reader would give it to one of them). */
static size_t form_owners(const collect *c, const char *s) {
  size_t n = 0;
  for (size_t k = 0; k < c->len; k++) {
    if (c->v[k].merged_into >= 0) continue;
    for (size_t i = 0; i < c->v[k].names.len; i++)
      if (strcmp(c->v[k].names.v[i].text, s) == 0) {
        n++;
        break;
      }
  }
  return n;
}

static void write_file(collect *c, scr_buf *b) {
  size_t *order = xrealloc(NULL, c->len * sizeof *order);
  size_t kept = 0, merged = 0;
  for (size_t k = 0; k < c->len; k++) {
    if (c->v[k].merged_into >= 0) {
      merged++;
      continue;
    }
    order[kept++] = k;
  }
  sort_c = c;
  qsort(order, kept, sizeof *order, by_entry);
  put(b, "# Authority file written by `scriptorium persons` from %zu documents:\n", c->docs);
  put(b, "# %zu persons, %zu ids merged into them (each a comment: review it).\n", kept, merged);
  put(b, "# Counts (documents) and dates are comments; the reader ignores them.\n");
  put(b, "# Likely duplicates that were not merged are listed at the end.\n");
  put(b, "persons:\n");
  for (size_t o = 0; o < kept; o++) {
    entry *e = &c->v[order[o]];
    size_t own = 0;
    for (size_t i = 0; i < e->names.len; i++) own += form_owners(c, e->names.v[i].text) == 1;
    if (!own) {
      /* Every form is another person's too ("Aliyev" of Heydar and Ilham
       * Aliyev): the reader could not name this one; see the duplicates. */
      put(b, "  # %s (%zu document%s): no name of its own, left out\n", e->id, e->docs,
          e->docs == 1 ? "" : "s");
      continue;
    }
    put(b, "  - id: %s # %zu document%s\n", e->id, e->docs, e->docs == 1 ? "" : "s");
    for (size_t k = 0; k < c->len; k++)
      if (c->v[k].merged_into == (int)order[o]) put(b, "    # %s\n", c->v[k].merged_why);
    qsort(e->names.v, e->names.len, sizeof *e->names.v, by_docs);
    put(b, "    names:\n");
    for (size_t i = 0; i < e->names.len; i++) {
      if (form_owners(c, e->names.v[i].text) > 1) {
        put(b, "      # left out, a form of another person too: ");
        put_quoted(b, e->names.v[i].text);
        put(b, "\n");
        continue;
      }
      put(b, "      - ");
      put_quoted(b, e->names.v[i].text);
      put(b, " # %zu\n", e->names.v[i].docs);
    }
    if (e->nationality) {
      put(b, "    nationality: ");
      put_quoted(b, e->nationality);
      put(b, "\n");
    }
    /* identifiers, as the authority file gave them: one value a type (a
     * second, from a merged id, as a comment to review) */
    for (size_t i = 0; i < e->idnos.len; i++) {
      const char *t = e->idnos.v[i].text, *tab = strchr(t, '\t');
      size_t tl = (size_t)(tab - t);
      int again = 0;
      for (size_t j = 0; j < i && !again; j++)
        again = !strncmp(e->idnos.v[j].text, t, tl + 1);
      if (i == 0) put(b, "    identifiers:\n");
      put(b, again ? "      # also %.*s: " : "      %.*s: ", (int)tl, t);
      put_quoted(b, tab + 1);
      put(b, "\n");
    }
    if (e->offices.len) {
      qsort(e->offices.v, e->offices.len, sizeof *e->offices.v, by_docs);
      put(b, "    offices:\n");
      for (size_t i = 0; i < e->offices.len; i++) {
        counted *of = &e->offices.v[i];
        put(b, "      - ");
        put_quoted(b, of->text);
        if (of->first[0])
          put(b, " # %zu, %s to %s\n", of->docs, of->first, of->last);
        else
          put(b, " # %zu\n", of->docs);
      }
    }
  }
  /* Likely duplicates: ids still apart that the rules above would merge
   * but for the counts (a typo as frequent as its original, a surname
   * beside several full names), for a person to decide. */
  put(b, "\n# Likely duplicates, not merged (review; merge by hand by moving names):\n");
  size_t shown = 0;
  for (size_t x = 0; x < kept; x++) {
    const entry *a = &c->v[order[x]];
    for (size_t y = 0; y < kept; y++) {
      const entry *d = &c->v[order[y]];
      if (x == y) continue;
      int typo = x < y && scr_person_id_typo(a->id, strlen(a->id), d->id, strlen(d->id));
      if (typo || ends_with(d->id, a->id)) {
        put(b, "#   %s (%zu) ~ %s (%zu)%s\n", a->id, a->docs, d->id, d->docs,
            typo ? ", a spelling" : ", the end of the name");
        shown++;
      }
    }
  }
  if (!shown) put(b, "#   none\n");
  free(order);
}

/* ---- reading ------------------------------------------------------------------------- */

typedef struct parts {
  const scr_registry *reg;
  const scr_reader **readers;
  scr_options **reader_opts;
  chain *chains;
  size_t nreaders;
  const scr_transform **transforms;
  scr_options **transform_opts;
  size_t ntransforms;
} parts;

/* A document's warnings are about converting it (an unclosed quotation),
 * not about its persons: only errors are printed. */
static void print_errors(const scr_diagnostic *d, void *user) {
  if (d->severity == SCR_ERROR) cli_print_diag(d, user);
}

static int read_one(const parts *pp, collect *c, const char *path, int named) {
  scr_diag *diag = scr_diag_new(path, print_errors, NULL);
  if (!diag) cli_out_of_memory();
  char *data = NULL;
  size_t len = 0;
  scr_doc *doc = NULL;
  int rc = -1;
  if (scr_file_read(path, &data, &len, diag)) goto out;
  const scr_reader *rd = NULL;
  /* A file in a directory that no reader takes (persons.yaml itself, a
   * manifest) is skipped silently; one named on the command line is an
   * error. */
  scr_diag *probe = named ? NULL : scr_diag_new(NULL, NULL, NULL);
  int found = scr_registry_detect(pp->reg, data, len, 25, &rd, probe ? probe : diag) == 0;
  scr_diag_free(probe);
  if (!found) {
    free(data);
    rc = named ? -1 : 0;
    goto out;
  }
  size_t r = 0;
  while (r < pp->nreaders && pp->readers[r] != rd) r++;
  if (scr_read_bytes(rd, path, data, len, r < pp->nreaders ? pp->reader_opts[r] : NULL, diag,
                     &doc))
    goto out;
  for (size_t i = 0; r < pp->nreaders && i < pp->chains[r].n; i++) {
    const scr_transform *t = pp->chains[r].t[i];
    const scr_options *topts = NULL;
    for (size_t k = 0; k < pp->ntransforms; k++)
      if (pp->transforms[k] == t) topts = pp->transform_opts[k];
    if (scr_transform_apply(t, doc, topts, diag)) goto out;
  }
  collect_doc(c, doc);
  rc = 0;
out:
  scr_doc_free(doc);
  scr_diag_free(diag);
  return rc;
}

static int skip_name(const struct dirent *d) { return d->d_name[0] != '.'; }

/* Every file below dir, in name order; -1 if some could not be read. */
static int read_tree(const parts *pp, collect *c, const char *dir, const char *skip) {
  struct dirent **names;
  int n = scandir(dir, &names, skip_name, alphasort);
  if (n < 0) {
    fprintf(stderr, "%s: error: cannot read the directory\n", dir);
    return -1;
  }
  int rc = 0;
  for (int i = 0; i < n; i++) {
    size_t len = strlen(dir) + strlen(names[i]->d_name) + 2;
    char *p = xrealloc(NULL, len);
    snprintf(p, len, "%s/%s", dir, names[i]->d_name);
    struct stat st;
    if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      if (read_tree(pp, c, p, skip)) rc = -1;
    } else if (!(skip && strcmp(p, skip) == 0)) {
      if (read_one(pp, c, p, 0)) rc = -1;
    }
    free(p);
    free(names[i]);
  }
  free(names);
  return rc;
}

/* ---- the command ----------------------------------------------------------------------- */

static void add_transform(parts *pp, const scr_transform *t, setting *sets, size_t nsets,
                          int *bad) {
  for (size_t k = 0; k < pp->ntransforms; k++)
    if (pp->transforms[k] == t) return;
  pp->transforms = xrealloc(pp->transforms, (pp->ntransforms + 1) * sizeof *pp->transforms);
  pp->transform_opts =
      xrealloc(pp->transform_opts, (pp->ntransforms + 1) * sizeof *pp->transform_opts);
  pp->transforms[pp->ntransforms] = t;
  if (!(pp->transform_opts[pp->ntransforms++] =
            settings_options(t->name, t->options, t->option_count, sets, nsets, bad)))
    cli_out_of_memory();
}

int cmd_persons(int argc, char **argv) {
  const char *output = NULL;
  setting *sets = NULL;
  size_t nsets = 0;
  int c;
  static const struct option longopts[] = {
      {"output", required_argument, NULL, 'o'},
      {"set", required_argument, NULL, 's'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {0}};
  optind = 1;
  while ((c = getopt_long(argc, argv, "+o:qh", longopts, NULL)) != -1) {
    if (c == 'o') output = optarg;
    else if (c == 's') {
      if (settings_add(&sets, &nsets, optarg)) {
        usage_error("--set needs KEY=VALUE, not '%s'", optarg);
        settings_free(sets, nsets);
        return EXIT_USAGE;
      }
    } else if (c == 'q') quiet_warnings = 1;
    else if (c == 'h') return fputs(persons_help, stdout), EXIT_OK;
    else return fputs(persons_help, stderr), EXIT_USAGE;
  }
  if (optind >= argc) {
    usage_error("persons needs at least one INPUT");
    settings_free(sets, nsets);
    return EXIT_USAGE;
  }
  int failed;
  scr_registry *reg = cli_load_plugins(&failed);
  if (failed) {
    usage_error("%d plugin(s) failed to load (see above)", failed);
    scr_registry_free(reg);
    settings_free(sets, nsets);
    return EXIT_USAGE;
  }
  parts pp = {0};
  pp.reg = reg;
  int bad = 0;
  for (size_t p = 0; p < scr_registry_plugin_count(reg); p++) {
    const scr_plugin *pl = scr_registry_plugin(reg, p);
    for (size_t k = 0; pl->readers && pl->readers[k]; k++) {
      const scr_reader *rd = pl->readers[k];
      pp.readers = xrealloc(pp.readers, (pp.nreaders + 1) * sizeof *pp.readers);
      pp.reader_opts = xrealloc(pp.reader_opts, (pp.nreaders + 1) * sizeof *pp.reader_opts);
      pp.chains = xrealloc(pp.chains, (pp.nreaders + 1) * sizeof *pp.chains);
      pp.readers[pp.nreaders] = rd;
      if (!(pp.reader_opts[pp.nreaders] =
                settings_options(rd->format, rd->options, rd->option_count, sets, nsets, &bad)))
        cli_out_of_memory();
      if (chain_build(reg, rd, NULL, 0, &pp.chains[pp.nreaders])) cli_out_of_memory();
      for (size_t t = 0; t < pp.chains[pp.nreaders].n; t++)
        add_transform(&pp, pp.chains[pp.nreaders].t[t], sets, nsets, &bad);
      pp.nreaders++;
    }
  }
  int rc = bad ? EXIT_USAGE : settings_check_used(sets, nsets);
  collect col = {0};
  if (rc == 0) {
    for (int i = optind; i < argc; i++) {
      struct stat st;
      int r = stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode) ? read_tree(&pp, &col, argv[i], output)
                                                             : read_one(&pp, &col, argv[i], 1);
      if (r) rc = EXIT_FAILED;
    }
    merge_corpus(&col);
    scr_buf out = {0};
    write_file(&col, &out);
    if (output) {
      scr_diag *diag = cli_printing_diag(output);
      if (!diag || scr_file_write_atomic(output, out.data, out.len, diag)) rc = EXIT_FAILED;
      scr_diag_free(diag);
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout)) {
      fprintf(stderr, "%s: error: cannot write to standard output\n", program);
      rc = EXIT_FAILED;
    }
    if (!quiet_warnings)
      fprintf(stderr, "%s: persons: %zu documents read\n", program, col.docs);
    scr_buf_free(&out);
  }
  for (size_t k = 0; k < col.len; k++) {
    entry *e = &col.v[k];
    for (size_t i = 0; i < e->names.len; i++) free(e->names.v[i].text);
    for (size_t i = 0; i < e->offices.len; i++) free(e->offices.v[i].text);
    for (size_t i = 0; i < e->idnos.len; i++) free(e->idnos.v[i].text);
    free(e->idnos.v);
    free(e->names.v), free(e->offices.v), free(e->id), free(e->nationality), free(e->merged_why);
  }
  free(col.v), free(col.slots);
  for (size_t i = 0; i < pp.nreaders; i++) {
    chain_free(&pp.chains[i]);
    scr_options_free(pp.reader_opts[i]);
  }
  for (size_t i = 0; i < pp.ntransforms; i++) scr_options_free(pp.transform_opts[i]);
  free(pp.readers), free(pp.reader_opts), free(pp.chains), free(pp.transforms),
      free(pp.transform_opts);
  settings_free(sets, nsets);
  scr_registry_free(reg);
  return rc;
}
