/* test_grown.c - enums that grew: a plugin built with an SDK whose node
 * types and attributes end earlier than the library's (as a plugin built
 * for 1.4 runs on a later 1.x that added some at the end) still sees every
 * node and attribute the way the library knows them, when it asks the
 * library (scr_attr_count, scr_node_type_is_block, scr_node_type_name), and
 * the same plugin built to trust its SDK's constants does not: that is the
 * breakage the runtime counts exist for. Plugins: plugins/grown.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scriptorium/scriptorium.h"

static const scr_pos P = {1, 1, 0};

/* A paragraph holding a TIME (the type the old SDK lacks) that carries
 * URL (the attribute it lacks), written by `format`. */
static char *dump(scr_registry *reg, const char *format) {
  const scr_writer *w = scr_registry_writer(reg, format);
  assert_non_null(w);
  scr_doc *doc = scr_doc_new();
  scr_node *p = scr_node_new(doc, SCR_NODE_PARAGRAPH, P);
  scr_node *t = scr_node_new(doc, SCR_NODE_TIME, P);
  scr_node_append(scr_doc_root(doc), p);
  scr_node_append(p, t);
  scr_node_append(t, scr_node_new_text(doc, "noon", 4, P));
  assert_int_equal(scr_node_set_attr(doc, t, SCR_ATTR_WHEN, "12:00", 5), 0);
  assert_int_equal(scr_node_set_attr(doc, t, SCR_ATTR_URL, "~", 1), 0);
  scr_diag *diag = scr_diag_new("grown", NULL, NULL);
  scr_options *opts = scr_options_new(w->options, w->option_count);
  scr_buf out = {0};
  assert_int_equal(scr_write(w, doc, &out, opts, diag), 0);
  scr_options_free(opts);
  scr_diag_free(diag);
  scr_doc_free(doc);
  return out.data;
}

static void test_old_plugin_on_grown_enums(void **state) {
  (void)state;
  scr_registry *reg = scr_registry_new();
  scr_diag *diag = scr_diag_new(NULL, NULL, NULL);
  assert_int_equal(scr_registry_load_dir(reg, TEST_PLUGIN_DIR, diag), 0);
  scr_diag_free(diag);

  char *asks = dump(reg, "grown");
  /* built with the smaller enums: one node type and one attribute fewer */
  char sdk[64];
  snprintf(sdk, sizeof sdk, "sdk types=%zu attrs=%zu\n", scr_node_type_count() - 1,
           scr_attr_count() - 1);
  assert_memory_equal(asks, sdk, strlen(sdk));
  assert_non_null(strstr(asks, "\nparagraph block\n"));
  assert_non_null(strstr(asks, "\ntime inline when=12:00 url=~\n"));
  assert_non_null(strstr(asks, "\ntext inline\n"));

  /* the same plugin trusting its SDK's constants loses the attribute and
   * takes the new inline for a block it cannot name */
  char *trusts = dump(reg, "grown-naive");
  assert_null(strstr(trusts, "url="));
  assert_non_null(strstr(trusts, "\n? block when=12:00\n"));
  free(asks);
  free(trusts);
  scr_registry_free(reg);
}

static void test_counts(void **state) {
  (void)state;
  assert_int_equal(scr_node_type_count(), SCR_NODE_TYPE_COUNT);
  assert_int_equal(scr_attr_count(), SCR_ATTR_COUNT_);
  assert_int_equal(scr_meta_count(), SCR_META_COUNT_);
  assert_int_equal(scr_attr_from_name("nope", 4), (scr_attr)scr_attr_count());
  assert_false(scr_node_type_is_block((scr_node_type)scr_node_type_count()));
  assert_false(scr_node_type_is_block(SCR_NODE_NONE));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_old_plugin_on_grown_enums),
      cmocka_unit_test(test_counts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
