/* common.h - what the fuzz targets other than fuzz.c share: the plugins of
 * the build tree, loaded once, and an invariant that aborts (which libFuzzer
 * reports as a crash, and driver.c under CTest as a failure). */
#ifndef SCR_FUZZ_COMMON_H
#define SCR_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scriptorium/scriptorium.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static inline scr_registry *fuzz_registry(void) {
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

static inline void fuzz_check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "fuzz: invariant broken: %s\n", what);
    abort();
  }
}

/* The diagnostics that are never right, whatever the input: a transform
 * that broke its contract, and a reader, transform or writer that failed
 * without saying why (the core reports those for it, with these kinds). */
static inline void fuzz_on_diag(const scr_diagnostic *d, void *user) {
  (void)user;
  if (d->severity != SCR_ERROR || !d->kind) return;
  if (!strcmp(d->kind, "transform-contract") || !strcmp(d->kind, "transform") ||
      !strcmp(d->kind, "read") || !strcmp(d->kind, "write")) {
    fprintf(stderr, "fuzz: %s: %s\n", d->kind, d->message);
    fuzz_check(0, "no broken contract, no failure without a reason");
  }
}

/* A diagnostics sink that counts errors and aborts on fuzz_on_diag's. */
static inline scr_diag *fuzz_diag(const char *file) {
  scr_diag *d = scr_diag_new(file, fuzz_on_diag, NULL);
  fuzz_check(d != NULL, "a diagnostics sink (out of memory)");
  return d;
}

#endif
