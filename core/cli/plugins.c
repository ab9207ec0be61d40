/* plugins.c - loading the plugins for a command: the --plugin-dir
 * directories first, then $SCRIPTORIUM_PLUGIN_PATH and the installed
 * directory (scr_registry_load_default). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "plugins.h"

static const char **plugin_dirs = NULL;
static size_t plugin_dir_count = 0;

void cli_plugin_dirs(const char **dirs, size_t n) {
  plugin_dirs = dirs;
  plugin_dir_count = n;
}

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
