/* yaml_plugin.h - the YAML plugin's parts (private to the plugin). */
#ifndef SCR_PLUGIN_YAML_H
#define SCR_PLUGIN_YAML_H

#include <regex.h>
#include <stddef.h>

#include <scriptorium/plugin.h>

/* The deepest nesting of YAML collections (mappings and sequences) the
 * validator accepts; deeper files are refused with a message. The writer
 * refuses trees that would need more: nodes nested deeper than
 * YAML_MAX_NODE_DEPTH below the document (each node level takes two YAML
 * levels, its mapping and its content sequence, under the top mapping and
 * the body sequence). Python's yaml still loads files this deep. */
#define YAML_MAX_DEPTH 128
#define YAML_MAX_NODE_DEPTH ((YAML_MAX_DEPTH - 2) / 2)

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

typedef struct yaml_resolver {
  regex_t re[6];
  int ready;
} yaml_resolver;

/* Compiles the resolver's patterns. 0, or -1 (nothing to free then). */
int yaml_resolver_init(yaml_resolver *r);
void yaml_resolver_free(yaml_resolver *r);
/* The kind of the plain scalar s[0..len). */
yaml_plain_kind yaml_resolve_plain(const yaml_resolver *r, const char *s,
                                   size_t len);

int yaml_write(const scr_doc *doc, scr_buf *out, const scr_options *opts,
               scr_diag *diag);

int yaml_validator_probe(const char *data, size_t len);
void *yaml_validator_open(const char *schema, scr_diag *diag);
int yaml_validator_check(void *state, const scr_input *in, scr_diag *diag);
void yaml_validator_close(void *state);

#endif
