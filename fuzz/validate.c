/* validate.c - fuzzes `validate`: FUZZ_VALIDATOR names the format ("tei":
 * the project's TEI schema, includes and references; "yaml": the project's
 * JSON schema). A file handed to validate comes from anywhere.
 *
 * The input is checked as a file in a directory of its own, as `validate
 * FILE` would (the TEI validator resolves includes against that directory,
 * so a fuzzed xi:include can name its siblings: there are none, and nothing
 * outside may be read). Invariants: the check ends with a verdict (0 valid,
 * or invalid with at least one error that says why); the schema opened once
 * stays usable for every input. */
#include <stdint.h>
#include <unistd.h>

#include "common.h"

static const scr_validator *val;
static void *state;
static char dir[64], path[96];

static void remove_dir(void) {
  unlink(path);
  rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  scr_registry *reg = fuzz_registry();
  val = scr_registry_validator(reg, FUZZ_VALIDATOR);
  fuzz_check(val != NULL, "the validator under test is loaded");
  scr_diag *d = fuzz_diag(NULL);
  state = val->open(NULL, d); /* the project's schema, compiled in or installed */
  fuzz_check(state != NULL, "the project's schema opens");
  scr_diag_free(d);
  snprintf(dir, sizeof dir, "/tmp/scriptorium-fuzz-validate-XXXXXX");
  fuzz_check(mkdtemp(dir) != NULL, "a temporary directory");
  snprintf(path, sizeof path, "%s/input.%s", dir, FUZZ_VALIDATOR);
  atexit(remove_dir);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!state) LLVMFuzzerInitialize(NULL, NULL);
  /* The bytes are also on disk: a validator may look at the file's
   * directory (includes), and the path is what its messages name. */
  FILE *f = fopen(path, "wb");
  fuzz_check(f && fwrite(data, 1, size, f) == size && fclose(f) == 0, "the input is written");
  char *copy = malloc(size + 1);
  fuzz_check(copy != NULL, "memory for the input");
  if (size) memcpy(copy, data, size);
  copy[size] = '\0';
  scr_input in = {sizeof in, path, copy, size};
  scr_diag *d = fuzz_diag(path);
  int rc = val->check(state, &in, d);
  if (getenv("FUZZ_VERBOSE"))
    fprintf(stderr, "fuzz: check: %d, %zu errors\n", rc, scr_diag_count(d, SCR_ERROR));
  fuzz_check(rc == 0 || scr_diag_count(d, SCR_ERROR) > 0, "an invalid file is told why");
  fuzz_check(rc != 0 || scr_diag_count(d, SCR_ERROR) == 0, "a valid file has no error");
  scr_diag_free(d);
  free(copy);
  return 0;
}
