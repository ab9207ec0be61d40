/* test_tree.c - the tree: arena, nodes, attributes, persons, the iterator,
 * and the losslessness contract. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <scriptorium/scriptorium.h>

static const scr_pos P = {1, 1, 0};

static void assert_str(scr_str s, const char *expected) {
  assert_non_null(s.ptr);
  assert_int_equal(s.len, strlen(expected));
  assert_memory_equal(s.ptr, expected, s.len);
}

static void test_new_document_has_root(void **state) {
  (void)state;
  scr_doc *doc = scr_doc_new();
  assert_non_null(doc);
  scr_node *root = scr_doc_root(doc);
  assert_int_equal(scr_node_get_type(root), SCR_NODE_DOCUMENT);
  assert_null(scr_node_first_child(root));
  assert_null(scr_doc_meta(doc, SCR_META_TITLE).ptr);
  scr_doc_free(doc);
  scr_doc_free(NULL);
}

static void test_children_links(void **state) {
  (void)state;
  scr_doc *doc = scr_doc_new();
  scr_node *root = scr_doc_root(doc);
  scr_node *a = scr_node_new(doc, SCR_NODE_PARAGRAPH, P);
  scr_node *b = scr_node_new(doc, SCR_NODE_PARAGRAPH, P);
  scr_node *c = scr_node_new(doc, SCR_NODE_HEADING, P);
  scr_node_append(root, a);
  scr_node_append(root, b);
  scr_node_insert_before(b, c);
  assert_ptr_equal(scr_node_first_child(root), a);
  assert_ptr_equal(scr_node_next(a), c);
  assert_ptr_equal(scr_node_next(c), b);
  assert_ptr_equal(scr_node_prev(b), c);
  assert_ptr_equal(scr_node_last_child(root), b);
  assert_ptr_equal(scr_node_parent(c), root);
  scr_node_unlink(c);
  assert_ptr_equal(scr_node_next(a), b);
  assert_null(scr_node_parent(c));
  scr_node_unlink(a);
  assert_ptr_equal(scr_node_first_child(root), b);
  scr_node_insert_before(b, a);
  assert_ptr_equal(scr_node_first_child(root), a);
  /* Invalid types are refused. */
  assert_null(scr_node_new(doc, SCR_NODE_NONE, P));
  assert_null(scr_node_new(doc, SCR_NODE_TYPE_COUNT, P));
  scr_doc_free(doc);
}

static void test_attributes(void **state) {
  (void)state;
  scr_doc *doc = scr_doc_new();
  scr_node *q = scr_node_new(doc, SCR_NODE_QUOTE, P);
  char who[] = "putin";
  assert_int_equal(scr_node_set_attr(doc, q, SCR_ATTR_WHO, who, 5), 0);
  who[0] = 'X'; /* set_attr copied it */
  assert_str(scr_node_attr(q, SCR_ATTR_WHO), "putin");
  assert_int_equal(scr_node_set_attr(doc, q, SCR_ATTR_CERT, "high", 4), 0);
  assert_int_equal(scr_node_set_attr(doc, q, SCR_ATTR_WHO, "lukashenko", 10), 0);
  assert_str(scr_node_attr(q, SCR_ATTR_WHO), "lukashenko");
  assert_null(scr_node_attr(q, SCR_ATTR_NEXT).ptr);
  assert_int_equal(scr_node_set_attr(doc, q, SCR_ATTR_COUNT_, "x", 1), -1);
  for (int k = 0; k < SCR_ATTR_COUNT_; k++) {
    const char *name = scr_attr_name((scr_attr)k);
    assert_non_null(name);
    assert_int_equal(scr_attr_from_name(name, strlen(name)), k);
  }
  assert_int_equal(scr_attr_from_name("nope", 4), SCR_ATTR_COUNT_);
  for (int t = 1; t < SCR_NODE_TYPE_COUNT; t++) {
    const char *name = scr_node_type_name((scr_node_type)t);
    assert_non_null(name);
    assert_int_equal(scr_node_type_from_name(name, strlen(name)), t);
  }
  assert_true(scr_node_type_is_block(SCR_NODE_TURN));
  assert_false(scr_node_type_is_block(SCR_NODE_QUOTE));
  scr_doc_free(doc);
}

static void test_persons(void **state) {
  (void)state;
  scr_doc *doc = scr_doc_new();
  scr_person *p = scr_doc_person(doc, "lukashenko", 10);
  assert_non_null(p);
  assert_ptr_equal(scr_doc_person(doc, "lukashenko", 10), p);
  assert_ptr_equal(scr_doc_find_person(doc, "lukashenko", 10), p);
  assert_null(scr_doc_find_person(doc, "putin", 5));
  scr_person_add_name(doc, p, "Aleksandr Lukashenko", 20);
  scr_person_add_name(doc, p, "Alexander Lukashenko", 20);
  scr_person_add_name(doc, p, "Aleksandr Lukashenko", 20);
  assert_int_equal(scr_person_name_count(p), 2);
  assert_str(scr_person_name(p, 1), "Alexander Lukashenko");
  assert_null(scr_person_name(p, 2).ptr);
  scr_person_add_role(doc, p, "President of Belarus", 20);
  assert_int_equal(scr_person_role_count(p), 1);
  scr_person_set_nationality(doc, p, "Belarusian", 10);
  assert_str(scr_person_nationality(p), "Belarusian");
  scr_doc_person(doc, "putin", 5);
  assert_int_equal(scr_doc_person_count(doc), 2);
  assert_str(scr_person_id(scr_doc_person_at(doc, 1)), "putin");
  assert_null(scr_doc_person_at(doc, 2));
  scr_doc_free(doc);
}

/* ABI 1.7: taking part or mentioned, the role in the event, identifiers. */
static void test_person_participation_and_idnos(void **state) {
  (void)state;
  scr_doc *doc = scr_doc_new();
  scr_person *p = scr_doc_person(doc, "medvedev", 8);
  assert_int_equal(scr_person_participation(p), SCR_PARTICIPATION_UNKNOWN);
  assert_int_equal(scr_person_set_participation(p, SCR_PARTICIPATION_MENTIONED), 0);
  assert_int_equal(scr_person_participation(p), SCR_PARTICIPATION_MENTIONED);
  assert_int_equal(scr_person_set_participation(p, (scr_participation)7), -1);
  assert_int_equal(scr_person_participation(p), SCR_PARTICIPATION_MENTIONED);
  assert_null(scr_person_event_role(p).ptr);
  assert_int_equal(scr_person_set_event_role(doc, p, "guest", 5), 0);
  assert_str(scr_person_event_role(p), "guest");
  assert_int_equal(scr_person_set_event_role(doc, p, "", 0), 0);
  assert_null(scr_person_event_role(p).ptr);
  assert_int_equal(scr_person_idno_count(p), 0);
  assert_null(scr_person_idno_type(p, 0).ptr);
  assert_int_equal(scr_person_add_idno(doc, p, "wikidata", 8, "Q23530", 6), 0);
  assert_int_equal(scr_person_add_idno(doc, p, "viaf", 4, "5733159", 7), 0);
  assert_int_equal(scr_person_add_idno(doc, p, "wikidata", 8, "Q23530", 6), 0); /* again */
  assert_int_equal(scr_person_add_idno(doc, p, "gnd", 3, "", 0), 0);            /* empty */
  assert_int_equal(scr_person_idno_count(p), 2);
  assert_str(scr_person_idno_type(p, 1), "viaf");
  assert_str(scr_person_idno_value(p, 1), "5733159");
  assert_str(scr_person_idno_value(p, 0), "Q23530");
  assert_null(scr_person_idno_value(p, 2).ptr);
  /* offices: undated, then one dated (added by the dating), then re-dated */
  assert_int_equal(scr_person_add_role(doc, p, "President", 9), 0);
  assert_null(scr_person_role_when(p, 0).ptr);
  assert_int_equal(scr_person_set_role_when(doc, p, "Prime Minister", 14, "2019-05-10", 10), 0);
  assert_int_equal(scr_person_role_count(p), 2);
  assert_str(scr_person_role(p, 1), "Prime Minister");
  assert_str(scr_person_role_when(p, 1), "2019-05-10");
  assert_null(scr_person_role_when(p, 0).ptr);
  assert_int_equal(scr_person_set_role_when(doc, p, "President", 9, "2008", 4), 0);
  assert_str(scr_person_role_when(p, 0), "2008");
  assert_int_equal(scr_person_set_role_when(doc, p, "President", 9, "", 0), 0);
  assert_null(scr_person_role_when(p, 0).ptr);
  assert_null(scr_person_role_when(p, 2).ptr);
  scr_doc_free(doc);
}

static void test_meta_and_notes(void **state) {
  (void)state;
  scr_doc *doc = scr_doc_new();
  assert_int_equal(scr_doc_set_meta(doc, SCR_META_DATE, "--09-15", 7), 0);
  assert_str(scr_doc_meta(doc, SCR_META_DATE), "--09-15");
  assert_int_equal(scr_doc_set_meta(doc, SCR_META_COUNT_, "x", 1), -1);
  /* an inferred value (ABI 1.7): marked with how sure; setting the value
   * again (the user's) clears the mark; an empty mark clears it too */
  assert_null(scr_doc_meta_cert(doc, SCR_META_DATE).ptr);
  assert_int_equal(scr_doc_set_meta(doc, SCR_META_CITATION, "http://x/1", 10), 0);
  assert_int_equal(scr_doc_set_meta_cert(doc, SCR_META_CITATION, "medium", 6), 0);
  assert_str(scr_doc_meta_cert(doc, SCR_META_CITATION), "medium");
  assert_null(scr_doc_meta_cert(doc, SCR_META_DATE).ptr);
  assert_int_equal(scr_doc_set_meta(doc, SCR_META_CITATION, "http://x/2", 10), 0);
  assert_null(scr_doc_meta_cert(doc, SCR_META_CITATION).ptr);
  assert_int_equal(scr_doc_set_meta_cert(doc, SCR_META_CITATION, "low", 3), 0);
  assert_int_equal(scr_doc_set_meta_cert(doc, SCR_META_CITATION, "", 0), 0);
  assert_null(scr_doc_meta_cert(doc, SCR_META_CITATION).ptr);
  assert_int_equal(scr_doc_set_meta_cert(doc, SCR_META_COUNT_, "low", 3), -1);
  assert_null(scr_doc_meta_cert(doc, SCR_META_COUNT_).ptr);
  assert_string_equal(scr_meta_name(SCR_META_PUBLISHER), "publisher");
  assert_null(scr_meta_name(SCR_META_COUNT_));
  /* the provenance keys (ABI 1.5), by the names hosts set them by (a web
   * archive's member passes "retrieved"), and every key named, once */
  static const char *const provenance[] = {"url", "licence", "retrieved", "citation", "sha256"};
  for (size_t k = 0; k < 5; k++)
    assert_string_equal(scr_meta_name((scr_meta)(SCR_META_URL + k)), provenance[k]);
  assert_int_equal(scr_meta_count(), SCR_META_SHA256 + 1);
  for (size_t a = 0; a < scr_meta_count(); a++) {
    assert_non_null(scr_meta_name((scr_meta)a));
    for (size_t b = 0; b < a; b++)
      assert_string_not_equal(scr_meta_name((scr_meta)a), scr_meta_name((scr_meta)b));
  }
  assert_int_equal(scr_doc_set_meta(doc, SCR_META_LICENCE, "CC BY 4.0", 9), 0);
  assert_str(scr_doc_meta(doc, SCR_META_LICENCE), "CC BY 4.0");
  assert_null(scr_doc_meta(doc, SCR_META_URL).ptr);
  for (int i = 0; i < 100; i++) scr_doc_add_note(doc, "n", 1);
  assert_int_equal(scr_doc_note_count(doc), 100);
  assert_str(scr_doc_note(doc, 99), "n");
  scr_doc_free(doc);
}

/* The iterator gives ENTER and EXIT for every node, in document order, and
 * walks a 200,000-deep chain without recursion. */
static void test_keywords(void **state) {
  (void)state;
  scr_doc *doc = scr_doc_new();
  assert_int_equal(scr_doc_keyword_count(doc), 0);
  assert_null(scr_doc_keyword_term(doc, 0).ptr);
  const char *u = "http://en.kremlin.ru/catalog/keywords/82/events";
  assert_int_equal(scr_doc_add_keyword(doc, "Topics", 6, "Foreign policy", 14, u, strlen(u)), 0);
  /* the same three again: ignored; another scheme or none: a keyword */
  assert_int_equal(scr_doc_add_keyword(doc, "Topics", 6, "Foreign policy", 14, u, strlen(u)), 0);
  assert_int_equal(scr_doc_add_keyword(doc, NULL, 0, "Foreign policy", 14, NULL, 0), 0);
  /* an empty term is no keyword */
  assert_int_equal(scr_doc_add_keyword(doc, "Topics", 6, "", 0, NULL, 0), 0);
  assert_int_equal(scr_doc_keyword_count(doc), 2);
  assert_str(scr_doc_keyword_scheme(doc, 0), "Topics");
  assert_str(scr_doc_keyword_term(doc, 0), "Foreign policy");
  assert_str(scr_doc_keyword_ref(doc, 0), u);
  assert_str(scr_doc_keyword_scheme(doc, 1), "");
  assert_str(scr_doc_keyword_ref(doc, 1), "");
  assert_null(scr_doc_keyword_scheme(doc, 2).ptr);
  for (int i = 0; i < 100; i++) {
    char t[16];
    int n = snprintf(t, sizeof t, "t%d", i);
    assert_int_equal(scr_doc_add_keyword(doc, "Persons", 7, t, (size_t)n, NULL, 0), 0);
  }
  assert_int_equal(scr_doc_keyword_count(doc), 102);
  assert_str(scr_doc_keyword_term(doc, 101), "t99");
  scr_doc_free(doc);
}

/* Thousands of persons (a big document): each found by its id, in the
 * order added, none twice, an id not added not found. */
static void test_many_persons(void **state) {
  (void)state;
  scr_doc *doc = scr_doc_new();
  assert_non_null(doc);
  char id[32];
  for (int k = 0; k < 3000; k++) {
    int n = snprintf(id, sizeof id, "person-%d", k);
    scr_person *p = scr_doc_person(doc, id, (size_t)n);
    assert_non_null(p);
    assert_ptr_equal(scr_doc_person(doc, id, (size_t)n), p); /* found, not made again */
  }
  assert_int_equal(scr_doc_person_count(doc), 3000);
  for (int k = 0; k < 3000; k++) {
    int n = snprintf(id, sizeof id, "person-%d", k);
    scr_person *p = scr_doc_find_person(doc, id, (size_t)n);
    assert_ptr_equal(p, scr_doc_person_at(doc, (size_t)k));
    assert_int_equal(scr_person_id(p).len, (size_t)n);
  }
  assert_null(scr_doc_find_person(doc, "person-3000", 11));
  assert_null(scr_doc_find_person(doc, "person-1", 7)); /* a prefix of an id */
  scr_doc_free(doc);
}

static void test_iterator_order(void **state) {
  (void)state;
  scr_doc *doc = scr_doc_new();
  scr_node *root = scr_doc_root(doc);
  scr_node *p = scr_node_new(doc, SCR_NODE_PARAGRAPH, P);
  scr_node *q = scr_node_new(doc, SCR_NODE_QUOTE, P);
  scr_node_append(root, p);
  scr_node_append(p, scr_node_new_text(doc, "a", 1, P));
  scr_node_append(p, q);
  scr_node_append(q, scr_node_new_text(doc, "b", 1, P));
  char trace[64] = {0};
  size_t n = 0;
  scr_iter it;
  scr_event ev;
  scr_iter_init(&it, root);
  assert_null(scr_iter_node(&it)); /* before the first event */
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    char c = scr_node_type_name(scr_node_get_type(scr_iter_node(&it)))[0];
    trace[n++] = ev == SCR_EVENT_ENTER ? c : (char)(c - 32);
  }
  assert_string_equal(trace, "dptTqtTQPD");
  assert_null(scr_iter_node(&it)); /* after DONE */
  /* Skipping children: ENTER p, skip, EXIT p, then the root's EXIT. */
  n = 0;
  memset(trace, 0, sizeof trace);
  scr_iter_init(&it, root);
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    char c = scr_node_type_name(scr_node_get_type(scr_iter_node(&it)))[0];
    trace[n++] = ev == SCR_EVENT_ENTER ? c : (char)(c - 32);
    if (ev == SCR_EVENT_ENTER && scr_iter_node(&it) == p) scr_iter_skip_children(&it);
  }
  assert_string_equal(trace, "dpPD");
  /* A subtree walk stops at its root. */
  n = 0;
  scr_iter_init(&it, q);
  while (scr_iter_next(&it) != SCR_EVENT_DONE) n++;
  assert_int_equal(n, 4);
  scr_doc_free(doc);
}

static void test_iterator_deep(void **state) {
  (void)state;
  scr_doc *doc = scr_doc_new();
  scr_node *cur = scr_doc_root(doc);
  const size_t depth = 200000;
  for (size_t i = 0; i < depth; i++) {
    scr_node *q = scr_node_new(doc, SCR_NODE_QUOTE, P);
    assert_non_null(q);
    scr_node_append(cur, q);
    cur = q;
  }
  scr_node_append(cur, scr_node_new_text(doc, "x", 1, P));
  size_t events = 0;
  scr_iter it;
  scr_iter_init(&it, scr_doc_root(doc));
  while (scr_iter_next(&it) != SCR_EVENT_DONE) events++;
  assert_int_equal(events, 2 * (depth + 2));
  scr_buf out = {0};
  assert_int_equal(scr_node_flatten(scr_doc_root(doc), 1, &out), 0);
  assert_string_equal(out.data, "x");
  scr_buf_free(&out);
  scr_doc_free(doc);
}

/* before + text/children ([ ] around insertions) + after, in order. */
static void test_flatten_contract(void **state) {
  (void)state;
  scr_doc *doc = scr_doc_new();
  scr_node *root = scr_doc_root(doc);
  scr_node_set_attr(doc, root, SCR_ATTR_BEFORE, "\xEF\xBB\xBF", 3);
  scr_node *p = scr_node_new(doc, SCR_NODE_PARAGRAPH, P);
  scr_node_set_attr(doc, p, SCR_ATTR_AFTER, "\r\n\r\n", 4);
  scr_node_append(root, p);
  scr_node_append(p, scr_node_new_text(doc, "Vladimir Vladimirovich ", 23, P));
  scr_node *ins = scr_node_new(doc, SCR_NODE_INSERTION, P);
  scr_node_append(ins, scr_node_new_text(doc, "Putin", 5, P));
  scr_node_append(p, ins);
  scr_node *corr = scr_node_new(doc, SCR_NODE_CORRECTION, P);
  scr_node_set_attr(doc, corr, SCR_ATTR_CORRECTED, "Lukashenko", 10);
  scr_node_append(corr, scr_node_new_text(doc, " Lukashe4nko", 12, P));
  scr_node_append(p, corr);
  scr_buf out = {0};
  assert_int_equal(scr_node_flatten(root, 1, &out), 0);
  assert_string_equal(out.data,
                      "\xEF\xBB\xBFVladimir Vladimirovich [Putin] Lukashe4nko\r\n\r\n");
  scr_buf_clear(&out);
  assert_int_equal(scr_node_flatten(root, 0, &out), 0);
  assert_string_equal(out.data, "Vladimir Vladimirovich [Putin] Lukashe4nko");
  scr_buf_free(&out);
  scr_doc_free(doc);
}

/* Many nodes and a large string: the arena grows and frees in one call
 * (ASan and valgrind check the freeing). */
static void test_arena_growth(void **state) {
  (void)state;
  scr_doc *doc = scr_doc_new();
  for (int i = 0; i < 100000; i++)
    assert_non_null(scr_node_new(doc, SCR_NODE_TEXT, P));
  char big[300000];
  memset(big, 'a', sizeof big);
  scr_str s = scr_doc_strdup(doc, big, sizeof big);
  assert_int_equal(s.len, sizeof big);
  assert_int_equal(s.ptr[sizeof big], '\0');
  void *p = scr_doc_alloc(doc, 24);
  assert_int_equal((uintptr_t)p % 16, 0);
  assert_true(scr_doc_memory(doc) >= sizeof big);
  scr_doc_free(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_new_document_has_root),
      cmocka_unit_test(test_children_links),
      cmocka_unit_test(test_attributes),
      cmocka_unit_test(test_persons),
      cmocka_unit_test(test_person_participation_and_idnos),
      cmocka_unit_test(test_meta_and_notes),
      cmocka_unit_test(test_keywords),
      cmocka_unit_test(test_many_persons),
      cmocka_unit_test(test_iterator_order),
      cmocka_unit_test(test_iterator_deep),
      cmocka_unit_test(test_flatten_contract),
      cmocka_unit_test(test_arena_growth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
