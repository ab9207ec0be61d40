/* text_check.c - checks of the transcript reader that golden files cannot
 * express, in one process (the plugin is loaded once):
 *
 *   text_check attribution PLUGINS TSV SEEDS_DIR
 *       every quote of every seed against the expected speaker written by
 *       hand in TSV (seed, quote start, person id or "-"); prints per seed
 *       how many quotes it has and how many were attributed as expected.
 *   text_check diplomatic PLUGINS PATH...
 *       each file (or every *.txt of each directory) read and flattened
 *       back byte for byte; counts warnings by kind. Exit 77 (skip) when a
 *       directory is absent.
 *   text_check bad PLUGINS
 *       empty input, invalid UTF-8 and NUL bytes (errors naming the byte
 *       offset), CRLF and a byte order mark (read and given back).
 *   text_check persons PLUGINS
 *       an authority file (reader option persons) rewritten between the
 *       documents of one process: each document sees the file as it is
 *       (the reader keeps parsed files while they do not change), and a
 *       broken file is reported, with its line and column, for every
 *       document.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <scriptorium/scriptorium.h>

#define SKIP 77

typedef struct kinds {
  char name[64][32];
  size_t count[64];
  size_t n;
  char last_error[512];
  int quiet;
} kinds;

static void on_diag(const scr_diagnostic *d, void *user) {
  kinds *k = user;
  const char *kind = d->kind ? d->kind : "(none)";
  if (d->severity == SCR_ERROR)
    snprintf(k->last_error, sizeof k->last_error, "%s", d->message);
  if (d->severity == SCR_NOTE) return;
  size_t i;
  for (i = 0; i < k->n; i++)
    if (strcmp(k->name[i], kind) == 0) break;
  if (i == k->n && k->n < 64) snprintf(k->name[k->n++], 32, "%s", kind);
  if (i < 64) k->count[i]++;
  if (!k->quiet)
    fprintf(stderr, "%s:%u:%u: %s: %s\n", d->file ? d->file : "-", d->line,
            d->column, kind, d->message);
}

static scr_registry *the_registry;

/* Reads like the CLI: the reader, then its default transforms (persons,
 * when given, set for every part that has the option). */
static int read_doc(const scr_reader *rd, const char *path, char *data,
                    size_t len, const char *persons, scr_diag *diag,
                    scr_doc **doc) {
  char err[256];
  scr_options *o = scr_options_new(rd->options, rd->option_count);
  int rc = scr_read_bytes(rd, path, data, len, o, diag, doc);
  scr_options_free(o);
  const char *const *names = scr_reader_default_transforms(rd);
  for (size_t i = 0; rc == 0 && names && names[i]; i++) {
    const scr_transform *t = scr_registry_transform(the_registry, names[i]);
    if (!t) {
      fprintf(stderr, "no transform '%s'\n", names[i]);
      rc = -1;
      break;
    }
    o = scr_options_new(t->options, t->option_count);
    int has_persons = 0;
    for (size_t k = 0; k < t->option_count; k++)
      has_persons |= strcmp(t->options[k].name, "persons") == 0;
    if (persons && has_persons && scr_options_set(o, "persons", persons, err, sizeof err)) {
      fprintf(stderr, "persons option: %s\n", err);
      rc = -1;
    } else {
      rc = scr_transform_apply(t, *doc, o, diag);
    }
    scr_options_free(o);
  }
  if (rc) {
    scr_doc_free(*doc);
    *doc = NULL;
  }
  return rc;
}

static const scr_reader *load(const char *dir, scr_registry **reg) {
  *reg = scr_registry_new();
  the_registry = *reg;
  scr_diag *diag = scr_diag_new(NULL, NULL, NULL);
  scr_registry_load_dir(*reg, dir, diag);
  scr_diag_free(diag);
  const scr_reader *r = scr_registry_reader(*reg, "text");
  if (!r) fprintf(stderr, "no text reader in %s\n", dir);
  return r;
}

static scr_doc *read_file(const scr_reader *rd, const char *path, kinds *k,
                          char **copy, size_t *copy_len) {
  scr_diag *diag = scr_diag_new(path, on_diag, k);
  char *data;
  size_t len;
  scr_doc *doc = NULL;
  if (scr_file_read(path, &data, &len, diag) == 0) {
    if (copy) {
      *copy = malloc(len + 1);
      memcpy(*copy, data, len);
      *copy_len = len;
    }
    if (read_doc(rd, path, data, len, NULL, diag, &doc)) doc = NULL;
  }
  scr_diag_free(diag);
  return doc;
}

/* Reported speech ("Mr Putin said that …"): a QUOTE of kind indirect,
 * which attribution.tsv does not list. */
static int is_indirect(const scr_node *n) {
  scr_str k = scr_node_attr(n, SCR_ATTR_KIND);
  return k.len == 8 && memcmp(k.ptr, "indirect", 8) == 0;
}

/* The next QUOTE (top-level or nested) of the walk, or NULL. */
static scr_node *next_quote(scr_iter *it) {
  scr_event ev;
  while ((ev = scr_iter_next(it)) != SCR_EVENT_DONE)
    if (ev == SCR_EVENT_ENTER && scr_node_get_type(it->cur) == SCR_NODE_QUOTE &&
        !is_indirect(it->cur))
      return it->cur;
  return NULL;
}

/* ---- attribution ---------------------------------------------------------------- */

static int attribution(const scr_reader *rd, const char *tsv, const char *seeds) {
  FILE *f = fopen(tsv, "r");
  if (!f) {
    perror(tsv);
    return 1;
  }
  char line[1024];
  char seed[1024] = "";
  int failures = 0;
  scr_doc *doc = NULL;
  scr_iter it;
  size_t quotes = 0, correct = 0, rows = 0;
  kinds k = {.quiet = 1};
  for (;;) {
    char *got = fgets(line, sizeof line, f);
    char *tab1 = got ? strchr(line, '\t') : NULL;
    if (got && (line[0] == '#' || line[0] == '\n')) continue;
    if (got && !tab1) {
      fprintf(stderr, "%s: bad line: %s", tsv, line);
      failures++;
      continue;
    }
    if (got) *tab1 = 0;
    if (!got || strcmp(line, seed) != 0) {
      if (doc) {
        for (scr_node *q = next_quote(&it); q; q = next_quote(&it)) {
          quotes++;
          failures++;
          fprintf(stderr, "%s: a quote the file does not list\n", seed);
        }
        printf("%-28s %3zu quotes, %3zu attributed as expected\n", seed, quotes,
               correct);
        scr_doc_free(doc);
        doc = NULL;
      }
      if (!got) break;
      snprintf(seed, sizeof seed, "%s", line);
      char path[2200];
      snprintf(path, sizeof path, "%s/%s.txt", seeds, seed);
      doc = read_file(rd, path, &k, NULL, NULL);
      if (!doc) {
        fprintf(stderr, "%s: cannot read\n", path);
        fclose(f);
        return 1;
      }
      scr_iter_init(&it, scr_doc_root(doc));
      quotes = correct = 0;
    }
    char *start = tab1 + 1, *tab2 = strchr(start, '\t');
    if (!tab2) {
      fprintf(stderr, "%s: bad line\n", tsv);
      failures++;
      continue;
    }
    *tab2 = 0;
    char *who = tab2 + 1;
    who[strcspn(who, "\r\n")] = 0;
    rows++;
    scr_node *q = next_quote(&it);
    if (!q) {
      fprintf(stderr, "%s: the reader found no quote for \"%s\"\n", seed, start);
      failures++;
      continue;
    }
    quotes++;
    scr_buf b = {0};
    scr_node_flatten(q, 0, &b);
    /* Skip the opening mark. */
    size_t skip = b.len && b.data[0] == '"' ? 1 : (b.len >= 3 && (unsigned char)b.data[0] == 0xE2 ? 3 : 0);
    if (b.len < skip + strlen(start) || memcmp(b.data + skip, start, strlen(start)) != 0) {
      fprintf(stderr, "%s: expected a quote starting \"%s\", found \"%.40s\"\n",
              seed, start, b.data ? b.data + skip : "");
      failures++;
      scr_buf_free(&b);
      continue;
    }
    scr_buf_free(&b);
    scr_str w = scr_node_attr(q, SCR_ATTR_WHO);
    int ok = strcmp(who, "-") == 0 ? w.ptr == NULL
                                    : w.ptr && w.len == strlen(who) &&
                                          memcmp(w.ptr, who, w.len) == 0;
    if (ok) correct++;
    else {
      failures++;
      fprintf(stderr, "%s: \"%s\": expected %s, the reader says %.*s\n", seed,
              start, who, w.ptr ? (int)w.len : 1, w.ptr ? w.ptr : "-");
    }
  }
  fclose(f);
  if (!rows) failures++;
  printf("%s\n", failures ? "FAILED" : "all quotes attributed as expected");
  return failures ? 1 : 0;
}

/* ---- diplomatic ------------------------------------------------------------------ */

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int diplomatic(const scr_reader *rd, int argc, char **argv) {
  kinds k = {.quiet = getenv("TEXT_CHECK_VERBOSE") == NULL};
  size_t files = 0, failed = 0, mismatched = 0, quotes = 0, attributed = 0;
  clock_t t0 = clock();
  for (int a = 0; a < argc; a++) {
    struct stat st;
    if (stat(argv[a], &st) != 0) {
      printf("%s absent: skipped\n", argv[a]);
      return SKIP;
    }
    char **names = NULL;
    size_t n = 0;
    if (S_ISDIR(st.st_mode)) {
      DIR *d = opendir(argv[a]);
      struct dirent *e;
      while (d && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0) continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n] = malloc(strlen(argv[a]) + l + 2);
        sprintf(names[n++], "%s/%s", argv[a], e->d_name);
      }
      if (d) closedir(d);
      qsort(names, n, sizeof *names, cmp_name);
    } else {
      names = malloc(sizeof *names);
      names[0] = strdup(argv[a]);
      n = 1;
    }
    for (size_t i = 0; i < n; i++) {
      char *src = NULL;
      size_t len = 0;
      scr_doc *doc = read_file(rd, names[i], &k, &src, &len);
      files++;
      if (!doc) {
        failed++;
        fprintf(stderr, "%s: not read: %s\n", names[i], k.last_error);
      } else {
        scr_buf b = {0};
        scr_node_flatten(scr_doc_root(doc), 1, &b);
        if (b.len != len || (len && memcmp(b.data, src, len) != 0)) {
          mismatched++;
          size_t at = 0;
          while (at < len && at < b.len && b.data[at] == src[at]) at++;
          fprintf(stderr, "%s: the diplomatic edition differs at byte %zu\n",
                  names[i], at);
        }
        scr_buf_free(&b);
        scr_iter it;
        scr_event ev;
        scr_iter_init(&it, scr_doc_root(doc));
        while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE)
          if (ev == SCR_EVENT_ENTER && scr_node_get_type(scr_iter_node(&it)) == SCR_NODE_QUOTE &&
              !is_indirect(scr_iter_node(&it))) {
            quotes++;
            attributed += scr_node_attr(scr_iter_node(&it), SCR_ATTR_WHO).ptr != NULL;
          }
        scr_doc_free(doc);
      }
      free(src);
      free(names[i]);
    }
    free(names);
  }
  printf("%zu files read, %zu not read, %zu differ from their source; "
         "%zu quotes, %zu attributed; %.1f s\n",
         files, failed, mismatched, quotes, attributed,
         (double)(clock() - t0) / CLOCKS_PER_SEC);
  for (size_t i = 0; i < k.n; i++)
    printf("  warnings %-20s %zu\n", k.name[i], k.count[i]);
  return failed || mismatched ? 1 : 0;
}

/* ---- bad inputs -------------------------------------------------------------------- */

static int expect_error(const scr_reader *rd, const char *what, const char *data,
                        size_t len, const char *needle) {
  kinds k = {.quiet = 1};
  scr_diag *diag = scr_diag_new(what, on_diag, &k);
  char *copy = malloc(len + 1);
  memcpy(copy, data, len);
  copy[len] = 0;
  scr_doc *doc = NULL;
  int rc = read_doc(rd, what, copy, len, NULL, diag, &doc);
  scr_diag_free(diag);
  scr_doc_free(doc);
  if (rc == 0 || !strstr(k.last_error, needle)) {
    fprintf(stderr, "%s: expected an error mentioning \"%s\", got rc=%d \"%s\"\n",
            what, needle, rc, k.last_error);
    return 1;
  }
  printf("%-14s error: %s\n", what, k.last_error);
  return 0;
}

static int expect_read(const scr_reader *rd, const char *what, const char *data,
                       size_t len, const char *title) {
  kinds k = {.quiet = 1};
  scr_diag *diag = scr_diag_new(what, on_diag, &k);
  char *copy = malloc(len + 1);
  memcpy(copy, data, len);
  scr_doc *doc = NULL;
  int rc = read_doc(rd, what, copy, len, NULL, diag, &doc);
  scr_diag_free(diag);
  int bad = 0;
  if (rc || !doc) {
    fprintf(stderr, "%s: not read: %s\n", what, k.last_error);
    return 1;
  }
  scr_buf b = {0};
  scr_node_flatten(scr_doc_root(doc), 1, &b);
  if (b.len != len || memcmp(b.data, data, len) != 0) {
    fprintf(stderr, "%s: not given back byte for byte\n", what);
    bad = 1;
  }
  scr_str t = scr_doc_meta(doc, SCR_META_TITLE);
  if (!t.ptr || t.len != strlen(title) || memcmp(t.ptr, title, t.len) != 0) {
    fprintf(stderr, "%s: title \"%.*s\", expected \"%s\"\n", what,
            t.ptr ? (int)t.len : 0, t.ptr ? t.ptr : "", title);
    bad = 1;
  }
  if (!bad) printf("%-14s read and given back byte for byte\n", what);
  scr_buf_free(&b);
  scr_doc_free(doc);
  return bad;
}

static int bad_inputs(const scr_reader *rd) {
  int f = 0;
  f += expect_error(rd, "empty", "", 0, "empty");
  f += expect_error(rd, "invalid-utf8", "Title\n\nab\xC3(c", 11, "byte offset 9");
  f += expect_error(rd, "nul", "Title\n\nabc\0def", 14, "byte offset 10");
  f += expect_error(rd, "overlong", "T\xC0\x80", 3, "byte offset 1");
  f += expect_error(rd, "cut", "Title \xE2\x80", 8, "byte offset 6");
  static const char crlf[] =
      "A title\r\n\r\n  \xE2\x80\xA2 6\r\n\r\n\xE2\x80\x9CQuoted,\xE2\x80\x9D "
      "he said.\r\nNext line\r\n";
  f += expect_read(rd, "crlf", crlf, sizeof crlf - 1, "A title");
  static const char bom[] = "\xEF\xBB\xBF" "A title\n\nText.";
  f += expect_read(rd, "bom", bom, sizeof bom - 1, "A title");
  static const char bom_crlf[] = "\xEF\xBB\xBF\r\n\r\nA title  \r\n \r\nText [x].\r\n\r\n";
  f += expect_read(rd, "bom-crlf", bom_crlf, sizeof bom_crlf - 1, "A title");
  static const char blank[] = "\n\n  \n";
  f += expect_error(rd, "blank-only", blank, sizeof blank - 1, "no text");
  return f ? 1 : 0;
}

/* ---- the authority file rewritten between documents ----------------------------- */

static int write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fputs(text, f);
  return fclose(f);
}

/* Reads a one-turn transcript with the option persons=PATH; the error
 * message in k->last_error when it fails. */
static scr_doc *read_with_persons(const scr_reader *rd, const char *persons,
                                  kinds *k) {
  static const char text[] = "A title\n\nAbc Def: Good morning.\n";
  k->last_error[0] = 0;
  scr_diag *diag = scr_diag_new("in.txt", on_diag, k);
  char *copy = malloc(sizeof text);
  memcpy(copy, text, sizeof text);
  scr_doc *doc = NULL;
  if (read_doc(rd, "in.txt", copy, sizeof text - 1, persons, diag, &doc)) doc = NULL;
  scr_diag_free(diag);
  return doc;
}

/* Whether the document read with persons=PATH has one person, of this id. */
static int expect_person(const scr_reader *rd, const char *persons,
                         const char *what, const char *id) {
  kinds k = {.quiet = 1};
  scr_doc *doc = read_with_persons(rd, persons, &k);
  int bad = !doc || scr_doc_person_count(doc) != 1 ||
            scr_person_id(scr_doc_person_at(doc, 0)).len != strlen(id) ||
            memcmp(scr_person_id(scr_doc_person_at(doc, 0)).ptr, id, strlen(id)) != 0;
  if (bad)
    fprintf(stderr, "%s: expected the one person '%s', got %s%s\n", what, id,
            doc ? "another" : "an error: ", doc ? "" : k.last_error);
  else
    printf("%-22s person %s\n", what, id);
  scr_doc_free(doc);
  return bad;
}

static int expect_persons_error(const scr_reader *rd, const char *persons,
                                const char *what, const char *message) {
  kinds k = {.quiet = 1};
  scr_doc *doc = read_with_persons(rd, persons, &k);
  int bad = doc || strcmp(k.last_error, message) != 0;
  if (bad)
    fprintf(stderr, "%s: expected the error \"%s\", got %s\"%s\"\n", what,
            message, doc ? "a document and " : "", k.last_error);
  else
    printf("%-22s error: %s\n", what, k.last_error);
  scr_doc_free(doc);
  return bad;
}

static int persons_rewritten(const scr_reader *rd) {
  char dir[] = "/tmp/text-check-XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  char path[64], link[64], message[256];
  snprintf(path, sizeof path, "%s/persons.yaml", dir);
  snprintf(link, sizeof link, "%s/link.yaml", dir);
  /* Pauses longer than the file system's clock tick, so that each
   * rewrite has another modification time. */
  const struct timespec pause = {0, 50 * 1000 * 1000};
  int f = 0;
  f += write_text(path, "persons:\n  - id: one\n    names: [Abc Def]\n") != 0;
  f += expect_person(rd, path, "first version", "one");
  f += expect_person(rd, path, "first version again", "one");
  f += symlink("persons.yaml", link) != 0;
  f += expect_person(rd, link, "another path", "one");
  nanosleep(&pause, NULL);
  /* The same size, rewritten in place. */
  f += write_text(path, "persons:\n  - id: two\n    names: [Abc Def]\n") != 0;
  f += expect_person(rd, path, "rewritten", "two");
  f += expect_person(rd, link, "rewritten, other path", "two");
  nanosleep(&pause, NULL);
  f += write_text(path, "persons:\n  - id: two\n    names: [Abc Def\n") != 0;
  snprintf(message, sizeof message,
           "%s:4:1: did not find expected ',' or ']'", path);
  f += expect_persons_error(rd, path, "broken", message);
  f += expect_persons_error(rd, path, "broken again", message);
  nanosleep(&pause, NULL);
  f += write_text(path, "persons:\n  - id: three\n    names: [Abc Def]\n") != 0;
  f += expect_person(rd, path, "mended", "three");
  nanosleep(&pause, NULL);
  f += write_text(path, "persons:\n  - id: three\n  - id: three\n") != 0;
  snprintf(message, sizeof message, "%s:3:9: duplicate person id 'three' (first at line 2)", path);
  f += expect_persons_error(rd, path, "duplicate id", message);
  f += expect_persons_error(rd, path, "duplicate id again", message);
  unlink(link);
  unlink(path);
  rmdir(dir);
  return f ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: text_check attribution|diplomatic|bad|persons PLUGINS ...\n");
    return 2;
  }
  scr_registry *reg;
  const scr_reader *rd = load(argv[2], &reg);
  int rc = 1;
  if (!rd) goto done;
  if (strcmp(argv[1], "attribution") == 0 && argc == 5)
    rc = attribution(rd, argv[3], argv[4]);
  else if (strcmp(argv[1], "diplomatic") == 0)
    rc = diplomatic(rd, argc - 3, argv + 3);
  else if (strcmp(argv[1], "bad") == 0)
    rc = bad_inputs(rd);
  else if (strcmp(argv[1], "persons") == 0)
    rc = persons_rewritten(rd);
  else
    fprintf(stderr, "unknown check %s\n", argv[1]);
done:
  scr_registry_free(reg);
  return rc;
}
