/* scan.h - the text plugin's bottom layer: growable arrays, UTF-8 code
 * points and words, with the word-at-a-time (SWAR) fast paths and their
 * plain fallbacks (scan.c). Knows no English and no tree. */
#ifndef SCR_TEXT_SCAN_H
#define SCR_TEXT_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <scriptorium/plugin.h>

/* A growable array in malloc'd memory, for the reader's working lists
 * (never for tree nodes, which live in the document's arena). */
#define VEC(T) struct { T *v; size_t len, cap; }
int vec_grow_(void **v, size_t *cap, size_t need, size_t size);
#define VEC_PUSH(vec, item)                                                    \
  (((vec).len < (vec).cap ||                                                   \
    vec_grow_((void **)&(vec).v, &(vec).cap, (vec).len + 1, sizeof *(vec).v) == 0) \
       ? ((vec).v[(vec).len++] = (item), 0)                                    \
       : -1)
#define VEC_FREE(vec) (free((vec).v), (vec).v = NULL, (vec).len = (vec).cap = 0)

/* ---- positions ------------------------------------------------------------- */

/* The line of the last position asked for: [start, next), its number `no`
 * (0: none yet). Nodes are made mostly in source order and many on one
 * line, so an offset on that line is answered without the line map's
 * binary search (same line and column: the column counts bytes from the
 * line's start, as the line map does). */
typedef struct line_cache {
  size_t start, next;
  uint32_t no;
} line_cache;

static inline scr_pos line_cache_pos(line_cache *c, const scr_linemap *lines, const char *s,
                                     size_t len, size_t off) {
  if (c->no && off >= c->start && off < c->next)
    return (scr_pos){c->no, (uint32_t)(off - c->start + 1), (uint64_t)off};
  scr_pos p = scr_linemap_pos(lines, (uint64_t)off);
  c->no = p.line;
  c->start = off - (p.column - 1);
  const char *nl = off < len ? memchr(s + off, '\n', len - off) : NULL;
  c->next = nl ? (size_t)(nl - s) + 1 : SIZE_MAX;
  return p;
}

/* ---- text helpers ------------------------------------------------------------ */

/* The reader's input is checked UTF-8 (text_read refuses anything else
 * before any of these run), but a range's end may cut a character (a
 * label's end found by stripping bytes), so the inline paths below take
 * only ASCII and complete, well-formed 2- and 3-byte sequences; anything
 * else goes to scr_utf8_decode, whose answers (U+FFFD, length 1) the
 * callers rely on. */

/* The scans go eight bytes at a time in a 64-bit word where the compiler
 * has __builtin_ctzll and bytes are little-endian (so the lowest flagged
 * bit marks the first byte); elsewhere, or with TEXT_NO_SWAR (CMake:
 * -DSCRIPTORIUM_TEXT_SWAR=OFF; the tests build that variant too and run
 * the digests with it), the byte loops do it all. */
#if !defined(TEXT_NO_SWAR) && defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TEXT_SWAR 1
#endif

/* Code point at s[i] (and its length), or the one ending just before s[i]. */
uint32_t cp_decode_at(const char *s, size_t i, size_t end, size_t *len);
uint32_t cp_before_slow(const char *s, size_t start, size_t i, size_t *len);
/* The code point at s[i] (0 at the end) and its length in *len. */
static inline uint32_t cp_at(const char *s, size_t i, size_t end, size_t *len) {
  const unsigned char *u = (const unsigned char *)s;
  if (i < end) {
    unsigned char c = u[i];
    if (c < 0x80) {
      if (len) *len = 1;
      return c;
    }
    if (c >= 0xC2 && c <= 0xDF && end - i >= 2 && (u[i + 1] & 0xC0) == 0x80) {
      if (len) *len = 2;
      return ((uint32_t)(c & 0x1F) << 6) | (u[i + 1] & 0x3F);
    }
    if (c >= 0xE0 && c <= 0xEF && end - i >= 3 && (u[i + 1] & 0xC0) == 0x80 &&
        (u[i + 2] & 0xC0) == 0x80) {
      uint32_t v = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(u[i + 1] & 0x3F) << 6) |
                   (u[i + 2] & 0x3F);
      if (v >= 0x800 && !(v >= 0xD800 && v <= 0xDFFF)) {
        if (len) *len = 3;
        return v;
      }
    }
  }
  return cp_decode_at(s, i, end, len);
}
/* The code point ending just before s[i], not looking before s[start] (0
 * and length 0 at the start). Inline: an ASCII byte, or a whole 2- or
 * 3-byte sequence that starts at or after `start`; the rest in
 * cp_before_slow, which backs up over at most three continuation bytes. */
static inline uint32_t cp_before(const char *s, size_t start, size_t i, size_t *len) {
  const unsigned char *u = (const unsigned char *)s;
  if (i > start) {
    unsigned char c = u[i - 1];
    if (c < 0x80) {
      if (len) *len = 1;
      return c;
    }
    if ((c & 0xC0) == 0x80 && i - start >= 2) {
      unsigned char c2 = u[i - 2];
      if (c2 >= 0xC2 && c2 <= 0xDF) {
        if (len) *len = 2;
        return ((uint32_t)(c2 & 0x1F) << 6) | (c & 0x3F);
      }
    }
  }
  return cp_before_slow(s, start, i, len);
}
int cp_is_space(uint32_t c);  /* space, tab, NBSP */
extern const unsigned char ascii_word[256];
int cp_is_word_slow(uint32_t c);
/* Letters, digits, hyphen (ASCII from a table; U+0080-U+00BF, such as the
 * no-break space, are not). */
static inline int cp_is_word(uint32_t c) {
  return c < 0x80 ? ascii_word[c] : c < 0xC0 ? 0 : cp_is_word_slow(c);
}
int cp_is_upper_slow(uint32_t c);
static inline int cp_is_upper(uint32_t c) {
  return c < 0x80 ? c >= 'A' && c <= 'Z' : cp_is_upper_slow(c);
}
#ifdef TEXT_SWAR
/* 0x80 in each byte of x in [lo, hi], for bytes below 0x80 (the sums stay
 * below 0x100, so no carry crosses into the next byte). */
static inline uint64_t bytes_in(uint64_t x, unsigned lo, unsigned hi) {
  const uint64_t ones = 0x0101010101010101ULL;
  return (x + ones * (0x80 - lo)) & ~(x + ones * (0x7F - hi)) & ones * 0x80;
}

/* 0x80 in each byte of the eight in x (as loaded from memory) that is an
 * ASCII word character (letter, digit, hyphen): ascii_word, eight bytes at
 * a time. */
static inline uint64_t ascii_word_bytes(uint64_t x) {
  const uint64_t ones = 0x0101010101010101ULL;
  uint64_t ascii = ~x & ones * 0x80;
  uint64_t y = x & ones * 0x7F;
  uint64_t w = bytes_in(y | ones * 0x20, 'a', 'z') | bytes_in(y, '0', '9') |
               bytes_in(y, '-', '-');
  return w & ascii;
}
#endif

size_t word_end_slow(const char *s, size_t i, size_t end);
/* The end of the word starting at s[i] (word characters). Inline for
 * ASCII words; a non-ASCII byte goes on in word_end_slow. Always inline:
 * left out of line, the call cost as much as the loop (it is asked for
 * nearly every word of a document). */
static inline __attribute__((always_inline)) size_t word_end(const char *s, size_t i,
                                                             size_t end) {
  const unsigned char *u = (const unsigned char *)s;
#ifdef TEXT_SWAR
  /* Eight bytes at a time (little-endian: the lowest set bit of the
   * non-word mask is the first non-word byte). */
  while (i < end && end - i >= 8) {
    uint64_t x;
    memcpy(&x, u + i, 8);
    uint64_t non = ~ascii_word_bytes(x) & 0x8080808080808080ULL;
    if (non) {
      i += (size_t)__builtin_ctzll(non) >> 3;
      /* That byte is ASCII (the word ends) unless its top bit is set. */
      if (!(x & non & (0 - non))) return i;
      goto non_ascii;
    }
    i += 8;
  }
#endif
  while (i < end && ascii_word[u[i]]) i++;
  if (i >= end || u[i] < 0x80) return i;
#ifdef TEXT_SWAR
non_ascii:
#endif
  {
    /* A no-break space or a curly quote (decoded inline) ends the word;
     * a letter goes on in word_end_slow. */
    size_t n;
    if (!cp_is_word(cp_at(s, i, end, &n))) return i;
    return word_end_slow(s, i + n, end);
  }
}
/* The first offset >= i where an upper-case letter may start (see
 * lexicon.c), or end. */
size_t upper_candidate(const char *s, size_t i, size_t end);
/* s[i..e) is exactly w. Inline, so that strlen of a literal is a constant. */
static inline int word_is(const char *s, size_t i, size_t e, const char *w) {
  /* Most words differ in the first byte: decide that before strlen. */
  if (i >= e || s[i] != w[0]) return 0;
  size_t n = strlen(w);
  return e - i == n && memcmp(s + i, w, n) == 0;
}

/* 1 if s[0..len) is well-formed UTF-8 without a NUL byte (a fast yes);
 * 0 if it may not be (ask scr_utf8_check where). */
int scan_utf8_valid(const char *s, size_t len);

#endif
