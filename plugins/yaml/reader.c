/* reader.c - reads the YAML edition (docs/yaml.md) back into the tree.
 *
 * One loader and one set of rules for the validator and the reader: the
 * input is loaded with the validator's loader (libyaml's event parser,
 * iteratively; one document, no aliases, no merge keys, no duplicate keys,
 * collections nested at most YAML_MAX_DEPTH deep) and, for the reader,
 * without anchors either; then checked against the built-in schema and the
 * cross-references (every who names a person, every next/prev a node id,
 * ids unique). So the reader accepts exactly the files `scriptorium validate`
 * accepts (without anchors), and every problem is reported as
 * FILE:LINE:COL with the JSON pointer of the offending value. Only then is
 * the tree built, from values whose shape the schema has guaranteed, with
 * an explicit stack: no recursion over the input's depth.
 *
 * Positions: the YAML edition does not carry the positions of the original
 * source, so they cannot come back. Each node gets the position of its item
 * in the YAML file instead, so that later messages point into the file read.
 */
#include <stdlib.h>
#include <string.h>

#include "yaml_plugin.h"

typedef struct builder {
  scr_doc *doc;
  scr_diag *diag;
  int failed;
} builder;

static void oom(builder *b) {
  if (!b->failed)
    scr_diag_report(b->diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
  b->failed = 1;
}

static scr_pos pos_of(const yaml_value *v) {
  return (scr_pos){v->line, v->column, v->offset};
}

/* Strings go into the tree as they are; the writer refuses a tree with a NUL
 * byte or invalid UTF-8, so the reader refuses such a string (a YAML escape
 * such as "\0" can make one). */
static int string_ok(builder *b, const yaml_value *v) {
  int bad = 0;
  scr_utf8_check(v->str, v->len, &bad);
  if (!bad) return 1;
  if (!b->failed)
    scr_diag_report(b->diag, SCR_ERROR, pos_of(v), "encoding",
                    "a string holds a NUL byte or a character that is not "
                    "Unicode text; the tree cannot hold it");
  b->failed = 1;
  return 0;
}

static void set_attr(builder *b, scr_node *n, scr_attr a, const yaml_value *v) {
  if (!string_ok(b, v)) return;
  if (scr_node_set_attr(b->doc, n, a, v->str, v->len)) oom(b);
}

/* A text node whose bytes are copied into the document's arena. */
static scr_node *text_node(builder *b, const yaml_value *v) {
  if (!string_ok(b, v)) return NULL;
  scr_str s = scr_doc_strdup(b->doc, v->str, v->len);
  scr_node *n = s.ptr ? scr_node_new_text(b->doc, s.ptr, s.len, pos_of(v)) : NULL;
  if (!n) oom(b);
  return n;
}

/* Sets every attribute key of mapping `map` (the keys the schema allows
 * beside type, text, content and the top level's own). */
static void attributes(builder *b, scr_node *n, const yaml_value *map) {
  for (size_t i = 0; !b->failed && i + 1 < map->count; i += 2) {
    const yaml_value *k = map->items[i];
    scr_attr a = scr_attr_from_name(k->str, k->len);
    if ((size_t)a < scr_attr_count()) set_attr(b, n, a, map->items[i + 1]);
  }
}

static void metadata(builder *b, const yaml_value *map) {
  for (size_t i = 0; !b->failed && map && i + 1 < map->count; i += 2) {
    const yaml_value *k = map->items[i], *v = map->items[i + 1];
    for (int m = 0; m < (int)scr_meta_count(); m++)
      if (strcmp(k->str, scr_meta_name((scr_meta)m)) == 0) {
        if (string_ok(b, v) && scr_doc_set_meta(b->doc, (scr_meta)m, v->str, v->len))
          oom(b);
        break;
      }
  }
  /* then which of them the converter inferred (after the values, which
   * clear the mark when set) */
  const yaml_value *inf = map ? yaml_map_get(map, "inferred") : NULL;
  for (size_t i = 0; !b->failed && inf && i + 1 < inf->count; i += 2) {
    const yaml_value *k = inf->items[i], *v = inf->items[i + 1];
    for (int m = 0; m < (int)scr_meta_count(); m++)
      if (strcmp(k->str, scr_meta_name((scr_meta)m)) == 0) {
        if (string_ok(b, v) && scr_doc_set_meta_cert(b->doc, (scr_meta)m, v->str, v->len))
          oom(b);
        break;
      }
  }
}

static void persons(builder *b, const yaml_value *list) {
  for (size_t i = 0; !b->failed && list && i < list->count; i++) {
    const yaml_value *p = list->items[i];
    const yaml_value *id = yaml_map_get(p, "id");
    scr_person *person = scr_doc_person(b->doc, id->str, id->len);
    if (!person) {
      oom(b);
      return;
    }
    const yaml_value *names = yaml_map_get(p, "names");
    for (size_t k = 0; names && k < names->count && !b->failed; k++)
      if (string_ok(b, names->items[k]) &&
          scr_person_add_name(b->doc, person, names->items[k]->str, names->items[k]->len))
        oom(b);
    const yaml_value *roles = yaml_map_get(p, "roles");
    for (size_t k = 0; roles && k < roles->count && !b->failed; k++) {
      const yaml_value *r = roles->items[k];
      if (r->kind == V_MAP) { /* {name, when}: dated by the document */
        const yaml_value *nm = yaml_map_get(r, "name"), *when = yaml_map_get(r, "when");
        if (string_ok(b, nm) && string_ok(b, when) &&
            scr_person_set_role_when(b->doc, person, nm->str, nm->len, when->str, when->len))
          oom(b);
      } else if (string_ok(b, r) && scr_person_add_role(b->doc, person, r->str, r->len)) {
        oom(b);
      }
    }
    const yaml_value *nat = yaml_map_get(p, "nationality");
    if (nat && !b->failed && string_ok(b, nat) &&
        scr_person_set_nationality(b->doc, person, nat->str, nat->len))
      oom(b);
    const yaml_value *pa = yaml_map_get(p, "participation");
    if (pa && !b->failed)
      scr_person_set_participation(person, pa->len == 11 ? SCR_PARTICIPATION_PARTICIPANT
                                                         : SCR_PARTICIPATION_MENTIONED);
    const yaml_value *er = yaml_map_get(p, "event_role");
    if (er && !b->failed && string_ok(b, er) &&
        scr_person_set_event_role(b->doc, person, er->str, er->len))
      oom(b);
    const yaml_value *ids = yaml_map_get(p, "identifiers");
    for (size_t k = 0; ids && k < ids->count && !b->failed; k++) {
      const yaml_value *ty = yaml_map_get(ids->items[k], "type"),
                       *v = yaml_map_get(ids->items[k], "value");
      if (string_ok(b, ty) && string_ok(b, v) &&
          scr_person_add_idno(b->doc, person, ty->str, ty->len, v->str, v->len))
        oom(b);
    }
  }
}

static void keywords(builder *b, const yaml_value *list) {
  for (size_t i = 0; !b->failed && list && i < list->count; i++) {
    const yaml_value *k = list->items[i];
    const yaml_value *scheme = yaml_map_get(k, "scheme"), *term = yaml_map_get(k, "term"),
                     *ref = yaml_map_get(k, "ref");
    if (!term || !string_ok(b, term) || (scheme && !string_ok(b, scheme)) ||
        (ref && !string_ok(b, ref)))
      continue;
    if (scr_doc_add_keyword(b->doc, scheme ? scheme->str : NULL, scheme ? scheme->len : 0,
                            term->str, term->len, ref ? ref->str : NULL, ref ? ref->len : 0))
      oom(b);
  }
}

static void notes(builder *b, const yaml_value *list) {
  for (size_t i = 0; !b->failed && list && i < list->count; i++) {
    const yaml_value *v = list->items[i];
    if (string_ok(b, v) && scr_doc_add_note(b->doc, v->str, v->len)) oom(b);
  }
}

/* A content sequence still being read: its items go to `parent`. */
typedef struct frame {
  const yaml_value *seq;
  size_t next;
  scr_node *parent;
} frame;

/* One item of a body or content sequence: a string (a text node without
 * attributes) or a node mapping. Returns the node's content sequence, if it
 * has one, for the caller to descend into. */
static const yaml_value *item(builder *b, scr_node *parent, const yaml_value *v,
                              scr_node **out) {
  *out = NULL;
  if (v->kind == V_STR) {
    scr_node *t = text_node(b, v);
    if (t) scr_node_append(parent, t);
    return NULL;
  }
  const yaml_value *type = yaml_map_get(v, "type");
  const yaml_value *text = yaml_map_get(v, "text");
  scr_node_type t = scr_node_type_from_name(type->str, type->len);
  scr_node *n;
  if (t == SCR_NODE_TEXT) {
    n = text_node(b, text);
    if (!n) return NULL;
    scr_node_set_pos(n, pos_of(v));
  } else {
    n = scr_node_new(b->doc, t, pos_of(v));
    if (!n) {
      oom(b);
      return NULL;
    }
    if (text) {
      scr_node *child = text_node(b, text);
      if (!child) return NULL;
      scr_node_append(n, child);
    }
  }
  attributes(b, n, v);
  scr_node_append(parent, n);
  *out = n;
  return t == SCR_NODE_TEXT ? NULL : yaml_map_get(v, "content");
}

static void body(builder *b, scr_node *root, const yaml_value *seq) {
  frame *stack = NULL;
  size_t depth = 0, cap = 0;
  if (!seq || !seq->count) return;
  stack = malloc(16 * sizeof *stack);
  if (!stack) {
    oom(b);
    return;
  }
  cap = 16;
  stack[depth++] = (frame){seq, 0, root};
  while (depth && !b->failed) {
    frame *f = &stack[depth - 1];
    if (f->next == f->seq->count) {
      depth--;
      continue;
    }
    scr_node *node;
    const yaml_value *content = item(b, f->parent, f->seq->items[f->next++], &node);
    if (!content || !content->count || b->failed) continue;
    if (depth == cap) {
      frame *bigger = realloc(stack, 2 * cap * sizeof *stack);
      if (!bigger) {
        oom(b);
        break;
      }
      stack = bigger;
      cap *= 2;
    }
    stack[depth++] = (frame){content, 0, node};
  }
  free(stack);
}

int yaml_read(scr_doc *doc, const scr_input *in, const scr_options *opts,
              scr_diag *diag) {
  (void)opts;
  const yaml_check_state *st = yaml_builtin_state(diag);
  if (!st) return -1;
  size_t errors = 0;
  yaml_value *v = yaml_load_values(st, in->data, in->len, 1, diag, &errors);
  if (!v) {
    if (!errors)
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    return -1;
  }
  if (yaml_check_values(st, v, diag)) {
    yaml_value_free(v);
    return -1;
  }
  builder b = {doc, diag, 0};
  scr_node *root = scr_doc_root(doc);
  scr_node_set_pos(root, pos_of(v));
  metadata(&b, yaml_map_get(v, "metadata"));
  persons(&b, yaml_map_get(v, "persons"));
  keywords(&b, yaml_map_get(v, "keywords"));
  notes(&b, yaml_map_get(v, "notes"));
  if (!b.failed) attributes(&b, root, v);
  if (!b.failed) body(&b, root, yaml_map_get(v, "body"));
  yaml_value_free(v);
  return b.failed ? -1 : 0;
}

/* The YAML edition starts with its version key, `scriptorium:` (after a byte
 * order mark, comments, directives or a document start): that is all but
 * certain. Other YAML is not the edition, and not this reader's. */
int yaml_reader_probe(const char *data, size_t len) {
  return yaml_validator_probe(data, len) >= 90 ? 95 : 0;
}
