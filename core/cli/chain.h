/* chain.h - which transforms a reader's documents go through: the reader's
 * defaults, as --transform and --no-transform changed them. */
#ifndef SCR_CLI_CHAIN_H
#define SCR_CLI_CHAIN_H

#include <stddef.h>

#include <scriptorium/plugin.h>
#include <scriptorium/scriptorium.h>

/* One edit of the command line, in the order given: '+' runs NAME (last,
 * moving it there if it was already in the chain), '-' drops it ("all":
 * every transform before it). */
typedef struct chain_edit {
  char op;
  const char *name;
} chain_edit;

typedef struct chain {
  const scr_transform **t;
  size_t n;
  const char *missing; /* a default no loaded plugin provides, or NULL */
} chain;

/* Parses a comma-separated list of transform names into edits; -1 on out of
 * memory, -2 (err set) on a bad name. */
int chain_parse(char op, const char *list, chain_edit **edits, size_t *n, char *err, size_t errlen);
/* Checks that every name the edits add is a loaded transform (a '-' may
 * also name "all", or a reader's default that no plugin provides); -1 with
 * err set. */
int chain_check(const scr_registry *reg, const chain_edit *edits, size_t n, char *err,
                size_t errlen);
/* The chain of reader `rd`; -1 on out of memory. */
int chain_build(const scr_registry *reg, const scr_reader *rd, const chain_edit *edits,
                size_t n, chain *out);
void chain_free(chain *c);

#endif
