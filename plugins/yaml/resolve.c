/* resolve.c - what a plain YAML scalar resolves to under YAML 1.1 as Python's
 * yaml (the reference loader) implements it: the same regular expressions as
 * its resolver, in POSIX ERE. Python tries them by the scalar's first
 * character; each expression below already implies its first characters, so
 * trying all of them in Python's order gives the same answer. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_plugin.h"

static const struct {
  yaml_plain_kind kind;
  const char *pattern;
} patterns[6] = {
    {YAML_PLAIN_BOOL,
     "^(yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|"
     "Off|OFF)$"},
    {YAML_PLAIN_FLOAT,
     "^([-+]?([0-9][0-9_]*)[.][0-9_]*([eE][-+][0-9]+)?"
     "|[.][0-9][0-9_]*([eE][-+][0-9]+)?"
     "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+[.][0-9_]*"
     "|[-+]?[.](inf|Inf|INF)"
     "|[.](nan|NaN|NAN))$"},
    {YAML_PLAIN_INT,
     "^([-+]?0b[0-1_]+"
     "|[-+]?0[0-7_]+"
     "|[-+]?(0|[1-9][0-9_]*)"
     "|[-+]?0x[0-9a-fA-F_]+"
     "|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+)$"},
    {YAML_PLAIN_MERGE, "^<<$"},
    {YAML_PLAIN_NULL, "^(~|null|Null|NULL|)$"},
    {YAML_PLAIN_TIMESTAMP,
     "^([0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
     "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
     "([Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]([.][0-9]*)?"
     "([ \t]*(Z|[-+][0-9][0-9]?(:[0-9][0-9])?))?)$"},
};

int yaml_resolver_init(yaml_resolver *r) {
  memset(r, 0, sizeof *r);
  for (size_t i = 0; i < 6; i++) {
    if (regcomp(&r->re[i], patterns[i].pattern, REG_EXTENDED | REG_NOSUB)) {
      while (i-- > 0) regfree(&r->re[i]);
      return -1;
    }
  }
  r->ready = 1;
  return 0;
}

/* One resolver for the whole process, compiled on first use: compiling six
 * expressions for every document cost the writer a third of its time on a
 * corpus. Only read after compiling, which regexec allows from any thread. */
static yaml_resolver shared;
static int shared_ok;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;
static void shared_compile(void) { shared_ok = yaml_resolver_init(&shared) == 0; }

const yaml_resolver *yaml_resolver_shared(void) {
  pthread_once(&shared_once, shared_compile);
  return shared_ok ? &shared : NULL;
}

void yaml_resolver_free(yaml_resolver *r) {
  if (!r->ready) return;
  for (size_t i = 0; i < 6; i++) regfree(&r->re[i]);
  r->ready = 0;
}

yaml_plain_kind yaml_resolve_plain(const yaml_resolver *r, const char *s,
                                   size_t len) {
  /* "=" is the only value key; it needs no pattern. */
  if (len == 1 && s[0] == '=') return YAML_PLAIN_VALUE;
  /* Every pattern starts with one of these characters (or matches ""). */
  if (len && !strchr("yYnNtTfFoO-+0123456789.<~", s[0])) return YAML_PLAIN_STR;
  /* Every match is made of these characters only (those of the patterns
   * above, their classes expanded): a scalar with any other byte, as prose
   * has, is a string without running the six expressions. */
  static const char alphabet[] = "\t +-.0123456789:<ABCDEFILNORSTUYZ_abcdefilnorstuxy~";
  int digit = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '\0' || !memchr(alphabet, s[i], sizeof alphabet - 1)) return YAML_PLAIN_STR;
    if (s[i] >= '0' && s[i] <= '9') digit = 1;
  }
  /* Without a digit only the words of bool and null, "<<" and the
   * infinities and NaNs of float can match: compared as words (the keys
   * of the writer, "id", "text", are such scalars). */
  if (!digit) {
    static const struct {
      const char *word;
      yaml_plain_kind kind;
    } words[] = {
        {"yes", YAML_PLAIN_BOOL},   {"Yes", YAML_PLAIN_BOOL},    {"YES", YAML_PLAIN_BOOL},
        {"no", YAML_PLAIN_BOOL},    {"No", YAML_PLAIN_BOOL},     {"NO", YAML_PLAIN_BOOL},
        {"true", YAML_PLAIN_BOOL},  {"True", YAML_PLAIN_BOOL},   {"TRUE", YAML_PLAIN_BOOL},
        {"false", YAML_PLAIN_BOOL}, {"False", YAML_PLAIN_BOOL},  {"FALSE", YAML_PLAIN_BOOL},
        {"on", YAML_PLAIN_BOOL},    {"On", YAML_PLAIN_BOOL},     {"ON", YAML_PLAIN_BOOL},
        {"off", YAML_PLAIN_BOOL},   {"Off", YAML_PLAIN_BOOL},    {"OFF", YAML_PLAIN_BOOL},
        {".inf", YAML_PLAIN_FLOAT}, {".Inf", YAML_PLAIN_FLOAT},  {".INF", YAML_PLAIN_FLOAT},
        {"-.inf", YAML_PLAIN_FLOAT}, {"-.Inf", YAML_PLAIN_FLOAT}, {"-.INF", YAML_PLAIN_FLOAT},
        {"+.inf", YAML_PLAIN_FLOAT}, {"+.Inf", YAML_PLAIN_FLOAT}, {"+.INF", YAML_PLAIN_FLOAT},
        {".nan", YAML_PLAIN_FLOAT}, {".NaN", YAML_PLAIN_FLOAT},  {".NAN", YAML_PLAIN_FLOAT},
        {"<<", YAML_PLAIN_MERGE},   {"~", YAML_PLAIN_NULL},      {"null", YAML_PLAIN_NULL},
        {"Null", YAML_PLAIN_NULL},  {"NULL", YAML_PLAIN_NULL},   {"", YAML_PLAIN_NULL},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
      if (strlen(words[i].word) == len && memcmp(words[i].word, s, len) == 0)
        return words[i].kind;
    return YAML_PLAIN_STR;
  }
  char small[64], *copy = len < sizeof small ? small : malloc(len + 1);
  if (!copy) return YAML_PLAIN_STR;
  memcpy(copy, s, len);
  copy[len] = '\0';
  yaml_plain_kind kind = YAML_PLAIN_STR;
  for (size_t i = 0; i < 6; i++)
    if (regexec(&r->re[i], copy, 0, NULL, 0) == 0) {
      kind = patterns[i].kind;
      break;
    }
  if (copy != small) free(copy);
  return kind;
}
