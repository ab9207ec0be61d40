/* test_resolve.c - yaml_resolve_plain (an alphabet filter, without a digit
 * a word list, and the expressions matched by hand) gives what the six YAML
 * 1.1 expressions alone give, compiled with regcomp, on generated scalars:
 * words that resolve, the same with a character inserted, and strings over
 * the patterns' alphabet plus a few characters outside it (a letter, a
 * comma, an e-acute, '='). */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "yaml_plugin.h"

static regex_t re[6];

/* What the expressions say, tried in the resolver's order. */
static yaml_plain_kind by_expressions(const char *s, size_t len) {
  if (len == 1 && s[0] == '=') return YAML_PLAIN_VALUE;
  for (int i = 0; i < 6; i++)
    if (regexec(&re[i], s, 0, NULL, 0) == 0) return yaml_plain_patterns[i].kind;
  return YAML_PLAIN_STR;
}

static unsigned long long state = 88172645463325252ull;
static unsigned next(unsigned n) { /* xorshift, the same run every time */
  state ^= state << 13, state ^= state >> 7, state ^= state << 17;
  return (unsigned)(state % n);
}

int main(void) {
  const yaml_resolver *r = yaml_resolver_shared();
  for (int i = 0; i < 6; i++)
    if (regcomp(&re[i], yaml_plain_patterns[i].pattern, REG_EXTENDED | REG_NOSUB))
      return fprintf(stderr, "cannot compile %s\n", yaml_plain_patterns[i].pattern), 1;
  static const char alpha[] = "\t +-.0123456789:<ABCDEFILNORSTUYZ_abcdefilnorstuxy~hM,=\xc3\xa9";
  static const char *const words[] = {
      "yes", "No", "TRUE", "off", "On", "null", "~", "<<", ".inf", "-.INF", ".NaN", "0x1F",
      "0b101", "017", "1_000", "-12", "190:20:30", "1.5e+3", "6.8523015e+5", "2001-12-14",
      "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 Z", "", "=", "id", "text",
      /* near the edges of float, int and timestamp, which are matched by hand */
      "1:20.5", "-1_0:30", "190:20:30.15", "+1:5", "0:30", "09", "0x_", "0b", "1.", "+.5",
      ".5e-3", "1e+5", "1.5e3", "2001-1-2 3:04:05", "2001-12-14T21:59:43Z", "2001-1-14",
      "2001-12-14 \t21:59:43.", "2001-12-14 21:59:43 +5", "2001-12-14 21:59:43-05:30",
      "2001-12-14 21:59:43 "};
  size_t checked = 0, resolved = 0, failures = 0;
  for (long it = 0; it < 1000000; it++) {
    char s[64];
    size_t len;
    if (it % 3 == 0) {
      const char *w = words[next(sizeof words / sizeof *words)];
      len = strlen(w);
      memcpy(s, w, len);
      for (unsigned edits = next(4); edits > 0; edits--) { /* up to three edits anywhere */
        unsigned what = next(3);
        size_t k = next((unsigned)len + 1);
        if (what == 0 && len < 40) { /* a character inserted */
          memmove(s + k + 1, s + k, len - k);
          s[k] = alpha[next(sizeof alpha - 1)];
          len++;
        } else if (what == 1 && k < len) { /* one removed */
          memmove(s + k, s + k + 1, len - k - 1);
          len--;
        } else if (k < len) { /* one replaced */
          s[k] = alpha[next(sizeof alpha - 1)];
        }
      }
    } else {
      len = next(14);
      for (size_t i = 0; i < len; i++) s[i] = alpha[next(sizeof alpha - 1)];
    }
    s[len] = '\0';
    yaml_plain_kind got = yaml_resolve_plain(r, s, len), want = by_expressions(s, len);
    checked++;
    if (want != YAML_PLAIN_STR) resolved++;
    if (got != want && failures++ < 10)
      fprintf(stderr, "'%s': resolve_plain says %d, the expressions %d\n", s, got, want);
  }
  printf("%zu scalars, %zu not strings, %zu differences\n", checked, resolved, failures);
  /* the generator must reach every kind, or the comparison says little */
  return failures == 0 && resolved > checked / 10 ? 0 : 1;
}
