/* settings.c - --set options (settings.h): parsed from the command line,
 * handed to the parts that have them, the ones none has refused. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "settings.h"

int settings_add(setting **sets, size_t *n, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg) return -2;
  setting *grown = realloc(*sets, (*n + 1) * sizeof **sets);
  if (!grown) cli_out_of_memory();
  *sets = grown;
  setting *s = &grown[(*n)++];
  char *key = strndup(arg, (size_t)(eq - arg));
  char *dot = key ? strchr(key, '.') : NULL;
  s->format = dot ? strndup(key, (size_t)(dot - key)) : NULL;
  s->key = dot ? strdup(dot + 1) : strdup(key ? key : "");
  s->value = strdup(eq + 1);
  s->used = 0;
  if (!key || (dot && !s->format) || !s->key || !s->value) cli_out_of_memory();
  free(key);
  return 0;
}

/* Builds the options of one reader or writer from the --set list; NULL
 * when memory ran out. */
scr_options *settings_options(const char *format, const scr_option_spec *specs, size_t count,
                              setting *sets, size_t nsets, int *bad) {
  scr_options *o = scr_options_new(specs, count);
  if (!o) return NULL;
  for (size_t i = 0; i < nsets; i++) {
    setting *s = &sets[i];
    /* A key goes to the parts that have it (`text.edition` to the text
     * writer, not to the text reader); one no part has is reported once,
     * after every part was offered it. */
    if (s->format && strcmp(s->format, format) != 0) continue;
    if (!scr_options_has(specs, count, s->key)) continue;
    char err[256];
    int set = scr_options_set(o, s->key, s->value, err, sizeof err);
    if (set == -3) return scr_options_free(o), NULL;
    if (set) {
      usage_error("%s: %s", format, err);
      *bad = 1;
    }
    s->used = 1;
  }
  return o;
}

int settings_check_used(const setting *sets, size_t nsets) {
  for (size_t i = 0; i < nsets; i++) {
    if (sets[i].used) continue;
    if (sets[i].format)
      usage_error("unknown option '%s' for format '%s'", sets[i].key, sets[i].format);
    else
      usage_error("unknown option '%s': no format in this conversion takes it", sets[i].key);
    return EXIT_USAGE;
  }
  return 0;
}

void settings_free(setting *sets, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(sets[i].format);
    free(sets[i].key);
    free(sets[i].value);
  }
  free(sets);
}
