/* emit.c - the XML emitter: tags, attributes and escaped text appended to
 * the output buffer, and the indentation of element-only content (emit.h).
 *
 * Escaping is one pass over the text that copies runs of plain bytes whole
 * (eight bytes at a time where it can); a start tag is closed by the first
 * byte of content, so an empty element comes out as <name/>, as libxml2's
 * xmlTextWriter wrote it. */
#include "emit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INDENT_LEVELS 24 /* deeper structure is not indented further */
#define MAX_CHAR_REPORTS 10  /* then one summary per document (the writer's) */

/* What a byte needs when written: nothing (most), an escape, a check
 * (controls; bytes from 0x80, the start of a code point to decode). One
 * table for character data, one for attribute values. */
enum { B_PLAIN = 0, B_ESCAPE, B_CONTROL, B_HIGH };
static unsigned char text_class[256], attr_class[256];

void tei_emit_setup(void) {
  for (int c = 0; c < 256; c++) {
    unsigned char k = c >= 0x80 ? B_HIGH : c < 0x20 ? B_CONTROL : B_PLAIN;
    text_class[c] = attr_class[c] = k;
  }
  text_class['\t'] = text_class['\n'] = B_PLAIN;
  text_class['&'] = text_class['<'] = text_class['>'] = text_class['\r'] = B_ESCAPE;
  /* libxml2's escaping of attribute values (xmlTextWriterWriteAttribute) */
  attr_class['\t'] = attr_class['\n'] = attr_class['\r'] = B_ESCAPE;
  attr_class['&'] = attr_class['<'] = attr_class['>'] = attr_class['"'] = B_ESCAPE;
}

/* Room for `n` more bytes (and the NUL) at out->data + out->len. */
static inline int room(tei_emit *e, size_t n) {
  scr_buf *out = e->out;
  if (out->cap - out->len > n) return 0;
  if (scr_buf_reserve(out, n) == 0) return 0;
  e->failed = 1;
  return -1;
}

static inline void put(tei_emit *e, const void *p, size_t n) {
  if (n == 0 || room(e, n)) return;
  memcpy(e->out->data + e->out->len, p, n);
  e->out->len += n;
}

#define PUTS(e, lit) put((e), (lit), sizeof(lit) - 1)

/* Content follows: the open start tag gets its '>'. */
static inline void content(tei_emit *e) {
  if (!e->open) return;
  e->open = 0;
  put(e, ">", 1);
}

/* A character XML 1.0 cannot carry, at byte `c` (decoded `cp`): reported
 * (the first ten), then replaced by U+FFFD or dropped as the options say. */
static void bad_char(tei_emit *e, unsigned char c, uint32_t cp, int invalid) {
  e->bad_chars++;
  if (e->chars == TEI_CHARS_ERROR) e->char_error = 1;
  if (e->quiet || e->bad_chars > MAX_CHAR_REPORTS) return;
  scr_severity sev = e->chars == TEI_CHARS_ERROR ? SCR_ERROR : SCR_WARNING;
  const char *fate = e->chars == TEI_CHARS_DROP ? "dropped" : "replaced by U+FFFD";
  if (invalid)
    scr_diag_report(e->diag, sev, e->pos, "xml-char",
                    "byte 0x%02X is not UTF-8 and cannot be written in XML; %s", c, fate);
  else
    scr_diag_report(e->diag, sev, e->pos, "xml-char",
                    "U+%04X cannot be written in XML 1.0; %s", (unsigned)cp, fate);
}

/* The bytes of `w` (little-endian) that may need more than a copy as
 * character data: below 0x20 or from 0x80, &, < or >. The lowest flagged
 * byte is exact (the borrows of the subtractions only flag bytes above a
 * flagged one); 0 when all eight are plain. */
static inline uint64_t special8(uint64_t w) {
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  uint64_t amp = w ^ (ones * '&');
  uint64_t angle = (w ^ (ones * '<')) & (ones * 0xFD); /* '<' 0x3C and '>' 0x3E */
  uint64_t low = (w - ones * 0x20) & ~w;
  uint64_t found = w | low | ((amp - ones) & ~amp) | ((angle - ones) & ~angle);
  return found & highs;
}

/* The eight-byte scan needs the byte order (where the compiler does not say,
 * escape() goes byte by byte). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TEI_SWAR 1
static inline uint64_t le64(uint64_t w) { return w; }
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define TEI_SWAR 1
static inline uint64_t le64(uint64_t w) { return __builtin_bswap64(w); }
#else
#define TEI_SWAR 0
static inline uint64_t le64(uint64_t w) { return w; }
#endif

/* The index of the lowest byte whose top bit is set in m (not 0). */
static inline size_t first_byte(uint64_t m) {
#if defined(__GNUC__)
  return (size_t)__builtin_ctzll(m) >> 3;
#else
  size_t i = 0;
  while (!(m & 0x80)) m >>= 8, i++;
  return i;
#endif
}

/* Appends s[0..len) escaped, in one pass: as character data (only what must
 * be escaped is: &, <, >, and CR, which a parser would otherwise turn into
 * LF; quotation marks stay as they are, which matters in texts full of
 * them), or as an attribute value (`attr`), escaped exactly as libxml2's
 * xmlTextWriterWriteAttribute does (TAB, LF, CR, ", &, <, > and, with
 * attr_refs, every character from U+0080 as a character reference). What
 * XML 1.0 cannot carry is reported and replaced or dropped. */
static void escape(tei_emit *e, const char *s, size_t len, int attr) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len, *run = p;
  const unsigned char *cls = attr ? attr_class : text_class;
  if (room(e, len + 8)) return;
  while (p < end) {
    if (!attr && TEI_SWAR) /* eight plain bytes at a time, to the first that is not */
      while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w = le64(w);
        uint64_t m = special8(w);
        if (m) {
          p += first_byte(m);
          break;
        }
        p += 8;
      }
    if (p == end) break;
    unsigned char c = *p;
    unsigned char k = cls[c];
    if (k == B_PLAIN) {
      p++;
      continue;
    }
    const char *rep;
    size_t rep_len, n = 1;
    if (k == B_ESCAPE) {
      switch (c) {
      case '&': rep = "&amp;", rep_len = 5; break;
      case '<': rep = "&lt;", rep_len = 4; break;
      case '>': rep = "&gt;", rep_len = 4; break;
      case '"': rep = "&quot;", rep_len = 6; break;
      case '\r': rep = "&#13;", rep_len = 5; break;
      case '\n': rep = "&#10;", rep_len = 5; break;
      default: rep = "&#9;", rep_len = 4; break;
      }
    } else {
      uint32_t cp = c;
      if (k == B_HIGH) n = scr_utf8_decode((const char *)p, (size_t)(end - p), &cp);
      int invalid = cp == 0xFFFD && n == 1;
      if (!invalid && scr_xml_char_ok(cp)) {
        if (!attr || !e->attr_refs) {
          p += n;
          continue;
        }
        char ref[16];
        int w = snprintf(ref, sizeof ref, "&#x%X;", (unsigned)cp);
        put(e, run, (size_t)(p - run));
        put(e, ref, (size_t)w);
        p += n;
        run = p;
        continue;
      }
      bad_char(e, c, cp, invalid);
      if (e->chars == TEI_CHARS_DROP) rep = "", rep_len = 0;
      else if (attr && e->attr_refs) rep = "&#xFFFD;", rep_len = 8;
      else rep = "\xEF\xBF\xBD", rep_len = 3;
    }
    put(e, run, (size_t)(p - run));
    put(e, rep, rep_len);
    p += n;
    run = p;
  }
  put(e, run, (size_t)(p - run));
}

int tei_emit_keeps(const tei_emit *e, scr_str s) {
  if (e->chars != TEI_CHARS_DROP) return s.len > 0;
  for (size_t i = 0; i < s.len;) {
    uint32_t cp = (unsigned char)s.ptr[i];
    size_t n = 1;
    if (cp >= 0x80) n = scr_utf8_decode(s.ptr + i, s.len - i, &cp);
    if (!n) n = 1;
    if (!((cp == 0xFFFD && n == 1) || !scr_xml_char_ok(cp))) return 1;
    i += n;
  }
  return 0;
}

scr_str tei_emit_visible(const tei_emit *e, scr_str s) {
  size_t first = s.len, end = 0;
  for (size_t i = 0; i < s.len;) {
    uint32_t cp = (unsigned char)s.ptr[i];
    size_t n = 1;
    if (cp >= 0x80) n = scr_utf8_decode(s.ptr + i, s.len - i, &cp);
    if (!n) n = 1;
    int invalid = (cp == 0xFFFD && n == 1) || !scr_xml_char_ok(cp);
    if (invalid ? e->chars != TEI_CHARS_DROP : !(cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r')) {
      if (first == s.len) first = i;
      end = i + n;
    }
    i += n;
  }
  if (first == s.len) return (scr_str){s.ptr, 0};
  return (scr_str){s.ptr + first, end - first};
}

void tei_emit_text(tei_emit *e, const char *s, size_t len) {
  if (!len || e->failed) return;
  if (!e->open) {
    escape(e, s, len, 0);
    return;
  }
  /* The start tag is closed only if the text leaves a byte (all of it may
   * be characters that are dropped). */
  size_t mark = e->out->len;
  put(e, ">", 1);
  escape(e, s, len, 0);
  if (e->failed) return;
  if (e->out->len == mark + 1) e->out->len = mark;
  else e->open = 0;
}

void tei_emit_raw(tei_emit *e, const char *s, size_t len) {
  if (!len || e->failed) return;
  content(e);
  put(e, s, len);
}

static void newline(tei_emit *e, size_t level) {
  static const char spaces[] = "\n                                                                "
                               "                                                                "
                               "                                                                "
                               "                                                                ";
  if (!e->indent || e->in_text) return;
  level += e->base_level;
  if (level > MAX_INDENT_LEVELS) level = MAX_INDENT_LEVELS;
  size_t n = 1 + level * (size_t)e->indent;
  if (n > sizeof spaces - 1) n = sizeof spaces - 1;
  content(e);
  put(e, spaces, n);
}

void tei_emit_start(tei_emit *e, const char *name, int mixed) {
  if (e->failed) return;
  tei_xel *parent = e->nels ? &e->els[e->nels - 1] : NULL;
  int in_mixed = parent && (parent->mixed || parent->in_mixed);
  if (parent) {
    if (!in_mixed) newline(e, e->nels);
    parent->has_child = 1;
  } else if (e->base_level) {
    newline(e, 0);
  }
  if (e->nels == e->cap) {
    size_t cap = e->cap ? 2 * e->cap : 64;
    tei_xel *grown = realloc(e->els, cap * sizeof *grown);
    if (!grown) {
      e->failed = 1;
      return;
    }
    e->els = grown;
    e->cap = cap;
  }
  content(e);
  put(e, "<", 1);
  put(e, name, strlen(name));
  e->open = 1;
  e->els[e->nels++] = (tei_xel){name, (unsigned char)mixed, (unsigned char)in_mixed, 0};
}

void tei_emit_attr(tei_emit *e, const char *name, const char *v, size_t len) {
  if (e->failed) return;
  if (!e->open) { /* no start tag to put it in: a bug of the caller's */
    e->failed = 1;
    return;
  }
  put(e, " ", 1);
  put(e, name, strlen(name));
  PUTS(e, "=\"");
  escape(e, v, len, 1);
  put(e, "\"", 1);
}

void tei_emit_attrz(tei_emit *e, const char *name, const char *v) {
  tei_emit_attr(e, name, v, strlen(v));
}

void tei_emit_end(tei_emit *e) {
  if (e->nels == 0 || e->failed) return;
  tei_xel x = e->els[--e->nels];
  if (!x.mixed && !x.in_mixed && x.has_child) newline(e, e->nels);
  if (e->open) {
    e->open = 0;
    PUTS(e, "/>");
    return;
  }
  PUTS(e, "</");
  put(e, x.name, strlen(x.name));
  put(e, ">", 1);
}

void tei_emit_fragment(tei_emit *e, const char *s, size_t len) {
  if (e->failed) return;
  size_t depth = e->nels;
  if (depth) e->els[depth - 1].has_child = 1;
  const char *end = s + len;
  while (s < end) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *line_end = nl ? nl : end;
    size_t spaces = 0;
    while (s + spaces < line_end && s[spaces] == ' ') spaces++;
    int comment = line_end - (s + spaces) >= 4 && memcmp(s + spaces, "<!--", 4) == 0;
    if (s + spaces < line_end && !comment) {
      newline(e, depth + spaces / 2);
      content(e);
      put(e, s + spaces, (size_t)(line_end - s - spaces));
    }
    s = nl ? nl + 1 : end;
  }
}

void tei_emit_finish(tei_emit *e) {
  while (e->nels && !e->failed) tei_emit_end(e);
  if (!e->failed && e->out->data) e->out->data[e->out->len] = '\0';
  free(e->els);
  e->els = NULL;
  e->nels = e->cap = 0;
}
