/* scan.c - growable arrays, code points and words (see scan.h). */
#include "scan.h"

int vec_grow_(void **v, size_t *cap, size_t need, size_t size) {
  size_t n = *cap ? *cap : 8;
  while (n < need) n *= 2;
  void *p = realloc(*v, n * size);
  if (!p) return -1;
  *v = p;
  *cap = n;
  return 0;
}

/* ---- characters and words ------------------------------------------------------ */

/* ASCII bytes that are word characters (letters, digits, hyphen): the
 * table behind word_end's and cp_is_word's fast paths. Bytes >= 0x80 are 0
 * here; they are decoded and judged by cp_is_word_slow. */
const unsigned char ascii_word[256] = {
    ['-'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
    ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
    ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
    ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
    ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
    ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

uint32_t cp_decode_at(const char *s, size_t i, size_t end, size_t *len) {
  uint32_t c = 0;
  size_t n = i < end ? scr_utf8_decode(s + i, end - i, &c) : 0;
  if (len) *len = n;
  return i < end ? c : 0;
}

uint32_t cp_before_slow(const char *s, size_t start, size_t i, size_t *len) {
  if (i <= start) {
    if (len) *len = 0;
    return 0;
  }
  size_t j = i - 1;
  while (j > start && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80) j--;
  uint32_t c = 0;
  scr_utf8_decode(s + j, i - j, &c);
  if (len) *len = i - j;
  return c;
}

int cp_is_space(uint32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0 || c == 0x202F || c == 0x2009;
}

int cp_is_word_slow(uint32_t c) {
  if (c < 0x80) return ascii_word[c];
  if (c < 0xC0 || c == 0xD7 || c == 0xF7) return 0;
  if (c >= 0x2000 && c <= 0x2BFF) return 0; /* punctuation, symbols */
  if (c >= 0x3000 && c <= 0x303F) return 0;
  if (c >= 0xFE00 && c <= 0xFF0F) return 0;
  return 1;
}

int cp_is_upper_slow(uint32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  /* Latin-1, Latin Extended-A (even = upper), Cyrillic capitals. */
  if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;
  if (c >= 0x100 && c <= 0x17F) return (c & 1) == 0;
  if (c >= 0x410 && c <= 0x42F) return 1;
  return 0;
}

/* word_end past the ASCII fast path of reader.h: from a non-ASCII byte
 * (or any byte), decoding what is not ASCII. */
size_t word_end_slow(const char *s, size_t i, size_t end) {
  const unsigned char *u = (const unsigned char *)s;
  while (i < end) {
    while (i < end && ascii_word[u[i]]) i++;
    if (i >= end || u[i] < 0x80) break;
    size_t n;
    uint32_t c = cp_at(s, i, end, &n);
    if (!cp_is_word(c)) break;
    i += n;
  }
  return i;
}

/* The first byte in s[i..end) that may start an upper-case letter as
 * cp_is_upper knows them: 'A'-'Z', or the lead bytes of U+00C0-U+00DE
 * (0xC3), U+0100-U+017F (0xC4, 0xC5) and U+0410-U+042F (0xD0); end if none.
 * Eight bytes at a time over bytes that are neither A-Z nor non-ASCII. */
size_t upper_candidate(const char *s, size_t i, size_t end) {
  const unsigned char *u = (const unsigned char *)s;
  for (;;) {
#ifdef TEXT_SWAR
    const uint64_t ones = 0x0101010101010101ULL;
    while (end - i >= 8) {
      uint64_t x;
      memcpy(&x, u + i, 8);
      /* the low seven bits of each byte: A-Z with the top bit clear,
       * 0x43-0x45 (0xC3-0xC5) or 0x50 (0xD0) with it set */
      uint64_t y = x & ones * 0x7F;
      uint64_t hit = (bytes_in(y, 'A', 'Z') & ~x) |
                     ((bytes_in(y, 0x43, 0x45) | bytes_in(y, 0x50, 0x50)) & x);
      if (hit) {
        i += (size_t)__builtin_ctzll(hit) >> 3;
        break;
      }
      i += 8;
    }
#endif
    while (i < end && !(u[i] >= 'A' && u[i] <= 'Z') && u[i] < 0x80) i++;
    if (i >= end) return end;
    unsigned char c = u[i];
    if (c < 0x80 || c == 0xC3 || c == 0xC4 || c == 0xC5 || c == 0xD0) return i;
    i++; /* another non-ASCII byte */
  }
}

/* 1 if s[0..len) is well-formed UTF-8 without a NUL byte, by the rules of
 * scr_utf8_decode (no overlong forms, surrogates or code points above
 * U+10FFFF); 0 if it may not be. It only says yes when scr_utf8_check
 * would; on 0 the caller asks scr_utf8_check for the offset to report.
 * Faster on transcripts, whose non-ASCII characters (no-break spaces,
 * curly quotes) are decoded inline here. */
int scan_utf8_valid(const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < len) {
#ifdef TEXT_SWAR
    /* Eight bytes at a time up to the first non-ASCII or NUL byte (the
     * lowest flagged byte of the zero test is exact: no borrow reaches
     * below the first zero byte). */
    if (len - i >= 8) {
      const uint64_t hi = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
      uint64_t w;
      memcpy(&w, s + i, 8);
      uint64_t stop = (w & hi) | ((w - ones) & ~w & hi);
      if (!stop) {
        i += 8;
        continue;
      }
      i += (size_t)__builtin_ctzll(stop) >> 3;
    }
#endif
    unsigned char c = s[i];
    if (c == 0) return 0;
    if (c < 0x80) {
      i++;
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (len - i < 2 || (s[i + 1] & 0xC0) != 0x80) return 0;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (len - i < 3 || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
        return 0;
      uint32_t v = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
                   (s[i + 2] & 0x3F);
      if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) return 0;
      i += 3;
    } else {
      return 0; /* four-byte sequences and bad bytes: the core decides */
    }
  }
  return 1;
}

