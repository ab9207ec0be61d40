/* archive.c - fuzzes the archive FUZZ_ARCHIVE ("warc"): a web archive from
 * the web or another's disk, plain or gzip (fuzzed bytes are tried both as
 * they are and gzip-compressed, so that the records inside are reached).
 *
 * The bytes are an archive file; every member is listed and loaded.
 * Invariants: listing ends (a member or the end or a reported failure);
 * every member has a name; a member that fails to load says why; loaded
 * bytes are no larger than the largest input; loading a member twice gives
 * the same bytes (a state reads forward or seeks, alike). */
#include <stdint.h>
#include <unistd.h>
#include <zlib.h>

#include "common.h"

static char dir[64], path[96];

static void remove_dir(void) {
  unlink(path);
  rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_registry();
  snprintf(dir, sizeof dir, "/tmp/scriptorium-fuzz-archive-XXXXXX");
  fuzz_check(mkdtemp(dir) != NULL, "a temporary directory");
  snprintf(path, sizeof path, "%s/input.warc", dir);
  atexit(remove_dir);
  return 0;
}

static void one(const scr_archive *a, const uint8_t *data, size_t size) {
  FILE *f = fopen(path, "wb");
  fuzz_check(f && fwrite(data, 1, size, f) == size && fclose(f) == 0, "the archive is written");
  scr_diag *d = fuzz_diag(path);
  void *lister = a->open(path, d);
  fuzz_check(lister != NULL, "an archive file opens");
  void *loader = a->open(path, d);
  fuzz_check(loader != NULL, "an archive file opens twice");
  scr_member m;
  int rc;
  size_t n = 0;
  while ((rc = a->next(lister, &m, d)) == 1) {
    fuzz_check(m.name && *m.name, "a member has a name");
    fuzz_check(++n <= size + 1, "listing ends");
    if (m.error) continue;
    char *first = NULL, *again = NULL;
    size_t flen = 0, alen = 0;
    size_t before = scr_diag_count(d, SCR_ERROR);
    int r1 = a->load(loader, m.pos, &first, &flen, d);
    fuzz_check(r1 == 0 || scr_diag_count(d, SCR_ERROR) > before, "a member that fails says why");
    if (r1 == 0) {
      fuzz_check(flen <= scr_max_input_size(), "a member within the largest input");
      int r2 = a->load(loader, m.pos, &again, &alen, d);
      fuzz_check(r2 == 0 && alen == flen && memcmp(first, again, flen) == 0,
                 "a member loaded twice gives the same bytes");
    }
    free(first);
    free(again);
  }
  fuzz_check(rc == 0 || scr_diag_count(d, SCR_ERROR) > 0, "an archive that cannot be read on says why");
  a->close(loader);
  a->close(lister);
  scr_diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!dir[0]) LLVMFuzzerInitialize(NULL, NULL);
  const scr_archive *a = scr_registry_archive(fuzz_registry(), FUZZ_ARCHIVE);
  fuzz_check(a != NULL, "the archive format under test is loaded");
  one(a, data, size);
  /* the same bytes as one gzip member */
  uLongf zlen = compressBound((uLong)size) + 32;
  unsigned char *z = malloc(zlen);
  fuzz_check(z != NULL, "memory");
  z_stream s;
  memset(&s, 0, sizeof s);
  fuzz_check(deflateInit2(&s, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK, "deflate");
  s.next_in = (Bytef *)(uintptr_t)data;
  s.avail_in = (uInt)size;
  s.next_out = z;
  s.avail_out = (uInt)zlen;
  fuzz_check(deflate(&s, Z_FINISH) == Z_STREAM_END, "deflate");
  one(a, z, zlen - s.avail_out);
  deflateEnd(&s);
  free(z);
  return 0;
}
