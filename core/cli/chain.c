/* chain.c - the transforms of a reader's documents (see chain.h). */
#include "chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int chain_parse(char op, const char *list, chain_edit **edits, size_t *n, char *err,
                size_t errlen) {
  const char *p = list;
  for (;;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    if (len == 0) {
      snprintf(err, errlen, "--%stransform takes NAME[,NAME...], not '%s'",
               op == '-' ? "no-" : "", list);
      return -2;
    }
    chain_edit *grown = realloc(*edits, (*n + 1) * sizeof *grown);
    if (!grown) return -1;
    *edits = grown;
    char *name = strndup(p, len);
    if (!name) return -1;
    grown[(*n)++] = (chain_edit){op, name};
    if (!comma) return 0;
    p = comma + 1;
  }
}

/* Whether some loaded reader names `name` among its default transforms
 * (one no plugin provides may still be dropped by name). */
static int some_default(const scr_registry *reg, const char *name) {
  for (size_t p = 0; p < scr_registry_plugin_count(reg); p++) {
    const scr_plugin *pl = scr_registry_plugin(reg, p);
    for (size_t k = 0; pl->readers && pl->readers[k]; k++) {
      const char *const *d = scr_reader_default_transforms(pl->readers[k]);
      for (size_t i = 0; d && d[i]; i++)
        if (strcmp(d[i], name) == 0) return 1;
    }
  }
  return 0;
}

int chain_check(const scr_registry *reg, const chain_edit *edits, size_t n, char *err,
                size_t errlen) {
  for (size_t i = 0; i < n; i++) {
    if (edits[i].op == '-' && strcmp(edits[i].name, "all") == 0) continue;
    if (scr_registry_transform(reg, edits[i].name)) continue;
    if (edits[i].op == '-' && some_default(reg, edits[i].name)) continue;
    snprintf(err, errlen, "unknown transform '%s' (see 'scriptorium formats')", edits[i].name);
    return -1;
  }
  return 0;
}

static void drop(chain *c, const scr_transform *t) {
  for (size_t i = 0; i < c->n; i++)
    if (c->t[i] == t) {
      memmove(c->t + i, c->t + i + 1, (c->n - i - 1) * sizeof *c->t);
      c->n--;
      return;
    }
}

static int push(chain *c, const scr_transform *t) {
  drop(c, t);
  const scr_transform **grown = realloc(c->t, (c->n + 1) * sizeof *grown);
  if (!grown) return -1;
  c->t = grown;
  c->t[c->n++] = t;
  return 0;
}

int chain_build(const scr_registry *reg, const scr_reader *rd, const chain_edit *edits,
                size_t n, chain *out) {
  memset(out, 0, sizeof *out);
  const char *const *defaults = scr_reader_default_transforms(rd);
  for (size_t i = 0; defaults && defaults[i]; i++) {
    const scr_transform *t = scr_registry_transform(reg, defaults[i]);
    if (!t) {
      if (!out->missing) out->missing = defaults[i];
      continue;
    }
    if (push(out, t)) return -1;
  }
  for (size_t i = 0; i < n; i++) {
    if (edits[i].op == '-' && strcmp(edits[i].name, "all") == 0) {
      out->n = 0;
      out->missing = NULL;
      continue;
    }
    const scr_transform *t = scr_registry_transform(reg, edits[i].name);
    if (edits[i].op == '-') {
      if (t) drop(out, t);
      if (out->missing && strcmp(out->missing, edits[i].name) == 0) out->missing = NULL;
    } else if (t && push(out, t)) {
      return -1;
    }
  }
  return 0;
}

void chain_free(chain *c) {
  free(c->t);
  memset(c, 0, sizeof *c);
}
