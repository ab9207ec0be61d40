/* sample.c - a tiny plugin, compiled in several deliberately broken variants
 * (see CMakeLists.txt) so that the loader's refusals can be tested. */
#include <stddef.h>
#include <string.h>

#include <scriptorium/plugin.h>

#ifndef ABI_MAJOR
#define ABI_MAJOR SCR_ABI_MAJOR
#endif
#ifndef ABI_MINOR
#define ABI_MINOR SCR_ABI_MINOR
#endif
#ifndef PLUGIN_NAME
#define PLUGIN_NAME "sample"
#endif
#ifndef FORMAT_NAME
#define FORMAT_NAME "sample"
#endif

static int probe(const char *data, size_t len) {
  return len >= 6 && memcmp(data, "SAMPLE", 6) == 0 ? 80 : 10;
}

#ifdef NO_READ
__attribute__((unused))
#endif
static int read_doc(scr_doc *doc, const scr_input *in, const scr_options *o,
                    scr_diag *diag) {
  (void)o;
  (void)diag;
  scr_node *p = scr_node_new(doc, SCR_NODE_PARAGRAPH, (scr_pos){1, 1, 0});
  scr_node_append(p, scr_node_new_text(doc, in->data, in->len, (scr_pos){1, 1, 0}));
  scr_node_append(scr_doc_root(doc), p);
  return 0;
}

static int write_doc(const scr_doc *doc, scr_buf *out, const scr_options *o,
                     scr_diag *diag) {
  (void)o;
  (void)diag;
  return scr_node_flatten(scr_doc_root(doc), 1, out);
}

static const char *const ext[] = {"smp", NULL};

static const scr_reader reader = {
#if defined(OLD_MINOR) || defined(MINOR_2)
    /* built for ABI 1.2 or before: ends before the default_transforms of 1.3 */
    .struct_size = offsetof(scr_reader, default_transforms),
#else
    .struct_size = sizeof(scr_reader),
#endif
    .format = FORMAT_NAME,
    .extensions = ext,
    .probe = probe,
#ifdef NO_READ
    .read = NULL,
#else
    .read = read_doc,
#endif
};

#ifdef HALF_PREPARE
static void *prepare(const scr_doc *doc, const char *path, const scr_options *o,
                     scr_diag *diag) {
  (void)doc, (void)path, (void)o, (void)diag;
  return NULL;
}
#endif

static const scr_writer writer = {
#ifdef OLD_MINOR
    /* built for ABI 1.0/1.1: ends before the corpus_prepare of 1.2 */
    .struct_size = offsetof(scr_writer, corpus_prepare),
#else
    .struct_size = sizeof(scr_writer),
#endif
    .format = FORMAT_NAME,
    .extensions = ext,
    .write = write_doc,
#ifdef HALF_PREPARE
    .corpus_prepare = prepare, /* without corpus_merge (nor the corpus_add trio) */
#endif
};

static const scr_reader *const readers[] = {&reader, NULL};
static const scr_writer *const writers[] = {&writer, NULL};

static const scr_plugin descriptor = {
    .abi_major = ABI_MAJOR,
    .abi_minor = ABI_MINOR,
#ifdef OLD_MINOR
    /* What a plugin built against ABI 1.0 looks like: its descriptor ends
     * before the fields 1.1 added. */
    .struct_size = offsetof(scr_plugin, init),
#elif defined(MINOR_2)
    /* built against ABI 1.2: ends before the transforms of 1.3 */
    .struct_size = offsetof(scr_plugin, transforms),
#else
    .struct_size = sizeof(scr_plugin),
#endif
    .name = PLUGIN_NAME,
#ifndef NO_VERSION
    .version = "1.2.3",
#endif
    .readers = readers,
    .writers = writers,
};

#ifdef NULL_DESCRIPTOR
SCR_PLUGIN_EXTERN_C SCR_PLUGIN_EXPORT const scr_plugin *scriptorium_plugin(void);
const scr_plugin *scriptorium_plugin(void) { return (void)descriptor, NULL; }
#elif defined(NO_ENTRY)
SCR_PLUGIN_EXPORT const scr_plugin *some_other_name(void);
const scr_plugin *some_other_name(void) { return &descriptor; }
#else
SCR_PLUGIN_DEFINE(descriptor)
#endif
