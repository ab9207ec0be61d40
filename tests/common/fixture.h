/* fixture.h - the writer tests' documents, read from the YAML files beside
 * this header through a registry's YAML reader (which checks them against
 * the schema), rather than built by hand: fixture_load(reg, "every-node.yaml").
 * The directory is this header's own (__FILE__), so that a test needs no
 * build-system variable to find it. */
#ifndef SCR_TEST_FIXTURE_H
#define SCR_TEST_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include <scriptorium/scriptorium.h>

/* The document of fixture `name`, read with the registry's "yaml" reader;
 * NULL after printing why. */
static inline scr_doc *fixture_load(const scr_registry *reg, const char *name) {
  const char *here = __FILE__, *slash = strrchr(here, '/');
  char path[4096];
  snprintf(path, sizeof path, "%.*s/%s", slash ? (int)(slash - here) : 1, slash ? here : ".",
           name);
  const scr_reader *yaml = scr_registry_reader(reg, "yaml");
  if (!yaml) {
    fprintf(stderr, "fixture %s: no yaml reader loaded\n", path);
    return NULL;
  }
  scr_diag *diag = scr_diag_new(path, NULL, NULL);
  scr_options *opts = scr_options_new(yaml->options, yaml->option_count);
  scr_doc *doc = NULL;
  if (!diag || !opts || scr_read_path(yaml, path, opts, diag, &doc) != 0)
    fprintf(stderr, "fixture %s: cannot read it (%zu errors)\n", path,
            diag ? scr_diag_count(diag, SCR_ERROR) : 0);
  scr_options_free(opts);
  scr_diag_free(diag);
  return doc;
}

/* Appends to `out` the names of the node types, attributes and metadata
 * keys `doc` lacks (of those this library knows), separated by spaces;
 * `out` is left empty when the document holds every one. */
static inline void fixture_missing(const scr_doc *doc, scr_buf *out) {
  unsigned char type_seen[64] = {0}, attr_seen[64] = {0};
  scr_iter it;
  scr_iter_init(&it, scr_doc_root(doc));
  while (scr_iter_next(&it) != SCR_EVENT_DONE) {
    const scr_node *n = scr_iter_node(&it);
    if ((size_t)scr_node_get_type(n) < sizeof type_seen) type_seen[scr_node_get_type(n)] = 1;
    for (size_t a = 0; a < scr_attr_count() && a < sizeof attr_seen; a++)
      if (scr_node_attr(n, (scr_attr)a).ptr) attr_seen[a] = 1;
  }
  for (size_t t = 1; t < scr_node_type_count(); t++)
    if (t >= sizeof type_seen || !type_seen[t])
      scr_buf_printf(out, " %s", scr_node_type_name((scr_node_type)t));
  for (size_t a = 0; a < scr_attr_count(); a++)
    if (a >= sizeof attr_seen || !attr_seen[a]) scr_buf_printf(out, " @%s", scr_attr_name((scr_attr)a));
  for (size_t m = 0; m < scr_meta_count(); m++)
    if (!scr_doc_meta(doc, (scr_meta)m).ptr) scr_buf_printf(out, " meta:%s", scr_meta_name((scr_meta)m));
  /* a keyword with a scheme and a ref, and one with neither */
  int full = 0, bare = 0;
  for (size_t k = 0; k < scr_doc_keyword_count(doc); k++) {
    int s = scr_doc_keyword_scheme(doc, k).len > 0, r = scr_doc_keyword_ref(doc, k).len > 0;
    full |= s && r;
    bare |= !s && !r;
  }
  if (!full || !bare) scr_buf_printf(out, " keywords");
}

#endif
