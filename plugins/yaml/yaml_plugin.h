/* yaml_plugin.h - the YAML plugin's parts (private to the plugin). */
#ifndef SCR_PLUGIN_YAML_H
#define SCR_PLUGIN_YAML_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include <scriptorium/plugin.h>

/* The deepest nesting of YAML collections (mappings and sequences) the
 * validator accepts; deeper files are refused with a message. The writer
 * refuses trees that would need more: nodes nested deeper than
 * YAML_MAX_NODE_DEPTH below the document (each node level takes two YAML
 * levels, its mapping and its content sequence, under the top mapping and
 * the body sequence). Python's yaml still loads files this deep. */
#define YAML_MAX_DEPTH 128
#define YAML_MAX_NODE_DEPTH ((YAML_MAX_DEPTH - 2) / 2)

/* The most YAML values (scalars and collections) one file may hold; more is
 * refused, so that memory stays bounded (about 200 bytes a value while
 * loading and building the tree). The largest transcript of the kremlin
 * corpus needs a few ten thousand. */
#define YAML_MAX_VALUES 2000000

/* What a plain (unquoted, untagged) YAML scalar means to a YAML 1.1 loader
 * such as Python's yaml.safe_load: the writer quotes every string that would
 * not load back as a string, and the validator types plain scalars the same
 * way the reference does. */
typedef enum yaml_plain_kind {
  YAML_PLAIN_STR = 0,
  YAML_PLAIN_NULL,
  YAML_PLAIN_BOOL,
  YAML_PLAIN_INT,
  YAML_PLAIN_FLOAT,
  YAML_PLAIN_TIMESTAMP,
  YAML_PLAIN_MERGE, /* << */
  YAML_PLAIN_VALUE  /* = */
} yaml_plain_kind;

/* The resolver needs no state (it matches its expressions by hand); the
 * type stays so that its callers need not know. */
typedef struct yaml_resolver {
  int ready;
} yaml_resolver;

/* 0. */
int yaml_resolver_init(yaml_resolver *r);
void yaml_resolver_free(yaml_resolver *r);
/* The process's resolver. */
const yaml_resolver *yaml_resolver_shared(void);
/* The kind of the plain scalar s[0..len). Needs no memory. */
yaml_plain_kind yaml_resolve_plain(const yaml_resolver *r, const char *s,
                                   size_t len);

/* The expressions the resolver implements (POSIX ERE), in the order a
 * loader tries them: the reference tests/yaml/test_resolve.c checks it
 * against. */
typedef struct yaml_plain_pattern {
  yaml_plain_kind kind;
  const char *pattern;
} yaml_plain_pattern;
extern const yaml_plain_pattern yaml_plain_patterns[6];

/* ---- values: a YAML document loaded as Python's yaml.safe_load would ---- */

typedef enum yaml_vkind {
  V_STR,
  V_NULL,
  V_BOOL,
  V_INT,
  V_FLOAT,
  V_OTHER, /* a timestamp: neither string nor number to JSON Schema */
  V_SEQ,
  V_MAP
} yaml_vkind;

typedef struct yaml_value yaml_value;
struct yaml_value {
  yaml_vkind kind;
  uint32_t line, column; /* 1-based */
  uint64_t offset;       /* 0-based byte offset of the value's start */
  char *str;             /* scalars: the text, NUL-terminated */
  size_t len;
  yaml_value **items; /* a sequence's items; a mapping's keys and values, alternating */
  size_t count, cap;
};

/* Frees a value tree (without recursion). NULL is allowed. */
void yaml_value_free(yaml_value *root);
/* The value of `key` in mapping `map`, or NULL. */
const yaml_value *yaml_map_get(const yaml_value *map, const char *key);

/* The validator's state: a compiled schema and the plain-scalar resolver. */
typedef struct yaml_check_state yaml_check_state;

/* The state for the built-in schema, compiled once per process on first
 * use and shared (read-only) by every thread; NULL after reporting. */
const yaml_check_state *yaml_builtin_state(scr_diag *diag);

/* Loads one YAML document into values, with the validator's rules (one
 * document, no aliases, merge keys, duplicate keys or unknown tags, nesting
 * at most YAML_MAX_DEPTH). With `refuse_anchors` anchors are refused too,
 * at the first one. NULL after reporting every problem (*errors counts
 * them; 0 means out of memory before anything could be said). */
yaml_value *yaml_load_values(const yaml_check_state *st, const char *data,
                             size_t len, int refuse_anchors, scr_diag *diag,
                             size_t *errors);
/* Checks loaded values against the schema and the cross-references (every
 * who names a person, next/prev a node id, ids unique). Returns the number
 * of problems reported. */
size_t yaml_check_values(const yaml_check_state *st, const yaml_value *doc,
                         scr_diag *diag);

int yaml_write(const scr_doc *doc, scr_buf *out, const scr_options *opts,
               scr_diag *diag);

int yaml_validator_probe(const char *data, size_t len);
void *yaml_validator_open(const char *schema, scr_diag *diag);
int yaml_validator_check(void *state, const scr_input *in, scr_diag *diag);
void yaml_validator_close(void *state);

int yaml_reader_probe(const char *data, size_t len);
int yaml_read(scr_doc *doc, const scr_input *in, const scr_options *opts,
              scr_diag *diag);

#endif
