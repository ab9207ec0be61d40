/* parts.c - choosing a run's readers, transforms and writers (parts.h). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "parts.h"

#define USAGE(...) do { usage_error(__VA_ARGS__); rc = EXIT_USAGE; goto done; } while (0)
#define OUT_OF_MEMORY() do { usage_error("out of memory"); rc = EXIT_FAILED; goto done; } while (0)

int parts_choose(run *r, const char *from, const char *to, setting *sets, size_t nsets,
                 const chain_edit *edits, size_t nedits) {
  int rc = 0;
  char *to_copy = strdup(to);
  if (!to_copy) OUT_OF_MEMORY();
  for (char *save = NULL, *tok = to_copy ? strtok_r(to_copy, ",", &save) : NULL; tok;
       tok = strtok_r(NULL, ",", &save)) {
    const scr_writer *w = scr_registry_writer(r->reg, tok);
    if (!w) USAGE("unknown output format '%s' (see 'scriptorium formats')", tok);
    for (size_t i = 0; i < r->nwriters; i++)
      if (r->writers[i] == w) USAGE("output format '%s' named twice", tok);
    if (r->nwriters == 32) USAGE("too many output formats");
    const scr_writer **grown = realloc(r->writers, (r->nwriters + 1) * sizeof *grown);
    if (!grown) OUT_OF_MEMORY();
    r->writers = grown;
    r->writers[r->nwriters++] = w;
  }
  if (r->nwriters == 0) USAGE("-t names no output format");
  if (from && !(r->reader = scr_registry_reader(r->reg, from)))
    USAGE("unknown input format '%s' (see 'scriptorium formats')", from);

  /* Options are checked against the plugins' tables before any plugin runs:
   * the writers', and every reader's that may be used. */
  int bad = 0;
  r->writer_opts = calloc(r->nwriters, sizeof *r->writer_opts);
  if (!r->writer_opts) OUT_OF_MEMORY();
  for (size_t i = 0; i < r->nwriters; i++)
    if (!(r->writer_opts[i] = settings_options(r->writers[i]->format, r->writers[i]->options,
                                               r->writers[i]->option_count, sets, nsets, &bad)))
      OUT_OF_MEMORY();
  for (size_t p = 0; p < scr_registry_plugin_count(r->reg); p++) {
    const scr_plugin *pl = scr_registry_plugin(r->reg, p);
    for (size_t k = 0; pl->readers && pl->readers[k]; k++) {
      const scr_reader *rd = pl->readers[k];
      if (r->reader && rd != r->reader) continue;
      const scr_reader **gr = realloc(r->readers, (r->nreaders + 1) * sizeof *gr);
      scr_options **go = realloc(r->reader_opts, (r->nreaders + 1) * sizeof *go);
      if (gr) r->readers = gr;
      if (go) r->reader_opts = go;
      if (!gr || !go) OUT_OF_MEMORY();
      r->readers[r->nreaders] = rd;
      r->reader_opts[r->nreaders++] = settings_options(rd->format, rd->options,
                                                     rd->option_count, sets, nsets, &bad);
      if (!r->reader_opts[r->nreaders - 1]) OUT_OF_MEMORY();
    }
  }
  /* The transforms of each reader's documents, and their options. */
  {
    char err[256];
    if (chain_check(r->reg, edits, nedits, err, sizeof err)) USAGE("%s", err);
  }
  if (r->nreaders && !(r->chains = calloc(r->nreaders, sizeof *r->chains))) OUT_OF_MEMORY();
  for (size_t i = 0; i < r->nreaders; i++) {
    if (chain_build(r->reg, r->readers[i], edits, nedits, &r->chains[i])) OUT_OF_MEMORY();
    for (size_t k = 0; k < r->chains[i].n; k++) {
      const scr_transform *t = r->chains[i].t[k];
      size_t have = 0;
      while (have < r->ntransforms && r->transforms[have] != t) have++;
      if (have < r->ntransforms) continue;
      const scr_transform **gt = realloc(r->transforms, (r->ntransforms + 1) * sizeof *gt);
      if (gt) r->transforms = gt;
      scr_options **go = realloc(r->transform_opts, (r->ntransforms + 1) * sizeof *go);
      if (go) r->transform_opts = go;
      if (!gt || !go) OUT_OF_MEMORY();
      r->transforms[r->ntransforms] = t;
      if (!(r->transform_opts[r->ntransforms++] =
                settings_options(t->name, t->options, t->option_count, sets, nsets, &bad)))
        OUT_OF_MEMORY();
    }
  }
  if (bad) {
    rc = EXIT_USAGE;
    goto done;
  }
  rc = settings_check_used(sets, nsets);
done:
  free(to_copy);
  return rc;
}
#undef USAGE
#undef OUT_OF_MEMORY

void parts_free(run *r) {
  for (size_t i = 0; r->writer_opts && i < r->nwriters; i++) scr_options_free(r->writer_opts[i]);
  free(r->writer_opts);
  for (size_t i = 0; i < r->nreaders; i++) scr_options_free(r->reader_opts[i]);
  free(r->reader_opts);
  for (size_t i = 0; r->chains && i < r->nreaders; i++) chain_free(&r->chains[i]);
  free(r->chains);
  for (size_t i = 0; i < r->ntransforms; i++) scr_options_free(r->transform_opts[i]);
  free(r->transforms);
  free(r->transform_opts);
  free(r->readers);
  free(r->writers);
}
