/* grown.c - a writer built against an older SDK, whose enums end before the
 * library's (tests/core/CMakeLists.txt makes that SDK: the headers without
 * the last node type and the last attribute), for test_grown.c.
 *
 * It dumps every node as "TYPE block|inline" and every attribute as
 * "name=value", the way a writer that lists all attributes does. Built with
 * NAIVE it loops to its SDK's SCR_ATTR_COUNT_ and compares types with the
 * enum, as plugins did before ABI 1.4; built without it asks the library
 * (scr_attr_count, scr_node_type_is_block, scr_node_type_name). Its first
 * line says which SDK it was built with, so that the test can tell that
 * the enums really were smaller. */
#include <scriptorium/plugin.h>

#ifndef PLUGIN_NAME
#define PLUGIN_NAME "grown"
#endif

static int write_doc(const scr_doc *doc, scr_buf *out, const scr_options *opts, scr_diag *diag) {
  (void)opts;
  (void)diag;
  if (scr_buf_printf(out, "sdk types=%d attrs=%d\n", (int)SCR_NODE_TYPE_COUNT,
                     (int)SCR_ATTR_COUNT_))
    return -1;
#ifdef NAIVE
  int attrs = SCR_ATTR_COUNT_;
#else
  int attrs = (int)scr_attr_count();
#endif
  scr_iter it;
  scr_iter_init(&it, scr_doc_root(doc));
  scr_event ev;
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    if (ev != SCR_EVENT_ENTER) continue;
    const scr_node *n = scr_iter_node(&it);
    scr_node_type t = scr_node_get_type(n);
#ifdef NAIVE
    int block = t < SCR_NODE_TEXT || t >= SCR_NODE_TYPE_COUNT; /* "blocks come first" */
    const char *name = t < SCR_NODE_TYPE_COUNT ? scr_node_type_name(t) : "?";
#else
    int block = scr_node_type_is_block(t);
    const char *name = scr_node_type_name(t);
#endif
    if (scr_buf_printf(out, "%s %s", name ? name : "?", block ? "block" : "inline")) return -1;
    for (int a = 0; a < attrs; a++) {
      scr_str v = scr_node_attr(n, (scr_attr)a);
      if (v.ptr && scr_buf_printf(out, " %s=%.*s", scr_attr_name((scr_attr)a), (int)v.len, v.ptr))
        return -1;
    }
    if (scr_buf_puts(out, "\n")) return -1;
  }
  return 0;
}

static const char *const exts[] = {"grown", NULL};
static const scr_writer writer = {
    .struct_size = sizeof(scr_writer),
    .format = PLUGIN_NAME,
    .description = "every node and attribute, as a plugin built with an older SDK sees them",
    .extensions = exts,
    .media_type = "text/plain",
    .write = write_doc,
};
static const scr_writer *const writers[] = {&writer, NULL};
static const scr_plugin plugin = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = PLUGIN_NAME,
    .version = "1.0.0",
    .description = "a writer built against a smaller enum",
    .writers = writers,
};
SCR_PLUGIN_DEFINE(plugin)
