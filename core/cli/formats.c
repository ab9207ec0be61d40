/* formats.c - `scriptorium formats`: every loaded plugin with what it
 * reads, enriches, writes and checks (-v: with their options). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "plugins.h"

static const char formats_help[] =
    "Usage: scriptorium formats [-v] [-q]\n"
    "\n"
    "Lists every loaded plugin with its version and path, and what it reads,\n"
    "enriches (transforms, and the ones each reader runs), writes, opens\n"
    "(archives of documents) and validates. -v also lists each format's and transform's options.\n";


static void print_list(const char *label, const char *const *items) {
  printf("%s", label);
  if (!items || !items[0]) printf(" -");
  for (size_t i = 0; items && items[i]; i++) printf("%s%s", i ? ", " : " ", items[i]);
  printf("\n");
}

static const char *type_name(scr_option_type t) {
  switch (t) {
  case SCR_OPT_BOOL: return "bool";
  case SCR_OPT_INT: return "int";
  case SCR_OPT_CHOICE: return "choice";
  case SCR_OPT_PATH: return "path";
  case SCR_OPT_STRING:
  default: return "string";
  }
}

static void print_options(const scr_option_spec *o, size_t n) {
  for (size_t i = 0; i < n; i++) {
    printf("        %-12s %-6s default %-10s %s", o[i].name, type_name(o[i].type),
           o[i].default_value ? o[i].default_value : "(none)",
           o[i].help ? o[i].help : "");
    if (o[i].type == SCR_OPT_CHOICE) print_list(" Choices:", o[i].choices);
    else if (o[i].type == SCR_OPT_INT) printf(" (%ld-%ld)\n", o[i].min, o[i].max);
    else printf("\n");
  }
}

int cmd_formats(int argc, char **argv) {
  int verbose = 0, c;
  static const struct option longopts[] = {
      {"verbose", no_argument, NULL, 'v'}, {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'}, {0}};
  optind = 1;
  while ((c = getopt_long(argc, argv, "+vqh", longopts, NULL)) != -1) {
    if (c == 'v') verbose = 1;
    else if (c == 'q') quiet_warnings = 1;
    else if (c == 'h') return fputs(formats_help, stdout), EXIT_OK;
    else return fputs(formats_help, stderr), EXIT_USAGE;
  }
  int failed;
  scr_registry *reg = cli_load_plugins(&failed);
  for (size_t i = 0; i < scr_registry_plugin_count(reg); i++) {
    const scr_plugin *p = scr_registry_plugin(reg, i);
    printf("%s %s  %s\n", p->name, p->version, scr_registry_plugin_path(reg, i));
    if (p->description) printf("  %s\n", p->description);
    for (size_t j = 0; p->readers && p->readers[j]; j++) {
      const scr_reader *r = p->readers[j];
      printf("  reads    %-8s %s\n", r->format, r->description ? r->description : "");
      printf("           media type %s;", r->media_type ? r->media_type : "-");
      print_list(" extensions", r->extensions);
      if (scr_reader_default_transforms(r))
        print_list("           transforms", scr_reader_default_transforms(r));
      if (verbose) print_options(r->options, r->option_count);
    }
    for (size_t j = 0; p->writers && p->writers[j]; j++) {
      const scr_writer *w = p->writers[j];
      printf("  writes   %-8s %s%s\n", w->format, w->description ? w->description : "",
             w->corpus_open ? " (and corpus files)" : "");
      printf("           media type %s;", w->media_type ? w->media_type : "-");
      print_list(" extensions", w->extensions);
      if (verbose) print_options(w->options, w->option_count);
    }
    for (size_t j = 0; SCR_HAS_FIELD(p, scr_plugin, transforms) && p->transforms &&
                       p->transforms[j]; j++) {
      const scr_transform *t = p->transforms[j];
      printf("  enriches %-8s %s\n", t->name, t->description ? t->description : "");
      if (verbose) print_options(t->options, t->option_count);
    }
    for (size_t j = 0; SCR_HAS_FIELD(p, scr_plugin, archives) && p->archives &&
                       p->archives[j]; j++) {
      const scr_archive *a = p->archives[j];
      printf("  opens    %-8s %s\n", a->format, a->description ? a->description : "");
      print_list("           extensions", a->extensions);
    }
    for (size_t j = 0; p->validators && p->validators[j]; j++) {
      const scr_validator *v = p->validators[j];
      printf("  checks   %-8s %s\n", v->format, v->description ? v->description : "");
    }
  }
  if (scr_registry_plugin_count(reg) == 0)
    fprintf(stderr, "%s: warning: no plugins found (searched --plugin-dir, "
                    "$SCRIPTORIUM_PLUGIN_PATH and %s)\n",
            program, scr_installed_plugin_dir());
  scr_registry_free(reg);
  return failed ? EXIT_USAGE : EXIT_OK;
}
