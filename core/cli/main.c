/* main.c - the scriptorium command: the only part of Scriptorium that talks
 * to the user. Everything it does goes through the public API. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scriptorium/scriptorium.h"

#include "cli.h"

const char *program = "scriptorium";
int quiet_warnings = 0;

/* ---- diagnostics: FILE:LINE:COL: severity: message -------------------------- */

/* FILE:LINE:COL: severity: message, the way compilers print them. */
static void format_diag(const scr_diagnostic *d, scr_buf *out) {
  static const char *const sev[] = {"note", "warning", "error"};
  const char *file = d->file ? d->file : program;
  if (d->line && d->column)
    scr_buf_printf(out, "%s:%u:%u: %s: %s\n", file, d->line, d->column,
                   sev[d->severity], d->message);
  else if (d->line)
    scr_buf_printf(out, "%s:%u: %s: %s\n", file, d->line, sev[d->severity],
                   d->message);
  else
    scr_buf_printf(out, "%s: %s: %s\n", file, sev[d->severity], d->message);
}

/* The same line straight to standard error, needing no memory (stderr is
 * unbuffered): when there is none left to format it into a buffer. */
static void print_diag_direct(const scr_diagnostic *d) {
  static const char *const sev[] = {"note", "warning", "error"};
  const char *file = d->file ? d->file : program;
  if (d->line && d->column)
    fprintf(stderr, "%s:%u:%u: %s: %s\n", file, d->line, d->column, sev[d->severity],
            d->message);
  else if (d->line)
    fprintf(stderr, "%s:%u: %s: %s\n", file, d->line, sev[d->severity], d->message);
  else
    fprintf(stderr, "%s: %s: %s\n", file, sev[d->severity], d->message);
}

void cli_buffer_diag(const scr_diagnostic *d, void *user) {
  if (d->severity == SCR_WARNING && quiet_warnings) return;
  scr_buf *b = user;
  size_t len = b->len;
  format_diag(d, b);
  /* out of memory: printed now, out of input order, rather than lost */
  if (b->len == len) print_diag_direct(d);
}

void cli_print_diag(const scr_diagnostic *d, void *user) {
  (void)user;
  if (d->severity == SCR_WARNING && quiet_warnings) return;
  scr_buf line = {0};
  format_diag(d, &line);
  if (line.len) fwrite(line.data, 1, line.len, stderr);
  else print_diag_direct(d);
  scr_buf_free(&line);
}

void cli_out_of_memory(void) {
  fprintf(stderr, "%s: error: out of memory\n", program);
  exit(EXIT_FAILED);
}

void usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: error: ", program);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
}

/* ---- help ------------------------------------------------------------------- */

static const char main_help[] =
    "Usage: scriptorium [--plugin-dir DIR]... COMMAND [ARGS]\n"
    "\n"
    "Converts transcripts between formats through plugins.\n"
    "\n"
    "Commands:\n"
    "  convert    convert inputs to one or more formats\n"
    "  formats    list the loaded plugins and the formats they read and write\n"
    "  validate   check files against their format's schema\n"
    "  help       show help for a command\n"
    "\n"
    "Options:\n"
    "  --plugin-dir DIR  look for plugins in DIR first (repeatable); then\n"
    "                    $SCRIPTORIUM_PLUGIN_PATH, then the installed directory\n"
    "  -q, --quiet       do not print warnings\n"
    "  -h, --help        show this help\n"
    "  -V, --version     show the version\n"
    "\n"
    "Exit status: 0 ok, 1 some input could not be converted or is invalid,\n"
    "2 usage error (bad command line, unknown format or option, a plugin\n"
    "that failed to load).\n";

static const char formats_help[] =
    "Usage: scriptorium formats [-v]\n"
    "\n"
    "Lists every loaded plugin with its version and path, and what it reads,\n"
    "enriches (transforms, and the ones each reader runs), writes and\n"
    "validates. -v also lists each format's and transform's options.\n";

static const char validate_help[] =
    "Usage: scriptorium validate [-f FORMAT] [--schema FILE] FILE...\n"
    "\n"
    "Checks each FILE against its format's schema (the project's schema by\n"
    "default, or FILE given with --schema) and the format's own rules (for\n"
    "TEI: every @who/@ref/@next/@prev points at something that exists).\n"
    "The schema is compiled once for all files. Problems are printed as\n"
    "FILE:LINE: message. Exit status 1 if any file is invalid.\n";

/* ---- plugins ----------------------------------------------------------------- */

static const char **plugin_dirs = NULL;
static size_t plugin_dir_count = 0;

/* Prints a diagnostic of the plugin loader and notes whether memory ran
 * out (kind "oom"): that is no usage error, and exits 1, not 2. */
static void plugin_diag(const scr_diagnostic *d, void *user) {
  if (d->kind && strcmp(d->kind, "oom") == 0) *(int *)user = 1;
  cli_print_diag(d, NULL);
}

scr_registry *cli_load_plugins(int *failed) {
  int oom = 0;
  scr_registry *reg = scr_registry_new();
  scr_diag *diag = scr_diag_new(NULL, plugin_diag, &oom);
  const char **dirs = calloc(plugin_dir_count + 1, sizeof *dirs);
  if (!reg || !diag || !dirs) cli_out_of_memory();
  for (size_t i = 0; i < plugin_dir_count; i++) dirs[i] = plugin_dirs[i];
  *failed = scr_registry_load_default(reg, dirs, NULL, diag);
  free(dirs);
  scr_diag_free(diag);
  if (oom) {
    fprintf(stderr, "%s: error: out of memory while loading plugins\n", program);
    exit(EXIT_FAILED);
  }
  return reg;
}

/* ---- formats ----------------------------------------------------------------- */

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

static int cmd_formats(int argc, char **argv) {
  int verbose = 0, c;
  static const struct option longopts[] = {
      {"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'}, {0}};
  optind = 1;
  while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
    if (c == 'v') verbose = 1;
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

/* ---- validate ----------------------------------------------------------------- */

typedef struct open_validator {
  const scr_validator *v;
  void *state;
  int failed;
} open_validator;

static int cmd_validate(int argc, char **argv) {
  const char *format = NULL, *schema = NULL;
  int c;
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'f'},
      {"schema", required_argument, NULL, 'S'},
      {"help", no_argument, NULL, 'h'},
      {0}};
  optind = 1;
  while ((c = getopt_long(argc, argv, "+f:S:h", longopts, NULL)) != -1) {
    if (c == 'f') format = optarg;
    else if (c == 'S') schema = optarg;
    else if (c == 'h') return fputs(validate_help, stdout), EXIT_OK;
    else return fputs(validate_help, stderr), EXIT_USAGE;
  }
  if (optind >= argc) {
    usage_error("validate needs at least one FILE");
    return EXIT_USAGE;
  }
  int failed;
  scr_registry *reg = cli_load_plugins(&failed);
  if (failed) {
    usage_error("%d plugin(s) failed to load (see above)", failed);
    scr_registry_free(reg);
    return EXIT_USAGE;
  }
  const scr_validator *forced = NULL;
  if (format && !(forced = scr_registry_validator(reg, format))) {
    usage_error("no validator for format '%s' (see 'scriptorium formats')", format);
    scr_registry_free(reg);
    return EXIT_USAGE;
  }
  open_validator open[16];
  size_t nopen = 0;
  int rc = EXIT_OK;
  for (int i = optind; i < argc; i++) {
    scr_diag *diag = scr_diag_new(argv[i], cli_print_diag, NULL);
    if (!diag) {
      fprintf(stderr, "%s: error: out of memory\n", argv[i]);
      rc = EXIT_FAILED;
      continue;
    }
    char *data;
    size_t len;
    if (scr_file_read(argv[i], &data, &len, diag)) {
      rc = EXIT_FAILED;
      scr_diag_free(diag);
      continue;
    }
    const scr_validator *v = forced;
    if (!v && scr_registry_detect_validator(reg, data, len, &v, diag)) {
      rc = EXIT_FAILED;
      free(data);
      scr_diag_free(diag);
      continue;
    }
    open_validator *ov = NULL;
    for (size_t k = 0; k < nopen; k++)
      if (open[k].v == v) ov = &open[k];
    if (!ov && nopen < sizeof open / sizeof open[0]) {
      ov = &open[nopen++];
      ov->v = v;
      ov->failed = 0;
      /* Compiled once for every file of the format. */
      ov->state = v->open(schema, diag);
      if (!ov->state) ov->failed = 1;
    }
    if (!ov || ov->failed) {
      rc = EXIT_FAILED;
    } else {
      scr_input in = {sizeof in, argv[i], data, len};
      int r = v->check(ov->state, &in, diag);
      if (r != 0) rc = EXIT_FAILED;
      else if (!quiet_warnings) fprintf(stderr, "%s: valid (%s)\n", argv[i], v->format);
    }
    free(data);
    scr_diag_free(diag);
  }
  for (size_t k = 0; k < nopen; k++)
    if (open[k].state) open[k].v->close(open[k].state);
  scr_registry_free(reg);
  return rc;
}

/* ---- main ------------------------------------------------------------------------ */

int main(int argc, char **argv) {
  int c;
  static const struct option longopts[] = {
      {"plugin-dir", required_argument, NULL, 'P'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {0}};
  plugin_dirs = calloc((size_t)argc + 1, sizeof *plugin_dirs);
  if (!plugin_dirs) cli_out_of_memory();
  int rc;
  while ((c = getopt_long(argc, argv, "+qhV", longopts, NULL)) != -1) {
    switch (c) {
    case 'P': plugin_dirs[plugin_dir_count++] = optarg; break;
    case 'q': quiet_warnings = 1; break;
    case 'h': fputs(main_help, stdout); rc = EXIT_OK; goto out;
    case 'V': printf("scriptorium %s (plugin ABI %d.%d)\n", scr_version(), SCR_ABI_MAJOR, SCR_ABI_MINOR); rc = EXIT_OK; goto out;
    default: fputs(main_help, stderr); rc = EXIT_USAGE; goto out;
    }
  }
  if (optind >= argc) {
    fputs(main_help, stderr);
    rc = EXIT_USAGE;
    goto out;
  }
  const char *cmd = argv[optind];
  int sub_argc = argc - optind;
  char **sub_argv = argv + optind;
  if (strcmp(cmd, "convert") == 0) rc = cmd_convert(sub_argc, sub_argv);
  else if (strcmp(cmd, "formats") == 0) rc = cmd_formats(sub_argc, sub_argv);
  else if (strcmp(cmd, "validate") == 0) rc = cmd_validate(sub_argc, sub_argv);
  else if (strcmp(cmd, "help") == 0) {
    const char *topic = sub_argc > 1 ? sub_argv[1] : "";
    if (strcmp(topic, "convert") == 0) {
      char *help_argv[] = {"convert", "--help", NULL};
      rc = cmd_convert(2, help_argv);
      goto out;
    }
    fputs(strcmp(topic, "formats") == 0 ? formats_help
          : strcmp(topic, "validate") == 0 ? validate_help
                                           : main_help,
          stdout);
    rc = EXIT_OK;
  } else {
    usage_error("unknown command '%s' (see 'scriptorium --help')", cmd);
    rc = EXIT_USAGE;
  }
out:
  free(plugin_dirs);
  return rc;
}
