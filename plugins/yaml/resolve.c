/* resolve.c - what a plain YAML scalar resolves to under YAML 1.1 as Python's
 * yaml (the reference loader) implements it: the language of its resolver's
 * regular expressions, given below in POSIX ERE. Python tries them by the
 * scalar's first character; each expression already implies its first
 * characters, so trying all of them in Python's order gives the same answer.
 *
 * The expressions are matched by hand, not by regcomp/regexec: glibc's
 * regexec answers "no match" also when it runs out of memory (a number
 * would then be written unquoted, and read back as a number), and its
 * regcomp frees a block twice when an allocation fails while compiling
 * (glibc 2.36). Matching by hand needs no memory at all. tests/yaml/
 * test_resolve.c compares it with the expressions on a million scalars. */
#include <string.h>

#include "yaml_plugin.h"

const yaml_plain_pattern yaml_plain_patterns[6] = {
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
  r->ready = 1;
  return 0;
}

const yaml_resolver *yaml_resolver_shared(void) {
  static const yaml_resolver shared = {1};
  return &shared;
}

void yaml_resolver_free(yaml_resolver *r) { r->ready = 0; }

/* ---- the expressions, by hand: each reads s[*p..len) and moves *p ------- */

/* c*: how many characters of `set` follow. */
static size_t span(const char *s, size_t len, size_t *p, const char *set) {
  size_t from = *p;
  while (*p < len && s[*p] && strchr(set, s[*p])) (*p)++;
  return *p - from;
}

static int accept(const char *s, size_t len, size_t *p, const char *set) {
  if (*p < len && s[*p] && strchr(set, s[*p])) return ++*p, 1;
  return 0;
}

static int word_at(const char *s, size_t len, size_t p, const char *w) {
  size_t n = strlen(w);
  return len - p == n && memcmp(s + p, w, n) == 0;
}

#define DIGITS "0123456789"

/* ([eE][-+][0-9]+)? to the end. */
static int exponent_to_end(const char *s, size_t len, size_t p) {
  if (p == len) return 1;
  return accept(s, len, &p, "eE") && accept(s, len, &p, "-+") &&
         span(s, len, &p, DIGITS) > 0 && p == len;
}

/* (:[0-5]?[0-9])+ : one or more groups; the next character is no digit. */
static int sexagesimal(const char *s, size_t len, size_t *p) {
  int groups = 0;
  while (*p < len && s[*p] == ':') {
    size_t q = *p + 1, n = span(s, len, &q, DIGITS);
    if (n == 0 || n > 2 || (n == 2 && s[*p + 1] > '5')) return 0;
    *p = q;
    groups++;
  }
  return groups > 0;
}

static int is_float(const char *s, size_t len) {
  size_t p = 0;
  if (accept(s, len, &p, ".")) {
    /* [.][0-9][0-9_]*([eE][-+][0-9]+)? | [.](nan|NaN|NAN) | [.](inf|Inf|INF) */
    if (word_at(s, len, p, "nan") || word_at(s, len, p, "NaN") || word_at(s, len, p, "NAN") ||
        word_at(s, len, p, "inf") || word_at(s, len, p, "Inf") || word_at(s, len, p, "INF"))
      return 1;
    if (!accept(s, len, &p, DIGITS)) return 0;
    span(s, len, &p, DIGITS "_");
    return exponent_to_end(s, len, p);
  }
  int sign = accept(s, len, &p, "-+");
  if (sign && accept(s, len, &p, "."))
    return word_at(s, len, p, "inf") || word_at(s, len, p, "Inf") || word_at(s, len, p, "INF");
  /* [-+]?[0-9][0-9_]* then [.][0-9_]*([eE][-+][0-9]+)?
   *                   or (:[0-5]?[0-9])+[.][0-9_]* */
  if (!accept(s, len, &p, DIGITS)) return 0;
  span(s, len, &p, DIGITS "_");
  if (p < len && s[p] == ':') {
    if (!sexagesimal(s, len, &p) || !accept(s, len, &p, ".")) return 0;
    span(s, len, &p, DIGITS "_");
    return p == len;
  }
  if (!accept(s, len, &p, ".")) return 0;
  span(s, len, &p, DIGITS "_");
  return exponent_to_end(s, len, p);
}

static int is_int(const char *s, size_t len) {
  size_t p = 0;
  accept(s, len, &p, "-+");
  if (p < len && s[p] == '0') {
    /* 0 | 0b[0-1_]+ | 0x[0-9a-fA-F_]+ | 0[0-7_]+ */
    p++;
    if (p == len) return 1;
    const char *set = "01234567_";
    if (s[p] == 'b') set = "01_", p++;
    else if (s[p] == 'x') set = DIGITS "abcdefABCDEF_", p++;
    return span(s, len, &p, set) > 0 && p == len;
  }
  /* [1-9][0-9_]* | [1-9][0-9_]*(:[0-5]?[0-9])+ */
  if (!accept(s, len, &p, "123456789")) return 0;
  span(s, len, &p, DIGITS "_");
  if (p < len && s[p] == ':' && !sexagesimal(s, len, &p)) return 0;
  return p == len;
}

/* exactly n digits */
static int digits(const char *s, size_t len, size_t *p, size_t n) {
  size_t q = *p;
  if (span(s, len, &q, DIGITS) != n) return 0;
  *p = q;
  return 1;
}

/* one or two digits */
static int digits12(const char *s, size_t len, size_t *p) {
  size_t n = span(s, len, p, DIGITS);
  return n == 1 || n == 2;
}

static int is_timestamp(const char *s, size_t len) {
  size_t p = 0;
  if (!digits(s, len, &p, 4) || !accept(s, len, &p, "-")) return 0;
  size_t month = p;
  if (!digits12(s, len, &p) || !accept(s, len, &p, "-")) return 0;
  size_t day = p;
  if (!digits12(s, len, &p)) return 0;
  /* [0-9]{4}-[0-9]{2}-[0-9]{2}, the date alone */
  if (p == len) return day - month == 3 && p - day == 2;
  /* ([Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]([.][0-9]*)?
   * ([ \t]*(Z|[-+][0-9][0-9]?(:[0-9][0-9])?))? */
  if (!accept(s, len, &p, "Tt") && span(s, len, &p, " \t") == 0) return 0;
  if (!digits12(s, len, &p) || !accept(s, len, &p, ":") || !digits(s, len, &p, 2) ||
      !accept(s, len, &p, ":") || !digits(s, len, &p, 2))
    return 0;
  if (accept(s, len, &p, ".")) span(s, len, &p, DIGITS);
  if (p == len) return 1;
  span(s, len, &p, " \t");
  if (accept(s, len, &p, "Z")) return p == len;
  if (!accept(s, len, &p, "-+") || !digits12(s, len, &p)) return 0;
  if (p == len) return 1;
  return accept(s, len, &p, ":") && digits(s, len, &p, 2) && p == len;
}

yaml_plain_kind yaml_resolve_plain(const yaml_resolver *r, const char *s,
                                   size_t len) {
  (void)r;
  /* "=" is the only value key; it needs no pattern. */
  if (len == 1 && s[0] == '=') return YAML_PLAIN_VALUE;
  /* Every pattern starts with one of these characters (or matches ""). */
  if (len && !strchr("yYnNtTfFoO-+0123456789.<~", s[0])) return YAML_PLAIN_STR;
  /* Every match is made of these characters only (those of the patterns
   * above, their classes expanded): a scalar with any other byte, as prose
   * has, is a string at once. */
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
  /* With a digit, only float, int and timestamp can match (in that order;
   * no scalar is two of them). */
  if (is_float(s, len)) return YAML_PLAIN_FLOAT;
  if (is_int(s, len)) return YAML_PLAIN_INT;
  if (is_timestamp(s, len)) return YAML_PLAIN_TIMESTAMP;
  return YAML_PLAIN_STR;
}
