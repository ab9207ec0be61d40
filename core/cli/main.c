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

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

static const char *program = "scriptorium";
static int quiet_warnings = 0;

/* ---- diagnostics: FILE:LINE:COL: severity: message -------------------------- */

static void print_diag(const scr_diagnostic *d, void *user) {
  (void)user;
  static const char *const sev[] = {"note", "warning", "error"};
  if (d->severity == SCR_WARNING && quiet_warnings) return;
  const char *file = d->file ? d->file : program;
  if (d->line && d->column)
    fprintf(stderr, "%s:%u:%u: %s: %s\n", file, d->line, d->column,
            sev[d->severity], d->message);
  else if (d->line)
    fprintf(stderr, "%s:%u: %s: %s\n", file, d->line, sev[d->severity],
            d->message);
  else
    fprintf(stderr, "%s: %s: %s\n", file, sev[d->severity], d->message);
}

static void usage_error(const char *fmt, ...) SCR_PRINTF(1, 2);
static void usage_error(const char *fmt, ...) {
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

static const char convert_help[] =
    "Usage: scriptorium convert [-f FORMAT] -t FORMAT[,FORMAT...]\n"
    "                           [-o FILE | -O DIR] [--set [FMT.]KEY=VALUE]...\n"
    "                           INPUT...\n"
    "\n"
    "Reads each INPUT ('-' for standard input) and writes it in every format\n"
    "named by -t. Without -f the input format is detected; an input that no\n"
    "reader recognises clearly is reported, not guessed.\n"
    "\n"
    "Options:\n"
    "  -f, --from FORMAT      the input format (see 'scriptorium formats')\n"
    "  -t, --to FORMATS       output formats, comma-separated\n"
    "  -o, --output FILE      output file ('-' for standard output); one input\n"
    "                         and one format only\n"
    "  -O, --output-dir DIR   write DIR/NAME.EXT for each input and format;\n"
    "                         with several inputs, also the format's corpus\n"
    "                         file (DIR/corpus.EXT) where the writer has one\n"
    "  -s, --set KEY=VALUE    set a reader or writer option; FMT.KEY sets it\n"
    "                         for one format only\n"
    "  -h, --help             show this help\n"
    "\n"
    "Without -o or -O, one input in one format goes to standard output.\n"
    "Every file is written atomically: on failure nothing is left behind.\n";

static const char formats_help[] =
    "Usage: scriptorium formats [-v]\n"
    "\n"
    "Lists every loaded plugin with its version and path, and what it reads,\n"
    "writes and validates. -v also lists each format's options.\n";

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

static scr_registry *load_plugins(int *failed) {
  scr_registry *reg = scr_registry_new();
  scr_diag *diag = scr_diag_new(NULL, print_diag, NULL);
  if (!reg || !diag) {
    usage_error("out of memory");
    exit(EXIT_FAILED);
  }
  const char **dirs = calloc(plugin_dir_count + 1, sizeof *dirs);
  for (size_t i = 0; dirs && i < plugin_dir_count; i++) dirs[i] = plugin_dirs[i];
  *failed = scr_registry_load_default(reg, dirs, NULL, diag);
  free(dirs);
  scr_diag_free(diag);
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
  scr_registry *reg = load_plugins(&failed);
  for (size_t i = 0; i < scr_registry_plugin_count(reg); i++) {
    const scr_plugin *p = scr_registry_plugin(reg, i);
    printf("%s %s  %s\n", p->name, p->version, scr_registry_plugin_path(reg, i));
    if (p->description) printf("  %s\n", p->description);
    for (size_t j = 0; p->readers && p->readers[j]; j++) {
      const scr_reader *r = p->readers[j];
      printf("  reads    %-8s %s\n", r->format, r->description ? r->description : "");
      printf("           media type %s;", r->media_type ? r->media_type : "-");
      print_list(" extensions", r->extensions);
      if (verbose) print_options(r->options, r->option_count);
    }
    for (size_t j = 0; p->writers && p->writers[j]; j++) {
      const scr_writer *w = p->writers[j];
      printf("  writes   %-8s %s%s\n", w->format, w->description ? w->description : "",
             w->write_corpus ? " (and corpus files)" : "");
      printf("           media type %s;", w->media_type ? w->media_type : "-");
      print_list(" extensions", w->extensions);
      if (verbose) print_options(w->options, w->option_count);
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

/* ---- convert ------------------------------------------------------------------ */

typedef struct setting {
  char *format; /* NULL: any format that has the option */
  char *key;
  char *value;
  int used;
} setting;

/* Builds the options of one reader or writer from the --set list. */
static scr_options *make_options(const char *format, const scr_option_spec *specs,
                                 size_t count, setting *sets, size_t nsets,
                                 int *bad) {
  scr_options *o = scr_options_new(specs, count);
  if (!o) return NULL;
  for (size_t i = 0; i < nsets; i++) {
    setting *s = &sets[i];
    if (s->format && strcmp(s->format, format) != 0) continue;
    if (!s->format && !scr_options_has(specs, count, s->key)) continue;
    char err[256];
    if (scr_options_set(o, s->key, s->value, err, sizeof err)) {
      usage_error("%s: %s", format, err);
      *bad = 1;
    }
    s->used = 1;
  }
  return o;
}

static int same_file(const char *a, const char *b) {
  struct stat sa, sb;
  if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0) return 0;
  if (stat(a, &sa) || stat(b, &sb)) return 0;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* DIR/NAME.EXT where NAME is the input's file name without its extension. */
static char *output_path(const char *dir, const char *input, const char *ext) {
  const char *base = strcmp(input, "-") == 0 ? "stdin" : strrchr(input, '/');
  base = base ? (base[0] == '/' ? base + 1 : base) : input;
  const char *dot = strrchr(base, '.');
  size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  char *path = NULL;
  if (asprintf(&path, "%s/%.*s.%s", dir, (int)stem, base, ext) < 0) return NULL;
  return path;
}

static int cmd_convert(int argc, char **argv) {
  const char *from = NULL, *to = NULL, *output = NULL, *outdir = NULL;
  setting *sets = NULL;
  size_t nsets = 0;
  int c, rc = EXIT_OK;
  static const struct option longopts[] = {
      {"from", required_argument, NULL, 'f'},
      {"to", required_argument, NULL, 't'},
      {"output", required_argument, NULL, 'o'},
      {"output-dir", required_argument, NULL, 'O'},
      {"set", required_argument, NULL, 's'},
      {"help", no_argument, NULL, 'h'},
      {0}};
  optind = 1;
  while ((c = getopt_long(argc, argv, "+f:t:o:O:s:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'f': from = optarg; break;
    case 't': to = optarg; break;
    case 'o': output = optarg; break;
    case 'O': outdir = optarg; break;
    case 's': {
      char *eq = strchr(optarg, '=');
      if (!eq || eq == optarg) {
        usage_error("--set takes KEY=VALUE, not '%s'", optarg);
        return EXIT_USAGE;
      }
      setting *grown = realloc(sets, (nsets + 1) * sizeof *sets);
      if (!grown) return EXIT_FAILED;
      sets = grown;
      setting *s = &sets[nsets++];
      char *key = strndup(optarg, (size_t)(eq - optarg));
      char *dot = strchr(key, '.');
      s->format = dot ? strndup(key, (size_t)(dot - key)) : NULL;
      s->key = dot ? strdup(dot + 1) : strdup(key);
      s->value = strdup(eq + 1);
      s->used = 0;
      free(key);
      break;
    }
    case 'h': free(sets); return fputs(convert_help, stdout), EXIT_OK;
    default: free(sets); return fputs(convert_help, stderr), EXIT_USAGE;
    }
  }
  int ninputs = argc - optind;
  char **inputs = argv + optind;
  scr_registry *reg = NULL;
  const scr_writer **writers = NULL;
  scr_options **wopts = NULL;
  scr_options *ropts = NULL;
  size_t nwriters = 0;
  char *to_copy = NULL;
  const scr_reader *reader = NULL;
  scr_doc **docs = NULL;

#define USAGE(...) do { usage_error(__VA_ARGS__); rc = EXIT_USAGE; goto done; } while (0)
  if (!to) USAGE("convert needs -t FORMAT (see 'scriptorium formats')");
  if (ninputs < 1) USAGE("convert needs at least one INPUT ('-' for standard input)");
  if (output && outdir) USAGE("-o and -O cannot be used together");

  int failed;
  reg = load_plugins(&failed);
  if (failed) USAGE("%d plugin(s) failed to load (see above)", failed);

  to_copy = strdup(to);
  for (char *save = NULL, *tok = strtok_r(to_copy, ",", &save); tok;
       tok = strtok_r(NULL, ",", &save)) {
    const scr_writer *w = scr_registry_writer(reg, tok);
    if (!w) USAGE("unknown output format '%s' (see 'scriptorium formats')", tok);
    for (size_t i = 0; i < nwriters; i++)
      if (writers[i] == w) USAGE("output format '%s' named twice", tok);
    const scr_writer **grown = realloc(writers, (nwriters + 1) * sizeof *writers);
    if (!grown) USAGE("out of memory");
    writers = grown;
    writers[nwriters++] = w;
  }
  if (nwriters == 0) USAGE("-t names no output format");
  if (from && !(reader = scr_registry_reader(reg, from)))
    USAGE("unknown input format '%s' (see 'scriptorium formats')", from);
  if (output && (ninputs > 1 || nwriters > 1))
    USAGE("-o takes one input and one output format; use -O DIR for more");
  if (!output && !outdir && (ninputs > 1 || nwriters > 1))
    USAGE("several inputs or formats need -O DIR");
  if (outdir) {
    struct stat st;
    if (stat(outdir, &st) != 0 || !S_ISDIR(st.st_mode))
      USAGE("output directory '%s' does not exist", outdir);
  }

  /* Options are checked against the plugins' tables before any plugin runs. */
  int bad = 0;
  wopts = calloc(nwriters, sizeof *wopts);
  for (size_t i = 0; wopts && i < nwriters; i++)
    wopts[i] = make_options(writers[i]->format, writers[i]->options,
                            writers[i]->option_count, sets, nsets, &bad);
  if (reader)
    ropts = make_options(reader->format, reader->options, reader->option_count,
                         sets, nsets, &bad);
  if (bad) { rc = EXIT_USAGE; goto done; }
  for (size_t i = 0; i < nsets; i++) {
    if (sets[i].used) continue;
    /* Without -f the reader is known only per input: accept options that
     * some reader declares, check them once the reader is known. */
    int known = 0;
    if (!reader)
      for (size_t p = 0; p < scr_registry_plugin_count(reg); p++) {
        const scr_plugin *pl = scr_registry_plugin(reg, p);
        for (size_t r = 0; pl->readers && pl->readers[r]; r++)
          if ((!sets[i].format || strcmp(sets[i].format, pl->readers[r]->format) == 0) &&
              scr_options_has(pl->readers[r]->options, pl->readers[r]->option_count,
                              sets[i].key))
            known = 1;
      }
    if (!known) {
      if (sets[i].format) USAGE("unknown option '%s' for format '%s'", sets[i].key, sets[i].format);
      USAGE("unknown option '%s': no format in this conversion takes it", sets[i].key);
    }
  }

  docs = calloc((size_t)ninputs, sizeof *docs);
  if (!docs) USAGE("out of memory");
  for (int i = 0; i < ninputs; i++) {
    const char *in = inputs[i];
    scr_diag *diag = scr_diag_new(strcmp(in, "-") == 0 ? "<stdin>" : in, print_diag, NULL);
    char *data;
    size_t len;
    if (!diag) { rc = EXIT_FAILED; continue; }
    if (scr_file_read(in, &data, &len, diag)) {
      rc = EXIT_FAILED;
      scr_diag_free(diag);
      continue;
    }
    const scr_reader *rd = reader;
    scr_options *opts = ropts, *own = NULL;
    if (!rd) {
      if (scr_registry_detect(reg, data, len, 25, &rd, diag)) {
        free(data);
        rc = EXIT_FAILED;
        scr_diag_free(diag);
        continue;
      }
      int b = 0;
      opts = own = make_options(rd->format, rd->options, rd->option_count, sets, nsets, &b);
      if (b) {
        free(data);
        scr_options_free(own);
        scr_diag_free(diag);
        rc = EXIT_USAGE;
        goto done;
      }
    }
    if (scr_read_bytes(rd, in, data, len, opts, diag, &docs[i])) rc = EXIT_FAILED;
    scr_options_free(own);
    if (!docs[i]) { scr_diag_free(diag); continue; }

    for (size_t w = 0; w < nwriters; w++) {
      char *path = output ? strdup(output)
                          : outdir ? output_path(outdir, in, writers[w]->extensions[0])
                                   : strdup("-");
      if (!path) { rc = EXIT_FAILED; continue; }
      int clash = 0;
      for (int k = 0; k < ninputs; k++)
        if (same_file(path, inputs[k])) clash = 1;
      if (clash) {
        scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "io",
                        "refusing to write '%s': it is an input", path);
        rc = EXIT_FAILED;
        free(path);
        continue;
      }
      scr_buf out = {0};
      size_t errs = scr_diag_count(diag, SCR_ERROR);
      if (writers[w]->write(docs[i], &out, wopts[w], diag) != 0 ||
          scr_diag_count(diag, SCR_ERROR) > errs ||
          scr_file_write_atomic(path, out.data ? out.data : "", out.len, diag))
        rc = EXIT_FAILED;
      scr_buf_free(&out);
      free(path);
    }
    scr_diag_free(diag);
  }

  /* Several inputs together also make a corpus file where a writer has one. */
  if (outdir && ninputs > 1) {
    size_t ndocs = 0;
    const scr_doc **ok = calloc((size_t)ninputs, sizeof *ok);
    for (int i = 0; ok && i < ninputs; i++)
      if (docs[i]) ok[ndocs++] = docs[i];
    for (size_t w = 0; ok && ndocs && w < nwriters; w++) {
      if (!writers[w]->write_corpus) continue;
      char *path = output_path(outdir, "corpus", writers[w]->extensions[0]);
      scr_diag *diag = scr_diag_new(path, print_diag, NULL);
      scr_buf out = {0};
      size_t errs = scr_diag_count(diag, SCR_ERROR);
      if (writers[w]->write_corpus(ok, ndocs, &out, wopts[w], diag) != 0 ||
          scr_diag_count(diag, SCR_ERROR) > errs ||
          scr_file_write_atomic(path, out.data ? out.data : "", out.len, diag))
        rc = EXIT_FAILED;
      scr_buf_free(&out);
      scr_diag_free(diag);
      free(path);
    }
    free(ok);
  }

done:
  if (docs)
    for (int i = 0; i < ninputs; i++) scr_doc_free(docs[i]);
  free(docs);
  for (size_t i = 0; wopts && i < nwriters; i++) scr_options_free(wopts[i]);
  free(wopts);
  scr_options_free(ropts);
  free(writers);
  free(to_copy);
  for (size_t i = 0; i < nsets; i++) {
    free(sets[i].format);
    free(sets[i].key);
    free(sets[i].value);
  }
  free(sets);
  scr_registry_free(reg);
  return rc;
#undef USAGE
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
  scr_registry *reg = load_plugins(&failed);
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
    scr_diag *diag = scr_diag_new(argv[i], print_diag, NULL);
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
  if (!plugin_dirs) return EXIT_FAILED;
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
    fputs(strcmp(topic, "convert") == 0   ? convert_help
          : strcmp(topic, "formats") == 0 ? formats_help
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
