/* tree_build.h - small trees built in code, for what a fixture file cannot
 * hold: 100,000 nested quotes, characters XML cannot carry, faults the
 * readers refuse, paragraphs generated for wrapping. Documents with every
 * node type are fixtures (fixture.h), not built here. Strings are copied
 * into the document's arena; positions are line 1, column 1. */
#ifndef SCR_TEST_TREE_BUILD_H
#define SCR_TEST_TREE_BUILD_H

#include <string.h>

#include <scriptorium/tree.h>

/* A new node of `type`, appended to `parent` (if any). */
static inline scr_node *tb_node(scr_doc *d, scr_node *parent, scr_node_type type) {
  scr_node *n = scr_node_new(d, type, (scr_pos){1, 1, 0});
  if (parent) scr_node_append(parent, n);
  return n;
}

/* A TEXT node with a copy of `s`, appended to `parent`. */
static inline scr_node *tb_text(scr_doc *d, scr_node *parent, const char *s) {
  scr_str copy = scr_doc_strdup(d, s, strlen(s));
  scr_node *n = scr_node_new_text(d, copy.ptr, copy.len, (scr_pos){1, 1, 0});
  scr_node_append(parent, n);
  return n;
}

static inline void tb_set(scr_doc *d, scr_node *n, scr_attr key, const char *v) {
  scr_node_set_attr(d, n, key, v, strlen(v));
}

static inline void tb_meta(scr_doc *d, scr_meta key, const char *v) {
  scr_doc_set_meta(d, key, v, strlen(v));
}

#endif
