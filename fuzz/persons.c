/* persons.c - fuzzes the authority file (persons.yaml), which the speech
 * transform reads without being asked when it sits beside the inputs.
 *
 * Each input is written to a file of its own name (the loader keeps a file
 * it has parsed while it does not change; a new name is never that file),
 * and a fixed transcript that names persons, offices and epithets is
 * analysed with it. Invariants: the loader either takes the file or reports
 * why (an error); the transform keeps the text of the tree (the contract,
 * checked by scr_transform_apply with SCRIPTORIUM_CHECK_TRANSFORMS=1); the
 * tree is written as TEI without a failure that says nothing. */
#include <stdint.h>
#include <unistd.h>

#include "common.h"

static const char transcript[] =
    "Meeting with President of Belarus Alexander Lukashenko\n\n"
    "Vladimir Putin and Alexander Lukashenko met in Sochi.\n\n"
    "Vladimir Putin: Good afternoon, Mr Lukashenko.\n\n"
    "Alexander Lukashenko: Thank you. \xE2\x80\x9CWe will go on,\xE2\x80\x9D the "
    "Belarusian leader added.\n\n"
    "\xE2\x80\x9CIt was a good talk,\xE2\x80\x9D Mr Putin said. He said that the "
    "talks went well.\n";

static char dir[64];

static void remove_dir(void) { rmdir(dir); }

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_registry();
  setenv("SCRIPTORIUM_CHECK_TRANSFORMS", "1", 1);
  snprintf(dir, sizeof dir, "/tmp/scriptorium-fuzz-persons-XXXXXX");
  fuzz_check(mkdtemp(dir) != NULL, "a temporary directory");
  atexit(remove_dir);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static unsigned long n;
  if (!dir[0]) LLVMFuzzerInitialize(NULL, NULL);
  scr_registry *reg = fuzz_registry();
  const scr_reader *rd = scr_registry_reader(reg, "text");
  const scr_transform *tr = scr_registry_transform(reg, "speech");
  const scr_writer *wr = scr_registry_writer(reg, "tei");
  fuzz_check(rd && tr && wr, "the text reader, the speech transform and the TEI writer are loaded");

  char path[128];
  snprintf(path, sizeof path, "%s/persons-%lu.yaml", dir, n++);
  FILE *f = fopen(path, "wb");
  fuzz_check(f && fwrite(data, 1, size, f) == size && fclose(f) == 0, "the authority file is written");

  char *copy = malloc(sizeof transcript);
  fuzz_check(copy != NULL, "memory for the transcript");
  memcpy(copy, transcript, sizeof transcript);
  scr_diag *d = fuzz_diag("fuzz.txt");
  scr_options *ro = scr_options_new(rd->options, rd->option_count);
  scr_doc *doc = NULL;
  fuzz_check(scr_read_bytes(rd, "fuzz.txt", copy, sizeof transcript - 1, ro, d, &doc) == 0,
             "the fixed transcript reads");

  scr_options *to = scr_options_new(tr->options, tr->option_count);
  fuzz_check(to && scr_options_set(to, "persons", path, NULL, 0) == 0, "the persons option");
  size_t before = scr_diag_count(d, SCR_ERROR);
  int rc = scr_transform_apply(tr, doc, to, d);
  size_t errors = scr_diag_count(d, SCR_ERROR) - before;
  fuzz_check(rc == 0 || errors > 0, "a transform that fails says why");
  if (rc == 0) {
    scr_options *wo = scr_options_new(wr->options, wr->option_count);
    scr_buf out = {0};
    before = scr_diag_count(d, SCR_ERROR);
    rc = scr_write(wr, doc, &out, wo, d);
    fuzz_check(rc == 0 || scr_diag_count(d, SCR_ERROR) > before, "a writer that fails says why");
    scr_buf_free(&out);
    scr_options_free(wo);
  }
  scr_options_free(to);
  scr_options_free(ro);
  scr_doc_free(doc);
  scr_diag_free(d);
  unlink(path);
  return 0;
}
