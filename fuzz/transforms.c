/* transforms.c - fuzzes the transforms over trees the reader FUZZ_READER
 * builds from fuzzed input: the reader's default transforms in their order,
 * then every other transform loaded.
 *
 * Invariants: with SCRIPTORIUM_CHECK_TRANSFORMS=1, scr_transform_apply
 * reports a transform that changed the text of a block or the blocks; that
 * must never happen. A transform that fails says why. The enriched tree is
 * written in every format without a failure that says nothing, and the text
 * reader's diplomatic edition still gives back the input byte for byte. */
#include <stdint.h>

#include "common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_registry();
  setenv("SCRIPTORIUM_CHECK_TRANSFORMS", "1", 1);
  return 0;
}

static void apply(const scr_transform *t, scr_doc *doc, scr_diag *d) {
  scr_options *o = scr_options_new(t->options, t->option_count);
  fuzz_check(o != NULL, "memory for options");
  size_t before = scr_diag_count(d, SCR_ERROR);
  int rc = scr_transform_apply(t, doc, o, d);
  /* the contract check reports as an error too: only a real failure (out of
   * memory, a limit) may fail, and then it says why */
  fuzz_check(rc == 0 || scr_diag_count(d, SCR_ERROR) > before, "a transform that fails says why");
  scr_options_free(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int checked;
  if (!checked) {
    fuzz_check(scr_transform_checking(), "transforms are checked");
    checked = 1;
  }
  scr_registry *reg = fuzz_registry();
  const scr_reader *rd = scr_registry_reader(reg, FUZZ_READER);
  fuzz_check(rd != NULL, "the reader under test is loaded");
  char *copy = malloc(size + 1);
  fuzz_check(copy != NULL, "memory for the input");
  if (size) memcpy(copy, data, size);
  copy[size] = '\0';
  scr_diag *d = fuzz_diag("fuzz");
  scr_options *ro = scr_options_new(rd->options, rd->option_count);
  scr_doc *doc = NULL;
  int rc = scr_read_bytes(rd, "fuzz", copy, size, ro, d, &doc);
  scr_options_free(ro);
  if (rc != 0) {
    fuzz_check(scr_diag_count(d, SCR_ERROR) > 0, "a reader that fails says why");
    scr_diag_free(d);
    return 0;
  }
  const char *const *names = scr_reader_default_transforms(rd);
  for (size_t i = 0; names && names[i]; i++) {
    const scr_transform *t = scr_registry_transform(reg, names[i]);
    if (t) apply(t, doc, d);
  }
  for (size_t p = 0; p < scr_registry_plugin_count(reg); p++) {
    const scr_plugin *pl = scr_registry_plugin(reg, p);
    if (!SCR_HAS_FIELD(pl, scr_plugin, transforms) || !pl->transforms) continue;
    for (size_t i = 0; pl->transforms[i]; i++) {
      int is_default = 0;
      for (size_t k = 0; names && names[k]; k++)
        if (!strcmp(names[k], pl->transforms[i]->name)) is_default = 1;
      if (!is_default) apply(pl->transforms[i], doc, d);
    }
  }
  if (strcmp(FUZZ_READER, "text") == 0) {
    scr_buf flat = {0};
    fuzz_check(scr_node_flatten(scr_doc_root(doc), 1, &flat) == 0, "flatten");
    fuzz_check(flat.len == size && (size == 0 || memcmp(flat.data, data, size) == 0),
               "the diplomatic edition reproduces the transcript after the transforms");
    scr_buf_free(&flat);
  }
  for (size_t p = 0; p < scr_registry_plugin_count(reg); p++) {
    const scr_plugin *pl = scr_registry_plugin(reg, p);
    for (size_t i = 0; pl->writers && pl->writers[i]; i++) {
      const scr_writer *w = pl->writers[i];
      scr_options *wo = scr_options_new(w->options, w->option_count);
      scr_buf out = {0};
      size_t before = scr_diag_count(d, SCR_ERROR);
      if (scr_write(w, doc, &out, wo, d) != 0)
        fuzz_check(scr_diag_count(d, SCR_ERROR) > before, "a writer that fails says why");
      scr_buf_free(&out);
      scr_options_free(wo);
    }
  }
  scr_doc_free(doc);
  scr_diag_free(d);
  return 0;
}
