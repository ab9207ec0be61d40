/* settings.h - the --set KEY=VALUE and FMT.KEY=VALUE options of a run, and
 * the option tables of its readers, transforms and writers built from them
 * (private to the CLI). */
#ifndef SCR_CLI_SETTINGS_H
#define SCR_CLI_SETTINGS_H

#include <stddef.h>

#include <scriptorium/scriptorium.h>

typedef struct setting {
  char *format; /* NULL: any format that has the option */
  char *key;
  char *value;
  int used;
} setting;

/* Adds the setting `arg` (KEY=VALUE or FMT.KEY=VALUE). 0; -2 when it has
 * no KEY=; exits 1 when memory runs out. */
int settings_add(setting **sets, size_t *n, const char *arg);
/* The options of one part (a reader or writer format, or a transform's
 * name) from the settings that name it or no part; marks those it takes.
 * A value the part refuses is printed and sets *bad. NULL when memory ran
 * out. */
scr_options *settings_options(const char *part, const scr_option_spec *specs, size_t count,
                              setting *sets, size_t nsets, int *bad);
/* After every part took its settings: prints a usage error for the first
 * that none took and returns EXIT_USAGE, else 0. */
int settings_check_used(const setting *sets, size_t nsets);
void settings_free(setting *sets, size_t n);

#endif
