/* reader.c - reads a news-site transcript into the tree.
 *
 * The page, top to bottom: the title and the lines the scrape repeated it
 * in; media counts (president.gov.by); the lead and a dateline (kremlin.ru:
 * "Sochi,September 14, 2020", or date, time and place on three lines);
 * photo captions, with a gallery counter glued to one ("1 of 4With ...");
 * then the body: narration paragraphs, speaker-labelled turns that run
 * until the next label, "* * *" separators and headings that open
 * sections, "<…>" omissions; and the source footer.
 *
 * Every byte of the source lands in the tree: text in TEXT nodes pointing
 * into the source, layout (line ends, blank lines, indentation, a byte
 * order mark, the space after a speaker label) in BEFORE/AFTER. Each pass
 * is linear in the input; nothing recurses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reader.h"
#include "text.h"

typedef struct label {
  size_t colon;      /* offset of ':' */
  size_t core_end;   /* end of the label before " (retranslated)" */
  size_t name_start; /* the name's start (== core_end if none) */
  int words, has_title;
  int person;
} label;

typedef struct blk {
  size_t start, text, text_end, end;
  /* parse_label's last answer for the block: 0 unknown, 1 a label (then
   * lb, found with lex_size entries in the lexicon), -1 not a label. */
  int label_state;
  size_t lex_size;
  struct label lb;
} blk;

/* ---- small helpers shared by the reader's files --------------------------------- */

/* Nodes are made mostly in source order and many on one line, so the line
 * of the last answer is kept: an offset on it is answered without the
 * line map's binary search (same line and column: the column counts bytes
 * from the line's start, as the line map does). */
scr_pos reader_pos(reader *r, size_t off) {
  if (r->line_no && off >= r->line_start && off < r->line_next)
    return (scr_pos){r->line_no, (uint32_t)(off - r->line_start + 1), (uint64_t)off};
  scr_pos p = scr_linemap_pos(r->lines, (uint64_t)off);
  r->line_no = p.line;
  r->line_start = off - (p.column - 1);
  const char *nl = off < r->len ? memchr(r->s + off, '\n', r->len - off) : NULL;
  r->line_next = nl ? (size_t)(nl - r->s) + 1 : SIZE_MAX;
  return p;
}

int set_attr(reader *r, scr_node *n, scr_attr k, const char *v, size_t len) {
  return scr_node_set_attr(r->doc, n, k, v, len);
}

scr_node *new_node(reader *r, scr_node_type t, size_t off) {
  scr_node *n = scr_node_new(r->doc, t, reader_pos(r, off));
  if (!n) r->oom = 1;
  return n;
}

scr_node *new_text(reader *r, size_t a, size_t b) {
  scr_node *n = scr_node_new_text(r->doc, r->s + a, b - a, reader_pos(r, a));
  if (!n) r->oom = 1;
  return n;
}

static int layout(reader *r, scr_node *n, size_t a, size_t b, scr_attr k) {
  if (b <= a) return 0;
  return scr_node_set_attr_ref(r->doc, n, k, r->s + a, b - a);
}

/* A plain TEXT child s[a..b) of n (the analysis wraps it later). */
static int plain(reader *r, scr_node *n, size_t a, size_t b) {
  scr_node *t = new_text(r, a, b);
  if (!t) return -1;
  scr_node_append(n, t);
  return 0;
}

static int find_bytes(const char *h, size_t hn, const char *n, size_t nn) {
  for (size_t i = 0; i + nn <= hn; i++)
    if (h[i] == n[0] && memcmp(h + i, n, nn) == 0) return 1;
  return 0;
}

/* ---- blocks: one per non-blank line ------------------------------------------------ */

/* The block at *pos (which starts a non-blank line): its leading blanks,
 * text, and its line end with the blank lines after it. */
static void next_block(const char *s, size_t len, size_t *pos, blk *bk) {
  size_t p = *pos;
  const char *nl = memchr(s + p, '\n', len - p);
  size_t le = nl ? (size_t)(nl - s) : len;
  size_t t = p;
  while (t < le && (s[t] == ' ' || s[t] == '\t')) t++;
  size_t te = le;
  while (te > t && (s[te - 1] == '\r' || s[te - 1] == ' ' || s[te - 1] == '\t'))
    te--;
  size_t next = nl ? le + 1 : len;
  for (;;) {
    size_t q = next;
    while (q < len && (s[q] == ' ' || s[q] == '\t' || s[q] == '\r')) q++;
    if (q < len && s[q] == '\n') next = q + 1;
    else if (q >= len) { next = len; break; }
    else break;
  }
  *bk = (blk){.start = p, .text = t, .text_end = te, .end = next};
  *pos = next;
}

static int blank_lines_after(const reader *r, const blk *b) {
  int n = 0;
  for (size_t i = b->text_end; i < b->end; i++) n += r->s[i] == '\n';
  return n;
}

/* ---- what a block is ------------------------------------------------------------------ */

static int is_separator(const char *s, const blk *b) {
  int stars = 0;
  for (size_t i = b->text; i < b->text_end; i++) {
    if (s[i] == '*') stars++;
    else if (s[i] != ' ') return 0;
  }
  return stars >= 3;
}

static int is_footer(const char *s, const blk *b) {
  return b->text_end - b->text > 6 && s[b->text] == '*' && s[b->text + 1] == ' ' &&
         s[b->text_end - 1] == '*' && !is_separator(s, b);
}

static int is_omission(const char *s, const blk *b) {
  size_t n = b->text_end - b->text;
  return (n == 5 && memcmp(s + b->text, "<\xE2\x80\xA6>", 5) == 0) ||
         (n == 5 && memcmp(s + b->text, "<...>", 5) == 0) ||
         (n == 3 && memcmp(s + b->text, "\xE2\x80\xA6", 3) == 0);
}

/* "  • 6", "- 9", "  • 6:46": a bullet and a count or a duration. */
static int is_media(const char *s, const blk *b, size_t *num) {
  size_t i = b->text, e = b->text_end;
  if (i < e && (s[i] == '-' || s[i] == '*')) i++;
  else if (e - i >= 3 && (memcmp(s + i, "\xE2\x80\xA2", 3) == 0 ||
                          memcmp(s + i, "\xE2\x80\x93", 3) == 0))
    i += 3;
  else
    return 0;
  while (i < e && (s[i] == ' ' || s[i] == '\t')) i++;
  if (i == e) return 0;
  *num = i;
  int colons = 0, digits = 0;
  for (size_t k = i; k < e; k++) {
    if (s[k] == ':') {
      if (!digits || ++colons > 2) return 0;
      digits = 0;
    } else if (s[k] >= '0' && s[k] <= '9') {
      if (++digits > 6) return 0;
    } else {
      return 0;
    }
  }
  return digits > 0 && (colons == 0 || digits == 2);
}

static size_t date_span(const char *s, size_t i, size_t e, char when[32]);

/* A dateline's time of day: h:mm or hh:mm, 00:00 to 23:59 (a "28:50" is not
 * a time: it would be written as one that no schema accepts). */
static int is_time(const char *s, const blk *b) {
  size_t n = b->text_end - b->text;
  const char *t = s + b->text;
  if (n == 5) return ((t[0] >= '0' && t[0] <= '1' && t[1] >= '0' && t[1] <= '9') ||
                      (t[0] == '2' && t[1] >= '0' && t[1] <= '3')) &&
                     t[2] == ':' && t[3] >= '0' && t[3] <= '5' && t[4] >= '0' && t[4] <= '9';
  if (n == 4) return t[0] >= '0' && t[0] <= '9' && t[1] == ':' && t[2] >= '0' &&
                     t[2] <= '5' && t[3] >= '0' && t[3] <= '9';
  return 0;
}

static int is_date_line(const char *s, const blk *b, char when[32]) {
  return date_span(s, b->text, b->text_end, when) == b->text_end;
}

/* "Sochi,September 14, 2020": the offset of the comma, or 0. */
static size_t inline_dateline(const char *s, const blk *b, char when[32]) {
  for (size_t i = b->text; i < b->text_end && i < b->text + 80; i++) {
    if (s[i] != ',') continue;
    size_t d = i + 1;
    while (d < b->text_end && s[d] == ' ') d++;
    if (i > b->text && date_span(s, d, b->text_end, when) == b->text_end) return i;
    return 0;
  }
  return 0;
}

/* "1 of 4With President of Belarus ...": the counter's end, n and total. */
static size_t gallery_counter(const char *s, const blk *b, int *n, int *total) {
  size_t i = b->text, e = b->text_end;
  int a = 0, t = 0;
  size_t k = i;
  while (k < e && k - i < 4 && s[k] >= '0' && s[k] <= '9') a = a * 10 + (s[k++] - '0');
  if (k == i || e - k < 4 || memcmp(s + k, " of ", 4) != 0) return 0;
  size_t j = k + 4, j0 = j;
  while (j < e && j - j0 < 4 && s[j] >= '0' && s[j] <= '9') t = t * 10 + (s[j++] - '0');
  if (j == j0 || a < 1 || a > t || j >= e) return 0;
  *n = a, *total = t;
  return j;
}

/* ---- speaker labels ------------------------------------------------------------------ */

const char *const particles[] = {"of", "the", "and", "for", "de", "da",
                                        "del", "der", "van", "von", "la", "le",
                                        "al", "bin", "ibn", "on", "in", NULL};


/* "President of Russia Vladimir Putin: ", "Question (retranslated): ". */
static int parse_label_(reader *r, const blk *b, label *lb) {
  const char *s = r->s;
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
    if (cp_is_upper(c0)) {
      if (word_in(s, k, word_end(s, k, we), W_TITLE)) {
        has_title = 1;
        last_break = we;
      }
    } else if (word_in(s, k, we, W_PARTICLE) && words > 0) {
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
        lexicon_match(&r->lx, s, w, core_end, 1u << LEX_NAME, &m) &&
        m.end == core_end && m.typo_end == 0) {
      lb->name_start = w;
      lb->person = lexicon_entry(&r->lx, m.entry)->person;
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
static int parse_label(reader *r, blk *b, label *lb) {
  if (b->label_state < 0) return 0;
  if (b->label_state > 0 && b->lex_size == lexicon_size(&r->lx)) {
    *lb = b->lb;
    return 1;
  }
  int ok = parse_label_(r, b, lb);
  b->label_state = ok ? 1 : -1;
  if (ok) {
    b->lb = *lb;
    b->lex_size = lexicon_size(&r->lx);
  }
  return ok;
}

/* ---- dates ------------------------------------------------------------------------------- */

static int month_index(const char *s, size_t i, size_t e) {
  return month_number(s, i, e);
}

/* "September 14, 2020" at s[i]: its end, or 0. */
static size_t date_span(const char *s, size_t i, size_t e, char when[32]) {
  size_t me = word_end(s, i, e);
  int month = month_index(s, i, me);
  if (!month || me >= e) return 0;
  size_t n;
  uint32_t c = cp_at(s, me, e, &n);
  if (c != ' ' && c != 0xA0) return 0;
  size_t d = me + n, de = d;
  int day = 0, year = 0;
  while (de < e && de - d < 2 && s[de] >= '0' && s[de] <= '9') day = day * 10 + (s[de++] - '0');
  if (de == d || day < 1 || day > 31) return 0;
  if (de + 2 >= e || s[de] != ',') return 0;
  size_t y = de + 1;
  c = cp_at(s, y, e, &n);
  if (c == ' ' || c == 0xA0) y += n;
  size_t ye = y;
  while (ye < e && ye - y < 4 && s[ye] >= '0' && s[ye] <= '9') year = year * 10 + (s[ye++] - '0');
  if (ye - y != 4) return 0;
  /* snprintf "%04d-%02d-%02d" by hand (it showed in profiles): the year
   * has four digits, month and day at most two. */
  const int v[3] = {year, month, day}, w[3] = {4, 2, 2};
  char *o = when;
  for (int k = 0; k < 3; k++) {
    if (k) *o++ = '-';
    for (int p = w[k] - 1, x = v[k]; p >= 0; p--, x /= 10) o[p] = (char)('0' + x % 10);
    o += w[k];
  }
  *o = 0;
  return ye;
}

/* ---- publishers ----------------------------------------------------------------------------- */

/* Which publisher a text comes from, judged from its conventions. Each
 * convention the reader observes votes for a publisher. */
enum { F_MEDIA, F_DATELINE_LINES, F_DATELINE_INLINE, F_GALLERY, F_NBSP, F_COUNT };

static const char *const publishers[] = {"kremlin.ru", "president.gov.by", NULL};

static const struct {
  int feature, publisher, weight;
} conventions[] = {
    {F_MEDIA, 1, 2},           /* "  • 6", "- 9" under the title */
    {F_DATELINE_LINES, 0, 2},  /* date, time, place on three lines */
    {F_DATELINE_INLINE, 0, 2}, /* "Sochi,September 14, 2020" */
    {F_GALLERY, 0, 2},         /* "1 of 4" glued to a caption */
    {F_NBSP, 0, 1},            /* no-break spaces after short words */
};

static const struct {
  const char *text;
  int publisher;
} footers[] = {
    {"Russian President official Website", 0},
    {"kremlin.ru", 0},
    {"president.gov.by", 1},
};

static int judge_publisher(const int *features, int footer_publisher) {
  int score[2] = {0, 0};
  for (size_t i = 0; i < sizeof conventions / sizeof conventions[0]; i++)
    if (features[conventions[i].feature])
      score[conventions[i].publisher] += conventions[i].weight;
  if (footer_publisher >= 0) score[footer_publisher] += 3;
  if (score[0] == score[1]) return -1;
  return score[0] > score[1] ? 0 : 1;
}

/* ---- persons found in the text ----------------------------------------------------------------- */

const char *const not_names[] = {
    "The", "This", "That", "These", "Those", "It", "He", "She", "We", "They",
    "In", "On", "At", "As", "But", "And", "So", "Yet", "If", "When", "Then",
    "There", "Here", "His", "Her", "Our", "Their", "Its", "A", "An", "I",
    "According", "After", "Before", "Also", "However", "Meanwhile", NULL};

static int name_word(const char *s, size_t i, size_t e) {
  if (e - i < 2 || !cp_is_upper(cp_at(s, i, e, NULL))) return 0;
  size_t n;
  cp_at(s, i, e, &n);
  for (size_t k = i + n; k < e;) {
    uint32_t c = cp_at(s, k, e, &n);
    if (c >= '0' && c <= '9') return 0;
    k += n;
  }
  return !(word_classes(s, i, e, NULL) & (W_TITLE | W_NOT_NAME | W_MONTH));
}

/* "First Last said": two name-like words before a speech verb.
 *
 * The words are maximal runs of word characters; the three must follow
 * each other with only ' ' between them (any other character in between
 * breaks the run). Both names start with a capital, so instead of reading
 * every word of the block this looks only at capitals that start a word
 * (upper_candidate skips the rest eight bytes at a time) and reads the two
 * words after each. Triples are met in text order, as a word-by-word scan
 * would meet them, so names are added in the same order. */
static size_t after_spaces(const char *s, size_t e, size_t end) {
  size_t q = e;
  while (q < end && s[q] == ' ') q++;
  /* at least one space, then a word character */
  if (q == e || q >= end || !cp_is_word(cp_at(s, q, end, NULL))) return 0;
  return q;
}

static int find_said_names(reader *r, const blk *b) {
  const char *s = r->s;
  size_t end = b->text_end;
  for (size_t i = upper_candidate(s, b->text, end); i < end;
       i = upper_candidate(s, i + 1, end)) {
    if (!cp_is_upper(cp_at(s, i, end, NULL)) ||
        cp_is_word(cp_before(s, b->text, i, NULL)))
      continue; /* not a capital starting a word */
    /* Cheap tests first: a second capitalised word, then a word in
     * lower-case ASCII (speech verbs are), before the look-ups. */
    size_t e0 = word_end(s, i, end);
    size_t w1 = after_spaces(s, e0, end);
    if (!w1 || !cp_is_upper(cp_at(s, w1, end, NULL))) continue;
    size_t e1 = word_end(s, w1, end);
    size_t w2 = after_spaces(s, e1, end);
    if (!w2 || !(s[w2] >= 'a' && s[w2] <= 'z')) continue;
    size_t e2 = word_end(s, w2, end);
    if (!word_in(s, w2, e2, W_SPEECH) || !name_word(s, i, e0) || !name_word(s, w1, e1))
      continue;
    /* Not "the Russian President said"; check the word before. */
    if (i >= 4 && (memcmp(s + i - 4, "the ", 4) == 0 || memcmp(s + i - 4, "his ", 4) == 0))
      continue;
    if (lexicon_add_found_name(&r->lx, r->doc, s + i, e1 - i) < 0) return -1;
  }
  return 0;
}

/* ---- building -------------------------------------------------------------------------------- */

static scr_node *block_node(reader *r, scr_node *parent, scr_node_type t,
                            const blk *b) {
  scr_node *n = new_node(r, t, b->text);
  if (!n) return NULL;
  if (layout(r, n, b->start, b->text, SCR_ATTR_BEFORE) ||
      layout(r, n, b->text_end, b->end, SCR_ATTR_AFTER)) {
    r->oom = 1;
    return NULL;
  }
  scr_node_append(parent, n);
  return n;
}

/* The SPEAKER node sp of a turn, one TEXT as the reader made it: the name
 * in its label becomes a PERSON, the turn gets its speaker. Returns the
 * person, -2 for none, -1 on OOM. */
static int speaker(reader *r, scr_node *turn, scr_node *sp, const blk *b,
                   const label *lb) {
  const char *s = r->s;
  size_t after = lb->colon + 1;
  if (lb->name_start < lb->core_end) {
    scr_node_unlink(scr_node_first_child(sp));
    if (lb->name_start > b->text) {
      scr_node *t = new_text(r, b->text, lb->name_start);
      if (!t) return -1;
      scr_node_append(sp, t);
    }
    int person = lb->person;
    if (person < 0)
      person = lexicon_add_found_name(&r->lx, r->doc, s + lb->name_start,
                                      lb->core_end - lb->name_start);
    if (person < 0) return -1;
    scr_person *p = lexicon_person(&r->lx, r->doc, person);
    if (!p) return -1;
    scr_str id = scr_person_id(p);
    scr_node *pn = new_node(r, SCR_NODE_PERSON, lb->name_start);
    scr_node *pt = new_text(r, lb->name_start, lb->core_end);
    scr_node *tail = new_text(r, lb->core_end, after);
    if (!pn || !pt || !tail) return -1;
    scr_node_append(sp, pn);
    scr_node_append(pn, pt);
    scr_node_append(sp, tail);
    if (scr_node_set_attr_ref(r->doc, pn, SCR_ATTR_WHO, id.ptr, id.len) ||
        scr_node_set_attr_ref(r->doc, sp, SCR_ATTR_WHO, id.ptr, id.len) ||
        scr_node_set_attr_ref(r->doc, turn, SCR_ATTR_WHO, id.ptr, id.len))
      return -1;
    /* The name as written, and the office before it. */
    scr_str nm = scr_doc_strdup(r->doc, s + lb->name_start, lb->core_end - lb->name_start);
    if (!nm.ptr) return -1;
    (void)nm;
    if (lb->name_start > b->text) {
      size_t oe = lb->name_start;
      while (oe > b->text && (s[oe - 1] == ' ')) oe--;
      if (oe >= b->text + 2 && (unsigned char)s[oe - 2] == 0xC2 &&
          (unsigned char)s[oe - 1] == 0xA0)
        oe -= 2;
      if (oe > b->text) {
        scr_buf role = {0};
        for (size_t k = b->text; k < oe; k++) {
          if ((unsigned char)s[k] == 0xC2 && k + 1 < oe && (unsigned char)s[k + 1] == 0xA0) {
            if (scr_buf_putc(&role, ' ')) return -1;
            k++;
          } else if (scr_buf_putc(&role, s[k])) {
            return -1;
          }
        }
        int rc = scr_person_add_role(r->doc, p, role.data, role.len);
        scr_buf_free(&role);
        if (rc) return -1;
      }
    }
    r->topic = -1;
    return person;
  }
  return -2; /* no person */
}

static int emit_dateline(reader *r, scr_node *root, const blk *bs, size_t nb,
                         int inline_form, size_t comma) {
  const char *s = r->s;
  scr_node *dl = new_node(r, SCR_NODE_DATELINE, bs[0].text);
  if (!dl) return -1;
  scr_node_append(root, dl);
  if (layout(r, dl, bs[0].start, bs[0].text, SCR_ATTR_BEFORE) ||
      layout(r, dl, bs[nb - 1].text_end, bs[nb - 1].end, SCR_ATTR_AFTER))
    return -1;
  char when[32];
  if (inline_form) {
    scr_node *pl = new_node(r, SCR_NODE_PLACE, bs[0].text);
    scr_node *pt = new_text(r, bs[0].text, comma);
    size_t d = comma + 1;
    while (d < bs[0].text_end && s[d] == ' ') d++;
    scr_node *sep = new_text(r, comma, d);
    scr_node *dt = new_node(r, SCR_NODE_DATE, d);
    scr_node *dtt = new_text(r, d, bs[0].text_end);
    if (!pl || !pt || !sep || !dt || !dtt) return -1;
    scr_node_append(dl, pl);
    scr_node_append(pl, pt);
    scr_node_append(dl, sep);
    scr_node_append(dl, dt);
    scr_node_append(dt, dtt);
    date_span(s, d, bs[0].text_end, when);
    scr_str key = scr_doc_strdup(r->doc, s + bs[0].text, comma - bs[0].text);
    if (!key.ptr || scr_node_set_attr_ref(r->doc, pl, SCR_ATTR_KEY, key.ptr, key.len) ||
        set_attr(r, dt, SCR_ATTR_WHEN, when, strlen(when)) ||
        set_attr(r, dl, SCR_ATTR_WHEN, when, strlen(when)) ||
        scr_doc_set_meta(r->doc, SCR_META_PLACE, key.ptr, key.len) ||
        scr_doc_set_meta(r->doc, SCR_META_DATE, when, strlen(when)))
      return -1;
    return 0;
  }
  static const scr_node_type types[3] = {SCR_NODE_DATE, SCR_NODE_TIME, SCR_NODE_PLACE};
  for (size_t i = 0; i < nb; i++) {
    scr_node *n = new_node(r, types[i], bs[i].text);
    scr_node *t = new_text(r, bs[i].text, bs[i].text_end);
    if (!n || !t) return -1;
    scr_node_append(dl, n);
    scr_node_append(n, t);
    if (i > 0 && layout(r, n, bs[i].start, bs[i].text, SCR_ATTR_BEFORE)) return -1;
    if (i + 1 < nb && layout(r, n, bs[i].text_end, bs[i].end, SCR_ATTR_AFTER)) return -1;
    size_t len = bs[i].text_end - bs[i].text;
    if (i == 0) {
      date_span(s, bs[i].text, bs[i].text_end, when);
      if (set_attr(r, n, SCR_ATTR_WHEN, when, strlen(when)) ||
          set_attr(r, dl, SCR_ATTR_WHEN, when, strlen(when)) ||
          scr_doc_set_meta(r->doc, SCR_META_DATE, when, strlen(when)))
        return -1;
    } else if (i == 1) {
      char tm[8];
      snprintf(tm, sizeof tm, "%s%.*s", len == 4 ? "0" : "", (int)len, s + bs[i].text);
      if (set_attr(r, n, SCR_ATTR_WHEN, tm, strlen(tm)) ||
          scr_doc_set_meta(r->doc, SCR_META_TIME, tm, strlen(tm)))
        return -1;
    } else {
      scr_str key = scr_doc_strdup(r->doc, s + bs[i].text, len);
      if (!key.ptr || scr_node_set_attr_ref(r->doc, n, SCR_ATTR_KEY, key.ptr, key.len) ||
          scr_doc_set_meta(r->doc, SCR_META_PLACE, key.ptr, key.len))
        return -1;
    }
  }
  return 0;
}

static int same_text(const char *s, const blk *a, size_t b0, size_t b1) {
  return a->text_end - a->text == b1 - b0 && memcmp(s + a->text, s + b0, b1 - b0) == 0;
}

static int is_heading(reader *r, const blk *bs, size_t i, size_t nb) {
  const char *s = r->s;
  const blk *b = &bs[i];
  if (i + 1 >= nb || i == 0) return 0;
  if (blank_lines_after(r, b) < 2 || blank_lines_after(r, &bs[i - 1]) < 2) return 0;
  size_t n = b->text_end - b->text;
  if (n > 150 || !cp_is_upper(cp_at(s, b->text, b->text_end, NULL))) return 0;
  uint32_t last = cp_before(s, b->text, b->text_end, NULL);
  if (last == '.' || last == ',' || last == ':' || last == ';' || last == '?' ||
      last == '!' || last == 0x2026 || last == 0x201D || last == 0x201C ||
      last == '"' || last == ')' || last == '>')
    return 0;
  int words = 0;
  for (size_t k = b->text; k < b->text_end; k++) {
    if (s[k] == ':') return 0;
    if (s[k] == ' ') words++;
  }
  return words < 15;
}

int text_probe(const char *data, size_t len) {
  if (len == 0) return 0;
  size_t i = 0;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
  /* XML, YAML documents and binary data are not transcripts. */
  while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                     data[i] == '\n'))
    i++;
  if (i < len && (data[i] == '<' || data[i] == '{')) return 0;
  if (len - i >= 3 && memcmp(data + i, "---", 3) == 0) return 5;
  int bad = 0;
  size_t checked = scr_utf8_check(data, len, &bad);
  if (bad && checked + 4 < len) return 0; /* allow a cut character at the end */
  /* A title line followed by a blank line or by media counts is the shape of
   * both publishers' pages. */
  const char *nl = memchr(data + i, '\n', len - i);
  /* A first line that is only a key ("persons:") opens a YAML mapping, such
   * as an authority file: not a transcript. */
  const char *line = data + i, *eol = nl;
  while (eol && line[0] == '#' && eol + 1 < data + len) { /* YAML comments */
    line = eol + 1;
    eol = memchr(line, '\n', (size_t)(data + len - line));
  }
  if (eol) {
    const char *e = eol;
    while (e > line && (e[-1] == '\r' || e[-1] == ' ')) e--;
    int key = e > line && e[-1] == ':';
    for (const char *k = line; key && k < e - 1; k++)
      if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
            (*k >= '0' && *k <= '9') || *k == '_' || *k == '-'))
        key = 0;
    if (key) return 5;
  }
  if (nl && nl + 1 < data + len && (nl[1] == '\n' || nl[1] == '-' ||
                                    nl[1] == ' ' || nl[1] == '\r'))
    return 60;
  return 30;
}

/* A quote left open by the last paragraph, when this one does not open with
 * a quotation mark: it goes on through this paragraph if the next
 * quotation mark in the following plain paragraphs (at most 20) is a
 * closing one, as in a message quoted over several paragraphs whose
 * paragraphs do not repeat the opening mark. */
static int quote_goes_on(reader *r, blk *bs, size_t i, size_t nb) {
  const char *s = r->s;
  for (size_t k = i; k < nb && k < i + 20; k++) {
    blk *b = &bs[k];
    label lb;
    if (k > i && (is_separator(s, b) || is_omission(s, b) || is_footer(s, b) ||
                  parse_label(r, b, &lb)))
      return 0;
    /* Quotes opened and closed inside the quoted text do not count. */
    int depth = 0;
    for (size_t j = b->text; j < b->text_end; j++) {
      unsigned char c = (unsigned char)s[j];
      int mark = c == '"' || (c == 0xE2 && j + 2 < b->text_end &&
                              (unsigned char)s[j + 1] == 0x80 &&
                              ((unsigned char)s[j + 2] == 0x9C ||
                               (unsigned char)s[j + 2] == 0x9D));
      if (!mark) continue;
      if (j == b->text && k == i) return 0; /* opens a new quote */
      uint32_t prev = cp_before(s, b->text, j, NULL);
      int closing = j > b->text && !cp_is_space(prev) && prev != '(' && prev != '[';
      if (!closing) depth++;
      else if (depth > 0) depth--;
      else return 1;
    }
  }
  return 0;
}

/* 1 if s[0..len) is well-formed UTF-8 without a NUL byte, by the rules of
 * scr_utf8_decode (no overlong forms, surrogates or code points above
 * U+10FFFF); 0 if it may not be. It only says yes when scr_utf8_check
 * would; on 0 the caller asks scr_utf8_check for the offset to report.
 * Faster on transcripts, whose non-ASCII characters (no-break spaces,
 * curly quotes) are decoded inline here. */
static int utf8_valid(const char *str, size_t len) {
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

int text_read(scr_doc *doc, const scr_input *in, const scr_options *opts,
              scr_diag *diag) {
  (void)opts; /* the reader has no options (persons: the speech transform) */
  const char *s = in->data;
  size_t len = in->len;
  if (len == 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "empty",
                    "the input is empty");
    return -1;
  }
  words_init_once();
  int bad = 0;
  size_t at = utf8_valid(s, len) ? len : scr_utf8_check(s, len, &bad);
  reader r = {0};
  r.doc = doc, r.diag = diag, r.s = s, r.len = len, r.topic = -1, r.publisher = -1;
  r.lines = scr_linemap_new(s, len);
  if (!r.lines) return -1;
  VEC(blk) blocks = {0};
  int rc = -1;
  if (bad) {
    scr_diag_report(diag, SCR_ERROR, scr_linemap_pos(r.lines, at), "encoding",
                    "%s at byte offset %zu%s",
                    s[at] ? "invalid UTF-8" : "a NUL byte", at,
                    len >= 2 && at == 0 &&
                            (((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE) ||
                             ((unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF))
                        ? " (the input is UTF-16: convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8)"
                        : "");
    goto done;
  }

  /* Blocks. The byte order mark and leading blank lines ride on the root. */
  scr_node *root = scr_doc_root(doc);
  size_t p = 0;
  if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) p = 3;
  {
    size_t q = p, line = p;
    while (q < len && (s[q] == ' ' || s[q] == '\t' || s[q] == '\r' || s[q] == '\n')) {
      if (s[q] == '\n') line = q + 1;
      q++;
    }
    p = q >= len ? len : line;
    if (p > 0 && layout(&r, root, 0, p, SCR_ATTR_BEFORE)) goto oom;
  }
  while (p < len) {
    blk b;
    next_block(s, len, &p, &b);
    if (VEC_PUSH(blocks, b)) goto oom;
  }
  if (blocks.len == 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "empty",
                    "the input holds no text, only blank lines");
    goto done;
  }
  blk *bs = blocks.v;
  size_t nb = blocks.len;

  /* ---- the header ---- */
  int features[F_COUNT] = {0};
  size_t i = 0;
  scr_node *title = block_node(&r, root, SCR_NODE_TITLE, &bs[0]);
  if (!title || plain(&r, title, bs[0].text, bs[0].text_end)) goto oom;
  if (scr_doc_set_meta(doc, SCR_META_TITLE, s + bs[0].text, bs[0].text_end - bs[0].text))
    goto oom;
  i = 1;
  while (i < nb && same_text(s, &bs[i], bs[0].text, bs[0].text_end)) {
    scr_node *t = block_node(&r, root, SCR_NODE_TITLE, &bs[i]);
    if (!t || set_attr(&r, t, SCR_ATTR_KIND, "repeat", 6) ||
        plain(&r, t, bs[i].text, bs[i].text_end))
      goto oom;
    i++;
  }
  size_t num;
  while (i < nb && is_media(s, &bs[i], &num)) {
    /* The line verbatim, indentation included. */
    blk b = bs[i];
    scr_node *m = new_node(&r, SCR_NODE_MEDIA, b.start);
    scr_node *t = new_text(&r, b.start, b.text_end);
    if (!m || !t) goto oom;
    scr_node_append(root, m);
    scr_node_append(m, t);
    if (layout(&r, m, b.text_end, b.end, SCR_ATTR_AFTER)) goto oom;
    const char *c = memchr(s + num, ':', b.text_end - num);
    if (c) {
      /* 6:46 -> PT6M46S, 1:02:03 -> PT1H2M3S */
      int parts[3] = {0, 0, 0}, np = 0;
      for (size_t k = num; k < b.text_end; k++) {
        if (s[k] == ':') np++;
        else parts[np] = parts[np] * 10 + (s[k] - '0');
      }
      char d[32];
      int n = np == 1 ? snprintf(d, sizeof d, "PT%dM%dS", parts[0], parts[1])
                      : snprintf(d, sizeof d, "PT%dH%dM%dS", parts[0], parts[1], parts[2]);
      if (set_attr(&r, m, SCR_ATTR_DURATION, d, (size_t)n)) goto oom;
    } else if (set_attr(&r, m, SCR_ATTR_COUNT, s + num, b.text_end - num)) {
      goto oom;
    }
    features[F_MEDIA] = 1;
    i++;
  }
  /* A dateline within the next few blocks: the blocks before it are the
   * lead. */
  size_t dl = SIZE_MAX, dl_n = 0, comma = 0;
  char when[32];
  for (size_t k = i; k < nb && k < i + 5; k++) {
    if ((comma = inline_dateline(s, &bs[k], when))) {
      dl = k, dl_n = 1;
      features[F_DATELINE_INLINE] = 1;
      break;
    }
    if (is_date_line(s, &bs[k], when) && k + 1 < nb && is_time(s, &bs[k + 1]) &&
        blank_lines_after(&r, &bs[k]) == 1) {
      dl = k, dl_n = 2;
      /* A place on the next line, if it follows without a blank line. */
      if (blank_lines_after(&r, &bs[k + 1]) == 1 && k + 2 < nb) {
        blk *pb = &bs[k + 2];
        uint32_t last = cp_before(s, pb->text, pb->text_end, NULL);
        label lb;
        if (pb->text_end - pb->text < 80 && last != '.' && last != ':' &&
            !parse_label(&r, pb, &lb))
          dl_n = 3;
      }
      features[F_DATELINE_LINES] = 1;
      break;
    }
  }
  if (dl != SIZE_MAX) {
    for (; i < dl; i++) {
      scr_node *lead = block_node(&r, root, SCR_NODE_LEAD, &bs[i]);
      if (!lead || plain(&r, lead, bs[i].text, bs[i].text_end)) goto oom;
    }
    if (emit_dateline(&r, root, &bs[dl], dl_n, dl_n == 1, comma)) goto oom;
    i = dl + dl_n;
    /* Captions: a gallery counter glued to one, and the lines that repeat
     * its caption before and after it. */
    size_t g = SIZE_MAX, cap0 = 0;
    int gn = 0, gt = 0;
    for (size_t k = i; k < nb && k < i + 6; k++) {
      size_t ce = gallery_counter(s, &bs[k], &gn, &gt);
      if (ce) {
        g = k, cap0 = ce;
        break;
      }
    }
    if (g != SIZE_MAX) {
      int ok = 1;
      for (size_t k = i; k < g; k++)
        if (!same_text(s, &bs[k], cap0, bs[g].text_end)) ok = 0;
      if (ok) {
        scr_node *gal = new_node(&r, SCR_NODE_GALLERY, bs[i].text);
        if (!gal) goto oom;
        scr_node_append(root, gal);
        char tot[16];
        int tn = snprintf(tot, sizeof tot, "%d", gt);
        if (set_attr(&r, gal, SCR_ATTR_TOTAL, tot, (size_t)tn)) goto oom;
        features[F_GALLERY] = 1;
        while (i < nb) {
          int n2, t2;
          size_t ce = gallery_counter(s, &bs[i], &n2, &t2);
          if (!ce && !same_text(s, &bs[i], cap0, bs[g].text_end)) break;
          scr_node *fig = block_node(&r, gal, SCR_NODE_FIGURE, &bs[i]);
          if (!fig) goto oom;
          if (ce) {
            char nbuf[16];
            int nn = snprintf(nbuf, sizeof nbuf, "%d", n2);
            tn = snprintf(tot, sizeof tot, "%d", t2);
            /* The counter stays in the text through BEFORE. */
            if (set_attr(&r, fig, SCR_ATTR_N, nbuf, (size_t)nn) ||
                set_attr(&r, fig, SCR_ATTR_TOTAL, tot, (size_t)tn) ||
                set_attr(&r, fig, SCR_ATTR_MARKER, s + bs[i].text, ce - bs[i].text) ||
                layout(&r, fig, bs[i].start, ce, SCR_ATTR_BEFORE))
              goto oom;
          }
          if (plain(&r, fig, ce ? ce : bs[i].text, bs[i].text_end)) goto oom;
          i++;
        }
      }
    }
  }
  if (find_bytes(s, len < 8192 ? len : 8192, "\xC2\xA0", 2)) features[F_NBSP] = 1;
  int footer_pub = -1;
  int has_footer = is_footer(s, &bs[nb - 1]) && nb - 1 >= i;
  if (has_footer)
    for (size_t k = 0; k < sizeof footers / sizeof footers[0]; k++)
      if (find_bytes(s + bs[nb - 1].text, bs[nb - 1].text_end - bs[nb - 1].text,
                 footers[k].text, strlen(footers[k].text))) {
        footer_pub = footers[k].publisher;
        break;
      }
  r.publisher = judge_publisher(features, footer_pub);
  int headings = features[F_DATELINE_LINES] || features[F_DATELINE_INLINE];

  /* ---- the body ---- */
  scr_node *container = root, *turn = NULL;
  int name_labels = 0;
  for (size_t k = i; k < nb; k++) {
    label lb;
    if (parse_label(&r, &bs[k], &lb) && lb.name_start < lb.core_end) name_labels++;
  }
  for (; i < nb; i++) {
    blk *b = &bs[i];
    label lb;
    if (has_footer && i == nb - 1) {
      scr_node *f = block_node(&r, root, SCR_NODE_FOOTER, b);
      if (!f || plain(&r, f, b->text, b->text_end) ||
          scr_doc_set_meta(doc, SCR_META_FOOTER, s + b->text, b->text_end - b->text))
        goto oom;
      continue;
    }
    int sep = is_separator(s, b);
    if (sep || (headings && is_heading(&r, bs, i, nb))) {
      turn = NULL;
      container = new_node(&r, SCR_NODE_SECTION, b->text);
      if (!container) goto oom;
      scr_node_append(root, container);
      scr_node *h = block_node(&r, container, sep ? SCR_NODE_SEPARATOR : SCR_NODE_HEADING, b);
      if (!h) goto oom;
      if (plain(&r, h, b->text, b->text_end)) goto oom;
      continue;
    }
    if (is_omission(s, b)) {
      scr_node *n = block_node(&r, turn ? turn : container, SCR_NODE_NOTE, b);
      scr_node *t = new_text(&r, b->text, b->text_end);
      if (!n || !t || set_attr(&r, n, SCR_ATTR_KIND, "omission", 8)) goto oom;
      scr_node_append(n, t);
      continue;
    }
    if (parse_label(&r, b, &lb) &&
        (lb.name_start < lb.core_end || lb.person >= 0 || name_labels > 0)) {
      turn = new_node(&r, SCR_NODE_TURN, b->text);
      if (!turn) goto oom;
      scr_node_append(container, turn);
      size_t rest = lb.colon + 1;
      scr_node *sp = new_node(&r, SCR_NODE_SPEAKER, b->text);
      if (!sp) goto oom;
      scr_node_append(turn, sp);
      if (layout(&r, sp, b->start, b->text, SCR_ATTR_BEFORE) ||
          plain(&r, sp, b->text, rest))
        goto oom;
      size_t ts = rest;
      while (ts < b->text_end) {
        size_t n;
        uint32_t c = cp_at(s, ts, b->text_end, &n);
        if (!cp_is_space(c)) break;
        ts += n;
      }
      if (ts >= b->text_end) {
        if (layout(&r, sp, rest, b->end, SCR_ATTR_AFTER)) goto oom;
        continue;
      }
      if (layout(&r, sp, rest, ts, SCR_ATTR_AFTER)) goto oom;
      scr_node *para = new_node(&r, SCR_NODE_PARAGRAPH, ts);
      if (!para) goto oom;
      scr_node_append(turn, para);
      if (layout(&r, para, b->text_end, b->end, SCR_ATTR_AFTER) ||
          plain(&r, para, ts, b->text_end))
        goto oom;
      continue;
    }
    scr_node *para = block_node(&r, turn ? turn : container, SCR_NODE_PARAGRAPH, b);
    if (!para || plain(&r, para, b->text, b->text_end)) goto oom;
  }

  /* ---- metadata and notes ---- */
  if (r.publisher >= 0 &&
      scr_doc_set_meta(doc, SCR_META_PUBLISHER, publishers[r.publisher],
                       strlen(publishers[r.publisher])))
    goto oom;
  if (scr_doc_set_meta(doc, SCR_META_LANGUAGE, "en", 2)) goto oom;
  if (!scr_doc_meta(doc, SCR_META_ID).ptr && in->path && strcmp(in->path, "-") != 0) {
    const char *base = strrchr(in->path, '/');
    base = base ? base + 1 : in->path;
    const char *dot = strrchr(base, '.');
    size_t bl = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    if (scr_doc_set_meta(doc, SCR_META_ID, base, bl)) goto oom;
  }
  if (r.publisher < 0 &&
      scr_doc_add_note(doc, "publisher not recognised from the text's conventions",
                       strlen("publisher not recognised from the text's conventions")))
    goto oom;
  if (r.oom) goto oom;
  rc = 0;
  goto done;
oom:
  scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
  rc = -1;
done:
  VEC_FREE(blocks);
  lexicon_free(&r.lx);
  scr_linemap_free(r.lines);
  return rc;
}

/* ---- the analysis: a pass over the tree the reader built ------------------ */

/* What the pass does with a block of the tree (in document order). */
enum { A_PLAIN, A_INLINE, A_LEAD, A_HEADING, A_SEPARATOR, A_NOTE, A_TURN,
       A_PARA, A_FOOTER };

typedef struct aitem {
  int role;
  scr_node *node; /* the block; A_TURN: the SPEAKER */
  scr_node *para; /* A_TURN: the paragraph on the label's line, or NULL */
  size_t a, e;    /* its TEXT, offsets in the source */
  size_t pa, pe;  /* A_TURN: the paragraph's TEXT */
  size_t blk;     /* its line in the list of lines */
  int body;       /* after the page header */
} aitem;

/* The one TEXT child of n, as offsets into the source: 1, or 0 if n holds
 * anything else or text from elsewhere. */
static int text_span(const reader *r, const scr_node *n, size_t *a, size_t *e) {
  scr_node *t = scr_node_first_child(n);
  if (!t || t != scr_node_last_child(n) || scr_node_get_type(t) != SCR_NODE_TEXT)
    return 0;
  scr_str x = scr_node_text(t);
  uintptr_t p = (uintptr_t)x.ptr, s0 = (uintptr_t)r->s;
  if (!x.ptr || p < s0 || p - s0 > r->len || x.len > r->len - (p - s0)) return 0;
  *a = (size_t)(p - s0);
  *e = *a + x.len;
  return 1;
}

typedef struct walk {
  VEC(blk) lines;
  VEC(aitem) items;
} walk;

static int push_line(walk *w, size_t a, size_t e) {
  blk b = {.start = a, .text = a, .text_end = e, .end = e};
  return VEC_PUSH(w->lines, b);
}

/* The blocks of the tree, and the source lines they came from (a turn's
 * label and the paragraph after it on its line are one line). */
static int collect(reader *r, walk *w) {
  scr_iter it;
  scr_event ev;
  scr_node *consumed = NULL;
  int body = 0;
  scr_iter_init(&it, scr_doc_root(r->doc));
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    if (ev != SCR_EVENT_ENTER) continue;
    scr_node *n = it.cur;
    scr_node_type t = scr_node_get_type(n);
    if (t == SCR_NODE_DOCUMENT || t == SCR_NODE_SECTION || t == SCR_NODE_TURN ||
        t == SCR_NODE_GALLERY)
      continue;
    scr_iter_skip_children(&it);
    if (n == consumed) continue;
    if (!(t == SCR_NODE_TITLE || t == SCR_NODE_MEDIA || t == SCR_NODE_LEAD ||
          t == SCR_NODE_DATELINE || t == SCR_NODE_FIGURE))
      body = 1;
    aitem item = {.role = A_PLAIN, .node = n, .body = body};
    if (t == SCR_NODE_DATELINE) {
      /* "Place,Date" is one line; date, time and place are three. */
      scr_node *c = scr_node_first_child(n);
      size_t a, e, a0 = 0;
      int inline_form = c && scr_node_get_type(c) == SCR_NODE_PLACE;
      for (; c; c = scr_node_next(c)) {
        if (!text_span(r, c, &a, &e)) continue;
        if (inline_form && scr_node_get_type(c) == SCR_NODE_PLACE) {
          a0 = a;
          continue;
        }
        if (push_line(w, inline_form ? a0 : a, e)) return -1;
      }
      continue;
    }
    if (!text_span(r, n, &item.a, &item.e)) continue;
    size_t line_a = item.a, line_e = item.e;
    switch (t) {
    case SCR_NODE_TITLE: item.role = A_INLINE; break;
    case SCR_NODE_FIGURE:
      item.role = A_INLINE;
      line_a -= scr_node_attr(n, SCR_ATTR_MARKER).len; /* the counter */
      break;
    case SCR_NODE_LEAD: item.role = A_LEAD; break;
    case SCR_NODE_HEADING: item.role = A_HEADING; break;
    case SCR_NODE_SEPARATOR: item.role = A_SEPARATOR; break;
    case SCR_NODE_NOTE: item.role = A_NOTE; break;
    case SCR_NODE_FOOTER: item.role = A_FOOTER; break;
    case SCR_NODE_PARAGRAPH: item.role = A_PARA; break;
    case SCR_NODE_SPEAKER: {
      item.role = A_TURN;
      scr_node *p = scr_node_next(n);
      if (p && scr_node_get_type(p) == SCR_NODE_PARAGRAPH &&
          scr_node_pos(p).line == scr_node_pos(n).line &&
          text_span(r, p, &item.pa, &item.pe)) {
        item.para = consumed = p;
        line_e = item.pe;
      }
      break;
    }
    default: break;
    }
    item.blk = w->lines.len;
    if (push_line(w, line_a, line_e) || VEC_PUSH(w->items, item)) return -1;
  }
  return 0;
}

/* Replaces n's TEXT by the inline analysis of s[a..e). */
static int analyse_inline(reader *r, scr_node *n, size_t a, size_t e,
                          unsigned flags) {
  scr_node_unlink(scr_node_first_child(n));
  return inline_build(r, n, a, e, flags);
}

static int analyse(reader *r, walk *w) {
  const char *s = r->s;
  blk *bs = w->lines.v;
  size_t nb = w->lines.len;
  /* Persons named by the text itself: labels first (bare names before
   * those with an office, so that "Vladimir Putin:" names the person in
   * "President of Russia Vladimir Putin:"), then "First Last said". */
  for (int round = 0; round < 2; round++)
    for (size_t i = 1; i < nb; i++) {
      label lb;
      if (!parse_label(r, &bs[i], &lb) || lb.person >= 0 ||
          lb.name_start >= lb.core_end)
        continue;
      if (round == 0 && (lb.has_title || lb.name_start != bs[i].text)) continue;
      if (lexicon_add_found_name(&r->lx, r->doc, s + lb.name_start,
                                 lb.core_end - lb.name_start) < 0)
        return -1;
    }
  for (size_t i = 0; i < nb; i++)
    if (find_said_names(r, &bs[i])) return -1;

  int turn_person = -1, in_body = 0;
  for (size_t k = 0; k < w->items.len; k++) {
    aitem *it = &w->items.v[k];
    if (it->body && !in_body) {
      /* Epithets scoped to a publisher count from the body on. */
      in_body = 1;
      scr_str pub = scr_doc_meta(r->doc, SCR_META_PUBLISHER);
      if (pub.ptr) r->lx.publisher = pub;
    }
    switch (it->role) {
    case A_INLINE:
      if (analyse_inline(r, it->node, it->a, it->e, 0)) return -1;
      break;
    case A_LEAD:
      if (analyse_inline(r, it->node, it->a, it->e,
                         INL_NARRATION | INL_DATES | INL_PLACES) ||
          attrib_paragraph(r, scr_node_parent(it->node), it->a, 0, -1))
        return -1;
      break;
    case A_HEADING:
    case A_SEPARATOR:
      if (attrib_flush(r)) return -1;
      r->topic = -1;
      if (it->role == A_HEADING && analyse_inline(r, it->node, it->a, it->e, 0))
        return -1;
      break;
    case A_NOTE:
      if (attrib_flush(r)) return -1;
      break;
    case A_FOOTER:
      if (attrib_flush(r) || analyse_inline(r, it->node, it->a, it->e, 0)) return -1;
      break;
    case A_TURN: {
      if (attrib_flush(r)) return -1;
      label lb;
      if (!parse_label(r, &bs[it->blk], &lb)) break; /* not from this reader */
      scr_node *turn = scr_node_parent(it->node);
      int person = speaker(r, turn, it->node, &bs[it->blk], &lb);
      if (person == -1) return -1;
      turn_person = person >= 0 ? person : -1;
      if (it->para &&
          (analyse_inline(r, it->para, it->pa, it->pe, INL_SPEECH) ||
           attrib_paragraph(r, turn, it->pa, 1, turn_person)))
        return -1;
      break;
    }
    case A_PARA: {
      scr_node *parent = scr_node_parent(it->node);
      int narration = scr_node_get_type(parent) != SCR_NODE_TURN;
      unsigned flags = narration ? INL_NARRATION | INL_DATES | INL_PLACES : INL_SPEECH;
      if (r->has_pending && quote_goes_on(r, bs, it->blk, nb)) flags |= INL_CONTINUED;
      if (analyse_inline(r, it->node, it->a, it->e, flags) ||
          attrib_paragraph(r, parent, it->a, !narration, turn_person))
        return -1;
      break;
    }
    default: break;
    }
  }
  if (attrib_flush(r)) return -1;
  scr_doc *doc = r->doc;
  if (!scr_doc_meta(doc, SCR_META_DATE).ptr && r->first_date_when.len &&
      scr_doc_set_meta(doc, SCR_META_DATE, r->first_date_when.ptr, r->first_date_when.len))
    return -1;
  if (!scr_doc_meta(doc, SCR_META_PLACE).ptr && r->first_place.len &&
      scr_doc_set_meta(doc, SCR_META_PLACE, r->first_place.ptr, r->first_place.len))
    return -1;
  return r->oom ? -1 : 0;
}

/* The analysis of a document whose tree the text reader built: persons,
 * quotations, attribution, names, dates and places. */
int text_speech_run(scr_doc *doc, const scr_options *opts, scr_diag *diag) {
  scr_str src = scr_doc_source(doc);
  if (!src.ptr) return 0; /* nothing to point into */
  words_init_once();
  reader r = {0};
  r.doc = doc, r.diag = diag, r.s = src.ptr, r.len = src.len, r.topic = -1,
  r.publisher = -1;
  walk w = {0};
  int rc = -1;
  char *beside = NULL;
  r.lines = scr_linemap_new(r.s, r.len);
  if (!r.lines) goto oom;

  /* The authority file: the option, or persons.yaml beside the input. */
  const char *persons = scr_options_get(opts, "persons");
  scr_str path = scr_doc_meta(doc, SCR_META_SOURCE);
  if (!persons && path.ptr && path.len) {
    size_t dl = path.len;
    while (dl > 0 && path.ptr[dl - 1] != '/') dl--;
    beside = malloc(dl + sizeof "persons.yaml");
    if (!beside) goto oom;
    memcpy(beside, path.ptr, dl);
    memcpy(beside + dl, "persons.yaml", sizeof "persons.yaml");
    /* Asked for every input (a stat of a file in a directory just read is
     * cheap): a persons.yaml that appears during a run, written by the run
     * itself say, is seen by every input read after it, as with -j 1. */
    struct stat st;
    if (stat(beside, &st) == 0 && S_ISREG(st.st_mode))
      persons = beside;
    else if (scr_doc_add_depend(doc, beside, -1)) /* its absence decides too */
      goto oom;
  }
  if (persons && lexicon_load_yaml(&r.lx, doc, persons, diag)) goto done;

  if (collect(&r, &w) || analyse(&r, &w)) goto oom;

  {
    size_t total = 0, who = 0;
    scr_iter it;
    scr_event ev;
    scr_iter_init(&it, scr_doc_root(doc));
    while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE)
      if (ev == SCR_EVENT_ENTER && scr_node_get_type(it.cur) == SCR_NODE_QUOTE) {
        total++;
        who += scr_node_attr(it.cur, SCR_ATTR_WHO).ptr != NULL;
      }
    char note[160];
    int n;
    /* The summary heads the notes (before the reader's). */
    if (total) {
      n = snprintf(note, sizeof note,
                   "%zu quotations: %zu attributed, %zu left unattributed",
                   total, who, total - who);
      if (scr_doc_insert_note(doc, 0, note, (size_t)n)) goto oom;
    }
    if (!persons) {
      n = snprintf(note, sizeof note,
                   "no authority file: persons come from labels and names in the text");
      if (scr_doc_add_note(doc, note, (size_t)n)) goto oom;
    }
  }
  rc = 0;
  goto done;
oom:
  scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
done:
  free(beside);
  VEC_FREE(w.lines);
  VEC_FREE(w.items);
  VEC_FREE(r.refs);
  VEC_FREE(r.quotes);
  VEC_FREE(r.brackets);
  VEC_FREE(r.bstack);
  VEC_FREE(r.chain);
  lexicon_free(&r.lx);
  scr_linemap_free(r.lines);
  return rc;
}
