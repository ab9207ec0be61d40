/* main.c - the scriptorium command: the only part of Scriptorium that talks
 * to the user. Everything it does goes through the public API. This file
 * takes the options that come before the command and dispatches to it
 * (commands.h); the commands live in files of their own. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scriptorium/scriptorium.h"

#include "commands.h"
#include "diag.h"
#include "plugins.h"

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
    "  persons    read a corpus and write an authority file of its persons\n"
    "  help       show help for a command\n"
    "\n"
    "Options:\n"
    "  --plugin-dir DIR  look for plugins in DIR first (repeatable); then\n"
    "                    $SCRIPTORIUM_PLUGIN_PATH, then the installed directory\n"
    "  -q, --quiet       do not print warnings (also after the command)\n"
    "  -h, --help        show this help\n"
    "  -V, --version     show the version\n"
    "\n"
    "Exit status: 0 ok, 1 some input could not be converted or is invalid,\n"
    "2 usage error (bad command line, unknown format or option, a plugin\n"
    "that failed to load).\n";


/* ---- main ------------------------------------------------------------------------ */

int main(int argc, char **argv) {
  int c;
  static const struct option longopts[] = {
      {"plugin-dir", required_argument, NULL, 'P'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {0}};
  const char **plugin_dirs = calloc((size_t)argc + 1, sizeof *plugin_dirs);
  size_t plugin_dir_count = 0;
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
  cli_plugin_dirs(plugin_dirs, plugin_dir_count);
  if (optind >= argc) {
    fputs(main_help, stderr);
    rc = EXIT_USAGE;
    goto out;
  }
  static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
  } commands[] = {{"convert", cmd_convert}, {"formats", cmd_formats}, {"validate", cmd_validate},
                  {"persons", cmd_persons}};
  const char *cmd = argv[optind];
  int sub_argc = argc - optind;
  char **sub_argv = argv + optind;
  if (strcmp(cmd, "help") == 0) {
    /* help COMMAND is COMMAND --help, on standard output */
    const char *topic = sub_argc > 1 ? sub_argv[1] : "";
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
      if (strcmp(topic, commands[i].name) == 0) {
        char *help_argv[] = {(char *)commands[i].name, "--help", NULL};
        rc = commands[i].run(2, help_argv);
        goto out;
      }
    fputs(main_help, stdout);
    rc = EXIT_OK;
    goto out;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(cmd, commands[i].name) == 0) {
      rc = commands[i].run(sub_argc, sub_argv);
      goto out;
    }
  usage_error("unknown command '%s' (see 'scriptorium --help')", cmd);
  rc = EXIT_USAGE;
out:
  free(plugin_dirs);
  return rc;
}
