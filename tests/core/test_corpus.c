/* test_corpus.c - the core's corpus files (scr_corpus_*): HEAD + BODY +
 * TAIL through both halves of the ABI 1.2 protocol (prepare and merge, and
 * corpus_add for a writer built before it), a document the writer refuses,
 * writers that fail with and without saying why, and abort: nothing left
 * behind, every prepared part freed. The writer is a table in this file. */
#define _GNU_SOURCE
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scriptorium/scriptorium.h"

/* What the test writer is told to do, and what it saw. */
static struct {
  int refuse_id_b;     /* corpus_add/merge report an error for "b" and return 0 */
  int fail_silently;   /* corpus_add/merge return -1 without a report */
  int close_reports;   /* corpus_close reports an error and returns 0 */
  int prepare_reports; /* corpus_prepare reports an error and returns a part */
  int parts_alive;     /* prepared parts not yet freed */
  int states_alive;    /* corpus states not yet closed */
  char last[256];      /* the last message reported */
} T;

typedef struct state {
  int docs;
} state;

static void *c_open(const scr_options *opts, scr_diag *diag) {
  (void)opts;
  (void)diag;
  T.states_alive++;
  return calloc(1, sizeof(state));
}

static int part_of(const char *id, const char *relpath, scr_buf *out) {
  return scr_buf_printf(out, "<%s %s>", id, relpath ? relpath : "-");
}

static int take(state *s, const char *id, scr_buf *body, scr_diag *diag) {
  if (T.fail_silently) return -1;
  if (T.refuse_id_b && strncmp(id, "<b ", 3) == 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "dup", "id 'b' is taken");
    return 0;
  }
  s->docs++;
  return scr_buf_puts(body, id) ? -1 : 0;
}

static int c_add(void *st, const scr_doc *doc, const char *path, scr_buf *body, scr_diag *diag) {
  scr_buf part = {0};
  part_of(scr_doc_meta(doc, SCR_META_ID).ptr, path, &part);
  int rc = take(st, part.data, body, diag);
  scr_buf_free(&part);
  return rc;
}

static int c_close(void *st, scr_buf *head, scr_buf *tail, scr_diag *diag) {
  state *s = st;
  int rc = 0;
  T.states_alive--;
  if (head) {
    rc = scr_buf_printf(head, "HEAD(%d)[", s->docs) || scr_buf_puts(tail, "]TAIL");
    if (T.close_reports)
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "close", "cannot close");
  }
  free(s);
  return rc;
}

static void *c_prepare(const scr_doc *doc, const char *path, const scr_options *opts,
                       scr_diag *diag) {
  (void)opts;
  scr_buf *part = calloc(1, sizeof *part);
  part_of(scr_doc_meta(doc, SCR_META_ID).ptr, path, part);
  T.parts_alive++;
  if (T.prepare_reports)
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "prep", "cannot prepare");
  return part;
}

static int c_merge(void *st, void *prepared, scr_buf *body, scr_diag *diag) {
  scr_buf *part = prepared;
  int rc = st ? take(st, part->data, body, diag) : 0;
  scr_buf_free(part);
  free(part);
  T.parts_alive--;
  return rc;
}

static const char *const exts[] = {"lst", NULL};
static const scr_writer prepares = {
    .struct_size = sizeof(scr_writer), .format = "lst", .extensions = exts,
    .corpus_open = c_open, .corpus_add = c_add, .corpus_close = c_close,
    .corpus_prepare = c_prepare, .corpus_merge = c_merge,
};
/* as built for ABI 1.1: the struct ends before corpus_prepare (the
 * pointers beyond it are set here only to show they are not read) */
static const scr_writer adds = {
    .struct_size = offsetof(scr_writer, corpus_prepare), .format = "lst", .extensions = exts,
    .corpus_open = c_open, .corpus_add = c_add, .corpus_close = c_close,
    .corpus_prepare = c_prepare, .corpus_merge = c_merge,
};

static char dir[] = "/tmp/test-corpus-XXXXXX";
static char path[64];

static void on_report(const scr_diagnostic *d, void *user) {
  (void)user;
  snprintf(T.last, sizeof T.last, "%s", d->message);
}

static int setup(void **st) {
  (void)st;
  memset(&T, 0, sizeof T);
  if (!mkdtemp(strcpy(dir, "/tmp/test-corpus-XXXXXX"))) return -1;
  snprintf(path, sizeof path, "%s/corpus.lst", dir);
  return 0;
}

/* The directory holds nothing but, if `expect` is set, the corpus file. */
static void dir_holds(int expect) {
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.') {
      n++;
      assert_string_equal(e->d_name, "corpus.lst");
    }
  closedir(d);
  assert_int_equal(n, expect);
}

static int teardown(void **st) {
  (void)st;
  unlink(path);
  rmdir(dir);
  assert_int_equal(T.parts_alive, 0);
  assert_int_equal(T.states_alive, 0);
  return 0;
}

static char *slurp(void) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char buf[4096];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static scr_doc *doc_named(const char *id) {
  scr_doc *d = scr_doc_new();
  scr_doc_set_meta(d, SCR_META_ID, id, strlen(id));
  return d;
}

/* Converts documents a, b, c by the protocol, as a host does: prepared on
 * "workers" (freed at once), or kept for corpus_add. Returns the commit's
 * result; *added gets each add's. */
static int run_corpus(const scr_writer *w, scr_diag *diag, int added[3]) {
  static const char *const ids[] = {"a", "b", "c"};
  scr_corpus *c = scr_corpus_open(w, path, 0, NULL, diag);
  assert_non_null(c);
  assert_string_equal(scr_corpus_path(c), path);
  void *parts[3] = {0};
  scr_doc *docs[3] = {0};
  char out[128];
  for (int i = 0; i < 3; i++) {
    docs[i] = doc_named(ids[i]);
    snprintf(out, sizeof out, "%s/%s.txt", dir, ids[i]);
    if (scr_writer_can_prepare(w)) {
      parts[i] = scr_corpus_prepare(w, docs[i], scr_corpus_relpath(path, out), NULL, diag);
      scr_doc_free(docs[i]);
      docs[i] = NULL;
    }
  }
  for (int i = 0; i < 3; i++) {
    snprintf(out, sizeof out, "%s/%s.txt", dir, ids[i]);
    added[i] = scr_corpus_add(c, parts[i], docs[i], scr_corpus_relpath(path, out), diag);
    scr_doc_free(docs[i]);
  }
  return scr_corpus_commit(c, diag);
}

static void test_both_ways_same_file(void **st) {
  (void)st;
  int added[3];
  assert_true(scr_writer_can_prepare(&prepares));
  assert_false(scr_writer_can_prepare(&adds));
  assert_true(scr_writer_has_corpus(&adds));
  for (int way = 0; way < 2; way++) {
    scr_diag *diag = scr_diag_new(path, NULL, NULL);
    assert_int_equal(run_corpus(way ? &adds : &prepares, diag, added), 0);
    assert_int_equal(scr_diag_count(diag, SCR_ERROR), 0);
    assert_int_equal(added[0] | added[1] | added[2], 0);
    assert_string_equal(slurp(), "HEAD(3)[<a a.txt><b b.txt><c c.txt>]TAIL");
    dir_holds(1);
    scr_diag_free(diag);
  }
}

static void test_refused_document_left_out(void **st) {
  (void)st;
  T.refuse_id_b = 1;
  int added[3];
  scr_diag *diag = scr_diag_new(path, on_report, NULL);
  assert_int_equal(run_corpus(&adds, diag, added), 0);
  assert_int_equal(added[0], 0);
  assert_int_equal(added[1], 1);
  assert_int_equal(added[2], 0);
  assert_string_equal(slurp(), "HEAD(2)[<a a.txt><c c.txt>]TAIL");
  scr_diag_free(diag);
}

static void test_silent_failure_reported_nothing_left(void **st) {
  (void)st;
  T.fail_silently = 1;
  int added[3];
  scr_diag *diag = scr_diag_new(path, on_report, NULL);
  assert_int_equal(run_corpus(&prepares, diag, added), -1);
  assert_int_equal(added[0], -1);
  assert_int_equal(added[2], -1);
  assert_int_equal(scr_diag_count(diag, SCR_ERROR), 1);
  assert_non_null(strstr(T.last, "without saying why"));
  dir_holds(0);
  scr_diag_free(diag);
}

static void test_close_that_reports_fails(void **st) {
  (void)st;
  T.close_reports = 1;
  int added[3];
  scr_diag *diag = scr_diag_new(path, on_report, NULL);
  assert_int_equal(run_corpus(&adds, diag, added), -1);
  assert_string_equal(T.last, "cannot close");
  dir_holds(0);
  scr_diag_free(diag);
}

static void test_prepare_that_reports_fails(void **st) {
  (void)st;
  T.prepare_reports = 1;
  scr_diag *diag = scr_diag_new(path, NULL, NULL);
  scr_doc *d = doc_named("a");
  assert_null(scr_corpus_prepare(&prepares, d, NULL, NULL, diag));
  assert_int_equal(T.parts_alive, 0); /* the part it returned was freed */
  scr_doc_free(d);
  scr_diag_free(diag);
}

static void test_abort_writes_nothing(void **st) {
  (void)st;
  scr_diag *diag = scr_diag_new(path, NULL, NULL);
  scr_corpus *c = scr_corpus_open(&prepares, path, 0, NULL, diag);
  scr_doc *d = doc_named("a");
  void *part = scr_corpus_prepare(&prepares, d, NULL, NULL, diag);
  assert_int_equal(scr_corpus_add(c, part, NULL, NULL, diag), 0);
  scr_corpus_discard(&prepares, scr_corpus_prepare(&prepares, d, NULL, NULL, diag));
  scr_corpus_abort(c);
  scr_corpus_abort(NULL);
  dir_holds(0);
  scr_doc_free(d);
  scr_diag_free(diag);
}

static void test_relpath(void **st) {
  (void)st;
  assert_string_equal(scr_corpus_relpath("out/tei/corpus.xml", "out/tei/a/b.xml"), "a/b.xml");
  assert_string_equal(scr_corpus_relpath("out/tei/corpus.xml", "else/b.xml"), "else/b.xml");
  assert_string_equal(scr_corpus_relpath("corpus.xml", "b.xml"), "b.xml");
  scr_diag *diag = scr_diag_new(path, NULL, NULL);
  static const scr_writer none = {.struct_size = sizeof(scr_writer), .format = "none"};
  assert_false(scr_writer_has_corpus(&none));
  assert_null(scr_corpus_open(&none, path, 0, NULL, diag));
  assert_int_equal(scr_diag_count(diag, SCR_ERROR), 1);
  scr_diag_free(diag);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_both_ways_same_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refused_document_left_out, setup, teardown),
      cmocka_unit_test_setup_teardown(test_silent_failure_reported_nothing_left, setup, teardown),
      cmocka_unit_test_setup_teardown(test_close_that_reports_fails, setup, teardown),
      cmocka_unit_test_setup_teardown(test_prepare_that_reports_fails, setup, teardown),
      cmocka_unit_test_setup_teardown(test_abort_writes_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_relpath, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
