/* tree.c - documents, nodes, attributes, persons and the ENTER/EXIT
 * iterator. Everything lives in the document's arena. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "internal.h"
#include "scriptorium/tree.h"
#include "scriptorium/util.h"

typedef struct attr_entry {
  struct attr_entry *next;
  scr_attr key;
  scr_str value;
} attr_entry;

struct scr_node {
  scr_node_type type;
  scr_pos pos;
  scr_node *parent, *first, *last, *next, *prev;
  scr_str text;
  attr_entry *attrs;
};

/* A growable array of pointers in the arena. Growth doubles, so the copies
 * left behind cost at most as much as the final array. */
typedef struct ptr_vec {
  void **items;
  size_t len, cap;
} ptr_vec;

typedef struct str_vec {
  scr_str *items;
  size_t len, cap;
} str_vec;

struct scr_person {
  scr_str id;
  scr_str nationality;
  str_vec names;
  str_vec roles;
  str_vec role_when; /* one for each of roles: the date it was held on, or empty */
  str_vec idnos;     /* pairs: type, value */
  scr_str event_role;
  scr_participation participation;
};

struct scr_doc {
  arena arena;
  scr_node *root;
  scr_str meta[SCR_META_COUNT_];
  scr_str meta_cert[SCR_META_COUNT_]; /* inferred values: how sure; empty if given */
  str_vec notes;
  str_vec depends; /* pairs: path, SHA-256 */
  str_vec keywords; /* triples: scheme, term, ref */
  ptr_vec persons;
  /* persons by id, once there are more than a few: open addressing, at
   * most half full, in the arena (a document of thousands of persons
   * finds one without reading them all) */
  scr_person **pindex;
  size_t pindex_cap;
  char *source;
  size_t source_len;
};

static int ptr_vec_push(arena *a, ptr_vec *v, void *item) {
  if (v->len == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 8;
    void **items = arena_alloc(a, cap * sizeof *items);
    if (!items) return -1;
    if (v->len) memcpy(items, v->items, v->len * sizeof *items);
    v->items = items;
    v->cap = cap;
  }
  v->items[v->len++] = item;
  return 0;
}

static int str_vec_push(arena *a, str_vec *v, scr_str s) {
  if (v->len == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 4;
    scr_str *items = arena_alloc(a, cap * sizeof *items);
    if (!items) return -1;
    if (v->len) memcpy(items, v->items, v->len * sizeof *items);
    v->items = items;
    v->cap = cap;
  }
  v->items[v->len++] = s;
  return 0;
}

static int str_eq(scr_str a, const char *b, size_t blen) {
  return a.len == blen && (blen == 0 || memcmp(a.ptr, b, blen) == 0);
}

/* ---- documents ---------------------------------------------------------- */

scr_doc *scr_doc_new(void) {
  scr_doc *doc = calloc(1, sizeof *doc);
  if (!doc) return NULL;
  arena_init(&doc->arena);
  doc->root = scr_node_new(doc, SCR_NODE_DOCUMENT, (scr_pos){1, 1, 0});
  if (!doc->root) {
    scr_doc_free(doc);
    return NULL;
  }
  return doc;
}

void scr_doc_free(scr_doc *doc) {
  if (!doc) return;
  arena_free(&doc->arena);
  free(doc->source);
  free(doc);
}

scr_node *scr_doc_root(const scr_doc *doc) { return doc->root; }

void *scr_doc_alloc(scr_doc *doc, size_t size) {
  return arena_alloc(&doc->arena, size);
}

size_t scr_doc_memory(const scr_doc *doc) { return doc->arena.total; }

scr_str scr_doc_strdup(scr_doc *doc, const char *s, size_t len) {
  char *p = arena_alloc(&doc->arena, len + 1);
  if (!p) return SCR_STR_NULL;
  if (len) memcpy(p, s, len);
  p[len] = '\0';
  return (scr_str){p, len};
}

int scr_doc_set_meta(scr_doc *doc, scr_meta key, const char *value,
                     size_t len) {
  if ((unsigned)key >= SCR_META_COUNT_) return -1;
  scr_str s = scr_doc_strdup(doc, value, len);
  if (!s.ptr) return -1;
  doc->meta[key] = s;
  doc->meta_cert[key] = SCR_STR_NULL;
  return 0;
}

scr_str scr_doc_meta(const scr_doc *doc, scr_meta key) {
  if ((unsigned)key >= SCR_META_COUNT_) return SCR_STR_NULL;
  return doc->meta[key];
}

int scr_doc_set_meta_cert(scr_doc *doc, scr_meta key, const char *cert, size_t len) {
  if ((unsigned)key >= SCR_META_COUNT_) return -1;
  if (!cert || !len) {
    doc->meta_cert[key] = SCR_STR_NULL;
    return 0;
  }
  scr_str s = scr_doc_strdup(doc, cert, len);
  if (!s.ptr) return -1;
  doc->meta_cert[key] = s;
  return 0;
}

scr_str scr_doc_meta_cert(const scr_doc *doc, scr_meta key) {
  if ((unsigned)key >= SCR_META_COUNT_) return SCR_STR_NULL;
  return doc->meta_cert[key];
}

static const char *const meta_names[SCR_META_COUNT_] = {
    "id",       "source",   "title",  "publisher", "date",
    "time",     "place",    "language", "footer",  "format",
    "url",      "licence",  "retrieved", "citation", "sha256"};

const char *scr_meta_name(scr_meta key) {
  return (unsigned)key < SCR_META_COUNT_ ? meta_names[key] : NULL;
}

int scr_doc_add_note(scr_doc *doc, const char *text, size_t len) {
  scr_str s = scr_doc_strdup(doc, text, len);
  if (!s.ptr) return -1;
  return str_vec_push(&doc->arena, &doc->notes, s);
}

int scr_doc_insert_note(scr_doc *doc, size_t i, const char *text, size_t len) {
  scr_str s = scr_doc_strdup(doc, text, len);
  if (!s.ptr || str_vec_push(&doc->arena, &doc->notes, s)) return -1;
  if (i < doc->notes.len - 1) {
    memmove(doc->notes.items + i + 1, doc->notes.items + i,
            (doc->notes.len - 1 - i) * sizeof *doc->notes.items);
    doc->notes.items[i] = s;
  }
  return 0;
}

size_t scr_doc_note_count(const scr_doc *doc) { return doc->notes.len; }

scr_str scr_doc_note(const scr_doc *doc, size_t i) {
  return i < doc->notes.len ? doc->notes.items[i] : SCR_STR_NULL;
}

static int same(scr_str a, const char *s, size_t n) {
  return a.len == n && (n == 0 || memcmp(a.ptr, s, n) == 0);
}

int scr_doc_add_keyword(scr_doc *doc, const char *scheme, size_t scheme_len, const char *term,
                        size_t term_len, const char *ref, size_t ref_len) {
  if (!term || !term_len) return 0;
  if (!scheme) scheme_len = 0;
  if (!ref) ref_len = 0;
  for (size_t i = 0; i + 2 < doc->keywords.len; i += 3)
    if (same(doc->keywords.items[i], scheme, scheme_len) &&
        same(doc->keywords.items[i + 1], term, term_len) &&
        same(doc->keywords.items[i + 2], ref, ref_len))
      return 0;
  scr_str k[3] = {scr_doc_strdup(doc, scheme_len ? scheme : "", scheme_len),
                  scr_doc_strdup(doc, term, term_len),
                  scr_doc_strdup(doc, ref_len ? ref : "", ref_len)};
  size_t len = doc->keywords.len;
  for (int j = 0; j < 3; j++)
    if (!k[j].ptr || str_vec_push(&doc->arena, &doc->keywords, k[j])) {
      doc->keywords.len = len;
      return -1;
    }
  return 0;
}

size_t scr_doc_keyword_count(const scr_doc *doc) { return doc->keywords.len / 3; }

static scr_str keyword_part(const scr_doc *doc, size_t i, size_t part) {
  return i < doc->keywords.len / 3 ? doc->keywords.items[3 * i + part] : SCR_STR_NULL;
}
scr_str scr_doc_keyword_scheme(const scr_doc *doc, size_t i) { return keyword_part(doc, i, 0); }
scr_str scr_doc_keyword_term(const scr_doc *doc, size_t i) { return keyword_part(doc, i, 1); }
scr_str scr_doc_keyword_ref(const scr_doc *doc, size_t i) { return keyword_part(doc, i, 2); }

int scr__doc_push_depend(scr_doc *doc, const char *path, const char *sha) {
  /* A file consulted twice (several parts of one reader) is recorded once. */
  for (size_t i = 0; i + 1 < doc->depends.len; i += 2)
    if (strcmp(doc->depends.items[i].ptr, path) == 0) return 0;
  scr_str p = scr_doc_strdup(doc, path, strlen(path));
  scr_str h = scr_doc_strdup(doc, sha, strlen(sha));
  if (!p.ptr || !h.ptr || str_vec_push(&doc->arena, &doc->depends, p)) return -1;
  if (str_vec_push(&doc->arena, &doc->depends, h)) {
    doc->depends.len--;
    return -1;
  }
  return 0;
}

size_t scr_doc_depend_count(const scr_doc *doc) { return doc->depends.len / 2; }

scr_str scr_doc_depend_path(const scr_doc *doc, size_t i) {
  return i < doc->depends.len / 2 ? doc->depends.items[2 * i] : SCR_STR_NULL;
}

scr_str scr_doc_depend_sha256(const scr_doc *doc, size_t i) {
  return i < doc->depends.len / 2 ? doc->depends.items[2 * i + 1] : SCR_STR_NULL;
}

void scr_doc_take_source(scr_doc *doc, char *data, size_t len) {
  free(doc->source);
  doc->source = data;
  doc->source_len = len;
}

scr_str scr_doc_source(const scr_doc *doc) {
  return (scr_str){doc->source, doc->source_len};
}

/* ---- persons ------------------------------------------------------------ */

enum { PINDEX_FROM = 16 }; /* persons read in a row below this many */

static size_t person_hash(const char *id, size_t len) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)id[i]) * 16777619u;
  return h;
}

static void pindex_put(scr_person **t, size_t cap, scr_person *p) {
  size_t i = person_hash(p->id.ptr, p->id.len) & (cap - 1);
  while (t[i]) i = (i + 1) & (cap - 1);
  t[i] = p;
}

/* Makes the index hold every person, at most half full. 0, -1 on OOM. */
static int pindex_update(scr_doc *doc, scr_person *added) {
  size_t n = doc->persons.len;
  if (n < PINDEX_FROM) return 0;
  if (doc->pindex && 2 * n <= doc->pindex_cap) {
    pindex_put(doc->pindex, doc->pindex_cap, added);
    return 0;
  }
  size_t cap = 64;
  while (cap < 4 * n) cap *= 2;
  scr_person **t = arena_alloc(&doc->arena, cap * sizeof *t);
  if (!t) return -1;
  memset(t, 0, cap * sizeof *t);
  for (size_t i = 0; i < n; i++) pindex_put(t, cap, doc->persons.items[i]);
  doc->pindex = t; /* the old table stays in the arena until the document goes */
  doc->pindex_cap = cap;
  return 0;
}

scr_person *scr_doc_find_person(const scr_doc *doc, const char *id,
                                size_t len) {
  if (doc->pindex) {
    size_t cap = doc->pindex_cap;
    for (size_t i = person_hash(id, len) & (cap - 1); doc->pindex[i]; i = (i + 1) & (cap - 1))
      if (str_eq(doc->pindex[i]->id, id, len)) return doc->pindex[i];
    return NULL;
  }
  for (size_t i = 0; i < doc->persons.len; i++) {
    scr_person *p = doc->persons.items[i];
    if (str_eq(p->id, id, len)) return p;
  }
  return NULL;
}

scr_person *scr_doc_person(scr_doc *doc, const char *id, size_t len) {
  scr_person *p = scr_doc_find_person(doc, id, len);
  if (p) return p;
  p = arena_alloc(&doc->arena, sizeof *p);
  if (!p) return NULL;
  p->id = scr_doc_strdup(doc, id, len);
  if (!p->id.ptr || ptr_vec_push(&doc->arena, &doc->persons, p) != 0 ||
      pindex_update(doc, p))
    return NULL;
  return p;
}

size_t scr_doc_person_count(const scr_doc *doc) { return doc->persons.len; }

scr_person *scr_doc_person_at(const scr_doc *doc, size_t i) {
  return i < doc->persons.len ? doc->persons.items[i] : NULL;
}

scr_str scr_person_id(const scr_person *p) { return p->id; }

static int add_unique(scr_doc *doc, str_vec *v, const char *s, size_t len) {
  for (size_t i = 0; i < v->len; i++)
    if (str_eq(v->items[i], s, len)) return 0;
  scr_str copy = scr_doc_strdup(doc, s, len);
  if (!copy.ptr) return -1;
  return str_vec_push(&doc->arena, v, copy);
}

int scr_person_add_name(scr_doc *doc, scr_person *p, const char *name,
                        size_t len) {
  return add_unique(doc, &p->names, name, len);
}

size_t scr_person_name_count(const scr_person *p) { return p->names.len; }

scr_str scr_person_name(const scr_person *p, size_t i) {
  return i < p->names.len ? p->names.items[i] : SCR_STR_NULL;
}

int scr_person_add_role(scr_doc *doc, scr_person *p, const char *role,
                        size_t len) {
  size_t before = p->roles.len;
  if (add_unique(doc, &p->roles, role, len)) return -1;
  if (p->roles.len > before && str_vec_push(&doc->arena, &p->role_when, SCR_STR_NULL)) {
    p->roles.len = before; /* the two stay one for one */
    return -1;
  }
  return 0;
}

int scr_person_set_role_when(scr_doc *doc, scr_person *p, const char *role, size_t len,
                             const char *when, size_t when_len) {
  if (scr_person_add_role(doc, p, role, len)) return -1;
  size_t i = 0;
  while (!str_eq(p->roles.items[i], role, len)) i++;
  scr_str copy = SCR_STR_NULL;
  if (when_len && !(copy = scr_doc_strdup(doc, when, when_len)).ptr) return -1;
  p->role_when.items[i] = copy;
  return 0;
}

scr_str scr_person_role_when(const scr_person *p, size_t i) {
  return i < p->role_when.len ? p->role_when.items[i] : SCR_STR_NULL;
}

size_t scr_person_role_count(const scr_person *p) { return p->roles.len; }

scr_str scr_person_role(const scr_person *p, size_t i) {
  return i < p->roles.len ? p->roles.items[i] : SCR_STR_NULL;
}

int scr_person_set_nationality(scr_doc *doc, scr_person *p, const char *s,
                               size_t len) {
  scr_str copy = scr_doc_strdup(doc, s, len);
  if (!copy.ptr) return -1;
  p->nationality = copy;
  return 0;
}

scr_str scr_person_nationality(const scr_person *p) { return p->nationality; }

int scr_person_set_participation(scr_person *p, scr_participation v) {
  if (v != SCR_PARTICIPATION_UNKNOWN && v != SCR_PARTICIPATION_PARTICIPANT &&
      v != SCR_PARTICIPATION_MENTIONED)
    return -1;
  p->participation = v;
  return 0;
}

scr_participation scr_person_participation(const scr_person *p) { return p->participation; }

int scr_person_set_event_role(scr_doc *doc, scr_person *p, const char *role, size_t len) {
  if (!len) {
    p->event_role = SCR_STR_NULL;
    return 0;
  }
  scr_str copy = scr_doc_strdup(doc, role, len);
  if (!copy.ptr) return -1;
  p->event_role = copy;
  return 0;
}

scr_str scr_person_event_role(const scr_person *p) { return p->event_role; }

int scr_person_add_idno(scr_doc *doc, scr_person *p, const char *type, size_t type_len,
                        const char *value, size_t value_len) {
  if (!type_len || !value_len) return 0;
  for (size_t i = 0; i + 1 < p->idnos.len; i += 2)
    if (str_eq(p->idnos.items[i], type, type_len) &&
        str_eq(p->idnos.items[i + 1], value, value_len))
      return 0;
  scr_str t = scr_doc_strdup(doc, type, type_len);
  scr_str v = scr_doc_strdup(doc, value, value_len);
  if (!t.ptr || !v.ptr || str_vec_push(&doc->arena, &p->idnos, t) ||
      str_vec_push(&doc->arena, &p->idnos, v))
    return -1;
  return 0;
}

size_t scr_person_idno_count(const scr_person *p) { return p->idnos.len / 2; }

scr_str scr_person_idno_type(const scr_person *p, size_t i) {
  return i < p->idnos.len / 2 ? p->idnos.items[2 * i] : SCR_STR_NULL;
}

scr_str scr_person_idno_value(const scr_person *p, size_t i) {
  return i < p->idnos.len / 2 ? p->idnos.items[2 * i + 1] : SCR_STR_NULL;
}

/* ---- nodes -------------------------------------------------------------- */

scr_node *scr_node_new(scr_doc *doc, scr_node_type type, scr_pos pos) {
  if (type <= SCR_NODE_NONE || type >= SCR_NODE_TYPE_COUNT) return NULL;
  scr_node *n = arena_alloc(&doc->arena, sizeof *n);
  if (!n) return NULL;
  n->type = type;
  n->pos = pos;
  return n;
}

scr_node *scr_node_new_text(scr_doc *doc, const char *text, size_t len,
                            scr_pos pos) {
  scr_node *n = scr_node_new(doc, SCR_NODE_TEXT, pos);
  if (n) n->text = (scr_str){text, len};
  return n;
}

void scr_node_append(scr_node *parent, scr_node *child) {
  child->parent = parent;
  child->next = NULL;
  child->prev = parent->last;
  if (parent->last)
    parent->last->next = child;
  else
    parent->first = child;
  parent->last = child;
}

void scr_node_insert_before(scr_node *sibling, scr_node *node) {
  scr_node *parent = sibling->parent;
  node->parent = parent;
  node->next = sibling;
  node->prev = sibling->prev;
  if (sibling->prev)
    sibling->prev->next = node;
  else if (parent)
    parent->first = node;
  sibling->prev = node;
}

void scr_node_unlink(scr_node *node) {
  if (node->prev)
    node->prev->next = node->next;
  else if (node->parent)
    node->parent->first = node->next;
  if (node->next)
    node->next->prev = node->prev;
  else if (node->parent)
    node->parent->last = node->prev;
  node->parent = node->next = node->prev = NULL;
}

scr_node_type scr_node_get_type(const scr_node *n) { return n->type; }

static const char *const type_names[SCR_NODE_TYPE_COUNT] = {
    [SCR_NODE_NONE] = NULL,
    [SCR_NODE_DOCUMENT] = "document",
    [SCR_NODE_TITLE] = "title",
    [SCR_NODE_MEDIA] = "media",
    [SCR_NODE_LEAD] = "lead",
    [SCR_NODE_DATELINE] = "dateline",
    [SCR_NODE_SECTION] = "section",
    [SCR_NODE_HEADING] = "heading",
    [SCR_NODE_PARAGRAPH] = "paragraph",
    [SCR_NODE_TURN] = "turn",
    [SCR_NODE_SPEAKER] = "speaker",
    [SCR_NODE_GALLERY] = "gallery",
    [SCR_NODE_FIGURE] = "figure",
    [SCR_NODE_NOTE] = "note",
    [SCR_NODE_SEPARATOR] = "separator",
    [SCR_NODE_FOOTER] = "footer",
    [SCR_NODE_TEXT] = "text",
    [SCR_NODE_QUOTE] = "quote",
    [SCR_NODE_INSERTION] = "insertion",
    [SCR_NODE_CORRECTION] = "correction",
    [SCR_NODE_PERSON] = "person",
    [SCR_NODE_PLACE] = "place",
    [SCR_NODE_DATE] = "date",
    [SCR_NODE_TIME] = "time",
};

const char *scr_node_type_name(scr_node_type t) {
  return (unsigned)t < SCR_NODE_TYPE_COUNT ? type_names[t] : NULL;
}

scr_node_type scr_node_type_from_name(const char *name, size_t len) {
  for (int t = SCR_NODE_NONE + 1; t < SCR_NODE_TYPE_COUNT; t++)
    if (strlen(type_names[t]) == len && memcmp(type_names[t], name, len) == 0)
      return (scr_node_type)t;
  return SCR_NODE_NONE;
}

/* A table, not a range of the enum: a type added at the end of the enum
 * (a minor ABI may do so) can be a block or an inline, and plugins built
 * before it ask this library, which knows. */
static const unsigned char type_is_block[SCR_NODE_TYPE_COUNT] = {
    [SCR_NODE_DOCUMENT] = 1, [SCR_NODE_TITLE] = 1, [SCR_NODE_MEDIA] = 1,   [SCR_NODE_LEAD] = 1,
    [SCR_NODE_DATELINE] = 1, [SCR_NODE_SECTION] = 1, [SCR_NODE_HEADING] = 1,
    [SCR_NODE_PARAGRAPH] = 1, [SCR_NODE_TURN] = 1,  [SCR_NODE_SPEAKER] = 1,
    [SCR_NODE_GALLERY] = 1, [SCR_NODE_FIGURE] = 1,  [SCR_NODE_NOTE] = 1,
    [SCR_NODE_SEPARATOR] = 1, [SCR_NODE_FOOTER] = 1,
};

int scr_node_type_is_block(scr_node_type t) {
  return (unsigned)t < SCR_NODE_TYPE_COUNT && type_is_block[t];
}

size_t scr_node_type_count(void) { return SCR_NODE_TYPE_COUNT; }
size_t scr_attr_count(void) { return SCR_ATTR_COUNT_; }
size_t scr_meta_count(void) { return SCR_META_COUNT_; }

scr_pos scr_node_pos(const scr_node *n) { return n->pos; }
void scr_node_set_pos(scr_node *n, scr_pos pos) { n->pos = pos; }
scr_node *scr_node_parent(const scr_node *n) { return n->parent; }
scr_node *scr_node_first_child(const scr_node *n) { return n->first; }
scr_node *scr_node_last_child(const scr_node *n) { return n->last; }
scr_node *scr_node_next(const scr_node *n) { return n->next; }
scr_node *scr_node_prev(const scr_node *n) { return n->prev; }

scr_str scr_node_text(const scr_node *n) {
  return n->type == SCR_NODE_TEXT ? n->text : SCR_STR_NULL;
}

void scr_node_set_text(scr_node *n, const char *text, size_t len) {
  if (n->type == SCR_NODE_TEXT) n->text = (scr_str){text, len};
}

static const char *const attr_names[SCR_ATTR_COUNT_] = {
    [SCR_ATTR_BEFORE] = "before",     [SCR_ATTR_AFTER] = "after",
    [SCR_ATTR_ID] = "id",             [SCR_ATTR_WHO] = "who",
    [SCR_ATTR_METHOD] = "method",     [SCR_ATTR_CERT] = "cert",
    [SCR_ATTR_NEXT] = "next",         [SCR_ATTR_PREV] = "prev",
    [SCR_ATTR_WHEN] = "when",         [SCR_ATTR_DURATION] = "duration",
    [SCR_ATTR_COUNT] = "count",       [SCR_ATTR_N] = "n",
    [SCR_ATTR_TOTAL] = "total",       [SCR_ATTR_CORRECTED] = "corrected",
    [SCR_ATTR_KEY] = "key",           [SCR_ATTR_KIND] = "kind",
    [SCR_ATTR_MARKER] = "marker",     [SCR_ATTR_URL] = "url",
};

const char *scr_attr_name(scr_attr key) {
  return (unsigned)key < SCR_ATTR_COUNT_ ? attr_names[key] : NULL;
}

scr_attr scr_attr_from_name(const char *name, size_t len) {
  for (int k = 0; k < SCR_ATTR_COUNT_; k++)
    if (strlen(attr_names[k]) == len && memcmp(attr_names[k], name, len) == 0)
      return (scr_attr)k;
  return SCR_ATTR_COUNT_;
}

int scr_node_set_attr_ref(scr_doc *doc, scr_node *n, scr_attr key,
                          const char *value, size_t len) {
  if ((unsigned)key >= SCR_ATTR_COUNT_) return -1;
  for (attr_entry *e = n->attrs; e; e = e->next) {
    if (e->key == key) {
      e->value = (scr_str){value, len};
      return 0;
    }
  }
  attr_entry *e = arena_alloc(&doc->arena, sizeof *e);
  if (!e) return -1;
  e->key = key;
  e->value = (scr_str){value, len};
  /* Keep attributes in key order, so writers that list them are stable. */
  attr_entry **link = &n->attrs;
  while (*link && (*link)->key < key) link = &(*link)->next;
  e->next = *link;
  *link = e;
  return 0;
}

int scr_node_set_attr(scr_doc *doc, scr_node *n, scr_attr key,
                      const char *value, size_t len) {
  scr_str copy = scr_doc_strdup(doc, value, len);
  if (!copy.ptr) return -1;
  return scr_node_set_attr_ref(doc, n, key, copy.ptr, copy.len);
}

scr_str scr_node_attr(const scr_node *n, scr_attr key) {
  for (const attr_entry *e = n->attrs; e; e = e->next)
    if (e->key == key) return e->value;
  return SCR_STR_NULL;
}

/* ---- traversal ---------------------------------------------------------- */

void scr_iter_init(scr_iter *it, scr_node *root) {
  it->root = root;
  it->cur = NULL;
  it->ev = SCR_EVENT_NONE;
  it->skip = 0;
}

void scr_iter_skip_children(scr_iter *it) {
  if (it->ev == SCR_EVENT_ENTER) it->skip = 1;
}

scr_event scr_iter_next(scr_iter *it) {
  switch (it->ev) {
  case SCR_EVENT_NONE:
    it->cur = it->root;
    it->ev = it->root ? SCR_EVENT_ENTER : SCR_EVENT_DONE;
    return it->ev;
  case SCR_EVENT_ENTER:
    if (it->cur->first && !it->skip) {
      it->cur = it->cur->first;
      it->ev = SCR_EVENT_ENTER;
    } else {
      it->ev = SCR_EVENT_EXIT;
    }
    it->skip = 0;
    return it->ev;
  case SCR_EVENT_EXIT:
    if (it->cur == it->root) {
      it->ev = SCR_EVENT_DONE;
      it->cur = NULL;
    } else if (it->cur->next) {
      it->cur = it->cur->next;
      it->ev = SCR_EVENT_ENTER;
    } else {
      it->cur = it->cur->parent;
      it->ev = SCR_EVENT_EXIT;
    }
    return it->ev;
  case SCR_EVENT_DONE:
  default:
    return SCR_EVENT_DONE;
  }
}

scr_node *scr_iter_node(const scr_iter *it) { return it->cur; }

int scr_node_flatten(const scr_node *node, int with_layout, scr_buf *out) {
  scr_iter it;
  scr_event ev;
  scr_iter_init(&it, (scr_node *)node);
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    const scr_node *n = it.cur;
    scr_str s;
    if (ev == SCR_EVENT_ENTER) {
      if (with_layout && (s = scr_node_attr(n, SCR_ATTR_BEFORE)).len &&
          scr_buf_put(out, s.ptr, s.len))
        return -1;
      if (n->type == SCR_NODE_TEXT && n->text.len &&
          scr_buf_put(out, n->text.ptr, n->text.len))
        return -1;
      if (n->type == SCR_NODE_INSERTION && scr_buf_putc(out, '[')) return -1;
    } else {
      if (n->type == SCR_NODE_INSERTION && scr_buf_putc(out, ']')) return -1;
      if (with_layout && (s = scr_node_attr(n, SCR_ATTR_AFTER)).len &&
          scr_buf_put(out, s.ptr, s.len))
        return -1;
    }
  }
  return 0;
}
