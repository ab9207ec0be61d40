/* validator.c - checks a YAML edition against the project's JSON Schema
 * (schemas/scriptorium.schema.json, compiled into the plugin) and checks the
 * cross-references a schema cannot express.
 *
 * Debian has no maintained JSON Schema library for C, so this is a checker
 * of its own. It implements exactly the keywords the schema uses, refuses a
 * schema that uses any other, and is held to the reference implementation
 * (Python's jsonschema) by tests/yaml (same verdict on every seed's output,
 * a corpus sample and the deliberately broken files of tests/yaml/invalid).
 *
 * Loading follows what Python's yaml.safe_load makes of a file (YAML 1.1:
 * plain 14:50 is an integer, plain 2020-09-14 a date), so that a value the
 * reference sees as a number is a number here too. Rules beyond the schema,
 * documented in docs/yaml.md: one document per file; no aliases (and so no
 * "billion laughs"); no merge keys (<<); no duplicate keys; no tags but
 * !!str, !!seq, !!map and !; collections nested at most YAML_MAX_DEPTH deep;
 * every who names a person of persons, every next/prev a node id, and ids
 * are unique.
 *
 * Loading is iterative. Evaluating a schema recurses over the instance, but
 * only after loading has refused anything nested deeper than YAML_MAX_DEPTH,
 * and a guard bounds the recursion (a schema whose $ref loops is refused). */
#define _GNU_SOURCE /* re_search */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <scriptorium/scriptorium.h>
#include <yaml.h>

#include "yaml_plugin.h"

extern const char yaml_schema_data[];
extern const size_t yaml_schema_size;

/* ---- values: YAML loaded as Python's yaml would load it -------------------- */

typedef yaml_vkind vkind;
typedef yaml_value value;

typedef struct vec {
  void **items;
  size_t len, cap;
} vec;

static int vec_push(vec *v, void *item) {
  if (v->len == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 16;
    void **items = realloc(v->items, cap * sizeof *items);
    if (!items) return -1;
    v->items = items;
    v->cap = cap;
  }
  v->items[v->len++] = item;
  return 0;
}

static void vec_free(vec *v) {
  free(v->items);
  memset(v, 0, sizeof *v);
}

static int value_add(value *parent, value *child) {
  if (parent->count == parent->cap) {
    size_t cap = parent->cap ? parent->cap * 2 : 4;
    value **items = realloc(parent->items, cap * sizeof *items);
    if (!items) return -1;
    parent->items = items;
    parent->cap = cap;
  }
  parent->items[parent->count++] = child;
  return 0;
}

/* Frees a value tree without recursion. */
void yaml_value_free(value *root) {
  if (!root) return;
  vec stack = {0};
  value *v = root;
  for (;;) {
    for (size_t i = 0; i < v->count; i++)
      if (vec_push(&stack, v->items[i])) {
        /* Out of memory while freeing: leak the rest rather than crash. */
        break;
      }
    free(v->items);
    free(v->str);
    free(v);
    if (!stack.len) break;
    v = stack.items[--stack.len];
  }
  vec_free(&stack);
}

/* The value of `key` in mapping `map`, or NULL. */
const value *yaml_map_get(const value *map, const char *key) {
  if (!map || map->kind != V_MAP) return NULL;
  size_t len = strlen(key);
  for (size_t i = 0; i + 1 < map->count; i += 2) {
    const value *k = map->items[i];
    if (k->kind == V_STR && k->len == len && memcmp(k->str, key, len) == 0)
      return map->items[i + 1];
  }
  return NULL;
}

typedef struct loader {
  const yaml_resolver *resolver;
  scr_diag *diag;
  const char *what; /* "" or "schema FILE: " in front of messages */
  size_t errors;
  int refuse_anchors; /* the reader's rule: no anchors either */
} loader;

static void load_error(loader *l, yaml_mark_t mark, const char *kind,
                       const char *fmt, const char *arg) {
  l->errors++;
  scr_diag_report(l->diag, SCR_ERROR,
                  (scr_pos){(uint32_t)mark.line + 1, (uint32_t)mark.column + 1,
                            (uint64_t)mark.index},
                  kind, fmt, l->what, arg ? arg : "");
}

static int key_cmp(const void *a, const void *b) {
  const value *x = *(value *const *)a, *y = *(value *const *)b;
  if (x->len != y->len) return x->len < y->len ? -1 : 1;
  int c = memcmp(x->str, y->str, x->len);
  if (c) return c;
  /* Equal keys sort by position, so the later one is reported. */
  return x->line != y->line ? (x->line < y->line ? -1 : 1)
                            : (x->column < y->column ? -1 : x->column > y->column);
}

/* Every key of a finished mapping is a string and appears once. */
static void check_keys(loader *l, const value *map) {
  size_t n = map->count / 2;
  value **keys = n ? malloc(n * sizeof *keys) : NULL;
  size_t k = 0;
  if (n && !keys) { /* duplicates unchecked would pass */
    yaml_mark_t m = {0, map->line - 1, map->column - 1};
    load_error(l, m, "oom", "%sout of memory%s", NULL);
  }
  for (size_t i = 0; i + 1 < map->count; i += 2) {
    value *key = map->items[i];
    if (key->kind != V_STR) {
      yaml_mark_t m = {0, key->line - 1, key->column - 1};
      load_error(l, m, "yaml-key", "%smapping keys must be strings%s", NULL);
      continue;
    }
    if (keys) keys[k++] = key;
  }
  if (keys) {
    qsort(keys, k, sizeof *keys, key_cmp);
    for (size_t i = 1; i < k; i++)
      if (keys[i]->len == keys[i - 1]->len &&
          memcmp(keys[i]->str, keys[i - 1]->str, keys[i]->len) == 0) {
        yaml_mark_t m = {0, keys[i]->line - 1, keys[i]->column - 1};
        load_error(l, m, "yaml-duplicate-key", "%sduplicate key '%s'", keys[i]->str);
      }
  }
  free(keys);
}

static int tag_is(const yaml_char_t *tag, const char *name) {
  return tag && strcmp((const char *)tag, name) == 0;
}

static vkind scalar_kind(loader *l, const yaml_event_t *ev, int is_key) {
  const yaml_char_t *tag = ev->data.scalar.tag;
  const char *s = (const char *)ev->data.scalar.value;
  size_t len = ev->data.scalar.length;
  int implicit = 0;
  if (!tag) implicit = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  else if (tag_is(tag, "!")) implicit = 1; /* Python resolves "! x" too */
  else if (tag_is(tag, "tag:yaml.org,2002:str")) return V_STR;
  else {
    load_error(l, ev->start_mark, "yaml-tag", "%sunsupported tag %s", (const char *)tag);
    return V_OTHER;
  }
  if (!implicit) return V_STR;
  switch (yaml_resolve_plain(l->resolver, s, len)) {
  case YAML_PLAIN_STR: return V_STR;
  case YAML_PLAIN_NULL: return V_NULL;
  case YAML_PLAIN_BOOL: return V_BOOL;
  case YAML_PLAIN_INT: return V_INT;
  case YAML_PLAIN_FLOAT: return V_FLOAT;
  case YAML_PLAIN_TIMESTAMP: return V_OTHER;
  case YAML_PLAIN_MERGE:
    load_error(l, ev->start_mark, "yaml-merge",
               is_key ? "%smerge keys (<<) are not allowed%s"
                      : "%s<< is a merge key, not a value%s",
               NULL);
    return V_STR; /* reported once, not again as a key that is no string */
  case YAML_PLAIN_VALUE:
  default:
    load_error(l, ev->start_mark, "yaml-value", "%sa plain = is not a value%s", NULL);
    return V_OTHER;
  }
}

/* Loads one YAML document into values. NULL after reporting (l->errors). */
static value *load(loader *l, const char *data, size_t len) {
  yaml_parser_t parser;
  yaml_event_t ev;
  value *root = NULL;
  vec stack = {0};
  int documents = 0, done = 0;
  size_t values = 0;
  if (!yaml_parser_initialize(&parser)) {
    scr_diag_report(l->diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    l->errors++;
    return NULL;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
  while (!done) {
    if (!yaml_parser_parse(&parser, &ev)) {
      yaml_mark_t m = parser.problem_mark;
      l->errors++;
      if (parser.error == YAML_MEMORY_ERROR)
        scr_diag_report(l->diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "%sout of memory",
                        l->what);
      else
        scr_diag_report(l->diag, SCR_ERROR,
                        (scr_pos){(uint32_t)m.line + 1, (uint32_t)m.column + 1, m.index},
                        "yaml-syntax", "%sYAML syntax error: %s%s%s", l->what,
                        parser.problem ? parser.problem : "?", parser.context ? " " : "",
                        parser.context ? parser.context : "");
      break;
    }
    value *v = NULL;
    switch (ev.type) {
    case YAML_STREAM_END_EVENT: done = 1; break;
    case YAML_DOCUMENT_START_EVENT:
      if (++documents > 1) {
        load_error(l, ev.start_mark, "yaml-documents",
                   "%sone YAML document per file, found a second%s", NULL);
        done = 1;
      }
      break;
    case YAML_ALIAS_EVENT:
      load_error(l, ev.start_mark, "yaml-alias", "%saliases are not allowed (*%s)",
                 (const char *)ev.data.alias.anchor);
      done = 1;
      break;
    case YAML_SCALAR_EVENT:
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
      if (++values > YAML_MAX_VALUES) {
        char limit[32];
        snprintf(limit, sizeof limit, "%d", YAML_MAX_VALUES);
        load_error(l, ev.start_mark, "yaml-size",
                   "%smore than %s YAML values (scalars and collections); refused",
                   limit);
        done = 1;
        break;
      }
      v = calloc(1, sizeof *v);
      if (!v) {
        load_error(l, ev.start_mark, "oom", "%sout of memory%s", NULL);
        done = 1;
        break;
      }
      v->line = (uint32_t)ev.start_mark.line + 1;
      v->column = (uint32_t)ev.start_mark.column + 1;
      v->offset = ev.start_mark.index;
      if (l->refuse_anchors) {
        const yaml_char_t *anchor =
            ev.type == YAML_SCALAR_EVENT          ? ev.data.scalar.anchor
            : ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.anchor
                                                   : ev.data.mapping_start.anchor;
        if (anchor) {
          load_error(l, ev.start_mark, "yaml-anchor",
                     "%sanchors are not allowed (&%s): the YAML edition never "
                     "uses them, and aliases could multiply a small file",
                     (const char *)anchor);
          free(v);
          v = NULL;
          done = 1;
          break;
        }
      }
      value *parent = stack.len ? stack.items[stack.len - 1] : NULL;
      int is_key = parent && parent->kind == V_MAP && parent->count % 2 == 0;
      if (ev.type == YAML_SCALAR_EVENT) {
        v->len = ev.data.scalar.length;
        v->str = malloc(v->len + 1);
        if (!v->str) {
          free(v);
          v = NULL;
          load_error(l, ev.start_mark, "oom", "%sout of memory%s", NULL);
          done = 1;
          break;
        }
        memcpy(v->str, ev.data.scalar.value, v->len);
        v->str[v->len] = '\0';
        v->kind = scalar_kind(l, &ev, is_key);
      } else {
        int seq = ev.type == YAML_SEQUENCE_START_EVENT;
        const yaml_char_t *tag =
            seq ? ev.data.sequence_start.tag : ev.data.mapping_start.tag;
        v->kind = seq ? V_SEQ : V_MAP;
        if (tag && !tag_is(tag, "!") &&
            !tag_is(tag, seq ? "tag:yaml.org,2002:seq" : "tag:yaml.org,2002:map"))
          load_error(l, ev.start_mark, "yaml-tag", "%sunsupported tag %s",
                     (const char *)tag);
        if (is_key)
          load_error(l, ev.start_mark, "yaml-key", "%smapping keys must be strings%s",
                     NULL);
        if (stack.len + 1 > YAML_MAX_DEPTH) {
          char limit[32];
          snprintf(limit, sizeof limit, "%d", YAML_MAX_DEPTH);
          load_error(l, ev.start_mark, "yaml-depth",
                     "%scollections nest deeper than %s levels; refused", limit);
          free(v);
          v = NULL;
          done = 1;
          break;
        }
      }
      if (parent ? value_add(parent, v) : (root ? -1 : 0)) {
        yaml_value_free(v);
        load_error(l, ev.start_mark, "oom", "%sout of memory%s", NULL);
        done = 1;
        break;
      }
      if (!parent) root = v;
      if (ev.type != YAML_SCALAR_EVENT && vec_push(&stack, v)) {
        load_error(l, ev.start_mark, "oom", "%sout of memory%s", NULL);
        done = 1;
      }
      break;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      if (stack.len) {
        value *c = stack.items[--stack.len];
        if (c->kind == V_MAP) check_keys(l, c);
      }
      break;
    default: break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  vec_free(&stack);
  if (l->errors) {
    yaml_value_free(root);
    return NULL;
  }
  if (!root) {
    /* An empty stream loads as null in Python. */
    root = calloc(1, sizeof *root);
    if (root) {
      root->kind = V_NULL;
      root->line = root->column = 1;
    }
  }
  return root;
}

/* ---- schemas ----------------------------------------------------------------- */

enum {
  T_STRING = 1,
  T_ARRAY = 2,
  T_OBJECT = 4,
  T_NULL = 8,
  T_BOOLEAN = 16,
  T_INTEGER = 32 /* a YAML 1.1 int, as Python's yaml loads it */
};

typedef struct schema schema;
struct schema {
  const value *src;
  int is_bool, bool_value;
  unsigned types; /* 0: no type keyword */
  size_t nprops;
  const value **prop_names;
  schema **props;
  schema *additional;
  size_t nrequired;
  const value **required;
  schema *items;
  int has_enum;
  size_t nenum;
  const value **enums;
  const value *const_value;
  int has_pattern;
  regex_t pattern;
  const char *pattern_src;
  long min_length, max_length, min_items;
  size_t nany;
  schema **any_of;
  size_t nall;
  schema **all_of;
  schema *not_schema, *if_schema, *then_schema, *else_schema;
  const value *ref;
  schema *ref_target;
};

struct yaml_check_state {
  yaml_resolver resolver;
  value *doc; /* the schema document */
  vec schemas;
  schema *root;
};
typedef struct yaml_check_state state;

typedef struct compiler {
  state *st;
  scr_diag *diag;
  const char *name;
  int failed;
} compiler;

static void schema_error(compiler *c, const value *at, const char *fmt, const char *arg) {
  c->failed = 1;
  scr_diag_report(c->diag, SCR_ERROR, (scr_pos){0, 0, 0}, "schema",
                  "schema %s:%u:%u: %s%s", c->name, at ? at->line : 0,
                  at ? at->column : 0, fmt, arg ? arg : "");
}

static int key_is(const value *k, const char *name) {
  return k->kind == V_STR && strcmp(k->str, name) == 0;
}

static schema *compile(compiler *c, const value *src);

static schema **compile_list(compiler *c, const value *list, size_t *n) {
  if (list->kind != V_SEQ || list->count == 0) {
    schema_error(c, list, "expected a non-empty array of schemas", NULL);
    return NULL;
  }
  schema **out = calloc(list->count, sizeof *out);
  if (!out) return schema_error(c, list, "out of memory", NULL), NULL;
  for (size_t i = 0; i < list->count; i++) out[i] = compile(c, list->items[i]);
  *n = list->count;
  return out;
}

static long nonnegative(compiler *c, const value *v) {
  if (v->kind != V_INT || v->str[0] == '-') {
    schema_error(c, v, "expected a non-negative integer", NULL);
    return -1;
  }
  return strtol(v->str, NULL, 10);
}

/* Compiles one schema object (recursing over the schema document, whose
 * depth the loader bounded). */
static schema *compile(compiler *c, const value *src) {
  schema *s = calloc(1, sizeof *s);
  if (!s || vec_push(&c->st->schemas, s)) {
    free(s);
    schema_error(c, src, "out of memory", NULL);
    return NULL;
  }
  s->src = src;
  s->min_length = s->max_length = s->min_items = -1;
  if (src->kind == V_BOOL) {
    s->is_bool = 1;
    s->bool_value = src->str[0] == 't' || src->str[0] == 'T' || src->str[0] == 'y' ||
                    src->str[0] == 'Y' || strcmp(src->str, "on") == 0 ||
                    strcmp(src->str, "On") == 0 || strcmp(src->str, "ON") == 0;
    return s;
  }
  if (src->kind != V_MAP) {
    schema_error(c, src, "a schema must be an object or a boolean", NULL);
    return s;
  }
  for (size_t i = 0; i + 1 < src->count; i += 2) {
    const value *k = src->items[i], *v = src->items[i + 1];
    if (key_is(k, "$schema") || key_is(k, "$id") || key_is(k, "$comment") ||
        key_is(k, "title") || key_is(k, "description")) {
      continue;
    } else if (key_is(k, "$defs")) {
      if (v->kind != V_MAP) schema_error(c, v, "$defs must be an object", NULL);
      else
        for (size_t j = 1; j < v->count; j += 2) compile(c, v->items[j]);
    } else if (key_is(k, "type")) {
      const value *one = v;
      size_t n = v->kind == V_SEQ ? v->count : 1;
      for (size_t j = 0; j < n; j++) {
        one = v->kind == V_SEQ ? v->items[j] : v;
        if (one->kind != V_STR) schema_error(c, one, "type names must be strings", NULL);
        else if (!strcmp(one->str, "string")) s->types |= T_STRING;
        else if (!strcmp(one->str, "array")) s->types |= T_ARRAY;
        else if (!strcmp(one->str, "object")) s->types |= T_OBJECT;
        else if (!strcmp(one->str, "null")) s->types |= T_NULL;
        else if (!strcmp(one->str, "boolean")) s->types |= T_BOOLEAN;
        else if (!strcmp(one->str, "integer")) s->types |= T_INTEGER;
        else schema_error(c, one, "this checker does not implement type ", one->str);
      }
    } else if (key_is(k, "properties")) {
      if (v->kind != V_MAP) {
        schema_error(c, v, "properties must be an object", NULL);
        continue;
      }
      s->nprops = v->count / 2;
      s->prop_names = calloc(s->nprops + 1, sizeof *s->prop_names);
      s->props = calloc(s->nprops + 1, sizeof *s->props);
      if (!s->prop_names || !s->props) {
        schema_error(c, v, "out of memory", NULL);
        s->nprops = 0;
        continue;
      }
      for (size_t j = 0; j < s->nprops; j++) {
        s->prop_names[j] = v->items[2 * j];
        s->props[j] = compile(c, v->items[2 * j + 1]);
      }
    } else if (key_is(k, "additionalProperties")) {
      s->additional = compile(c, v);
    } else if (key_is(k, "required")) {
      if (v->kind != V_SEQ) {
        schema_error(c, v, "required must be an array of strings", NULL);
        continue;
      }
      s->required = calloc(v->count + 1, sizeof *s->required);
      if (!s->required) continue;
      for (size_t j = 0; j < v->count; j++) {
        if (v->items[j]->kind != V_STR)
          schema_error(c, v->items[j], "required must be an array of strings", NULL);
        s->required[s->nrequired++] = v->items[j];
      }
    } else if (key_is(k, "items")) {
      s->items = compile(c, v);
    } else if (key_is(k, "enum") || key_is(k, "const")) {
      int is_enum = key_is(k, "enum");
      size_t n = is_enum ? (v->kind == V_SEQ ? v->count : 0) : 1;
      if (is_enum && v->kind != V_SEQ) schema_error(c, v, "enum must be an array", NULL);
      for (size_t j = 0; j < n; j++) {
        const value *e = is_enum ? v->items[j] : v;
        if (e->kind != V_STR)
          schema_error(c, e, "this checker compares strings only in enum and const", NULL);
      }
      if (is_enum) {
        s->has_enum = 1;
        s->nenum = n;
        s->enums = (const value **)(v->kind == V_SEQ ? v->items : NULL);
      } else {
        s->const_value = v;
      }
    } else if (key_is(k, "pattern")) {
      if (v->kind != V_STR) {
        schema_error(c, v, "pattern must be a string", NULL);
      } else if (regcomp(&s->pattern, v->str, REG_EXTENDED | REG_NOSUB)) {
        schema_error(c, v, "pattern is not a POSIX extended regular expression: ", v->str);
      } else {
        s->has_pattern = 1;
        s->pattern_src = v->str;
      }
    } else if (key_is(k, "minLength")) {
      s->min_length = nonnegative(c, v);
    } else if (key_is(k, "maxLength")) {
      s->max_length = nonnegative(c, v);
    } else if (key_is(k, "minItems")) {
      s->min_items = nonnegative(c, v);
    } else if (key_is(k, "anyOf")) {
      s->any_of = compile_list(c, v, &s->nany);
    } else if (key_is(k, "allOf")) {
      s->all_of = compile_list(c, v, &s->nall);
    } else if (key_is(k, "not")) {
      s->not_schema = compile(c, v);
    } else if (key_is(k, "if")) {
      s->if_schema = compile(c, v);
    } else if (key_is(k, "then")) {
      s->then_schema = compile(c, v);
    } else if (key_is(k, "else")) {
      s->else_schema = compile(c, v);
    } else if (key_is(k, "$ref")) {
      if (v->kind != V_STR || v->str[0] != '#')
        schema_error(c, v, "only local references (#/...) are supported: ",
                     v->kind == V_STR ? v->str : "");
      else s->ref = v;
    } else {
      schema_error(c, k, "this checker does not implement the keyword ",
                   k->kind == V_STR ? k->str : "?");
    }
  }
  return s;
}

/* Resolves a JSON pointer ("#/$defs/node") in the schema document. */
static const value *resolve_pointer(const value *doc, const char *ref) {
  const value *at = doc;
  const char *p = ref + 1;
  while (*p == '/') {
    p++;
    char seg[256];
    size_t n = 0;
    while (*p && *p != '/') {
      char ch = *p++;
      if (ch == '~' && (*p == '0' || *p == '1')) ch = *p++ == '0' ? '~' : '/';
      if (n + 1 >= sizeof seg) return NULL;
      seg[n++] = ch;
    }
    seg[n] = '\0';
    if (at->kind == V_MAP) {
      at = yaml_map_get(at, seg);
    } else if (at->kind == V_SEQ) {
      char *end;
      unsigned long i = strtoul(seg, &end, 10);
      at = *end || i >= at->count ? NULL : at->items[i];
    } else {
      return NULL;
    }
    if (!at) return NULL;
  }
  return *p ? NULL : at;
}

static void schema_free(schema *s) {
  if (s->has_pattern) regfree(&s->pattern);
  free(s->prop_names);
  free(s->props);
  free(s->required);
  free(s->any_of);
  free(s->all_of);
  free(s);
}

void yaml_validator_close(void *p) {
  state *st = p;
  if (!st) return;
  for (size_t i = 0; i < st->schemas.len; i++) schema_free(st->schemas.items[i]);
  vec_free(&st->schemas);
  yaml_value_free(st->doc);
  yaml_resolver_free(&st->resolver);
  free(st);
}

/* Reads the schema file `path`: a regular file only (docs/yaml.md). A FIFO
 * or a device is never opened (stat first), and the file is opened with
 * O_NONBLOCK and checked again, so that one swapped in cannot block. */
static int read_schema(const char *path, char **out, size_t *outlen, scr_diag *diag) {
  const scr_pos none = {0, 0, 0};
  struct stat st;
  if (stat(path, &st) != 0) {
    scr_diag_report(diag, SCR_ERROR, none, "io", "cannot read the schema '%s': %s", path,
                    strerror(errno));
    return -1;
  }
  int fd = S_ISREG(st.st_mode) ? open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) : -2;
  if (fd == -1) {
    scr_diag_report(diag, SCR_ERROR, none, "io", "cannot read the schema '%s': %s", path,
                    strerror(errno));
    return -1;
  }
  if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) { /* swapped in */
    close(fd);
    fd = -2;
  }
  if (fd < 0) {
    scr_diag_report(diag, SCR_ERROR, none, "io",
                    "refused to read the schema '%s': not a regular file (a FIFO, a "
                    "device, a socket or a directory)", path);
    return -1;
  }
  size_t max = scr_max_input_size(), len = 0;
  if ((uint64_t)st.st_size > (uint64_t)max) {
    close(fd);
    scr_diag_report(diag, SCR_ERROR, none, "too-large",
                    "the schema '%s' is larger than the limit of %zu bytes", path, max);
    return -1;
  }
  size_t cap = (size_t)st.st_size + 1;
  char *buf = malloc(cap + 1);
  while (buf) {
    if (len == cap) {
      if (cap > max) break;
      size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
      char *grown = realloc(buf, ncap + 1);
      if (!grown) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = grown;
      cap = ncap;
    }
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      scr_diag_report(diag, SCR_ERROR, none, "io", "cannot read the schema '%s': %s", path,
                      strerror(errno));
      free(buf);
      close(fd);
      return -1;
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  close(fd);
  if (!buf) {
    scr_diag_report(diag, SCR_ERROR, none, "oom", "out of memory");
    return -1;
  }
  if (len > max) {
    free(buf);
    scr_diag_report(diag, SCR_ERROR, none, "too-large",
                    "the schema '%s' is larger than the limit of %zu bytes", path, max);
    return -1;
  }
  buf[len] = '\0';
  *out = buf;
  *outlen = len;
  return 0;
}

void *yaml_validator_open(const char *path, scr_diag *diag) {
  state *st = calloc(1, sizeof *st);
  if (!st || yaml_resolver_init(&st->resolver)) {
    free(st);
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    return NULL;
  }
  char *data = NULL;
  size_t len = yaml_schema_size;
  if (path && read_schema(path, &data, &len, diag)) {
    yaml_validator_close(st);
    return NULL;
  }
  const char *name = path ? path : "scriptorium.schema.json (built in)";
  char what[512];
  snprintf(what, sizeof what, "schema %s: ", name);
  loader l = {.resolver = &st->resolver, .diag = diag, .what = what};
  st->doc = load(&l, data ? data : yaml_schema_data, len);
  free(data);
  if (!st->doc) {
    yaml_validator_close(st);
    return NULL;
  }
  compiler c = {st, diag, name, 0};
  st->root = compile(&c, st->doc);
  for (size_t i = 0; !c.failed && i < st->schemas.len; i++) {
    schema *s = st->schemas.items[i];
    if (!s->ref) continue;
    const value *target = resolve_pointer(st->doc, s->ref->str);
    for (size_t j = 0; target && j < st->schemas.len; j++)
      if (((schema *)st->schemas.items[j])->src == target)
        s->ref_target = st->schemas.items[j];
    if (!s->ref_target) schema_error(&c, s->ref, "unresolved $ref ", s->ref->str);
  }
  if (c.failed) {
    yaml_validator_close(st);
    return NULL;
  }
  return st;
}

/* ---- evaluation ---------------------------------------------------------------- */

#define MAX_PATH (YAML_MAX_DEPTH + 2)
#define MAX_RECURSION (8 * YAML_MAX_DEPTH + 64)

typedef struct eval_ctx {
  scr_diag *diag;
  size_t errors;
  int oom; /* a pattern could not be matched: the result means nothing */
  size_t depth; /* recursion guard */
  size_t npath;
  const value *path_key[MAX_PATH]; /* NULL: an index */
  size_t path_index[MAX_PATH];
} eval_ctx;

static void path_push(eval_ctx *e, const value *key, size_t index) {
  if (e->npath < MAX_PATH) {
    e->path_key[e->npath] = key;
    e->path_index[e->npath] = index;
  }
  e->npath++;
}

static void path_text(const eval_ctx *e, scr_buf *b) {
  size_t n = e->npath < MAX_PATH ? e->npath : MAX_PATH;
  for (size_t i = 0; i < n; i++) {
    if (e->path_key[i]) {
      scr_buf_putc(b, '/');
      scr_buf_put(b, e->path_key[i]->str, e->path_key[i]->len);
    } else {
      scr_buf_printf(b, "/%zu", e->path_index[i]);
    }
  }
  if (!n) scr_buf_putc(b, '/');
}

static void describe(const value *v, scr_buf *b) {
  switch (v->kind) {
  case V_STR: {
    size_t n = v->len > 40 ? 40 : v->len;
    while (n < v->len && n > 0 && ((unsigned char)v->str[n] & 0xC0) == 0x80) n--;
    scr_buf_putc(b, '\'');
    for (size_t i = 0; i < n; i++)
      scr_buf_putc(b, (unsigned char)v->str[i] < 0x20 ? '?' : v->str[i]);
    scr_buf_puts(b, n < v->len ? "...'" : "'");
    break;
  }
  case V_NULL: scr_buf_puts(b, "null"); break;
  case V_BOOL: scr_buf_printf(b, "the boolean %s", v->str); break;
  case V_INT: scr_buf_printf(b, "the integer %s", v->str); break;
  case V_FLOAT: scr_buf_printf(b, "the number %s", v->str); break;
  case V_OTHER: scr_buf_printf(b, "the timestamp %s", v->str); break;
  case V_SEQ: scr_buf_puts(b, "an array"); break;
  case V_MAP: scr_buf_puts(b, "an object"); break;
  }
}

static void fail_at(eval_ctx *e, const value *at, const char *fmt, ...)
    SCR_PRINTF(3, 4);
static void fail_at(eval_ctx *e, const value *at, const char *fmt, ...) {
  scr_buf b = {0};
  va_list ap;
  path_text(e, &b);
  scr_buf_puts(&b, ": ");
  va_start(ap, fmt);
  char msg[1024];
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  scr_buf_puts(&b, msg);
  e->errors++;
  scr_diag_report(e->diag, SCR_ERROR, (scr_pos){at->line, at->column, 0}, "schema",
                  "%s", b.data ? b.data : "");
  scr_buf_free(&b);
}

static unsigned kind_type(vkind k) {
  switch (k) {
  case V_STR: return T_STRING;
  case V_SEQ: return T_ARRAY;
  case V_MAP: return T_OBJECT;
  case V_NULL: return T_NULL;
  case V_BOOL: return T_BOOLEAN;
  case V_INT: return T_INTEGER;
  default: return 0;
  }
}

static int str_equal(const value *a, const value *b) {
  return a->kind == V_STR && b->kind == V_STR && a->len == b->len &&
         memcmp(a->str, b->str, a->len) == 0;
}

static size_t code_points(const value *v) {
  size_t n = 0;
  for (size_t i = 0; i < v->len; i++)
    if (((unsigned char)v->str[i] & 0xC0) != 0x80) n++;
  return n;
}

/* Python's re.search, which the reference uses, lets $ match before one
 * final newline; so does this. The schema's patterns use only what POSIX
 * ERE, Python's re and ECMA-262 read alike ([0-9], not \d; no '.'). */
/* 1 if it matches, 0 if not, -1 when memory ran out: glibc's regexec says
 * "no match" then too (which inside a "not" would pass what is invalid);
 * re_search, on the same compiled expression, says -2. It searches from
 * every start (range = length), as regexec does; with no registers it
 * changes nothing in the compiled expression, whose fastmap regcomp made. */
static int pattern_match(const schema *s, const value *v) {
  regex_t *re = (regex_t *)&s->pattern;
  regoff_t len = (regoff_t)v->len;
  regoff_t m = re_search(re, v->str, len, 0, len, NULL);
  if (m == -1 && v->len && v->str[v->len - 1] == '\n')
    m = re_search(re, v->str, len - 1, 0, len - 1, NULL);
  return m >= 0 ? 1 : m == -1 ? 0 : -1;
}

static const char *type_names(unsigned t, char *buf, size_t size) {
  static const char *const names[] = {"string", "array", "object", "null", "boolean", "integer"};
  buf[0] = '\0';
  for (int i = 0; i < 6; i++)
    if (t & (1u << i)) {
      if (buf[0]) strncat(buf, " or ", size - strlen(buf) - 1);
      strncat(buf, names[i], size - strlen(buf) - 1);
    }
  return buf;
}

static int eval(eval_ctx *e, const schema *s, const value *v, int report);

/* The types a schema admits through type, $ref and anyOf (0: any). */
static unsigned admitted_types(const schema *s) {
  for (int hops = 0; s && hops < 16; hops++) {
    if (s->types) return s->types;
    if (s->ref_target) { s = s->ref_target; continue; }
    return 0;
  }
  return 0;
}

static const char *description(const schema *s) {
  const value *d = yaml_map_get(s->src, "description");
  return d && d->kind == V_STR ? d->str : NULL;
}

static int eval(eval_ctx *e, const schema *s, const value *v, int report) {
  if (!s) return 1;
  if (++e->depth > MAX_RECURSION) {
    e->depth--;
    if (report) fail_at(e, v, "the schema recurses too deeply here; refused");
    return 0;
  }
  int ok = 1;
  char buf[256];
  scr_buf d = {0};
#define FAIL(...) do { ok = 0; if (!report) goto out; fail_at(e, v, __VA_ARGS__); } while (0)
  if (s->is_bool) {
    if (!s->bool_value) FAIL("nothing is allowed here");
    goto out;
  }
  if (s->types && !(s->types & kind_type(v->kind))) {
    describe(v, &d);
    FAIL("%s is not of type %s", d.data, type_names(s->types, buf, sizeof buf));
    scr_buf_clear(&d);
  }
  if (s->const_value && !str_equal(v, s->const_value)) {
    describe(v, &d);
    FAIL("%s is not '%s'", d.data, s->const_value->str);
    scr_buf_clear(&d);
  }
  if (s->has_enum) {
    size_t i;
    for (i = 0; i < s->nenum; i++)
      if (str_equal(v, s->enums[i])) break;
    if (i == s->nenum) {
      describe(v, &d);
      scr_buf_puts(&d, " is not one of: ");
      for (i = 0; i < s->nenum; i++)
        scr_buf_printf(&d, "%s%s", i ? ", " : "", s->enums[i]->str);
      FAIL("%s", d.data);
      scr_buf_clear(&d);
    }
  }
  if (v->kind == V_STR) {
    int matched = s->has_pattern ? pattern_match(s, v) : 1;
    if (matched < 0) e->oom = 1;
    if (!matched) {
      describe(v, &d);
      const char *what = description(s);
      if (what) FAIL("%s is not valid here. %s", d.data, what);
      else FAIL("%s does not match %s", d.data, s->pattern_src);
      scr_buf_clear(&d);
    }
    if (s->min_length >= 0 && code_points(v) < (size_t)s->min_length)
      FAIL("a string of at least %ld characters is expected", s->min_length);
    if (s->max_length >= 0 && code_points(v) > (size_t)s->max_length)
      FAIL("a string of at most %ld characters is expected", s->max_length);
  }
  if (v->kind == V_SEQ) {
    if (s->min_items >= 0 && v->count < (size_t)s->min_items)
      FAIL("at least %ld items are expected", s->min_items);
    if (s->items)
      for (size_t i = 0; i < v->count; i++) {
        path_push(e, NULL, i);
        int r = eval(e, s->items, v->items[i], report);
        e->npath--;
        if (!r) {
          ok = 0;
          if (!report) goto out;
        }
      }
  }
  if (v->kind == V_MAP) {
    for (size_t i = 0; i < s->nrequired; i++)
      if (!yaml_map_get(v, s->required[i]->str))
        FAIL("'%s' is a required property", s->required[i]->str);
    if (s->nprops || s->additional)
      for (size_t i = 0; i + 1 < v->count; i += 2) {
        const value *k = v->items[i], *val = v->items[i + 1];
        const schema *sub = NULL;
        for (size_t j = 0; j < s->nprops; j++)
          if (str_equal(k, s->prop_names[j])) sub = s->props[j];
        if (!sub && s->additional && s->additional->is_bool &&
            !s->additional->bool_value) {
          ok = 0;
          if (!report) goto out;
          fail_at(e, k, "unknown key '%s' (not allowed here)", k->str);
          continue;
        }
        if (!sub) sub = s->additional;
        if (!sub) continue;
        path_push(e, k, 0);
        int r = eval(e, sub, val, report);
        e->npath--;
        if (!r) {
          ok = 0;
          if (!report) goto out;
        }
      }
  }
  if (s->ref_target && !eval(e, s->ref_target, v, report)) {
    ok = 0;
    if (!report) goto out;
  }
  for (size_t i = 0; i < s->nall; i++)
    if (!eval(e, s->all_of[i], v, report)) {
      ok = 0;
      if (!report) goto out;
    }
  if (s->nany) {
    size_t i;
    for (i = 0; i < s->nany; i++)
      if (eval(e, s->any_of[i], v, 0)) break;
    if (i == s->nany) {
      ok = 0;
      if (!report) goto out;
      /* Explain with the one alternative meant for this kind of value. */
      const schema *fit = NULL;
      size_t fits = 0;
      for (i = 0; i < s->nany; i++) {
        unsigned t = admitted_types(s->any_of[i]);
        if (!t || (t & kind_type(v->kind))) {
          fit = s->any_of[i];
          fits++;
        }
      }
      if (fits == 1) {
        eval(e, fit, v, 1);
      } else {
        describe(v, &d);
        fail_at(e, v, "%s is not valid under any of the allowed forms", d.data);
        scr_buf_clear(&d);
      }
    }
  }
  if (s->not_schema && eval(e, s->not_schema, v, 0)) {
    const char *what = description(s->not_schema);
    FAIL("%s", what ? what : "matches a schema it must not match");
  }
  if (s->if_schema) {
    const schema *branch = eval(e, s->if_schema, v, 0) ? s->then_schema : s->else_schema;
    if (branch && !eval(e, branch, v, report)) {
      ok = 0;
      if (!report) goto out;
    }
  }
out:
#undef FAIL
  scr_buf_free(&d);
  e->depth--;
  return ok;
}

/* ---- cross-references ------------------------------------------------------------ */

typedef struct id_set {
  const value **items;
  size_t len, cap;
} id_set;

static int id_add(id_set *set, const value *v) {
  if (set->len == set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 32;
    const value **items = realloc(set->items, cap * sizeof *items);
    if (!items) return -1;
    set->items = items;
    set->cap = cap;
  }
  set->items[set->len++] = v;
  return 0;
}

static int id_cmp(const void *a, const void *b) { return key_cmp(a, b); }

static int id_has(const id_set *set, const char *s, size_t len) {
  size_t lo = 0, hi = set->len;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const value *m = set->items[mid];
    int c = m->len != len ? (m->len < len ? -1 : 1) : memcmp(m->str, s, len);
    if (c == 0) return 1;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

static void report_at(scr_diag *diag, size_t *errors, const value *at, const char *kind,
                      const char *fmt, const char *a, const char *b) {
  (*errors)++;
  scr_diag_report(diag, SCR_ERROR, (scr_pos){at->line, at->column, 0}, kind, fmt, a, b);
}

/* Sorts `set` and reports each id that appears twice. */
static void unique(id_set *set, scr_diag *diag, size_t *errors, const char *what) {
  if (set->len > 1) qsort(set->items, set->len, sizeof *set->items, id_cmp);
  for (size_t i = 1; i < set->len; i++)
    if (str_equal(set->items[i], set->items[i - 1]))
      report_at(diag, errors, set->items[i], "duplicate-id", "%s id '%s' is not unique",
                what, set->items[i]->str);
}

/* Nodes are the mappings with a type key, and the top-level mapping. */
static void cross_check(const value *root, scr_diag *diag, size_t *errors) {
  id_set persons = {0}, ids = {0};
  vec nodes = {0}, stack = {0};
  const value *plist = yaml_map_get(root, "persons");
  for (size_t i = 0; plist && plist->kind == V_SEQ && i < plist->count; i++) {
    const value *id = yaml_map_get(plist->items[i], "id");
    if (id && id->kind == V_STR) id_add(&persons, id);
  }
  vec_push(&nodes, (void *)root);
  const value *body = yaml_map_get(root, "body");
  if (body) vec_push(&stack, (void *)body);
  while (stack.len) {
    const value *v = stack.items[--stack.len];
    if (v->kind == V_MAP && yaml_map_get(v, "type")) vec_push(&nodes, (void *)v);
    if (v->kind == V_MAP || v->kind == V_SEQ)
      for (size_t i = v->count; i-- > 0;) vec_push(&stack, v->items[i]);
  }
  for (size_t i = 0; i < nodes.len; i++) {
    const value *id = yaml_map_get(nodes.items[i], "id");
    if (id && id->kind == V_STR) id_add(&ids, id);
  }
  unique(&persons, diag, errors, "person");
  unique(&ids, diag, errors, "node");
  for (size_t i = 0; i < nodes.len; i++) {
    const value *n = nodes.items[i];
    const value *who = yaml_map_get(n, "who");
    if (who && who->kind == V_STR) {
      const char *p = who->str, *end = who->str + who->len;
      while (p < end) {
        const char *sp = memchr(p, ' ', (size_t)(end - p));
        const char *q = sp ? sp : end;
        if (q > p && !id_has(&persons, p, (size_t)(q - p))) {
          char one[256];
          snprintf(one, sizeof one, "%.*s", (int)(q - p < 200 ? q - p : 200), p);
          report_at(diag, errors, who, "dangling-who",
                    "who '%s' names no person in persons%s", one, "");
        }
        p = q + 1;
      }
    }
    static const char *const links[] = {"next", "prev"};
    for (int k = 0; k < 2; k++) {
      const value *ref = yaml_map_get(n, links[k]);
      if (ref && ref->kind == V_STR && !id_has(&ids, ref->str, ref->len))
        report_at(diag, errors, ref, "dangling-id", "%s '%s' names no node id",
                  links[k], ref->str);
    }
  }
  free(persons.items);
  free(ids.items);
  vec_free(&nodes);
  vec_free(&stack);
}

/* ---- the validator ------------------------------------------------------------------ */

yaml_value *yaml_load_values(const yaml_check_state *st, const char *data,
                             size_t len, int refuse_anchors, scr_diag *diag,
                             size_t *errors) {
  loader l = {.resolver = &st->resolver, .diag = diag, .what = "",
              .refuse_anchors = refuse_anchors};
  value *doc = load(&l, data, len);
  *errors = l.errors;
  return doc;
}

size_t yaml_check_values(const yaml_check_state *st, const yaml_value *doc,
                         scr_diag *diag) {
  eval_ctx *e = calloc(1, sizeof *e);
  if (!e) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    return 1;
  }
  e->diag = diag;
  eval(e, st->root, doc, 1);
  size_t errors = e->errors;
  if (e->oom) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom",
                    "out of memory matching the schema's patterns");
    errors++;
  }
  free(e);
  if (doc->kind == V_MAP) cross_check(doc, diag, &errors);
  return errors;
}

/* The built-in schema, compiled once and shared by the reader's calls on
 * every thread (it is only read after compiling; glibc's regexec may run
 * on one pattern from several threads). It lives until the process ends. */
static state *_Atomic builtin;
static pthread_mutex_t builtin_lock = PTHREAD_MUTEX_INITIALIZER;

/* Compiled by the first reader that needs it; when memory runs out, tried
 * again by the next one (pthread_once would give up for the process). */
const yaml_check_state *yaml_builtin_state(scr_diag *diag) {
  if (!atomic_load(&builtin)) {
    pthread_mutex_lock(&builtin_lock);
    if (!atomic_load(&builtin)) {
      scr_diag *quiet = scr_diag_new(NULL, NULL, NULL);
      if (quiet) atomic_store(&builtin, yaml_validator_open(NULL, quiet));
      scr_diag_free(quiet);
    }
    pthread_mutex_unlock(&builtin_lock);
  }
  state *st = atomic_load(&builtin);
  if (!st)
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom",
                    "out of memory compiling the YAML edition's schema");
  return st;
}

int yaml_validator_check(void *p, const scr_input *in, scr_diag *diag) {
  state *st = p;
  size_t errors = 0;
  value *doc = yaml_load_values(st, in->data, in->len, 0, diag, &errors);
  if (!doc) return errors ? 1 : -1;
  errors = yaml_check_values(st, doc, diag);
  yaml_value_free(doc);
  return errors ? 1 : 0;
}

int yaml_validator_probe(const char *data, size_t len) {
  size_t i = 0;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
  /* Skip comments, blank lines, directives and a document start. */
  while (i < len) {
    size_t eol = i;
    while (eol < len && data[eol] != '\n') eol++;
    size_t j = i;
    while (j < eol && (data[j] == ' ' || data[j] == '\t' || data[j] == '\r')) j++;
    if (j == eol || data[j] == '#' || data[i] == '%' ||
        (eol - i >= 3 && memcmp(data + i, "---", 3) == 0 &&
         (eol - i == 3 || data[i + 3] == ' ' || data[i + 3] == '\r'))) {
      i = eol + 1;
      continue;
    }
    break;
  }
  if (i >= len) return 0;
  if (len - i >= 12 && memcmp(data + i, "scriptorium:", 12) == 0) return 90;
  /* Some other mapping at the top: perhaps an edition with its first key
   * missing; worth checking if no other validator knows it better. */
  size_t j = i;
  while (j < len && (data[j] == '_' || (data[j] >= 'a' && data[j] <= 'z') ||
                     (data[j] >= 'A' && data[j] <= 'Z')))
    j++;
  if (j > i && j < len && data[j] == ':') return 20;
  return 0;
}
