/* label.c - what a line of a transcript is, for the reader and the speech
 * transform alike: a separator, a footer, an omission, a speaker label. */
#include <string.h>

#include "label.h"
#include "words.h"

/* ---- what a block is ------------------------------------------------------------------ */

int blk_is_separator(const char *s, const blk *b) {
  int stars = 0;
  for (size_t i = b->text; i < b->text_end; i++) {
    if (s[i] == '*') stars++;
    else if (s[i] != ' ') return 0;
  }
  return stars >= 3;
}

int blk_is_footer(const char *s, const blk *b) {
  return b->text_end - b->text > 6 && s[b->text] == '*' && s[b->text + 1] == ' ' &&
         s[b->text_end - 1] == '*' && !blk_is_separator(s, b);
}

int blk_is_omission(const char *s, const blk *b) {
  size_t i = b->text, e = b->text_end;
  /* a no-break space may stand before the mark (14 corpus files, 51249) */
  for (;;) {
    if (i < e && s[i] == ' ') i++;
    else if (e - i >= 2 && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) i += 2;
    else break;
  }
  size_t n = e - i;
  return (n == 5 && memcmp(s + i, "<\xE2\x80\xA6>", 5) == 0) ||
         (n == 5 && memcmp(s + i, "<...>", 5) == 0) ||
         (n == 3 && memcmp(s + i, "\xE2\x80\xA6", 3) == 0);
}

/* ---- speaker labels ------------------------------------------------------------------ */



/* A particle in capitals ("PRESIDENT OF RUSSIA DMITRY MEDVEDEV"). */
static int caps_particle(const char *s, size_t i, size_t e) {
  char low[8];
  if (e - i < 2 || e - i > sizeof low) return 0;
  for (size_t k = i; k < e; k++) {
    if (!(s[k] >= 'A' && s[k] <= 'Z')) return 0;
    low[k - i] = (char)(s[k] + 32);
  }
  return word_in(low, 0, e - i, W_PARTICLE);
}

/* "President of Russia Vladimir Putin: ", "Question (retranslated): ". */
static int parse_label_(const lexicon *lx, const char *s, const blk *b, label *lb) {
  size_t e = b->text_end, i = b->text;
  /* The first ':' within 160 bytes, with no ',', '"', '“' or '”' before
   * it. memchr finds the colon; the bytes before it are then checked (a
   * curly quote cannot straddle the colon, an ASCII byte). */
  size_t lim = e - i < 160 ? e - i : 160;
  const char *cp = memchr(s + i, ':', lim);
  if (!cp) return 0;
  size_t colon = (size_t)(cp - s);
  for (size_t k = i; k < colon; k++) {
    unsigned char c = (unsigned char)s[k];
    if (c == ',' || c == '"') return 0;
    if (c == 0xE2 && k + 2 < e && (unsigned char)s[k + 1] == 0x80 &&
        ((unsigned char)s[k + 2] == 0x9C || (unsigned char)s[k + 2] == 0x9D))
      return 0;
  }
  if (colon == i) return 0;
  /* After the colon: a space, a no-break space, or the end of the line. */
  if (colon + 1 < e) {
    uint32_t c = cp_at(s, colon + 1, e, NULL);
    if (c != ' ' && c != 0xA0) return 0;
  }
  size_t core_end = colon;
  while (core_end > i && s[core_end - 1] == ' ') core_end--;
  if (s[core_end - 1] == ')') {
    size_t k = core_end - 1;
    while (k > i && s[k] != '(') k--;
    if (s[k] != '(') return 0;
    core_end = k;
    while (core_end > i && (s[core_end - 1] == ' ' ||
                            (unsigned char)s[core_end - 1] == 0xA0 ||
                            (unsigned char)s[core_end - 1] == 0xC2))
      core_end--;
  }
  if (core_end <= i) return 0;
  /* Words: capitalised (names, offices, "A."), or particles. */
  int words = 0, has_title = 0, has_particle = 0;
  size_t last_break = i; /* start of the word after the last title/particle */
  size_t k = i;
  while (k < core_end) {
    size_t we = word_end(s, k, core_end);
    if (we == k) return 0;
    while (we < core_end && (s[we] == '.' || s[we] == '\'' ||
                             ((unsigned char)s[we] == 0xE2 && we + 2 < core_end &&
                              (unsigned char)s[we + 2] == 0x99)))
      we = s[we] == '.' || s[we] == '\'' ? we + 1 : we + 3, we = word_end(s, we, core_end);
    uint32_t c0 = cp_at(s, k, core_end, NULL);
    if (cp_is_upper(c0) && !(words > 0 && caps_particle(s, k, we))) {
      if (word_in(s, k, word_end(s, k, we), W_TITLE)) {
        has_title = 1;
        last_break = we;
      }
    } else if (words > 0 && (word_in(s, k, we, W_PARTICLE) || caps_particle(s, k, we))) {
      has_particle = 1;
      last_break = we;
    } else {
      return 0;
    }
    if (++words > 14) return 0;
    k = we;
    if (k >= core_end) break;
    size_t n;
    uint32_t sp = cp_at(s, k, core_end, &n);
    if (sp != ' ' && sp != 0xA0) return 0;
    k += n;
  }
  lb->colon = colon;
  lb->core_end = core_end;
  lb->words = words;
  lb->has_title = has_title || has_particle;
  lb->person = -1;
  lb->name_start = core_end;
  /* The name: the longest known name that ends the label... */
  for (size_t w = i; w < core_end;) {
    lex_match m;
    if (cp_is_upper(cp_at(s, w, core_end, NULL)) &&
        lx && lexicon_match(lx, s, w, core_end, 1u << LEX_NAME, &m) &&
        m.end == core_end && m.typo_end == 0 &&
        lexicon_entry(lx, m.entry)->person >= 0) {
      lb->name_start = w;
      lb->person = lexicon_entry(lx, m.entry)->person;
      return 1;
    }
    size_t we = word_end(s, w, core_end);
    if (we == w) we++;
    while (we < core_end && !(s[we] == ' ' || ((unsigned char)s[we] == 0xC2 &&
                                              (unsigned char)s[we + 1] == 0xA0)))
      we++;
    w = we + (we < core_end ? (s[we] == ' ' ? 1 : 2) : 0);
  }
  /* ... else the words after the last office or particle: at most the last
   * two after "of" ("President of Russia Vladimir Putin"), the whole label
   * when it has no office at all ("Recep Tayyip Erdogan"). */
  size_t ns = last_break;
  if (ns < core_end) {
    while (ns < core_end && (s[ns] == ' ' || (unsigned char)s[ns] == 0xC2 ||
                             (unsigned char)s[ns] == 0xA0))
      ns++;
  }
  int nwords = 0;
  for (size_t q = ns; q < core_end;) {
    size_t we = word_end(s, q, core_end);
    if (we == q) we++;
    nwords++;
    q = we;
    while (q < core_end && (s[q] == ' ' || s[q] == '.' || (unsigned char)s[q] >= 0x80) &&
           !cp_is_word(cp_at(s, q, core_end, NULL)))
      q += s[q] == ' ' || s[q] == '.' ? 1 : 1;
  }
  if (!lb->has_title && words > 4) nwords = 99;
  if ((has_particle && nwords > 2) || nwords == 99) {
    /* the last two words */
    size_t q = core_end;
    int seen = 0;
    while (q > ns) {
      size_t l;
      uint32_t c = cp_before(s, ns, q, &l);
      if (c == ' ' || c == 0xA0) {
        if (++seen == 2) break;
      }
      q -= l;
    }
    ns = q;
  }
  /* "The United Kingdom:", "Minister of Economic Development:": a name
   * that starts or ends with a word that is never a name's is nobody. */
  if (ns < core_end) {
    size_t last = core_end;
    while (last > ns && cp_is_word(cp_before(s, ns, last, NULL))) {
      size_t l;
      cp_before(s, ns, last, &l);
      last -= l;
    }
    if (word_in(s, ns, word_end(s, ns, core_end), W_NOT_NAME) ||
        word_in(s, last, core_end, W_NOT_NAME))
      ns = core_end;
  }
  if (ns >= core_end || (words == 1 && !lb->has_title)) {
    lb->name_start = core_end;
    /* A one-word label is a role ("Question") unless it is a known name. */
    return 1;
  }
  lb->name_start = ns;
  return 1;
}

/* parse_label_, asked again and again for the same blocks (the passes
 * that find names, count labels, then build): whether a block is a label
 * does not depend on the lexicon, and the name in it depends on nothing
 * else, and the lexicon only grows, so an answer is kept in the block
 * while the lexicon has as many entries as when it was found. */
int label_parse(const lexicon *lx, const char *s, blk *b, label *lb) {
  size_t lex_size = lx ? lexicon_size(lx) : 0;
  if (b->label_state < 0) return 0;
  if (b->label_state > 0 && b->lex_size == lex_size) {
    *lb = b->lb;
    return 1;
  }
  int ok = parse_label_(lx, s, b, lb);
  b->label_state = ok ? 1 : -1;
  if (ok) {
    b->lb = *lb;
    b->lex_size = lex_size;
  }
  return ok;
}

