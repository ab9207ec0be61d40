/* inline.c - the inlines of one block: quotations (curly, straight, mixed,
 * nested, unclosed), the publisher's [bracketed] insertions, persons' names
 * (with misspellings as corrections), and in narration dates, places and
 * the references to persons (names, epithets, pronouns) that attribution
 * needs.
 *
 * One pass, left to right, no recursion: the open QUOTE and INSERTION nodes
 * form a chain through their parents, and a closing mark pops it. A quote
 * may end without its closing mark (the paragraph ended, or a bracket
 * closed around it); an insertion may not, because the diplomatic edition
 * prints its brackets back, so only '[' with a matching ']' in the same
 * block open one (found by a stack pass first). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

typedef struct ib {
  analysis *r;
  const char *s;
  size_t a, b;
  scr_node *root, *cur;
  size_t text_start;
  unsigned flags;
  size_t qdepth, idepth;
  size_t sent, sent_words;
  size_t bracket_i; /* next entry of r->brackets */
  int top;          /* index in r->quotes of the open top-level quote */
  scr_node *ind;    /* the open reported clause ("said that …"), or NULL */
  /* where the current sentence began: its offset, the container and its
   * last child then (NULL: none), text_start then, and whether a top-level
   * quote opened in it (for "…, Mr Putin said.", wrapped afterwards) */
  size_t sent_off, sent_ts;
  scr_node *sent_cur, *sent_anchor;
  int sent_quote;
} ib;

static void sentence_begins(ib *b, size_t off) {
  b->sent_off = off;
  b->sent_ts = b->text_start;
  b->sent_cur = b->cur;
  b->sent_anchor = scr_node_last_child(b->cur);
  b->sent_quote = 0;
}

static int flush(ib *b, size_t upto) {
  if (upto <= b->text_start) return 0;
  scr_node *t = an_text(b->r, b->text_start, upto);
  if (!t) return -1;
  scr_node_append(b->cur, t);
  b->text_start = upto;
  return 0;
}

/* ---- quotation marks ------------------------------------------------------------- */

enum { MK_NONE, MK_OPEN, MK_CLOSE, MK_STRAIGHT, MK_SOPEN, MK_SCLOSE };

static int mark_at(const char *s, size_t i, size_t b, size_t *len) {
  unsigned char c = (unsigned char)s[i];
  if (c == '"') return *len = 1, MK_STRAIGHT;
  if (c == 0xE2 && i + 2 < b && (unsigned char)s[i + 1] == 0x80) {
    *len = 3;
    switch ((unsigned char)s[i + 2]) {
    case 0x9C: return MK_OPEN;
    case 0x9D: return MK_CLOSE;
    case 0x98: return MK_SOPEN;
    case 0x99: return MK_SCLOSE;
    }
  }
  return MK_NONE;
}

static int is_mark_cp(uint32_t c) {
  return c == '"' || c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019;
}

static int opening_punct(uint32_t c) {
  return c == '(' || c == '[' || c == '{' || c == 0x2014 || c == 0x2013 ||
         c == '-' || c == '/' || c == 0x2026;
}

static int closing_punct(uint32_t c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' ||
         c == '?' || c == ')' || c == ']' || c == '}' || c == 0x2026 ||
         c == 0x2014 || c == 0x2013;
}

/* Whether the innermost open container is a quote, and of which marks. */
static int cur_quote_kind(const ib *b) {
  if (scr_node_get_type(b->cur) != SCR_NODE_QUOTE || b->cur == b->root || b->cur == b->ind)
    return 0;
  scr_node *first = scr_node_first_child(b->cur);
  if (!first) return 1;
  scr_str m = scr_node_text(first);
  if (m.len == 3 && (unsigned char)m.ptr[2] == 0x98) return 2; /* ‘ */
  return 1;
}

static void warn_unclosed(analysis *r, size_t open) {
  scr_pos p = an_pos(r, open);
  r->unclosed++;
  scr_diag_report(r->diag, SCR_WARNING, p, "unclosed-quote",
                  "the quotation opened at line %u, column %u is not closed; "
                  "it ends at the end of its paragraph",
                  (unsigned)p.line, (unsigned)p.column);
}

/* Ends the innermost quote without a closing mark. */
static int force_close(ib *b, int warn) {
  scr_node *q = b->cur;
  if (an_set_attr(b->r, q, SCR_ATTR_KIND, "unclosed", 8)) return -1;
  if (warn) warn_unclosed(b->r, scr_node_pos(q).offset);
  b->cur = scr_node_parent(q);
  b->qdepth--;
  if (b->qdepth == 0 && b->top >= 0) {
    /* Closed by force (a bracket ended around it): no closing mark. */
    b->r->quotes.v[b->top].close = b->text_start;
    b->r->quotes.v[b->top].close_end = b->text_start;
    b->r->quotes.v[b->top].sent_close = b->sent;
    b->top = -1;
  }
  return 0;
}

static int open_quote(ib *b, size_t i, size_t n) {
  analysis *r = b->r;
  if (flush(b, i)) return -1;
  scr_node *q = an_node(r, SCR_NODE_QUOTE, i);
  scr_node *m = an_text(r, i, i + n);
  if (!q || !m) return -1;
  scr_node_append(b->cur, q);
  scr_node_append(q, m);
  if (b->qdepth == 0) {
    b->sent_quote = 1;
    quote_rec rec = {q, i, i + n, SIZE_MAX, SIZE_MAX, b->sent, b->sent,
                     -1, M_NONE, 0, -1, ++r->quote_count};
    if (VEC_PUSH(r->quotes, rec)) return -1;
    b->top = (int)r->quotes.len - 1;
  } else {
    r->quote_count++;
  }
  b->cur = q;
  b->qdepth++;
  b->text_start = i + n;
  return 0;
}

static int close_quote(ib *b, size_t i, size_t n) {
  if (flush(b, i)) return -1;
  scr_node *m = an_text(b->r, i, i + n);
  if (!m) return -1;
  scr_node_append(b->cur, m);
  b->cur = scr_node_parent(b->cur);
  b->qdepth--;
  b->text_start = i + n;
  if (b->qdepth == 0 && b->top >= 0) {
    quote_rec *q = &b->r->quotes.v[b->top];
    q->close = i;
    q->close_end = i + n;
    /* A quote that ends a sentence ("... relax.” He said") ends the
     * narration's sentence too, unless the narration goes on in lower
     * case ("?” he asked"). */
    uint32_t before = cp_before(b->s, b->a, i, NULL);
    size_t j = i + n;
    while (j < b->b && b->s[j] == ' ') j++;
    uint32_t after = cp_at(b->s, j, b->b, NULL);
    q->sent_close = b->sent;
    if ((before == '.' || before == '!' || before == '?' || before == 0x2026) &&
        !(after >= 'a' && after <= 'z')) {
      b->sent++;
      b->sent_words = 0;
      if (b->ind && b->cur == b->ind) { /* "… said that “… .”" */
        b->cur = scr_node_parent(b->ind);
        b->ind = NULL;
      }
      sentence_begins(b, i + n);
    }
    b->top = -1;
  }
  return 0;
}

/* Returns 1 if the mark was consumed as a quotation mark, 0 if it is text,
 * -1 on OOM. */
static int quote_mark(ib *b, size_t i, size_t n, int mk) {
  const char *s = b->s;
  uint32_t prev = cp_before(s, b->a, i, NULL);
  size_t nl;
  uint32_t next = cp_at(s, i + n, b->b, &nl);
  int at_start = i == b->a, at_end = i + n >= b->b;
  int left = !at_end && !cp_is_space(next) &&
             (at_start || cp_is_space(prev) || opening_punct(prev) ||
              is_mark_cp(prev));
  int right = !at_start && !cp_is_space(prev) &&
              (at_end || cp_is_space(next) || closing_punct(next) ||
               is_mark_cp(next));
  int k = cur_quote_kind(b);
  switch (mk) {
  case MK_OPEN:
    if (!left && right && k == 1) return close_quote(b, i, n) ? -1 : 1;
    if (!left && right && k == 2) {
      if (force_close(b, 1)) return -1;
      return close_quote(b, i, n) ? -1 : 1;
    }
    return open_quote(b, i, n) ? -1 : 1;
  case MK_CLOSE:
  case MK_STRAIGHT:
    if (k == 2 && (right || !left)) {
      /* A double mark ends a single-quoted quote left open inside it. */
      if (force_close(b, 1)) return -1;
      k = cur_quote_kind(b);
    }
    if (k == 1 && (right || !left)) return close_quote(b, i, n) ? -1 : 1;
    if (left) return open_quote(b, i, n) ? -1 : 1;
    if (b->qdepth == 0 && mk == MK_CLOSE)
      scr_diag_report(b->r->diag, SCR_WARNING, an_pos(b->r, i),
                      "stray-quote", "a closing quotation mark without an "
                      "opening one");
    return 0;
  case MK_SOPEN:
    if (b->qdepth > 0 && left) return open_quote(b, i, n) ? -1 : 1;
    return 0;
  case MK_SCLOSE:
    if (k == 2 && right && !cp_is_word(next)) return close_quote(b, i, n) ? -1 : 1;
    return 0;
  }
  return 0;
}

/* ---- brackets ----------------------------------------------------------------------- */

static int match_brackets(analysis *r, const char *s, size_t a, size_t b) {
  r->brackets.len = r->bstack.len = 0;
  /* brackets.v[k] is the offset of a '[' with a partner, in order; the
   * stack holds indices of '[' not yet matched (SIZE_MAX: none). */
  for (size_t i = a; i < b; i++) {
    if (s[i] == '[') {
      if (VEC_PUSH(r->brackets, SIZE_MAX) || VEC_PUSH(r->bstack, r->brackets.len - 1))
        return -1;
      r->brackets.v[r->brackets.len - 1] = i | ((size_t)1 << (sizeof(size_t) * 8 - 1));
    } else if (s[i] == ']' && r->bstack.len) {
      size_t k = r->bstack.v[--r->bstack.len];
      r->brackets.v[k] &= ~((size_t)1 << (sizeof(size_t) * 8 - 1));
    }
  }
  return 0;
}

/* ---- dates, places, references --------------------------------------------------------- */

static int month_of(const char *s, size_t i, size_t e) {
  return month_number(s, i, e);
}

static size_t skip_one_space(const char *s, size_t i, size_t b) {
  size_t n;
  uint32_t c = cp_at(s, i, b, &n);
  return (c == ' ' || c == 0xA0) ? i + n : SIZE_MAX;
}

static int digits(const char *s, size_t i, size_t e, int min, int max) {
  if ((int)(e - i) < min || (int)(e - i) > max) return -1;
  int v = 0;
  for (size_t k = i; k < e; k++) {
    if (s[k] < '0' || s[k] > '9') return -1;
    v = v * 10 + (s[k] - '0');
  }
  return v;
}

/* ", 2012" at s[i]: the year, its end in *end; 0 when there is none. */
static int comma_year(const char *s, size_t i, size_t b, size_t *end) {
  size_t j;
  if (!(i + 2 < b && s[i] == ',' && (j = skip_one_space(s, i + 1, b)) != SIZE_MAX)) return 0;
  size_t ye = word_end(s, j, b);
  int y = digits(s, j, ye, 4, 4);
  if (y <= 0) return 0;
  *end = ye;
  return y;
}

/* A dash between the days of a range: "-", an en dash or a minus sign
 * (kremlin.ru prints all three). Its length. */
static size_t range_dash(const char *s, size_t i, size_t b) {
  if (i < b && s[i] == '-') return 1;
  if (i + 3 <= b && (!memcmp(s + i, "\xE2\x80\x93", 3) || !memcmp(s + i, "\xE2\x88\x92", 3)))
    return 3;
  return 0;
}

static void iso_day(char *when, size_t cap, int year, int month, int day) {
  unsigned y = (unsigned)year % 10000u, m = (unsigned)month % 100u, d = (unsigned)day % 100u;
  if (year) snprintf(when, cap, "%04u-%02u-%02u", y, m, d);
  else snprintf(when, cap, "--%02u-%02u", m, d);
}

/* "September 14, 2020", "May 9", "15 September", "15 September 2020";
 * a range in one month, "December 6-9, 2012" (when: an ISO 8601 interval,
 * "2012-12-06/2012-12-09"); and "May 7 and 9, 2017", two dates that share
 * the year printed after the second: the first is returned, the second's
 * span in second[0..1] and its value in when2 (second[1] is 0 when there
 * is none). */
static size_t parse_date(const char *s, size_t i, size_t we, size_t b,
                         char when[32], size_t second[2], char when2[32]) {
  int month, day, year = 0;
  size_t end;
  second[1] = 0;
  /* Only a month name (capitalised) or a day (digits) starts a date. */
  if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))) return 0;
  if ((month = month_of(s, i, we))) {
    size_t j = skip_one_space(s, we, b);
    if (j == SIZE_MAX) return 0;
    size_t de = word_end(s, j, b);
    if ((day = digits(s, j, de, 1, 2)) < 1 || day > 31) return 0;
    end = de;
    size_t dl = range_dash(s, de, b), d2e, ye;
    int day2, y;
    if (dl && (d2e = word_end(s, de + dl, b)) > de + dl &&
        (day2 = digits(s, de + dl, d2e, 1, 2)) > day && day2 <= 31) {
      /* December 6-9[, 2012] */
      y = comma_year(s, d2e, b, &ye);
      char a[12], z[12];
      iso_day(a, sizeof a, y, month, day);
      iso_day(z, sizeof z, y, month, day2);
      snprintf(when, 32, "%s/%s", a, z);
      return y ? ye : d2e;
    }
    size_t ae, d2;
    if ((j = skip_one_space(s, de, b)) != SIZE_MAX && (ae = word_end(s, j, b)) == j + 3 &&
        word_is(s, j, ae, "and") && (d2 = skip_one_space(s, ae, b)) != SIZE_MAX &&
        (d2e = word_end(s, d2, b)) > d2 && (day2 = digits(s, d2, d2e, 1, 2)) > day &&
        day2 <= 31 && (y = comma_year(s, d2e, b, &ye))) {
      /* May 7 and 9, 2017 */
      iso_day(when, 32, y, month, day);
      iso_day(when2, 32, y, month, day2);
      second[0] = d2;
      second[1] = ye;
      return de;
    }
    if ((y = comma_year(s, de, b, &ye))) year = y, end = ye;
  } else {
    if ((day = digits(s, i, we, 1, 2)) < 1 || day > 31) return 0;
    size_t j = skip_one_space(s, we, b);
    if (j == SIZE_MAX) return 0;
    size_t me = word_end(s, j, b);
    if (!(month = month_of(s, j, me))) return 0;
    end = me;
    if ((j = skip_one_space(s, me, b)) != SIZE_MAX) {
      size_t ye = word_end(s, j, b);
      int y = digits(s, j, ye, 4, 4);
      if (y > 0) year = y, end = ye;
    }
  }
  iso_day(when, 32, year, month, day);
  return end;
}



/* A capitalised word, or an abbreviation such as "St." before another. */
static size_t cap_word(const char *s, size_t i, size_t b) {
  if (!cp_is_upper(cp_at(s, i, b, NULL))) return 0;
  size_t e = word_end(s, i, b);
  if (e < b && s[e] == '.' && e - i <= 3 && e + 2 < b && s[e + 1] == ' ' &&
      cp_is_upper(cp_at(s, e + 2, b, NULL)))
    e++;
  return e;
}

/* "in the Konstantinovsky Palace in St. Petersburg": after "in"/"at",
 * a run of capitalised words (joined by "of", chained by "in") that ends
 * the clause. Returns the end of the place, its start in *ps. */
static size_t parse_place(analysis *r, const char *s, size_t we, size_t b,
                          size_t *ps) {
  size_t j = skip_one_space(s, we, b);
  if (j == SIZE_MAX) return 0;
  size_t e = word_end(s, j, b);
  if (word_is(s, j, e, "the")) {
    if ((j = skip_one_space(s, e, b)) == SIZE_MAX) return 0;
  }
  size_t start = j, end = 0;
  int words = 0;
  for (;;) {
    size_t ce = cap_word(s, j, b);
    if (!ce || ce == j) break;
    if (words == 0 || s[j - 1] != ' ' || 1) {
      lex_match m;
      if (month_of(s, j, word_end(s, j, b))) break;
      if (lexicon_match(&r->lx, s, j, b, 1u << LEX_NAME, &m)) break;
    }
    end = ce;
    if (++words > 8) return 0;
    size_t k = skip_one_space(s, ce, b);
    if (k == SIZE_MAX) break;
    size_t ke = word_end(s, k, b);
    if (cap_word(s, k, b)) {
      j = k;
      continue;
    }
    if (word_is(s, k, ke, "of") || word_is(s, k, ke, "in")) {
      size_t k2 = skip_one_space(s, ke, b);
      if (k2 != SIZE_MAX && cap_word(s, k2, b) &&
          !month_of(s, k2, word_end(s, k2, b))) {
        j = k2;
        continue;
      }
    }
    break;
  }
  if (!words) return 0;
  /* What follows must end the phrase. */
  if (end < b) {
    uint32_t c = cp_at(s, end, b, NULL);
    if (c == ' ' || c == 0xA0) {
      size_t k = skip_one_space(s, end, b);
      size_t ke = word_end(s, k, b);
      if (!word_in(s, k, ke, W_PLACE_FOLLOWER)) return 0;
    } else if (!(closing_punct(c) || is_mark_cp(c) || c == '[')) {
      return 0;
    }
  }
  *ps = start;
  return end;
}

static int add_ref(ib *b, size_t start, size_t end, int kind, int person,
                   int medium) {
  const char *s = b->s;
  ref rf = {start, end, kind, person, medium, b->sent, 0, 0, 0, 0, 0, 0};
  rf.sent_start = b->sent_words == 0;
  if (b->sent_words == 1) {
    /* "Mr Hu, for his part, said …": an honorific opening the sentence
     * does not keep the name from being its subject */
    size_t k = start, hs;
    if (k >= 2 && (unsigned char)s[k - 1] == 0xA0 && (unsigned char)s[k - 2] == 0xC2) k -= 2;
    else if (k >= 1 && s[k - 1] == ' ') k--;
    if (k > b->a && s[k - 1] == '.') k--;
    hs = k;
    while (hs > b->a && s[hs - 1] >= 'A' && s[hs - 1] <= 'z') hs--;
    if (k < start && (word_is(s, hs, k, "Mr") || word_is(s, hs, k, "Ms") ||
                      word_is(s, hs, k, "Mrs")))
      rf.sent_start = 1;
  }
  rf.comma_after = end < b->b && s[end] == ',';
  size_t j = skip_one_space(s, end, b->b);
  if (j != SIZE_MAX && j < b->b && s[j] >= 'a' && s[j] <= 'z') {
    size_t je = word_end(s, j, b->b);
    if (!word_in(s, j, je, W_NOT_VERB)) {
      rf.verb_after = 1;
      rf.verb_then_stop = je >= b->b || s[je] == '.';
    }
  }
  size_t k = start;
  while (k > b->a && s[k - 1] == ' ') k--;
  rf.comma_before = k > b->a && k < start && s[k - 1] == ',';
  return VEC_PUSH(b->r->refs, rf);
}

static int person_node(ib *b, size_t i, const lex_match *m) {
  analysis *r = b->r;
  const lex_entry *e = lexicon_entry(&r->lx, m->entry);
  if (flush(b, i)) return -1;
  scr_node *pn = an_node(r, SCR_NODE_PERSON, i);
  if (!pn) return -1;
  scr_node_append(b->cur, pn);
  scr_person *p = lexicon_person(&r->lx, r->doc, e->person);
  if (!p) return -1;
  scr_str id = scr_person_id(p);
  if (scr_node_set_attr_ref(r->doc, pn, SCR_ATTR_WHO, id.ptr, id.len) ||
      scr_person_add_name(r->doc, p, e->form.ptr, e->form.len))
    return -1;
  if (m->typo_end > m->typo_start) {
    scr_node *c = an_node(r, SCR_NODE_CORRECTION, m->typo_start);
    scr_node *t = an_text(r, m->typo_start, m->typo_end);
    if (!c || !t) return -1;
    if (m->typo_start > i) {
      scr_node *pre = an_text(r, i, m->typo_start);
      if (!pre) return -1;
      scr_node_append(pn, pre);
    }
    scr_node_append(pn, c);
    scr_node_append(c, t);
    if (scr_node_set_attr_ref(r->doc, c, SCR_ATTR_CORRECTED, m->typo_fix.ptr,
                              m->typo_fix.len))
      return -1;
    if (m->end > m->typo_end) {
      scr_node *post = an_text(r, m->typo_end, m->end);
      if (!post) return -1;
      scr_node_append(pn, post);
    }
  } else {
    scr_node *t = an_text(r, i, m->end);
    if (!t) return -1;
    scr_node_append(pn, t);
  }
  b->text_start = m->end;
  return 0;
}

static scr_str normalise_space(analysis *r, size_t a, size_t e) {
  scr_str c = scr_doc_strdup(r->doc, r->s + a, e - a);
  if (!c.ptr) return c;
  char *w = (char *)c.ptr;
  size_t o = 0;
  for (size_t i = 0; i < c.len; i++) {
    if ((unsigned char)w[i] == 0xC2 && i + 1 < c.len &&
        (unsigned char)w[i + 1] == 0xA0) {
      w[o++] = ' ';
      i++;
    } else {
      w[o++] = w[i];
    }
  }
  w[o] = 0;
  c.len = o;
  return c;
}

static int simple_node(ib *b, scr_node_type t, size_t i, size_t e) {
  if (flush(b, i)) return -1;
  scr_node *n = an_node(b->r, t, i);
  scr_node *x = an_text(b->r, i, e);
  if (!n || !x) return -1;
  scr_node_append(b->cur, n);
  scr_node_append(n, x);
  b->text_start = e;
  return 0;
}

/* A DATE of s[i..e) with its value; the first of the narration is the
 * document's date if nothing else gives one. */
static int date_node(ib *b, size_t i, size_t e, const char *when) {
  analysis *r = b->r;
  if (simple_node(b, SCR_NODE_DATE, i, e)) return -1;
  scr_node *d = scr_node_last_child(b->cur);
  if (an_set_attr(r, d, SCR_ATTR_WHEN, when, strlen(when)) || VEC_PUSH(r->dates, d)) return -1;
  if (!r->first_date_when.len && !strchr(when, '/'))
    r->first_date_when = scr_node_attr(d, SCR_ATTR_WHEN);
  return 0;
}

/* Most words: lower-case ASCII, not he, she, in or at, with no epithet
 * to look for. word() does nothing for them but count them: no name (not
 * capitalised), no date (parse_date wants a capital or a digit), no
 * pronoun, no place. */
static inline int plain_word(const ib *b, size_t i, size_t we) {
  const char *s = b->s;
  if (!(s[i] >= 'a' && s[i] <= 'z')) return 0;
  if (we - i == 2 && (memcmp(s + i, "he", 2) == 0 || memcmp(s + i, "in", 2) == 0 ||
                      memcmp(s + i, "at", 2) == 0))
    return 0;
  if (we - i == 3 && memcmp(s + i, "she", 3) == 0) return 0;
  int narr = (b->flags & INL_NARRATION) && b->qdepth == 0 && b->idepth == 0;
  if (narr && we - i == 4 && memcmp(s + i, "that", 4) == 0 && !b->ind) return 0;
  if (!(narr && (b->r->lx.kinds & (1u << LEX_EPITHET)))) return 1;
  const lexicon *lx = &b->r->lx;
  if (lx->epithet_any_start || (lx->base && lx->base->epithet_any_start)) return 0;
  /* only "the" and "his" can start an epithet */
  return !(we - i == 3 && (memcmp(s + i, "the", 3) == 0 || memcmp(s + i, "his", 3) == 0));
}

/* inline_build's first look at an ASCII byte: 1 a word character (as
 * ascii_word), 2 a byte the loop handles itself (brackets, the straight
 * quotation mark, sentence ends, the colon), 0 nothing to do (spaces, other
 * punctuation). Bytes >= 0x80 are handled like 2. */
static const unsigned char ascii_kind[128] = {
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
    ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
    ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1,
    ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
    ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1,
    ['x'] = 1, ['y'] = 1, ['z'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
    ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['-'] = 1,
    ['['] = 2, [']'] = 2, ['"'] = 2, ['.'] = 2, ['!'] = 2, ['?'] = 2, [':'] = 2,
};

/* ---- reported speech ----------------------------------------------------------- */

static size_t skip_back_sp(const char *s, size_t a, size_t e) {
  for (;;) {
    if (e > a && s[e - 1] == ' ') e--;
    else if (e >= a + 2 && (unsigned char)s[e - 1] == 0xA0 && (unsigned char)s[e - 2] == 0xC2) e -= 2;
    else return e;
  }
}

/* The lower-case ASCII word ending at e (spaces before e skipped), its
 * start in *ws; 0 if there is none. */
static size_t lower_word_before(const char *s, size_t a, size_t e, size_t *ws) {
  e = skip_back_sp(s, a, e);
  size_t w = e;
  while (w > a && s[w - 1] >= 'a' && s[w - 1] <= 'z') w--;
  *ws = w;
  return e > w ? e : 0;
}

static int in_list(const char *s, size_t i, size_t e, const char *const *words) {
  if (i >= e) return 0;
  size_t n = e - i;
  /* s[i..e) is a word: no NUL in it, so comparing stops at the list
   * word's end at the latest (no strlen of every list word) */
  for (size_t k = 0; words[k]; k++) {
    const char *w = words[k];
    if (w[0] != s[i]) continue; /* the first byte first: most words fail there */
    size_t j = 1;
    while (j < n && w[j] == s[i + j]) j++;
    if (j == n && w[n] == '\0') return 1;
  }
  return 0;
}

/* Verbs of speaking and writing that report a clause ("Mr Putin stressed
 * that …"); not verbs of thinking or feeling (believe, hope), which report
 * no speech. Those in the second list take an object first ("told
 * journalists that", "assured him that"). */
static const char *const report_verbs[] = {
    "said", "says", "noted", "notes", "stressed", "stresses", "added", "stated",
    "remarked", "emphasized", "emphasised", "explained", "replied", "answered",
    "recalled", "mentioned", "underlined", "highlighted", "declared", "announced",
    "observed", "concluded", "wrote", "writes", "reported", "affirmed",
    "reaffirmed", "reiterated", "confirmed", "acknowledged", "admitted",
    "insisted", "argued", "claimed", "specified", "clarified", "pointed", NULL};
static const char *const report_verbs_obj[] = {
    "told", "tells", "assured", "informed", "reminded", "warned", "promised", NULL};
/* what may stand between such a verb and "that": adverbs, and where it
 * was said ("noted at the meeting that", "said in his speech that") */
static const char *const report_adverbs[] = {
    "also", "again", "once", "further", "then", "repeatedly", "in", "particular",
    "out", "today", "later", "specifically", "firmly", "clearly", "persistently",
    "at", "during", "the", "his", "her", "this", "meeting", "talks", "speech",
    "address", "conversation", "message", "letter", "interview", "conference",
    "remarks", "statement", "briefing", "session", "ceremony", "opening", "many",
    "times", "already", "often", NULL};

/* "NAME/EPITHET/PRONOUN [also] VERB [in particular] that …": opens a QUOTE
 * of kind "indirect" after "that" (at i..we), to be closed at the end of
 * its sentence, and records it with its speaker's reference for
 * attribution. Nothing when the words before "that" are not a reference
 * right before a reporting verb. 0, or -1 on OOM. */
static int reported_clause(ib *b, size_t i, size_t we) {
  analysis *r = b->r;
  const char *s = b->s;
  const ref *rf = r->refs.len ? &r->refs.v[r->refs.len - 1] : NULL;
  if (rf && (rf->sent != b->sent || rf->end >= i)) rf = NULL;
  size_t lim = rf ? rf->end : i > b->a + 120 ? i - 120 : b->a, e = i, ws, ve = 0, vs = 0;
  /* back from "that" to the verb: adverbs between ("said, in particular,
   * that"), or any words after a verb of the second list ("told
   * journalists that") */
  int others = 0;
  for (int n = 0; n < 5 && !ve; n++) {
    e = skip_back_sp(s, lim, e);
    if (e > lim && s[e - 1] == ',') e = skip_back_sp(s, lim, e - 1);
    size_t w = lower_word_before(s, lim, e, &ws);
    if (!w || w != e) return 0;
    if (in_list(s, ws, w, report_verbs_obj)) vs = ws, ve = w;
    else if (in_list(s, ws, w, report_verbs)) {
      if (others) return 0;
      vs = ws, ve = w;
    } else if (!in_list(s, ws, w, report_adverbs)) {
      if (++others > 3) return 0; /* "told the heads of the delegations that" at most */
    }
    e = ws;
  }
  if (!ve) return 0;
  /* from the verb back to the reference: spaces, an auxiliary or adverb
   * ("Mr Putin also said"), or an aside between commas ("Mr Hu, for his
   * part, said that") */
  static const char *const before_verb[] = {"also", "then", "has", "had", "have", "further",
                                            "again", "later", "once", "repeatedly", "already",
                                            NULL};
  size_t k = skip_back_sp(s, lim, vs);
  for (int n = 0; n < 2 && k > lim; n++) {
    size_t a2, w = lower_word_before(s, lim, k, &a2);
    if (!(w && w == k && in_list(s, a2, w, before_verb))) break;
    k = skip_back_sp(s, lim, a2);
  }
  /* "I have said many times that", "I told you that": the speaker's
   * report of his own words (a turn's label says whose; attrib.c). Not
   * "I would like to say that": only a verb in the past. */
  int self = k > lim && s[k - 1] == 'I' &&
             (k - 1 == b->a || s[k - 2] == ' ' || (unsigned char)s[k - 2] == 0xA0) &&
             s[vs] != 's' /* says */ && !word_is(s, vs, ve, "recalled") /* remembered */;
  if (!self && !rf) return 0;
  if (self) k = lim;
  if (k > lim) {
    size_t a2, w = lower_word_before(s, lim, k, &a2);
    if (w == k && word_is(s, a2, w, "and") && rf->verb_after) {
      /* "Mr Putin thanked him and said that": the subject of both verbs
       * (the reference is followed by a verb, no punctuation between) */
      int words = 0;
      for (size_t x = lim; x < a2; x++) {
        unsigned char c = (unsigned char)s[x];
        if (c == ',' || c == '.' || c == ';' || c == ':' || c == '"' || c == 0xE2 || c == '(')
          return 0;
        if (c == ' ' && ++words > 6) return 0;
      }
      k = lim;
    }
  }
  if (k > lim) {
    if (s[k - 1] != ',' || s[lim] != ',') return 0;
    int words = 0;
    for (size_t x = lim + 1; x + 1 < k; x++) {
      unsigned char c = (unsigned char)s[x];
      if (c == ',' || c == '.' || c == ';' || c == ':' || c == '"' || c == 0xE2 || c == '(')
        return 0;
      if (c == ' ' && ++words > 6) return 0;
    }
  }
  /* the clause: after "that" and its space */
  size_t c0 = we;
  if (c0 < b->b && s[c0] == ' ') c0++;
  else if (c0 + 1 < b->b && (unsigned char)s[c0] == 0xC2 && (unsigned char)s[c0 + 1] == 0xA0) c0 += 2;
  else return 0;
  if (c0 >= b->b) return 0;
  if (flush(b, c0)) return -1;
  scr_node *q = an_node(r, SCR_NODE_QUOTE, c0);
  if (!q) return -1;
  if (an_set_attr(r, q, SCR_ATTR_KIND, "indirect", 8)) return -1;
  scr_node_append(b->cur, q);
  quote_rec rec = {q, c0, c0, SIZE_MAX, SIZE_MAX, b->sent, b->sent,
                   -1, M_NONE, 0, self ? -2 : (int)r->refs.len - 1, 0};
  if (VEC_PUSH(r->indirect, rec)) return -1;
  r->indirect_count++;
  b->cur = q;
  b->ind = q;
  return 0;
}

/* "Mr Putin said Russia was …", "he said the ministers were …": a
 * clause reported without "that", right after a reference and "said",
 * "says" or "added" (the verbs that take no noun: "stressed the
 * importance" is not reported speech). The clause must begin with a
 * capitalised word, a pronoun or (after "said", "says") a determiner.
 * Called after the reference, which ends at `end`: opens the clause and
 * returns where the scan goes on (its start), or `end` when there is
 * none; SIZE_MAX on OOM. */
static size_t clause_after_ref(ib *b, size_t end) {
  analysis *r = b->r;
  const char *s = b->s;
  if (b->ind || b->qdepth || b->idepth || end + 6 >= b->b || s[end] != ' ') return end;
  size_t v = end + 1, ve = word_end(s, v, b->b);
  int said = word_is(s, v, ve, "said") || word_is(s, v, ve, "says");
  if (!(said || word_is(s, v, ve, "added")) || ve + 2 >= b->b || s[ve] != ' ') return end;
  size_t c0 = ve + 1, ce = word_end(s, c0, b->b);
  if (ce == c0 || ce >= b->b) return end;
  static const char *const pronouns[] = {"he", "she", "it", "they", "there", "this", "these",
                                         "we", NULL};
  static const char *const dets[] = {"the", "his", "her", "its", "their", NULL};
  uint32_t c = cp_at(s, c0, b->b, NULL);
  int ok = 0;
  if (cp_is_upper(c)) ok = s[ce] != ':' && s[ce] != ',' && s[ce] != '.' && !word_is(s, c0, ce, "I");
  else if (in_list(s, c0, ce, pronouns)) ok = 1;
  else if (said && in_list(s, c0, ce, dets)) {
    size_t n0 = ce + 1, ne = n0 < b->b ? word_end(s, n0, b->b) : n0;
    ok = !(word_is(s, n0, ne, "following") || word_is(s, n0, ne, "same") ||
           word_is(s, n0, ne, "words"));
  }
  if (!ok) return end;
  if (flush(b, c0)) return SIZE_MAX;
  scr_node *q = an_node(r, SCR_NODE_QUOTE, c0);
  if (!q) return SIZE_MAX;
  if (an_set_attr(r, q, SCR_ATTR_KIND, "indirect", 8)) return SIZE_MAX;
  scr_node_append(b->cur, q);
  quote_rec rec = {q, c0, c0, SIZE_MAX, SIZE_MAX, b->sent, b->sent,
                   -1, M_NONE, 0, (int)r->refs.len - 1, 0};
  if (VEC_PUSH(r->indirect, rec)) return SIZE_MAX;
  r->indirect_count++;
  b->cur = q;
  b->ind = q;
  b->text_start = c0;
  b->sent_words++; /* the verb */
  return c0;
}

/* "Russia was ready to cooperate, Mr Putin said.", "…, said Mr Putin.",
 * "…, he said.": a reported clause before its verb, from its sentence's
 * start to the comma. Called at the reference (start..end, just added to
 * r->refs), before its node: wraps the sentence's nodes so far in a QUOTE
 * of kind indirect. Only for a sentence with no quote of its own (“…,” Mr
 * Putin said is direct speech) that began in the same container. 0, -1 on
 * OOM. */
static int clause_before_ref(ib *b, size_t start, size_t end) {
  analysis *r = b->r;
  const char *s = b->s;
  if (b->ind || b->qdepth || b->idepth || b->sent_quote || b->cur != b->sent_cur) return 0;
  size_t comma = 0, ws, we;
  /* most references are not followed by "said." nor by "." */
  size_t v = end + 1;
  int stop_after = end < b->b && s[end] == '.';
  if (!stop_after) {
    if (!(v < b->b && s[end] == ' ' && s[v] >= 'a' && s[v] <= 'z')) return 0;
    we = word_end(s, v, b->b);
    if (!(we < b->b && s[we] == '.')) return 0;
  }
  /* "…, Mr Putin said." */
  size_t k = skip_back_sp(s, b->a, start);
  while (k > b->a && k < start) {
    /* an honorific or office right before the name: "…, said Mr Putin" */
    size_t hs = k;
    while (hs > b->a && ((s[hs - 1] >= 'A' && s[hs - 1] <= 'Z') || (s[hs - 1] >= 'a' && s[hs - 1] <= 'z')))
      hs--;
    if (hs < k && s[hs] >= 'A' && s[hs] <= 'Z' &&
        (word_is(s, hs, k, "Mr") || word_is(s, hs, k, "Ms") || word_is(s, hs, k, "President") ||
         word_is(s, hs, k, "Minister") || word_is(s, hs, k, "Prime")))
      k = skip_back_sp(s, b->a, hs);
    else
      break;
  }
  size_t j = end;
  if (j + 1 < b->b && s[j] == ' ') {
    we = word_end(s, j + 1, b->b);
    if (we < b->b && s[we] == '.' && in_list(s, j + 1, we, report_verbs) && k > b->a &&
        s[k - 1] == ',' && k == skip_back_sp(s, b->a, start))
      comma = k - 1;
  }
  if (!comma && end < b->b && s[end] == '.') {
    /* "…, said Mr Putin." */
    size_t w = lower_word_before(s, b->a, k, &ws);
    if (w == k && in_list(s, ws, w, report_verbs)) {
      size_t c = skip_back_sp(s, b->a, ws);
      if (c > b->a && s[c - 1] == ',') comma = c - 1;
    }
  }
  if (!comma) return 0;
  size_t c0 = b->sent_off;
  while (c0 < comma && (s[c0] == ' ' || (unsigned char)s[c0] == 0xC2 || (unsigned char)s[c0] == 0xA0))
    c0++;
  if (c0 >= comma || comma - c0 < 16) return 0;
  if (flush(b, comma)) return -1;
  scr_node *first = b->sent_anchor ? scr_node_next(b->sent_anchor) : scr_node_first_child(b->cur);
  size_t pos = b->sent_ts;
  while (first && pos < c0) {
    if (scr_node_get_type(first) != SCR_NODE_TEXT) return 0;
    size_t len = scr_node_text(first).len;
    if (pos + len <= c0) {
      pos += len;
      first = scr_node_next(first);
      continue;
    }
    /* the TEXT runs over the sentence's start: cut it there */
    scr_node *rest = an_text(r, c0, pos + len);
    if (!rest) return -1;
    scr_node_set_text(first, scr_node_text(first).ptr, c0 - pos);
    scr_node *nx = scr_node_next(first);
    if (nx) scr_node_insert_before(nx, rest);
    else scr_node_append(b->cur, rest);
    first = rest;
    pos = c0;
  }
  if (!first || pos != c0) return 0;
  scr_node *q = an_node(r, SCR_NODE_QUOTE, c0);
  if (!q) return -1;
  if (an_set_attr(r, q, SCR_ATTR_KIND, "indirect", 8)) return -1;
  scr_node_insert_before(first, q);
  for (scr_node *n = first; n;) {
    scr_node *nx = scr_node_next(n);
    scr_node_unlink(n);
    scr_node_append(q, n);
    n = nx;
  }
  quote_rec rec = {q, c0, c0, SIZE_MAX, SIZE_MAX, b->sent, b->sent,
                   -1, M_NONE, 0, (int)r->refs.len - 1, 0};
  if (VEC_PUSH(r->indirect, rec)) return -1;
  r->indirect_count++;
  b->sent_quote = 1; /* one clause a sentence */
  return 0;
}

/* A word: a person's name, an epithet or pronoun (narration), a date or a
 * place. Returns the offset to continue from, or SIZE_MAX on OOM. */
static size_t word(ib *b, size_t i, size_t we) {
  analysis *r = b->r;
  const char *s = b->s;
  int top = b->qdepth == 0 && b->idepth == 0;
  int narr = (b->flags & INL_NARRATION) && top;
  if (narr && !b->ind && we - i == 4 && memcmp(s + i, "that", 4) == 0) {
    if (reported_clause(b, i, we) < 0) return SIZE_MAX;
    b->sent_words++;
    return we;
  }
  unsigned kinds = 0;
  if (cp_is_upper(cp_at(s, i, b->b, NULL))) kinds |= 1u << LEX_NAME;
  if (narr) kinds |= 1u << LEX_EPITHET;
  lex_match m;
  if (kinds && lexicon_match_word(&r->lx, s, i, we, b->b, kinds, &m)) {
    const lex_entry *e = lexicon_entry(&r->lx, m.entry);
    if (e->person < 0) { /* a form two persons share: nobody's */
      b->sent_words++;
      return m.end;
    }
    if (narr && add_ref(b, i, m.end, e->kind == LEX_NAME ? REF_NAME : REF_EPITHET,
                        e->person, e->publisher.len > 0 || e->learned))
      return SIZE_MAX;
    if (narr && clause_before_ref(b, i, m.end)) return SIZE_MAX;
    if (e->kind == LEX_NAME) {
      /* "Mr Putin", "Ms. Tikhanovskaya", "Mrs Thatcher": the gender */
      size_t k = i;
      if (k >= 2 && (unsigned char)s[k - 1] == 0xA0 && (unsigned char)s[k - 2] == 0xC2) k -= 2;
      else if (k >= 1 && s[k - 1] == ' ') k--;
      if (k > b->a && s[k - 1] == '.') k--;
      size_t hs = k;
      while (hs > b->a && s[hs - 1] >= 'A' && s[hs - 1] <= 'z') hs--;
      int g = word_is(s, hs, k, "Mr") ? GENDER_MALE
              : (word_is(s, hs, k, "Ms") || word_is(s, hs, k, "Mrs") ||
                 word_is(s, hs, k, "Madam") || word_is(s, hs, k, "Madame"))
                  ? GENDER_FEMALE
                  : 0;
      if (g && k < i && note_gender(r, e->person, g)) return SIZE_MAX;
    }
    b->sent_words++;
    if (e->kind == LEX_NAME && person_node(b, i, &m)) return SIZE_MAX;
    return narr ? clause_after_ref(b, m.end) : m.end;
  }
  if (narr && (word_is(s, i, we, "he") || word_is(s, i, we, "He") ||
               word_is(s, i, we, "she") || word_is(s, i, we, "She"))) {
    if (add_ref(b, i, we, REF_PRONOUN, -1, 0)) return SIZE_MAX;
    r->refs.v[r->refs.len - 1].female = s[i] == 's' || s[i] == 'S';
    if (clause_before_ref(b, i, we)) return SIZE_MAX;
    b->sent_words++;
    return clause_after_ref(b, we);
  }
  if ((b->flags & INL_DATES) && top) {
    char when[32], when2[32];
    size_t second[2];
    size_t de = parse_date(s, i, we, b->b, when, second, when2);
    if (de) {
      if (date_node(b, i, de, when)) return SIZE_MAX;
      b->sent_words++;
      if (second[1]) {
        if (date_node(b, second[0], second[1], when2)) return SIZE_MAX;
        b->sent_words += 2;
        return second[1];
      }
      return de;
    }
  }
  if ((b->flags & INL_PLACES) && top &&
      (word_is(s, i, we, "in") || word_is(s, i, we, "In") ||
       word_is(s, i, we, "at") || word_is(s, i, we, "At"))) {
    size_t ps, pe = parse_place(r, s, we, b->b, &ps);
    if (pe) {
      if (simple_node(b, SCR_NODE_PLACE, ps, pe)) return SIZE_MAX;
      scr_str key = normalise_space(r, ps, pe);
      if (!key.ptr) return SIZE_MAX;
      if (scr_node_set_attr_ref(r->doc, scr_node_last_child(b->cur),
                                SCR_ATTR_KEY, key.ptr, key.len))
        return SIZE_MAX;
      if (!r->first_place.len) r->first_place = key;
      b->sent_words += 2;
      return pe;
    }
  }
  b->sent_words++;
  return we;
}

int inline_build(analysis *r, scr_node *parent, size_t a, size_t e,
                 unsigned flags) {
  const char *s = r->s;
  ib b = {r, s, a, e, parent, parent, a, flags, 0, 0, 0, 0, 0, -1, NULL, a, a, parent, NULL, 0};
  r->refs.len = 0;
  r->quotes.len = 0;
  r->indirect.len = 0;
  if (memchr(s + a, '[', e - a)) {
    if (match_brackets(r, s, a, e)) return -1;
  } else {
    r->brackets.len = 0;
  }
  size_t i = a;
  if (flags & INL_CONTINUED) {
    scr_node *q = an_node(r, SCR_NODE_QUOTE, a);
    if (!q) return -1;
    scr_node_append(parent, q);
    quote_rec rec = {q, a, a, SIZE_MAX, SIZE_MAX, 0, 0, -1, M_NONE, 0, -1,
                     ++r->quote_count};
    if (VEC_PUSH(r->quotes, rec)) return -1;
    b.top = 0;
    b.cur = q;
    b.qdepth = 1;
    b.sent_quote = 1;
  }
  while (i < e) {
    unsigned char c = (unsigned char)s[i];
    size_t n = 1;
    int mk;
    /* ASCII other than brackets, straight quotes and sentence ends: a word
     * starts here (a word character after a non-word one), or none of the
     * cases below applies. */
    if (c < 0x80 && ascii_kind[c] != 2) {
      if (!ascii_kind[c] || cp_is_word(cp_before(s, a, i, NULL))) {
        i++;
        continue;
      }
      size_t we = word_end(s, i, e);
      if (plain_word(&b, i, we)) { /* what word() would do, without the call */
        b.sent_words++;
        i = we;
        continue;
      }
      size_t next = word(&b, i, we);
      if (next == SIZE_MAX) return -1;
      i = next;
      continue;
    }
    if (c == '[') {
      size_t k = b.bracket_i++;
      if (k < r->brackets.len &&
          !(r->brackets.v[k] >> (sizeof(size_t) * 8 - 1))) {
        if (flush(&b, i)) return -1;
        scr_node *ins = an_node(r, SCR_NODE_INSERTION, i);
        if (!ins) return -1;
        scr_node_append(b.cur, ins);
        b.cur = ins;
        b.idepth++;
        b.text_start = i + 1;
      }
      i++;
      continue;
    }
    if (c == ']' && b.idepth > 0) {
      if (flush(&b, i)) return -1;
      while (scr_node_get_type(b.cur) == SCR_NODE_QUOTE)
        if (force_close(&b, 1)) return -1;
      b.cur = scr_node_parent(b.cur);
      b.idepth--;
      b.text_start = ++i;
      continue;
    }
    if ((mk = mark_at(s, i, e, &n)) != MK_NONE) {
      int used = quote_mark(&b, i, n, mk);
      if (used < 0) return -1;
      i += n;
      continue;
    }
    if (c == ':') {
      /* "… said that X: “…”": the reported clause ends before a direct
       * quote its colon introduces */
      if (b.ind && b.cur == b.ind) {
        size_t j = i + 1;
        while (j < e && s[j] == ' ') j++;
        size_t ml;
        if (j < e && mark_at(s, j, e, &ml) != MK_NONE) {
          if (flush(&b, i)) return -1;
          b.cur = scr_node_parent(b.ind);
          b.ind = NULL;
        }
      }
      i++;
      continue;
    }
    if ((c == '.' || c == '!' || c == '?') && b.qdepth == 0) {
      uint32_t next = cp_at(s, i + 1, e, NULL);
      int end = i + 1 >= e || cp_is_space(next) || is_mark_cp(next);
      if (end && c == '.') {
        /* "St. Petersburg", "U.S. Secretary": no sentence ends there. */
        size_t ws = i;
        while (ws > a && cp_is_word(cp_before(s, a, ws, NULL))) {
          size_t l;
          cp_before(s, a, ws, &l);
          ws -= l;
        }
        if (i - ws <= 2 && cp_is_upper(cp_at(s, ws, e, NULL))) end = 0;
        if (i - ws == 3 && memcmp(s + ws, "Mrs", 3) == 0) end = 0;
      }
      if (end) {
        b.sent++;
        b.sent_words = 0;
        if (b.ind && b.cur == b.ind) { /* the reported clause ends with its sentence */
          if (flush(&b, i + 1)) return -1;
          b.cur = scr_node_parent(b.ind);
          b.ind = NULL;
        }
        sentence_begins(&b, i + 1);
      }
      i++;
      continue;
    }
    uint32_t cp = cp_at(s, i, e, &n);
    if (cp_is_word(cp) && !cp_is_word(cp_before(s, a, i, NULL))) {
      size_t we = word_end(s, i, e);
      size_t next = word(&b, i, we);
      if (next == SIZE_MAX) return -1;
      i = next;
      continue;
    }
    i += n ? n : 1;
  }
  if (flush(&b, e)) return -1;
  if (b.ind && b.cur == b.ind) b.cur = scr_node_parent(b.ind); /* to the paragraph's end */
  /* Quotes still open: the outermost may go on in the next paragraph
   * (attribution decides); those inside it end here. */
  while (b.cur != parent && b.qdepth > 1)
    if (force_close(&b, 1)) return -1;
  if (b.top >= 0) r->quotes.v[b.top].sent_close = b.sent;
  r->inl_end = e;
  r->inl_sent = b.sent;
  return 0;
}
