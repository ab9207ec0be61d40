/* fuzz.c - libFuzzer targets for the readers and the whole pipeline.
 *
 * One source, one binary per target: FUZZ_READER names the reader to fuzz;
 * FUZZ_PIPELINE additionally writes the tree in every format, reads back
 * what a reader of the same format can read, and checks the invariants:
 *   - a document read from a transcript gives back its input byte for byte
 *     through the losslessness contract (the diplomatic edition);
 *   - an output read back by its own format's reader and written again gives
 *     the same bytes (a round trip is a fixed point).
 * A broken invariant aborts, which libFuzzer reports as a crash.
 *
 * Built with clang and -fsanitize=fuzzer when SCRIPTORIUM_FUZZ is on; built
 * otherwise with driver.c, which runs the target over the committed corpus
 * under CTest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scriptorium/scriptorium.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static scr_registry *registry(void) {
  static scr_registry *reg;
  if (!reg) {
    reg = scr_registry_new();
    scr_diag *d = scr_diag_new(NULL, NULL, NULL);
    if (!reg || !d || scr_registry_load_dir(reg, FUZZ_PLUGIN_DIR, d) != 0) {
      fprintf(stderr, "fuzz: cannot load the plugins in %s\n", FUZZ_PLUGIN_DIR);
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

static scr_doc *read_bytes(const scr_reader *rd, const char *data, size_t size) {
  char *copy = malloc(size + 1);
  if (!copy) return NULL;
  if (size) memcpy(copy, data, size);
  copy[size] = '\0';
  scr_diag *d = scr_diag_new("fuzz", NULL, NULL);
  scr_options *o = scr_options_new(rd->options, rd->option_count);
  scr_doc *doc = NULL;
  scr_read_bytes(rd, "fuzz", copy, size, o, d, &doc);
  scr_options_free(o);
  scr_diag_free(d);
  return doc;
}

#ifdef FUZZ_PIPELINE
static int write_doc(const scr_writer *w, const scr_doc *doc, scr_buf *out) {
  scr_diag *d = scr_diag_new("fuzz", NULL, NULL);
  scr_options *o = scr_options_new(w->options, w->option_count);
  int rc = scr_write(w, doc, out, o, d);
  scr_options_free(o);
  scr_diag_free(d);
  return rc;
}
#endif

static void check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "fuzz: invariant broken: %s\n", what);
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  scr_registry *reg = registry();
  const scr_reader *rd = scr_registry_reader(reg, FUZZ_READER);
  check(rd != NULL, "the reader under test is loaded");
  scr_doc *doc = read_bytes(rd, (const char *)data, size);
  if (!doc) return 0;
  scr_buf flat = {0};
  check(scr_node_flatten(scr_doc_root(doc), 1, &flat) == 0, "flatten");
  if (strcmp(FUZZ_READER, "text") == 0)
    check(flat.len == size && (size == 0 || memcmp(flat.data, data, size) == 0),
          "the diplomatic edition reproduces the transcript");
#ifdef FUZZ_PIPELINE
  for (size_t p = 0; p < scr_registry_plugin_count(reg); p++) {
    const scr_plugin *pl = scr_registry_plugin(reg, p);
    for (size_t i = 0; pl->writers && pl->writers[i]; i++) {
      const scr_writer *w = pl->writers[i];
      scr_buf out = {0};
      if (write_doc(w, doc, &out) == 0) {
        /* Round trip through a reader of the same format, where there is
         * one: written again, it must give the same bytes. */
        const scr_reader *back = scr_registry_reader(reg, w->format);
        if (back && back != rd) {
          scr_doc *again = read_bytes(back, out.data ? out.data : "", out.len);
          check(again != NULL, "a writer's output reads back");
          scr_buf out2 = {0};
          check(write_doc(w, again, &out2) == 0, "the read-back document writes");
          check(out2.len == out.len && memcmp(out2.data, out.data, out.len) == 0,
                "write(read(write(doc))) == write(doc)");
          scr_buf_free(&out2);
          scr_doc_free(again);
        }
      }
      scr_buf_free(&out);
    }
  }
#endif
  scr_buf_free(&flat);
  scr_doc_free(doc);
  return 0;
}
