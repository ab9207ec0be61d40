/* transform.c - running a transform, and checking its contract: it may add
 * structure to a document, never change its text. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "scriptorium/scriptorium.h"

/* ---- whether to check -------------------------------------------------------- */

static int checking;
static pthread_once_t checking_once = PTHREAD_ONCE_INIT;

static void decide_checking(void) {
#ifdef NDEBUG
  checking = 0;
#else
  checking = 1; /* debug and sanitizer builds */
#endif
  const char *e = getenv("SCRIPTORIUM_CHECK_TRANSFORMS");
  if (e && *e) checking = strcmp(e, "0") != 0;
}

int scr_transform_checking(void) {
  pthread_once(&checking_once, decide_checking);
  return checking;
}

/* ---- the text of every block ------------------------------------------------- */

/* One entry per block, in document order (the document itself, whose text
 * is all of it, last): its type, depth, where it starts, and the SHA-256 of
 * its flattened text with layout. */
typedef struct block_print {
  scr_node_type type;
  unsigned depth; /* blocks above it */
  scr_pos pos;
  char sha[65];
} block_print;

typedef struct text_print {
  block_print *v;
  size_t len, cap;
} text_print;

static int add_block(text_print *tp, const scr_node *n, unsigned depth, scr_buf *tmp) {
  if (tp->len == tp->cap) {
    size_t cap = tp->cap ? 2 * tp->cap : 64;
    block_print *v = realloc(tp->v, cap * sizeof *v);
    if (!v) return -1;
    tp->v = v, tp->cap = cap;
  }
  scr_buf_clear(tmp);
  if (scr_node_flatten(n, 1, tmp)) return -1;
  block_print *b = &tp->v[tp->len++];
  b->type = scr_node_get_type(n);
  b->depth = depth;
  b->pos = scr_node_pos(n);
  scr_sha256_hex(tmp->data ? tmp->data : "", tmp->len, b->sha);
  return 0;
}

static int take_print(scr_doc *doc, text_print *tp) {
  scr_buf tmp = {0};
  scr_node *root = scr_doc_root(doc);
  int rc = 0;
  unsigned depth = 0;
  scr_iter it;
  scr_iter_init(&it, root);
  for (scr_event ev; rc == 0 && (ev = scr_iter_next(&it)) != SCR_EVENT_DONE;) {
    if (it.cur == root || !scr_node_type_is_block(scr_node_get_type(it.cur))) continue;
    if (ev == SCR_EVENT_ENTER) rc = add_block(tp, it.cur, depth++, &tmp);
    else depth--;
  }
  if (rc == 0) rc = add_block(tp, root, 0, &tmp);
  scr_buf_free(&tmp);
  return rc;
}

/* Reports how `after` breaks the contract against `before`; 0 if it does not. */
static int compare(const scr_transform *t, const text_print *before, const text_print *after,
                   scr_diag *diag) {
  if (before->len != after->len) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "transform-contract",
                    "transform '%s' broke its contract: the document had %zu blocks and "
                    "has %zu (a transform may only add structure inside blocks)",
                    t->name, before->len - 1, after->len - 1);
    return -1;
  }
  for (size_t i = 0; i < before->len; i++) {
    const block_print *a = &before->v[i], *b = &after->v[i];
    if (a->type != b->type) {
      scr_diag_report(diag, SCR_ERROR, b->pos, "transform-contract",
                      "transform '%s' broke its contract: it made a %s block out of the %s "
                      "block here (a transform may only add structure inside blocks)",
                      t->name, scr_node_type_name(b->type), scr_node_type_name(a->type));
      return -1;
    }
    if (strcmp(a->sha, b->sha) != 0) {
      /* the innermost block that changed: a block's own follow it */
      while (i + 1 < before->len && before->v[i + 1].depth > before->v[i].depth &&
             strcmp(before->v[i + 1].sha, after->v[i + 1].sha) != 0)
        a = &before->v[++i];
      scr_diag_report(diag, SCR_ERROR, a->pos, "transform-contract",
                      "transform '%s' broke its contract: it changed the text of the %s "
                      "block here (a transform may add structure, never text)",
                      t->name, scr_node_type_name(a->type));
      return -1;
    }
  }
  return 0;
}

/* Runs t; a failure it did not report is reported for it. */
static int run(const scr_transform *t, scr_doc *doc, const scr_options *opts, scr_diag *diag) {
  size_t errors = scr_diag_count(diag, SCR_ERROR);
  if (t->run(doc, opts, diag) == 0) return 0;
  if (scr_diag_count(diag, SCR_ERROR) == errors)
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "transform",
                    "the transform '%s' failed without saying why", t->name);
  return -1;
}

int scr_transform_apply(const scr_transform *t, scr_doc *doc, const scr_options *opts,
                        scr_diag *diag) {
  if (!scr_transform_checking()) return run(t, doc, opts, diag);
  text_print before = {0}, after = {0};
  int rc = -1;
  if (take_print(doc, &before)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
  } else if (run(t, doc, opts, diag) == 0) {
    if (take_print(doc, &after))
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    else
      rc = compare(t, &before, &after, diag);
  }
  free(before.v);
  free(after.v);
  return rc;
}
