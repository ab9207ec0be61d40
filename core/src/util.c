/* util.c - byte buffers, diagnostics, UTF-8 and line maps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "scriptorium/util.h"

/* ---- buffers --------------------------------------------------------------- */

int scr_buf_reserve(scr_buf *b, size_t extra) {
  if (extra > SIZE_MAX - b->len - 1) return -1;
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  char *data = realloc(b->data, cap);
  if (!data) return -1;
  b->data = data;
  b->cap = cap;
  return 0;
}

int scr_buf_put(scr_buf *b, const void *data, size_t len) {
  if (scr_buf_reserve(b, len)) return -1;
  if (len) memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return 0;
}

int scr_buf_puts(scr_buf *b, const char *s) { return scr_buf_put(b, s, strlen(s)); }

int scr_buf_putc(scr_buf *b, char c) { return scr_buf_put(b, &c, 1); }

int scr_buf_printf(scr_buf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || scr_buf_reserve(b, (size_t)n)) {
    va_end(ap2);
    return -1;
  }
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  b->len += (size_t)n;
  return 0;
}

void scr_buf_clear(scr_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

void scr_buf_free(scr_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/* ---- diagnostics ----------------------------------------------------------- */

struct scr_diag {
  char *file;
  scr_diag_fn fn;
  void *user;
  size_t counts[3];
};

scr_diag *scr_diag_new(const char *file, scr_diag_fn fn, void *user) {
  scr_diag *d = calloc(1, sizeof *d);
  if (!d) return NULL;
  d->fn = fn;
  d->user = user;
  if (file && scr_diag_set_file(d, file)) {
    free(d);
    return NULL;
  }
  return d;
}

void scr_diag_free(scr_diag *d) {
  if (!d) return;
  free(d->file);
  free(d);
}

int scr_diag_set_file(scr_diag *d, const char *file) {
  char *copy = NULL;
  if (!d) return -1;
  if (file && !(copy = strdup(file))) return -1;
  free(d->file);
  d->file = copy;
  return 0;
}

const char *scr_diag_file(const scr_diag *d) { return d ? d->file : NULL; }

void scr_diag_vreport(scr_diag *d, scr_severity sev, scr_pos pos,
                      const char *kind, const char *fmt, va_list ap) {
  if (!d) return;
  if ((unsigned)sev > SCR_ERROR) sev = SCR_ERROR;
  d->counts[sev]++;
  if (!d->fn) return;
  char msg[1024];
  vsnprintf(msg, sizeof msg, fmt, ap);
  scr_diagnostic diag = {sev, d->file, pos.line, pos.column, kind, msg};
  d->fn(&diag, d->user);
}

void scr_diag_report(scr_diag *d, scr_severity sev, scr_pos pos,
                     const char *kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  scr_diag_vreport(d, sev, pos, kind, fmt, ap);
  va_end(ap);
}

size_t scr_diag_count(const scr_diag *d, scr_severity sev) {
  return d && (unsigned)sev <= SCR_ERROR ? d->counts[sev] : 0;
}

/* ---- UTF-8 ------------------------------------------------------------------ */

size_t scr_utf8_decode(const char *str, size_t len, uint32_t *cp) {
  const unsigned char *s = (const unsigned char *)str;
  if (len == 0) {
    *cp = 0xFFFD;
    return 1;
  }
  unsigned char c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t n;
  uint32_t v, min;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, v = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, v = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, v = c & 0x07, min = 0x10000;
  } else {
    *cp = 0xFFFD;
    return 1;
  }
  if (len < n) {
    *cp = 0xFFFD;
    return 1;
  }
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    *cp = 0xFFFD;
    return 1;
  }
  *cp = v;
  return n;
}

size_t scr_utf8_check(const char *str, size_t len, int *bad) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  if (bad) *bad = 0;
  while (i < len) {
    /* ASCII fast path, eight bytes at a time. */
    while (i + 8 <= len) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ULL) break;
      /* A NUL byte in the word: fall through to the byte loop. */
      if ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= len) break;
    if (s[i] == 0) {
      if (bad) *bad = 1;
      return i;
    }
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    uint32_t cp;
    size_t n = scr_utf8_decode(str + i, len - i, &cp);
    if (cp == 0xFFFD && n == 1) {
      if (bad) *bad = 1;
      return i;
    }
    i += n;
  }
  return len;
}

size_t scr_utf8_encode(uint32_t cp, char out[4]) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

size_t scr_utf8_width(const char *s, size_t len) {
  size_t i = 0, width = 0;
  while (i < len) {
    uint32_t cp;
    i += scr_utf8_decode(s + i, len - i, &cp);
    int w = utf8proc_charwidth((utf8proc_int32_t)cp);
    if (w > 0) width += (size_t)w;
  }
  return width;
}

int scr_xml_char_ok(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* ---- identifiers ------------------------------------------------------------ */

int scr_ascii_id(const char *name, size_t len, scr_buf *out) {
  utf8proc_uint8_t *folded = NULL;
  utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)name, (utf8proc_ssize_t)len,
                                    &folded, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                                 UTF8PROC_CASEFOLD | UTF8PROC_COMPAT);
  size_t start = out->len;
  int dash = 0, rc = 0;
  for (utf8proc_ssize_t i = 0; n > 0 && i < n && rc == 0; i++) {
    unsigned char c = folded[i];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && out->len > start) rc = scr_buf_putc(out, '-');
      dash = 0;
      if (rc == 0) rc = scr_buf_putc(out, (char)c);
    } else {
      dash = 1;
    }
  }
  free(folded);
  if (rc) return -1;
  if (out->len == start) {
    /* No Latin letter or digit (a name in another script): a stable hash. */
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)name[i]) * 16777619u;
    return scr_buf_printf(out, "p-%08x", (unsigned)h);
  }
  if (out->data[start] >= '0' && out->data[start] <= '9') {
    /* "p-" in front: an NCName starts with a letter. */
    if (scr_buf_reserve(out, 2)) return -1;
    memmove(out->data + start + 2, out->data + start, out->len - start + 1);
    memcpy(out->data + start, "p-", 2);
    out->len += 2;
  }
  return 0;
}

/* Spelling variants of given names and surnames, folded to the spelling the
 * kremlin.ru corpus uses most (bench/persons.py counts them). Only words that
 * are the same name in another transliteration: "Aleksandar" (Serbian) or
 * "Gaidar" (another surname) are not here. Sorted by variant. */
static const char *const name_variants[][2] = {
    {"aleksandr", "alexander"},   {"aleksei", "alexei"},
    {"aleksey", "alexei"},        {"alexandr", "alexander"},
    {"alexandre", "alexander"},   {"alexey", "alexei"},
    {"aliaksandr", "alexander"},  {"alyaksandr", "alexander"},
    {"anatoliy", "anatoly"},      {"andrey", "andrei"},
    {"arkadiy", "arkady"},        {"dmitri", "dmitry"},
    {"dmitriy", "dmitry"},        {"ekaterina", "yekaterina"},
    {"elena", "yelena"},          {"evgeniy", "yevgeny"},
    {"evgeny", "yevgeny"},        {"geidar", "heydar"},
    {"heidar", "heydar"},         {"ilkham", "ilham"},
    {"loukachenko", "lukashenko"}, {"lukasenka", "lukashenko"},
    {"lukasenko", "lukashenko"},  {"lukashenka", "lukashenko"},
    {"maksim", "maxim"},          {"natalia", "natalya"},
    {"nataliya", "natalya"},      {"nikolay", "nikolai"},
    {"petr", "pyotr"},            {"sergey", "sergei"},
    {"tatiana", "tatyana"},       {"tatjana", "tatyana"},
    {"valeriy", "valery"},        {"vitaliy", "vitaly"},
    {"yevgeniy", "yevgeny"},      {"yuri", "yury"},
    {"yuriy", "yury"},
};

static const char *name_variant(const char *w, size_t n) {
  size_t lo = 0, hi = sizeof name_variants / sizeof name_variants[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const char *v = name_variants[mid][0];
    int c = strncmp(w, v, n);
    if (c == 0 && v[n] != 0) c = -1;
    if (c == 0) return name_variants[mid][1];
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return NULL;
}

int scr_person_name_id(const char *name, size_t len, scr_buf *out) {
  scr_buf a = {0};
  if (scr_ascii_id(name, len, &a)) {
    scr_buf_free(&a);
    return -1;
  }
  /* The words of the ASCII id; how many are longer than one letter. */
  size_t longer = 0;
  for (size_t i = 0; i < a.len;) {
    size_t e = i;
    while (e < a.len && a.data[e] != '-') e++;
    longer += e - i > 1;
    i = e + 1;
  }
  int rc = 0;
  size_t start = out->len;
  /* A name in another script (a hash) or one that needed "p-" is kept. */
  if (a.len < 2 || memcmp(a.data, "p-", 2) == 0) {
    rc = scr_buf_put(out, a.data, a.len);
    scr_buf_free(&a);
    return rc;
  }
  for (size_t i = 0; i < a.len && rc == 0;) {
    size_t e = i;
    while (e < a.len && a.data[e] != '-') e++;
    size_t n = e - i;
    /* An initial is dropped when two words of the name are more. */
    if (n > 1 || longer < 2 || (a.data[i] >= '0' && a.data[i] <= '9')) {
      const char *v = name_variant(a.data + i, n);
      if (out->len > start) rc = scr_buf_putc(out, '-');
      if (rc == 0) rc = v ? scr_buf_put(out, v, strlen(v)) : scr_buf_put(out, a.data + i, n);
    }
    i = e + 1;
  }
  scr_buf_free(&a);
  return rc;
}

/* The edit distance of two words, adjacent letters swapped counting one
 * (optimal string alignment), or 3 when it is more than 2. */
static int word_distance(const char *a, size_t n, const char *b, size_t m) {
  if (n > 24 || m > 24 || (n > m ? n - m : m - n) > 2) return 3;
  int d[25][25];
  for (size_t i = 0; i <= n; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= m; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= n; i++)
    for (size_t j = 1; j <= m; j++) {
      int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1 < c)
        c = d[i - 2][j - 2] + 1;
      d[i][j] = c;
    }
  return d[n][m] > 2 ? 3 : d[n][m];
}

/* scr_iso_date: see util.h. */
int scr_iso_date(const char *s, size_t n) {
  static const char shape[] = "dddd-dd-dd";
  if (!s || (n != 4 && n != 7 && n != 10)) return 0;
  for (size_t k = 0; k < n; k++)
    if (shape[k] == 'd' ? !(s[k] >= '0' && s[k] <= '9') : s[k] != '-') return 0;
  if (n >= 7 && (memcmp(s + 5, "01", 2) < 0 || memcmp(s + 5, "12", 2) > 0)) return 0;
  if (n == 10 && (memcmp(s + 8, "01", 2) < 0 || memcmp(s + 8, "31", 2) > 0)) return 0;
  return n == 4 ? 1 : n == 7 ? 2 : 3;
}

/* scr_person_id_typo: see util.h. */
int scr_person_id_typo(const char *ap, size_t alen, const char *bp, size_t blen) {
  struct { const char *ptr; size_t len; } a = {ap, alen}, b = {bp, blen};
  /* what the rule implies, first and cheaply (a reader asks this for every
   * pair of persons): the ids begin with the same letter (an equal first
   * word, or the one that differs, which keeps its first letter) and are
   * at most 2 bytes apart in length */
  if (!alen || !blen || ap[0] != bp[0] || (alen > blen ? alen - blen : blen - alen) > 2)
    return 0;
  int dist = 0;
  size_t i = 0, j = 0;
  for (;;) {
    size_t ie = i, je = j;
    while (ie < a.len && a.ptr[ie] != '-') ie++;
    while (je < b.len && b.ptr[je] != '-') je++;
    size_t n = ie - i, m = je - j;
    if (n != m || memcmp(a.ptr + i, b.ptr + j, n) != 0) {
      if (dist || n == 0 || m == 0 || a.ptr[i] != b.ptr[j]) return 0;
      size_t shorter = n < m ? n : m;
      int d = word_distance(a.ptr + i, n, b.ptr + j, m);
      if (!(d == 1 && shorter >= 6 && (n == m || shorter >= 7)) &&
          !(d == 2 && shorter >= 7))
        return 0;
      dist = d;
    }
    if ((ie >= a.len) != (je >= b.len)) return 0; /* not as many words */
    if (ie >= a.len) break;
    i = ie + 1, j = je + 1;
  }
  return dist;
}

/* ---- line maps -------------------------------------------------------------- */

struct scr_linemap {
  uint64_t *starts; /* byte offset where each line starts */
  size_t count;
};

scr_linemap *scr_linemap_new(const char *s, size_t len) {
  scr_linemap *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  size_t cap = 64;
  m->starts = malloc(cap * sizeof *m->starts);
  if (!m->starts) {
    free(m);
    return NULL;
  }
  m->starts[m->count++] = 0;
  const char *p = s, *end = s + len;
  while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
    p++;
    if (m->count == cap) {
      cap *= 2;
      uint64_t *starts = realloc(m->starts, cap * sizeof *starts);
      if (!starts) {
        scr_linemap_free(m);
        return NULL;
      }
      m->starts = starts;
    }
    m->starts[m->count++] = (uint64_t)(p - s);
  }
  return m;
}

void scr_linemap_free(scr_linemap *m) {
  if (!m) return;
  free(m->starts);
  free(m);
}

scr_pos scr_linemap_pos(const scr_linemap *m, uint64_t offset) {
  size_t lo = 0, hi = m->count;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->starts[mid] <= offset)
      lo = mid;
    else
      hi = mid;
  }
  return (scr_pos){(uint32_t)(lo + 1), (uint32_t)(offset - m->starts[lo] + 1),
                   offset};
}
