/* fuzz.c - libFuzzer targets for the readers and the whole pipeline.
 *
 * One source, one binary per target: FUZZ_READER names the reader to fuzz;
 * FUZZ_PIPELINE additionally writes the tree in every format, reads back
 * what a reader of the same format can read, and checks the invariants:
 *   - a reader, writer or corpus that fails has said why (the core's
 *     "failed without saying why" is a broken invariant, not a result);
 *   - a document read from a transcript gives back its input byte for byte
 *     through the losslessness contract (the diplomatic edition), and so
 *     does the text writer's default edition;
 *   - every writer writes every document a reader produced, and something;
 *   - an output read back by its own format's reader succeeds, and written
 *     again gives the same bytes (a round trip is a fixed point);
 *   - a writer with corpus files writes the document's corpus through the
 *     core's corpus API (scr_corpus_*), the same bytes by corpus_prepare
 *     and merge as by corpus_add, and its format's reader reads it back.
 * Hosts' rules come from the library (scr_read_bytes, scr_write,
 * scr_corpus_*), as for the CLI.
 * A broken invariant aborts, which libFuzzer reports as a crash.
 *
 * Built with clang and -fsanitize=fuzzer when SCRIPTORIUM_FUZZ is on; built
 * otherwise with driver.c, which runs the target over the committed corpus
 * under CTest. */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scriptorium/scriptorium.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The plugins of the build, or those of $SCRIPTORIUM_FUZZ_PLUGIN_DIR (the
 * test that the fuzzer notices a lying plugin). */
static scr_registry *registry(void) {
  static scr_registry *reg;
  if (!reg) {
    const char *dir = getenv("SCRIPTORIUM_FUZZ_PLUGIN_DIR");
    if (!dir || !*dir) dir = FUZZ_PLUGIN_DIR;
    reg = scr_registry_new();
    scr_diag *d = scr_diag_new(NULL, NULL, NULL);
    if (!reg || !d || scr_registry_load_dir(reg, dir, d) != 0) {
      fprintf(stderr, "fuzz: cannot load the plugins in %s\n", dir);
      abort();
    }
    scr_diag_free(d);
  }
  return reg;
}

/* Plugins are loaded before fuzzing starts, so that libFuzzer sees their
 * coverage counters from the first input on. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  registry();
  return 0;
}

/* Diagnostics of one call: whether an error was the core's own report for
 * a plugin `format` that failed silently, told by its kind and its exact
 * words: a plugin's message may quote the input, and the fuzzer soon
 * learns to put "without saying why" there. */
typedef struct said {
  const char *format;
  int unexplained;
} said;

static void on_report(const scr_diagnostic *d, void *user) {
  said *s = user;
  if (d->severity != SCR_ERROR || !d->kind || !s->format) return;
  char reader[160], writer[160], corpus[160];
  snprintf(reader, sizeof reader, "the '%s' reader failed without saying why", s->format);
  snprintf(writer, sizeof writer, "the '%s' writer failed without saying why", s->format);
  snprintf(corpus, sizeof corpus, "the '%s' writer", s->format);
  size_t n = strlen(d->message), tail = strlen(" without saying why");
  if ((strcmp(d->kind, "read") == 0 && strcmp(d->message, reader) == 0) ||
      (strcmp(d->kind, "write") == 0 && strcmp(d->message, writer) == 0) ||
      (strcmp(d->kind, "corpus") == 0 && strncmp(d->message, corpus, strlen(corpus)) == 0 &&
       n > tail && strcmp(d->message + n - tail, " without saying why") == 0))
    s->unexplained = 1;
}

static void check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "fuzz: invariant broken: %s\n", what);
    abort();
  }
}

/* Reads with `rd`; NULL when the reader refused the input, which it must
 * have explained. */
static scr_doc *read_bytes(const scr_reader *rd, const char *data, size_t size) {
  char *copy = malloc(size + 1);
  if (!copy) return NULL;
  if (size) memcpy(copy, data, size);
  copy[size] = '\0';
  said s = {rd->format, 0};
  scr_diag *d = scr_diag_new("fuzz", on_report, &s);
  scr_options *o = scr_options_new(rd->options, rd->option_count);
  scr_doc *doc = NULL;
  int rc = d && o ? scr_read_bytes(rd, "fuzz", copy, size, o, d, &doc) : (free(copy), -1);
  if (rc != 0 && d && o) {
    check(scr_diag_count(d, SCR_ERROR) > 0, "a reader that fails reports an error");
    check(!s.unexplained, "a reader that fails says why");
  }
  scr_options_free(o);
  scr_diag_free(d);
  return doc;
}

#ifdef FUZZ_PIPELINE
/* Writes `doc` with `w` into `out`, with the writer's defaults and, when
 * `name` is not NULL, option `name` set to `value`. With the defaults it
 * must succeed; with a choice it may refuse, saying why (xml-chars=error on
 * a character XML cannot carry). Returns the writer's result. */
static int write_doc_with(const scr_writer *w, const scr_doc *doc, scr_buf *out,
                          const char *name, const char *value) {
  said s = {w->format, 0};
  scr_diag *d = scr_diag_new("fuzz", on_report, &s);
  scr_options *o = scr_options_new(w->options, w->option_count);
  if (!d || !o) abort();
  if (name) check(scr_options_set(o, name, value, NULL, 0) == 0, "a writer's own choice is accepted");
  int rc = scr_write(w, doc, out, o, d);
  check(rc != 0 || scr_diag_count(d, SCR_ERROR) == 0, "a writer that succeeds reports no error");
  check(rc == 0 || !s.unexplained, "a writer that fails says why");
  check(rc == 0 || (name && scr_diag_count(d, SCR_ERROR) > 0),
        "every writer writes every document a reader produced");
  check(rc != 0 || out->len > 0, "a writer writes something");
  scr_options_free(o);
  scr_diag_free(d);
  return rc;
}

static void write_doc(const scr_writer *w, const scr_doc *doc, scr_buf *out) {
  (void)write_doc_with(w, doc, out, NULL, NULL);
}

/* Every other choice of every choice option of `w` (the TEI writer's
 * Parla-CLARIN profile, the bracket and character modes…): the document is
 * written with it, and, where `back` is the writer's own reader, read back
 * and written again with the same choice to the same bytes. */
static void check_choices(const scr_writer *w, const scr_reader *back, const scr_doc *doc) {
  for (size_t i = 0; i < w->option_count; i++) {
    const scr_option_spec *sp = &w->options[i];
    if (sp->type != SCR_OPT_CHOICE || !sp->choices) continue;
    for (size_t c = 0; sp->choices[c]; c++) {
      if (sp->default_value && strcmp(sp->choices[c], sp->default_value) == 0) continue;
      scr_buf out = {0};
      int rc = write_doc_with(w, doc, &out, sp->name, sp->choices[c]);
      if (rc == 0 && back) {
        scr_doc *again = read_bytes(back, out.data, out.len);
        check(again != NULL, "a writer's output with any choice reads back");
        scr_buf out2 = {0};
        check(write_doc_with(w, again, &out2, sp->name, sp->choices[c]) == 0,
              "what a writer wrote with a choice is written again with it");
        int same = out2.len == out.len && memcmp(out2.data, out.data, out.len) == 0;
        if (!same) fprintf(stderr, "fuzz: %s with %s=%s\n", w->format, sp->name, sp->choices[c]);
        check(same, "write(read(write(doc))) == write(doc) with any choice");
        scr_buf_free(&out2);
        scr_doc_free(again);
      }
      scr_buf_free(&out);
    }
  }
}

/* The directory the corpus files are written to, made once and removed at
 * exit (each file is removed as soon as it was read). */
static char corpus_tmp[] = "/tmp/scriptorium-fuzz-XXXXXX";
static void remove_corpus_dir(void) { rmdir(corpus_tmp); }
static const char *corpus_dir(void) {
  static int made;
  if (!made) {
    check(mkdtemp(corpus_tmp) != NULL, "a temporary directory for corpus files");
    atexit(remove_corpus_dir);
    made = 1;
  }
  return corpus_tmp;
}

/* `doc`'s one-document corpus by `w`, through corpus_prepare and merge when
 * `prepare` (else corpus_add), into *out (malloc'd). */
static void write_corpus(const scr_writer *w, const scr_doc *doc, int prepare, char **out,
                         size_t *len) {
  char path[128];
  snprintf(path, sizeof path, "%s/corpus.%s", corpus_dir(), w->extensions[0]);
  said s = {w->format, 0};
  scr_diag *d = scr_diag_new(path, on_report, &s);
  scr_options *o = scr_options_new(w->options, w->option_count);
  if (!d || !o) abort();
  scr_corpus *c = scr_corpus_open(w, path, 0, o, d);
  check(c != NULL, "a corpus opens");
  void *part = prepare ? scr_corpus_prepare(w, doc, NULL, o, d) : NULL;
  check(!prepare || part != NULL, "a corpus part is prepared for every document");
  check(scr_corpus_add(c, part, doc, NULL, d) == 0, "every document goes into a corpus");
  check(scr_corpus_commit(c, d) == 0, "a corpus file is written");
  check(!s.unexplained && scr_diag_count(d, SCR_ERROR) == 0, "a corpus reports no error");
  check(scr_file_read(path, out, len, d) == 0 && *len > 0, "the corpus file holds something");
  unlink(path);
  scr_options_free(o);
  scr_diag_free(d);
}

static void check_corpus(scr_registry *reg, const scr_writer *w, const scr_doc *doc) {
  char *added, *merged = NULL;
  size_t added_len, merged_len = 0;
  write_corpus(w, doc, 0, &added, &added_len);
  if (scr_writer_can_prepare(w)) {
    write_corpus(w, doc, 1, &merged, &merged_len);
    check(merged_len == added_len && memcmp(merged, added, added_len) == 0,
          "a corpus by corpus_prepare and merge is the corpus by corpus_add");
  }
  const scr_reader *back = scr_registry_reader(reg, w->format);
  if (back) {
    scr_doc *again = read_bytes(back, added, added_len);
    check(again != NULL, "a corpus file reads back");
    scr_doc_free(again);
  }
  free(added);
  free(merged);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  scr_registry *reg = registry();
  const scr_reader *rd = scr_registry_reader(reg, FUZZ_READER);
  check(rd != NULL, "the reader under test is loaded");
  scr_doc *doc = read_bytes(rd, (const char *)data, size);
  if (!doc) return 0;
  scr_buf flat = {0};
  check(scr_node_flatten(scr_doc_root(doc), 1, &flat) == 0, "flatten");
  int transcript = strcmp(FUZZ_READER, "text") == 0;
  if (transcript)
    check(flat.len == size && (size == 0 || memcmp(flat.data, data, size) == 0),
          "the diplomatic edition reproduces the transcript");
#ifdef FUZZ_PIPELINE
  for (size_t p = 0; p < scr_registry_plugin_count(reg); p++) {
    const scr_plugin *pl = scr_registry_plugin(reg, p);
    for (size_t i = 0; pl->writers && pl->writers[i]; i++) {
      const scr_writer *w = pl->writers[i];
      scr_buf out = {0};
      write_doc(w, doc, &out);
      if (transcript && strcmp(w->format, "text") == 0)
        check(out.len == size && memcmp(out.data, data, size) == 0,
              "the text writer's default edition reproduces the transcript");
      /* Round trip through the same plugin's reader of the format, where
       * there is one: written again, it must give the same bytes. A reader
       * of the name in another plugin reads something else (plugins/html
       * reads news pages, plugins/html-edition writes reading editions). */
      const scr_reader *back = scr_registry_reader(reg, w->format);
      int own = 0;
      for (size_t k = 0; back && pl->readers && pl->readers[k]; k++) own |= pl->readers[k] == back;
      if (back && own && back != rd) {
        scr_doc *again = read_bytes(back, out.data, out.len);
        check(again != NULL, "a writer's output reads back");
        scr_buf out2 = {0};
        write_doc(w, again, &out2);
        check(out2.len == out.len && memcmp(out2.data, out.data, out.len) == 0,
              "write(read(write(doc))) == write(doc)");
        scr_buf_free(&out2);
        scr_doc_free(again);
      }
      check_choices(w, back && own && back != rd ? back : NULL, doc);
      if (scr_writer_has_corpus(w)) check_corpus(reg, w, doc);
      scr_buf_free(&out);
    }
  }
#endif
  scr_buf_free(&flat);
  scr_doc_free(doc);
  return 0;
}
