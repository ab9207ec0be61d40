/* liar.c - a writer that breaks the invariants the pipeline fuzzer checks,
 * for the test that the fuzzer notices (fuzz/CMakeLists.txt): built with
 * SILENT it fails without saying why; with EMPTY it succeeds and writes
 * nothing. */
#include <scriptorium/plugin.h>

static int write_doc(const scr_doc *doc, scr_buf *out, const scr_options *opts,
                     scr_diag *diag) {
  (void)doc;
  (void)out;
  (void)opts;
  (void)diag;
#ifdef SILENT
  return -1;
#else
  return 0;
#endif
}

static const char *const exts[] = {"liar", NULL};
static const scr_writer writer = {
    .struct_size = sizeof(scr_writer),
    .format = "liar",
    .description = "breaks the pipeline's invariants on purpose",
    .extensions = exts,
    .media_type = "text/plain",
    .write = write_doc,
};
static const scr_writer *const writers[] = {&writer, NULL};
static const scr_plugin plugin = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = "liar",
    .version = "1.0.0",
    .description = "a writer that lies",
    .writers = writers,
};
SCR_PLUGIN_DEFINE(plugin)
