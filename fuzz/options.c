/* options.c - fuzzes option parsing: each line of the input is a
 * NAME=VALUE as `--set` passes it, set on the option table of every reader,
 * writer and transform loaded (core/src/options.c and the plugins' tables).
 *
 * Invariants: a setting is taken (0) or refused with a reason (-1 no such
 * option, -2 a bad value, -3 out of memory), and a refusal writes a
 * message; a name the table has is never "no such option"; a taken value
 * reads back (an integer within the table's range, a boolean as 0 or 1). */
#include <stdint.h>

#include "common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_registry();
  return 0;
}

static void one_table(const scr_option_spec *specs, size_t count, const char *data, size_t size) {
  scr_options *o = scr_options_new(specs, count);
  if (!o) return;
  const char *p = data, *end = data + size;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    const char *eq = memchr(p, '=', (size_t)(le - p));
    if (eq) {
      char *name = strndup(p, (size_t)(eq - p));
      char *value = strndup(eq + 1, (size_t)(le - eq - 1));
      fuzz_check(name && value, "memory");
      char err[256] = "";
      int rc = scr_options_set(o, name, value, err, sizeof err);
      fuzz_check(rc == 0 || rc == -1 || rc == -2 || rc == -3, "a known return value");
      fuzz_check(rc == 0 || err[0] != '\0', "a refusal says why");
      fuzz_check(rc != -1 || !scr_options_has(specs, count, name), "a known name is not refused as unknown");
      if (rc == 0) {
        fuzz_check(scr_options_has(specs, count, name), "only a known name is taken");
        fuzz_check(scr_options_get(o, name) != NULL, "a taken value reads back");
        for (size_t i = 0; i < count; i++) {
          if (strcmp(specs[i].name, name) != 0) continue;
          if (specs[i].type == SCR_OPT_INT) {
            long v = scr_options_get_int(o, name, specs[i].min - 1);
            fuzz_check(v >= specs[i].min && v <= specs[i].max, "an integer within its range");
          } else if (specs[i].type == SCR_OPT_BOOL) {
            int v = scr_options_get_bool(o, name, -1);
            fuzz_check(v == 0 || v == 1, "a boolean is 0 or 1");
          }
        }
      }
      free(name);
      free(value);
    }
    p = nl ? nl + 1 : end;
  }
  for (size_t i = 0; i < scr_options_count(o); i++)
    fuzz_check(scr_options_name(o, i) != NULL, "every option has a name");
  scr_options_free(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  scr_registry *reg = fuzz_registry();
  for (size_t p = 0; p < scr_registry_plugin_count(reg); p++) {
    const scr_plugin *pl = scr_registry_plugin(reg, p);
    for (size_t i = 0; pl->readers && pl->readers[i]; i++)
      one_table(pl->readers[i]->options, pl->readers[i]->option_count, (const char *)data, size);
    for (size_t i = 0; pl->writers && pl->writers[i]; i++)
      one_table(pl->writers[i]->options, pl->writers[i]->option_count, (const char *)data, size);
    if (SCR_HAS_FIELD(pl, scr_plugin, transforms))
      for (size_t i = 0; pl->transforms && pl->transforms[i]; i++)
        one_table(pl->transforms[i]->options, pl->transforms[i]->option_count,
                  (const char *)data, size);
  }
  return 0;
}
