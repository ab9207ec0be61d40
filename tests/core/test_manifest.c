/* test_manifest.c - the lines of DIR/manifest.tsv (core/cli/manifest.c):
 * format and parse are each other's inverse, paths are escaped (\\ \t \n
 * \,) and unescaped, lines that are not manifest lines are refused, and the
 * last line of a path wins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "manifest.h"

#define H0 "0000000000000000000000000000000000000000000000000000000000000000"
#define H1 "1111111111111111111111111111111111111111111111111111111111111111"
#define HA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static char *format(const manifest_entry *e) {
  scr_buf b = {0};
  assert_int_equal(manifest_format_line(&b, e), 0);
  return b.data;
}

/* Parses a line given with its newline. */
static int parse(const char *line, manifest_entry *e) {
  size_t n = strlen(line);
  assert_true(n > 0 && line[n - 1] == '\n');
  return manifest_parse_line(line, n - 1, e);
}

static void test_round_trip(void **state) {
  (void)state;
  char *outs[] = {"tei/a\\b,c.xml", "text/tab\there.txt"};
  char *shas[] = {HA, "-"};
  char *dpath[] = {"persons\nnew,line.yaml"};
  char *dsha[] = {HB};
  manifest_entry e = {
      .path = "in/a\\b\tc\nd,e.txt", .size = 8863, .sha = H0, .status = "ok", .warnings = 3,
      .noutputs = 2, .outputs = outs, .output_sha = shas, .key = H1,
      .ndeps = 1, .dep_path = dpath, .dep_sha = dsha};
  char *line = format(&e);
  assert_string_equal(line,
                      "in/a\\\\b\\tc\\nd\\,e.txt\t8863\t" H0 "\tok\t3\t"
                      "tei/a\\\\b\\,c.xml,text/tab\\there.txt\t" H1 "\t" HA ",-\t"
                      HB ":persons\\nnew\\,line.yaml\n");
  manifest_entry back;
  assert_int_equal(parse(line, &back), 0);
  assert_string_equal(back.path, e.path);
  assert_int_equal(back.size, 8863);
  assert_string_equal(back.sha, H0);
  assert_string_equal(back.status, "ok");
  assert_int_equal(back.warnings, 3);
  assert_int_equal(back.noutputs, 2);
  assert_string_equal(back.outputs[0], outs[0]);
  assert_string_equal(back.outputs[1], outs[1]);
  assert_string_equal(back.output_sha[0], HA);
  assert_string_equal(back.output_sha[1], "-");
  assert_string_equal(back.key, H1);
  assert_int_equal(back.ndeps, 1);
  assert_string_equal(back.dep_path[0], dpath[0]);
  assert_string_equal(back.dep_sha[0], HB);
  assert_int_equal(manifest_output_index(&back, "text/tab\there.txt"), 1);
  assert_int_equal(manifest_output_index(&back, "text/tab\\there.txt"), -1);
  /* formatted again: the same bytes */
  char *again = format(&back);
  assert_string_equal(again, line);
  manifest_entry_free(&back);
  free(again);
  free(line);

  /* empty lists are "-" both ways */
  manifest_entry bare = {.path = "x.txt", .size = 0, .sha = "-", .status = "failed",
                         .key = H1};
  line = format(&bare);
  assert_string_equal(line, "x.txt\t0\t-\tfailed\t0\t-\t" H1 "\t-\t-\n");
  assert_int_equal(parse(line, &back), 0);
  assert_int_equal(back.noutputs, 0);
  assert_int_equal(back.ndeps, 0);
  manifest_entry_free(&back);
  free(line);
}

static void test_escapes(void **state) {
  (void)state;
  static const struct {
    const char *raw, *escaped;
  } cases[] = {{"a\\b", "a\\\\b"}, {"a\tb", "a\\tb"}, {"a\nb", "a\\nb"}, {"a,b", "a\\,b"},
               {"\\\\", "\\\\\\\\"}, {"\\t", "\\\\t"}, {"plain", "plain"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    manifest_entry e = {.path = (char *)cases[i].raw, .sha = "-", .status = "ok", .key = H1};
    char *line = format(&e);
    size_t n = strlen(cases[i].escaped);
    assert_memory_equal(line, cases[i].escaped, n);
    assert_int_equal(line[n], '\t');
    manifest_entry back;
    assert_int_equal(parse(line, &back), 0);
    assert_string_equal(back.path, cases[i].raw);
    manifest_entry_free(&back);
    free(line);
  }
}

static void test_bad_lines(void **state) {
  (void)state;
  static const char *const bad[] = {
      "path\tsize\tsha256\tstatus\twarnings\toutputs\tkey\toutput_sha256\tdepends\n", /* header */
      "x.txt\t0\t-\tok\t0\t-\t" H1 "\t-\n",                 /* 8 columns */
      "x.txt\t0\t-\tok\t0\t-\t" H1 "\t-\t-\t-\n",           /* 10 columns */
      "\t0\t-\tok\t0\t-\t" H1 "\t-\t-\n",                   /* empty path */
      "x.txt\t12x\t-\tok\t0\t-\t" H1 "\t-\t-\n",            /* bad size */
      "x.txt\t\t-\tok\t0\t-\t" H1 "\t-\t-\n",               /* no size */
      "x.txt\t0\tnothex\tok\t0\t-\t" H1 "\t-\t-\n",         /* bad sha */
      "x.txt\t0\t-\tok\t0\t-\tshort\t-\t-\n",               /* bad key */
      "x.txt\t0\t-\tok\t0\ta.txt\t" H1 "\t-\t-\n",          /* one output, no hash */
      "x.txt\t0\t-\tok\t0\ta.txt\t" H1 "\tnothex\t-\n",     /* bad output hash */
      "x.txt\t0\t-\tok\t0\ta.txt,\t" H1 "\t" HA ",-\t-\n",  /* empty output */
      "x.txt\t0\t-\tok\t0\t-\t" H1 "\t-\tnocolon\n",        /* dep without hash */
      "x.txt\t0\t-\tok\t0\t-\t" H1 "\t-\tzz:p\n",           /* bad dep hash */
      "x\\q.txt\t0\t-\tok\t0\t-\t" H1 "\t-\t-\n",           /* unknown escape */
      "x\\\t0\t-\tok\t0\t-\t" H1 "\t-\t-\n",                /* escape cut off */
      "\n",                                                 /* empty */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    manifest_entry e;
    if (parse(bad[i], &e) != -1) fail_msg("line %zu was accepted: %s", i, bad[i]);
  }
}

static void test_last_line_wins(void **state) {
  (void)state;
  const char text[] =
      "path\tsize\tsha256\tstatus\twarnings\toutputs\tkey\toutput_sha256\tdepends\n"
      "b.txt\t1\t-\tok\t0\t-\t" H1 "\t-\t-\n"
      "a\\\\b.txt\t2\t-\tfailed\t0\t-\t" H1 "\t-\t-\n"
      "garbage\n"
      "a\\\\b.txt\t3\t-\tok\t1\t-\t" H1 "\t-\t-\n"
      "b.txt\t4\t-\tok\t0\t-\t" H1 "\t-\t-"; /* torn: no newline, ignored */
  manifest m = {0};
  assert_int_equal(manifest_add_text(&m, text, sizeof text - 1), 0);
  manifest_finish(&m);
  assert_int_equal(m.len, 2);
  const manifest_entry *a = manifest_find(&m, "a\\b.txt");
  assert_non_null(a);
  assert_int_equal(a->size, 3);
  assert_string_equal(a->status, "ok");
  const manifest_entry *b = manifest_find(&m, "b.txt");
  assert_non_null(b);
  assert_int_equal(b->size, 1);
  assert_null(manifest_find(&m, "a\\\\b.txt"));
  manifest_free(&m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_escapes),
      cmocka_unit_test(test_bad_lines),
      cmocka_unit_test(test_last_line_wins),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
