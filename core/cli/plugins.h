/* plugins.h - the plugins every command loads: the --plugin-dir list, then
 * the default search path (private to the CLI). */
#ifndef SCR_CLI_PLUGINS_H
#define SCR_CLI_PLUGINS_H

#include <stddef.h>

#include <scriptorium/scriptorium.h>

/* Directories to search first, in order (--plugin-dir); `dirs` is kept,
 * not copied. */
void cli_plugin_dirs(const char **dirs, size_t n);
/* Loads every plugin; *failed is the number rejected (reported). Exits 1
 * with a message if memory runs out. */
scr_registry *cli_load_plugins(int *failed);

#endif
