/* names.c - XML names, string sets and the value checks the TEI writer and
 * validator share. */
#include <stdlib.h>
#include <string.h>

#include "tei.h"

/* Identifiers are kept to ASCII NCNames: every validator agrees on those,
 * whatever edition of XML 1.0 its name tables follow. */
static int ascii_start(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
static int ascii_name(unsigned char c) {
  return ascii_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* Letters beyond ASCII that every XML 1.0 edition allows in names (Latin,
 * Greek and Cyrillic letters): a person id such as jörg-schönenborn stays
 * as it is, so that it reads back unchanged. */
static int wide_letter(uint32_t cp) {
  return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
         (cp >= 0x388 && cp <= 0x3CE && cp != 0x38B && cp != 0x38D && cp != 0x3A2) ||
         (cp >= 0x410 && cp <= 0x44F);
}

int tei_is_ncname(const char *s, size_t len) {
  if (len == 0) return 0;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      if (!(i == 0 ? ascii_start(c) : ascii_name(c))) return 0;
      i++;
      continue;
    }
    uint32_t cp;
    size_t n = scr_utf8_decode(s + i, len - i, &cp);
    if (!wide_letter(cp)) return 0;
    i += n;
  }
  return 1;
}

int tei_ncname(scr_buf *out, const char *s, size_t len, const char *prefix) {
  uint32_t first = 0;
  if (len) scr_utf8_decode(s, len, &first);
  if (len == 0 || !((unsigned char)s[0] < 0x80 ? ascii_start((unsigned char)s[0]) : wide_letter(first)))
    if (scr_buf_puts(out, prefix)) return -1;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      if (scr_buf_putc(out, ascii_name(c) ? (char)c : '_')) return -1;
      i++;
    } else {
      /* one '_' per code point, not per byte */
      uint32_t cp;
      size_t n = scr_utf8_decode(s + i, len - i, &cp);
      if (wide_letter(cp) && !(cp == 0xFFFD && n == 1)) {
        if (scr_buf_put(out, s + i, n)) return -1;
      } else if (scr_buf_putc(out, '_')) {
        return -1;
      }
      i += n;
    }
  }
  return 0;
}

/* ---- sets ------------------------------------------------------------------- */

static size_t hash(const char *s, size_t len) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return (size_t)h;
}

static size_t slot(const tei_set *s, const char *key, size_t len) {
  size_t i = hash(key, len) & (s->cap - 1);
  while (s->keys[i] && (s->lens[i] != len || memcmp(s->keys[i], key, len) != 0))
    i = (i + 1) & (s->cap - 1);
  return i;
}

int tei_set_has(const tei_set *s, const char *key, size_t len) {
  return s->cap && s->keys[slot(s, key, len)] != NULL;
}

int tei_set_get(const tei_set *s, const char *key, size_t len, size_t *val) {
  if (!s->cap) return 0;
  size_t i = slot(s, key, len);
  if (!s->keys[i]) return 0;
  *val = s->vals[i];
  return 1;
}

int tei_set_put(tei_set *s, const char *key, size_t len, size_t val) {
  int rc = tei_set_add(s, key, len);
  if (rc == 1) s->vals[slot(s, key, len)] = val;
  return rc;
}

int tei_list_add(tei_list *l, const char *s, size_t len) {
  int rc = tei_set_add(&l->set, s, len);
  if (rc != 1) return rc;
  if (l->count == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 8;
    char **grown = realloc(l->items, cap * sizeof *grown);
    if (!grown) return -1;
    l->items = grown;
    l->cap = cap;
  }
  char *copy = malloc(len + 1);
  if (!copy) return -1;
  memcpy(copy, s, len);
  copy[len] = '\0';
  l->items[l->count++] = copy;
  return 1;
}

void tei_list_free(tei_list *l) {
  for (size_t i = 0; i < l->count; i++) free(l->items[i]);
  free(l->items);
  tei_set_free(&l->set);
  memset(l, 0, sizeof *l);
}

int tei_set_add(tei_set *s, const char *key, size_t len) {
  if (2 * (s->count + 1) > s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 8;
    char **keys = calloc(cap, sizeof *keys);
    size_t *lens = calloc(cap, sizeof *lens);
    size_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !lens || !vals) {
      free(keys);
      free(lens);
      free(vals);
      return -1;
    }
    tei_set grown = {keys, lens, vals, s->count, cap};
    for (size_t i = 0; i < s->cap; i++)
      if (s->keys[i]) {
        size_t j = slot(&grown, s->keys[i], s->lens[i]);
        keys[j] = s->keys[i];
        lens[j] = s->lens[i];
        vals[j] = s->vals[i];
      }
    free(s->keys);
    free(s->lens);
    free(s->vals);
    *s = grown;
  }
  size_t i = slot(s, key, len);
  if (s->keys[i]) return 0;
  char *copy = malloc(len + 1);
  if (!copy) return -1;
  memcpy(copy, key, len);
  copy[len] = '\0';
  s->keys[i] = copy;
  s->lens[i] = len;
  s->count++;
  return 1;
}

void tei_set_free(tei_set *s) {
  for (size_t i = 0; i < s->cap; i++) free(s->keys[i]);
  free(s->keys);
  free(s->lens);
  free(s->vals);
  memset(s, 0, sizeof *s);
}

/* ---- values ----------------------------------------------------------------- */

/* Reads exactly n digits at *p, returns their value or -1. */
static long digits(const char **p, const char *end, int n) {
  long v = 0;
  for (int i = 0; i < n; i++, (*p)++) {
    if (*p >= end || **p < '0' || **p > '9') return -1;
    v = v * 10 + (**p - '0');
  }
  return v;
}

static int lit(const char **p, const char *end, char c) {
  if (*p < end && **p == c) {
    (*p)++;
    return 1;
  }
  return 0;
}

static int year(const char **p, const char *end) {
  lit(p, end, '-');
  const char *start = *p;
  while (*p < end && **p >= '0' && **p <= '9') (*p)++;
  return *p - start >= 4;
}

static int month(const char **p, const char *end) {
  long m = digits(p, end, 2);
  return m >= 1 && m <= 12;
}

static int day(const char **p, const char *end) {
  long d = digits(p, end, 2);
  return d >= 1 && d <= 31;
}

static int clock_of_day(const char **p, const char *end) {
  long h = digits(p, end, 2);
  if (h < 0 || h > 24 || !lit(p, end, ':')) return 0;
  long m = digits(p, end, 2);
  if (m < 0 || m > 59 || !lit(p, end, ':')) return 0;
  long s = digits(p, end, 2);
  if (s < 0 || s > 60) return 0;
  if (lit(p, end, '.')) {
    const char *f = *p;
    while (*p < end && **p >= '0' && **p <= '9') (*p)++;
    if (*p == f) return 0;
  }
  return 1;
}

/* An optional time zone, then the end. */
static int zone_end(const char *p, const char *end) {
  if (p < end && *p == 'Z') p++;
  else if (p < end && (*p == '+' || *p == '-')) {
    p++;
    long h = digits(&p, end, 2);
    if (h < 0 || h > 14 || !lit(&p, end, ':') || digits(&p, end, 2) < 0) return 0;
  }
  return p == end;
}

int tei_is_w3c_temporal(const char *s, size_t len) {
  const char *end = s + len, *p = s;
  if (len >= 3 && memcmp(s, "---", 3) == 0) { /* gDay */
    p += 3;
    return day(&p, end) && zone_end(p, end);
  }
  if (len >= 2 && s[0] == '-' && s[1] == '-') { /* gMonth, gMonthDay */
    p += 2;
    if (!month(&p, end)) return 0;
    if (lit(&p, end, '-') && !day(&p, end)) return 0;
    return zone_end(p, end);
  }
  if (len >= 3 && s[2] == ':') /* time */
    return clock_of_day(&p, end) && zone_end(p, end);
  if (!year(&p, end)) return 0; /* gYear, gYearMonth, date, dateTime */
  if (!lit(&p, end, '-')) return zone_end(p, end);
  if (!month(&p, end)) return 0;
  if (!lit(&p, end, '-')) return zone_end(p, end);
  if (!day(&p, end)) return 0;
  if (lit(&p, end, 'T') && !clock_of_day(&p, end)) return 0;
  return zone_end(p, end);
}

int tei_is_uri(scr_str s) {
  size_t i = 0;
  if (!s.len || !((s.ptr[0] >= 'a' && s.ptr[0] <= 'z') || (s.ptr[0] >= 'A' && s.ptr[0] <= 'Z')))
    return 0;
  while (i < s.len && ((s.ptr[i] >= 'a' && s.ptr[i] <= 'z') || (s.ptr[i] >= 'A' && s.ptr[i] <= 'Z') ||
                       (s.ptr[i] >= '0' && s.ptr[i] <= '9') || s.ptr[i] == '+' || s.ptr[i] == '.' ||
                       s.ptr[i] == '-'))
    i++;
  if (i == s.len || s.ptr[i] != ':' || i + 1 == s.len) return 0;
  for (size_t k = 0; k < s.len; k++)
    if ((unsigned char)s.ptr[k] <= ' ' || s.ptr[k] == 0x7f) return 0;
  return 1;
}

int tei_is_duration(const char *s, size_t len) {
  const char *p = s, *end = s + len;
  lit(&p, end, '-');
  if (!lit(&p, end, 'P')) return 0;
  int parts = 0, in_time = 0, need = 0;
  static const char date_units[] = "YMD", time_units[] = "HMS";
  const char *units = date_units;
  while (p < end) {
    if (!in_time && *p == 'T') {
      in_time = 1;
      need = 1;
      units = time_units;
      p++;
      continue;
    }
    const char *n = p;
    while (p < end && *p >= '0' && *p <= '9') p++;
    if (p == n) return 0;
    if (in_time && p < end && *p == '.') {
      p++;
      const char *f = p;
      while (p < end && *p >= '0' && *p <= '9') p++;
      if (p == f || p >= end || *p != 'S') return 0;
    }
    if (p >= end) return 0;
    const char *u = strchr(units, *p);
    if (!u || *p == '\0') return 0;
    units = u + 1; /* units only in order */
    p++;
    parts++;
    need = 0;
  }
  return parts > 0 && !need;
}

const char *tei_language_name(const char *tag, size_t len) {
  static const char *const names[][2] = {
      {"be", "Belarusian"}, {"de", "German"},  {"en", "English"},
      {"fr", "French"},     {"kk", "Kazakh"},  {"ru", "Russian"},
      {"uk", "Ukrainian"},  {"es", "Spanish"}, {"zh", "Chinese"}};
  size_t n = 0;
  while (n < len && tag[n] != '-') n++;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strlen(names[i][0]) == n && memcmp(names[i][0], tag, n) == 0)
      return names[i][1];
  return NULL;
}
