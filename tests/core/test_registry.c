/* test_registry.c - loading plugins: the good one, and one deliberately
 * broken plugin for every way the loader must refuse, with its message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <scriptorium/scriptorium.h>

static char last[1024];
static int reports;

static void collect(const scr_diagnostic *d, void *user) {
  (void)user;
  reports++;
  snprintf(last, sizeof last, "%s: %s", d->file ? d->file : "-", d->message);
}

static int load(scr_registry *r, const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", TEST_PLUGIN_DIR, name);
  scr_diag *d = scr_diag_new(NULL, collect, NULL);
  last[0] = '\0';
  int rc = scr_registry_load_file(r, path, d);
  scr_diag_free(d);
  return rc;
}

static void expect_refusal(const char *file, const char *message) {
  scr_registry *r = scr_registry_new();
  assert_int_equal(load(r, file), -1);
  char expected[1024];
  snprintf(expected, sizeof expected, "%s/%s: %s", TEST_PLUGIN_DIR, file, message);
  if (strstr(last, expected) != last) fail_msg("got: %s\nwanted: %s", last, expected);
  assert_int_equal(scr_registry_plugin_count(r), 0);
  scr_registry_free(r);
}

static void test_good_plugin(void **state) {
  (void)state;
  scr_registry *r = scr_registry_new();
  assert_int_equal(load(r, "sample.so"), 0);
  assert_int_equal(scr_registry_plugin_count(r), 1);
  const scr_plugin *p = scr_registry_plugin(r, 0);
  assert_string_equal(p->name, "sample");
  assert_string_equal(p->version, "1.2.3");
  assert_non_null(strstr(scr_registry_plugin_path(r, 0), "sample.so"));
  assert_non_null(scr_registry_reader(r, "sample"));
  assert_non_null(scr_registry_writer(r, "sample"));
  assert_null(scr_registry_reader(r, "tei"));
  assert_null(scr_registry_validator(r, "sample"));
  /* The same plugin again (as from a later search directory) is skipped. */
  assert_int_equal(load(r, "sample.so"), 1);
  assert_int_equal(scr_registry_plugin_count(r), 1);
  scr_registry_free(r);
}

static void test_not_elf(void **state) {
  (void)state;
  expect_refusal("not-elf.so", "not a loadable plugin: ");
  assert_non_null(strstr(last, "invalid ELF header")); /* dlerror()'s words */
}

static void test_no_entry(void **state) {
  (void)state;
  expect_refusal("no-entry.so", "not a Scriptorium plugin: no entry symbol 'scriptorium_plugin'");
}

static void test_null_descriptor(void **state) {
  (void)state;
  expect_refusal("null-descriptor.so", "invalid plugin: 'scriptorium_plugin' returned no descriptor");
}

static void test_abi_major(void **state) {
  (void)state;
  char msg[128];
  snprintf(msg, sizeof msg, "incompatible plugin \"sample\": built for ABI 2.0, this is %d.%d",
           SCR_ABI_MAJOR, SCR_ABI_MINOR);
  expect_refusal("abi-major.so", msg);
}

static void test_abi_minor_newer(void **state) {
  (void)state;
  char msg[128];
  snprintf(msg, sizeof msg, "incompatible plugin \"sample\": built for ABI %d.%d, this is %d.%d",
           SCR_ABI_MAJOR, SCR_ABI_MINOR + 1, SCR_ABI_MAJOR, SCR_ABI_MINOR);
  expect_refusal("abi-minor.so", msg);
}

/* A plugin built against an older minor ABI (1.0) is accepted. */
static void test_abi_minor_older(void **state) {
  (void)state;
  scr_registry *r = scr_registry_new();
  assert_int_equal(load(r, "old-minor.so"), 0);
  assert_string_equal(last, "");
  assert_int_equal(scr_registry_plugin(r, 0)->abi_minor, 0);
  assert_non_null(scr_registry_reader(r, "old"));
  /* its writer ends before the fields ABI 1.2 added, which are not read */
  const scr_writer *w = scr_registry_writer(r, "old");
  assert_non_null(w);
  assert_false(SCR_HAS_FIELD(w, scr_writer, corpus_prepare));
  scr_registry_free(r);
}

/* A plugin built against ABI 1.2: its descriptor and reader end before the
 * fields of 1.3, which are not read (no transforms). */
static void test_abi_minor_2(void **state) {
  (void)state;
  scr_registry *r = scr_registry_new();
  assert_int_equal(load(r, "minor-2.so"), 0);
  assert_string_equal(last, "");
  const scr_reader *rd = scr_registry_reader(r, "minor2");
  assert_non_null(rd);
  assert_false(SCR_HAS_FIELD(rd, scr_reader, default_transforms));
  assert_null(scr_reader_default_transforms(rd));
  assert_false(SCR_HAS_FIELD(scr_registry_plugin(r, 0), scr_plugin, transforms));
  assert_null(scr_registry_transform(r, "minor2"));
  scr_registry_free(r);
}

/* A plugin built against ABI 1.3: 1.4 added functions, no fields, so its
 * descriptors are whole. */
static void test_abi_minor_3(void **state) {
  (void)state;
  scr_registry *r = scr_registry_new();
  assert_int_equal(load(r, "minor-3.so"), 0);
  assert_string_equal(last, "");
  assert_int_equal(scr_registry_plugin(r, 0)->abi_minor, 3);
  const scr_reader *rd = scr_registry_reader(r, "minor3");
  assert_non_null(rd);
  assert_true(SCR_HAS_FIELD(rd, scr_reader, default_transforms));
  assert_true(SCR_HAS_FIELD(scr_registry_plugin(r, 0), scr_plugin, transforms));
  scr_registry_free(r);
}

static void test_missing_fields(void **state) {
  (void)state;
  expect_refusal("no-version.so", "invalid plugin: descriptor has no version");
  expect_refusal("no-read.so", "invalid plugin: descriptor has no reader probe and read functions");
  expect_refusal("half-prepare.so", "invalid plugin: descriptor has no corpus_prepare and "
                                    "corpus_merge together, with corpus_add");
}

static void test_conflict(void **state) {
  (void)state;
  scr_registry *r = scr_registry_new();
  assert_int_equal(load(r, "sample.so"), 0);
  assert_int_equal(load(r, "conflict.so"), -1);
  char expected[1024];
  snprintf(expected, sizeof expected,
           "%s/conflict.so: plugin \"conflict\" reads format 'sample', already read by %s/sample.so",
           TEST_PLUGIN_DIR, TEST_PLUGIN_DIR);
  assert_string_equal(last, expected);
  assert_int_equal(scr_registry_plugin_count(r), 1);
  scr_registry_free(r);
}

static void test_load_dir_counts_rejections(void **state) {
  (void)state;
  scr_registry *r = scr_registry_new();
  scr_diag *d = scr_diag_new(NULL, collect, NULL);
  reports = 0;
  /* sample, tie, other, old-minor, minor-2 and minor-3 are accepted; abi-major, abi-minor,
   * conflict, half-prepare, no-entry, no-read, no-version, not-elf, null-descriptor are not. */
  assert_int_equal(scr_registry_load_dir(r, TEST_PLUGIN_DIR, d), 9);
  assert_int_equal(reports, 9);
  assert_int_equal(scr_registry_plugin_count(r), 6);
  assert_int_equal(scr_registry_load_dir(r, "/nonexistent-dir", d), 0);
  scr_diag_free(d);
  scr_registry_free(r);
}

static void test_detect(void **state) {
  (void)state;
  scr_registry *r = scr_registry_new();
  scr_diag *d = scr_diag_new("in", collect, NULL);
  const scr_reader *rd;
  assert_int_equal(load(r, "sample.so"), 0);
  assert_int_equal(scr_registry_detect(r, "SAMPLE data", 11, 25, &rd, d), 0);
  assert_string_equal(rd->format, "sample");
  assert_int_equal(scr_registry_detect(r, "other", 5, 25, &rd, d), -1);
  assert_null(rd);
  assert_string_equal(last, "in: cannot tell the input format: the best guess, 'sample', scores only 10 of 100; name one with -f");
  assert_int_equal(load(r, "tie.so"), 0);
  assert_int_equal(scr_registry_detect(r, "SAMPLE data", 11, 25, &rd, d), -1);
  assert_string_equal(last, "in: cannot tell the input format: readers 'sample' and 'tie' both score 80; name one with -f");
  scr_diag_free(d);
  scr_registry_free(r);
}

static void test_search_path(void **state) {
  (void)state;
  /* --plugin-dir first, then $SCRIPTORIUM_PLUGIN_PATH: a plugin of the same
   * name later in the path is shadowed, not a conflict. */
  setenv("SCRIPTORIUM_PLUGIN_PATH", TEST_PLUGIN_DIR ":" TEST_PLUGIN_DIR, 1);
  scr_registry *r = scr_registry_new();
  scr_diag *d = scr_diag_new(NULL, NULL, NULL);
  const char *dirs[] = {TEST_PLUGIN_DIR, NULL};
  int rejected = scr_registry_load_default(r, dirs, "/nonexistent/bin/x", d);
  assert_true(rejected >= 8);
  assert_non_null(scr_registry_reader(r, "sample"));
  assert_non_null(scr_registry_reader(r, "tie"));
  scr_diag_free(d);
  scr_registry_free(r);
  unsetenv("SCRIPTORIUM_PLUGIN_PATH");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good_plugin),
      cmocka_unit_test(test_not_elf),
      cmocka_unit_test(test_no_entry),
      cmocka_unit_test(test_null_descriptor),
      cmocka_unit_test(test_abi_major),
      cmocka_unit_test(test_abi_minor_newer),
      cmocka_unit_test(test_abi_minor_older),
      cmocka_unit_test(test_abi_minor_2),
      cmocka_unit_test(test_abi_minor_3),
      cmocka_unit_test(test_missing_fields),
      cmocka_unit_test(test_conflict),
      cmocka_unit_test(test_load_dir_counts_rejections),
      cmocka_unit_test(test_detect),
      cmocka_unit_test(test_search_path),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
