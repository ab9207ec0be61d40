/* manifest.c - fuzzes the reading of DIR/manifest.tsv, which a rerun reads
 * back to decide what is up to date: it may be torn by a crash, edited by a
 * user, or come from another version (core/cli/manifest.c).
 *
 * Invariants: every line that parses formats back to a line that parses to
 * the same entry (format is parse's inverse, paths escaped and unescaped);
 * after finishing, each entry is found by its path, and each path once. */
#include <stdint.h>

#include "common.h"
#include "manifest.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  return 0;
}

static int same_list(char **a, char **b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(a[i], b[i]) != 0) return 0;
  return 1;
}

static int same_entry(const manifest_entry *a, const manifest_entry *b) {
  return !strcmp(a->path, b->path) && a->size == b->size && !strcmp(a->sha, b->sha) &&
         !strcmp(a->status, b->status) && a->warnings == b->warnings &&
         a->noutputs == b->noutputs && same_list(a->outputs, b->outputs, a->noutputs) &&
         same_list(a->output_sha, b->output_sha, a->noutputs) && !strcmp(a->key, b->key) &&
         a->ndeps == b->ndeps && same_list(a->dep_path, b->dep_path, a->ndeps) &&
         same_list(a->dep_sha, b->dep_sha, a->ndeps);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  manifest m = {0};
  if (manifest_add_text(&m, (const char *)data, size) != 0) return 0; /* out of memory */
  manifest_finish(&m);
  for (size_t i = 0; i < m.len; i++) {
    const manifest_entry *e = &m.v[i];
    fuzz_check(manifest_find(&m, e->path) == e, "an entry is found by its path");
    fuzz_check(i == 0 || strcmp(m.v[i - 1].path, e->path) < 0, "each path once, in order");
    scr_buf line = {0};
    fuzz_check(manifest_format_line(&line, e) == 0, "an entry formats");
    fuzz_check(line.len > 0 && line.data[line.len - 1] == '\n', "a line ends in a newline");
    manifest_entry back = {0};
    fuzz_check(manifest_parse_line(line.data, line.len - 1, &back) == 0, "a formatted line parses");
    fuzz_check(same_entry(e, &back), "parse(format(entry)) == entry");
    for (size_t k = 0; k < e->noutputs; k++)
      fuzz_check(manifest_output_index(e, e->outputs[k]) >= 0, "an output is found");
    manifest_entry_free(&back);
    scr_buf_free(&line);
  }
  manifest_free(&m);
  return 0;
}
