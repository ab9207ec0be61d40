/* options.c - a reader's or writer's options: its table's defaults, then the
 * user's --set values, checked against the table before the plugin runs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scriptorium/scriptorium.h"

struct scr_options {
  const scr_option_spec *specs;
  size_t count;
  char **values; /* malloc'd user values, NULL where unset */
};

scr_options *scr_options_new(const scr_option_spec *specs, size_t count) {
  scr_options *o = calloc(1, sizeof *o);
  if (!o) return NULL;
  o->specs = specs;
  o->count = specs ? count : 0;
  if (o->count && !(o->values = calloc(o->count, sizeof *o->values))) {
    free(o);
    return NULL;
  }
  return o;
}

void scr_options_free(scr_options *o) {
  if (!o) return;
  for (size_t i = 0; i < o->count; i++) free(o->values[i]);
  free(o->values);
  free(o);
}

static long find(const scr_option_spec *specs, size_t count, const char *name) {
  for (size_t i = 0; i < count; i++)
    if (specs[i].name && strcmp(specs[i].name, name) == 0) return (long)i;
  return -1;
}

int scr_options_has(const scr_option_spec *specs, size_t count,
                    const char *name) {
  return specs && find(specs, count, name) >= 0;
}

static int parse_bool(const char *v, int *out) {
  static const char *const yes[] = {"1", "true", "yes", "on"};
  static const char *const no[] = {"0", "false", "no", "off"};
  for (size_t i = 0; i < 4; i++) {
    if (strcasecmp(v, yes[i]) == 0) return *out = 1, 0;
    if (strcasecmp(v, no[i]) == 0) return *out = 0, 0;
  }
  return -1;
}

static int parse_long(const char *v, long *out) {
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (errno || end == v || *end) return -1;
  *out = n;
  return 0;
}

int scr_options_set(scr_options *o, const char *name, const char *value,
                    char *err, size_t errlen) {
  long i = find(o->specs, o->count, name);
  if (i < 0) {
    if (err) snprintf(err, errlen, "unknown option '%s'", name);
    return -1;
  }
  const scr_option_spec *s = &o->specs[i];
  int b;
  long n;
  switch (s->type) {
  case SCR_OPT_BOOL:
    if (parse_bool(value, &b)) {
      if (err)
        snprintf(err, errlen, "option '%s' takes true or false, not '%s'",
                 name, value);
      return -2;
    }
    break;
  case SCR_OPT_INT:
    if (parse_long(value, &n) || n < s->min || n > s->max) {
      if (err)
        snprintf(err, errlen,
                 "option '%s' takes a whole number from %ld to %ld, not '%s'",
                 name, s->min, s->max, value);
      return -2;
    }
    break;
  case SCR_OPT_CHOICE: {
    int ok = 0;
    for (const char *const *c = s->choices; c && *c; c++)
      if (strcmp(*c, value) == 0) ok = 1;
    if (!ok) {
      if (err) {
        int w = snprintf(err, errlen, "option '%s' takes one of", name);
        for (const char *const *c = s->choices; c && *c && w >= 0 &&
                                                (size_t)w < errlen;
             c++)
          w += snprintf(err + w, errlen - (size_t)w, " %s", *c);
        if (w >= 0 && (size_t)w < errlen)
          snprintf(err + w, errlen - (size_t)w, ", not '%s'", value);
      }
      return -2;
    }
    break;
  }
  case SCR_OPT_STRING:
  case SCR_OPT_PATH:
  default:
    break;
  }
  char *copy = strdup(value);
  if (!copy) {
    if (err) snprintf(err, errlen, "out of memory");
    return -3;
  }
  free(o->values[i]);
  o->values[i] = copy;
  return 0;
}

const char *scr_options_get(const scr_options *o, const char *name) {
  if (!o) return NULL;
  long i = find(o->specs, o->count, name);
  if (i < 0) return NULL;
  return o->values[i] ? o->values[i] : o->specs[i].default_value;
}

int scr_options_get_bool(const scr_options *o, const char *name,
                         int fallback) {
  const char *v = scr_options_get(o, name);
  int b;
  return v && parse_bool(v, &b) == 0 ? b : fallback;
}

long scr_options_get_int(const scr_options *o, const char *name,
                         long fallback) {
  const char *v = scr_options_get(o, name);
  long n;
  return v && parse_long(v, &n) == 0 ? n : fallback;
}

size_t scr_options_count(const scr_options *o) { return o ? o->count : 0; }

const char *scr_options_name(const scr_options *o, size_t i) {
  return o && i < o->count ? o->specs[i].name : NULL;
}

const char *scr_options_value(const scr_options *o, size_t i) {
  if (!o || i >= o->count) return NULL;
  return o->values[i] ? o->values[i] : o->specs[i].default_value;
}
