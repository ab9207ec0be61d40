/* validate.c - `scriptorium validate`: each file against its format's
 * schema (compiled once per format) and the format's own rules. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "plugins.h"

static const char validate_help[] =
    "Usage: scriptorium validate [-q] [-f FORMAT] [--schema FILE] FILE...\n"
    "\n"
    "Checks each FILE against its format's schema (the project's schema by\n"
    "default, or FILE given with --schema) and the format's own rules (for\n"
    "TEI: every @who/@ref/@next/@prev points at something that exists).\n"
    "The schema is compiled once for all files. Problems are printed as\n"
    "FILE:LINE: message. Exit status 1 if any file is invalid.\n";


typedef struct open_validator {
  const scr_validator *v;
  void *state;
  int failed;
} open_validator;

int cmd_validate(int argc, char **argv) {
  const char *format = NULL, *schema = NULL;
  int c;
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'f'},
      {"schema", required_argument, NULL, 'S'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {0}};
  optind = 1;
  while ((c = getopt_long(argc, argv, "+f:S:qh", longopts, NULL)) != -1) {
    if (c == 'f') format = optarg;
    else if (c == 'S') schema = optarg;
    else if (c == 'q') quiet_warnings = 1;
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
