/* writer.c - plain-text editions.
 *
 * diplomatic: the source again, byte for byte, rebuilt from the tree by its
 *   losslessness contract.
 * reading: a clean edition for people and NLP tools. A header (title; the
 *   date as printed, or in words; place; participants: who speaks and whom
 *   the title names; where the text came from: URL or file name, never a
 *   local path, the publisher marked as inferred when the layout told it,
 *   licence, retrieval date, citation), then the running text: paragraphs
 *   wrapped at `width` terminal columns (never after "St.", "Mr" or an
 *   initial, never inside a URL; no-break spaces written as spaces, so that
 *   a search finds the words), headings underlined, a turn's first
 *   paragraph labelled with its speaker (and "(retranslated)" where the
 *   label says so), corrections applied, quotation marks normalised (“ ”
 *   outside, ‘ ’ inside), the publisher's insertions kept in [ ]; last, the
 *   source's footer, often its only rights statement. Titles, media
 *   counts, datelines and captions stay out of the running text.
 *
 * One walk with scr_iter, no recursion: inline text is gathered into the
 * current paragraph and wrapped when the paragraph ends. */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "text.h"

/* ---- wrapping ----------------------------------------------------------------- */

static int is_break_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Appends `text` to `out` as lines of at most `width` terminal columns
 * (0: one line), each ending in "\n". Words are split at ASCII white space
 * (a no-break space holds its words together) and joined by one space. A
 * word is split only when it is wider than a whole line, and then between
 * characters, never before a zero-width (combining) one. */
/* A title or initial that belongs with the next word ("St. Petersburg",
 * "Mr Putin", "G. Lukashenko"): no line ends after it. */
static int holds_next(const char *w, size_t n) {
  static const char *const abbr[] = {"St.", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr."};
  for (size_t k = 0; k < sizeof abbr / sizeof abbr[0]; k++)
    if (n == strlen(abbr[k]) && memcmp(w, abbr[k], n) == 0) return 1;
  return n == 2 && w[0] >= 'A' && w[0] <= 'Z' && w[1] == '.';
}

/* Appends w[0..n) with its no-break spaces (U+00A0, U+202F) as plain
 * spaces: they held the words on one line, and a reader's search for
 * "value of integration" must find them. */
static int put_spaced(scr_buf *out, const char *w, size_t n) {
  size_t run = 0;
  for (size_t k = 0; k + 1 < n; k++) {
    size_t m = (unsigned char)w[k] == 0xC2 && (unsigned char)w[k + 1] == 0xA0 ? 2
               : k + 2 < n && (unsigned char)w[k] == 0xE2 && (unsigned char)w[k + 1] == 0x80 &&
                       (unsigned char)w[k + 2] == 0xAF
                   ? 3
                   : 0;
    if (!m) continue;
    if (scr_buf_put(out, w + run, k - run) || scr_buf_putc(out, ' ')) return -1;
    k += m - 1;
    run = k + 1;
  }
  return scr_buf_put(out, w + run, n - run);
}

static int wrap(scr_buf *out, const char *text, size_t len, size_t width) {
  size_t col = 0; /* columns on the current line */
  size_t i = 0;
  int any = 0;
  while (i < len) {
    while (i < len && is_break_space((unsigned char)text[i])) i++;
    if (i == len) break;
    size_t start = i, piece = i;
    for (;;) {
      while (i < len && !is_break_space((unsigned char)text[i])) i++;
      if (!(holds_next(text + piece, i - piece) && i + 1 < len && text[i] == ' ' &&
            !is_break_space((unsigned char)text[i + 1])))
        break;
      piece = ++i; /* the space and the next word go with it */
    }
    /* no-break spaces at a word's ends hold nothing together */
    while (i - start >= 2 && (unsigned char)text[start] == 0xC2 &&
           (unsigned char)text[start + 1] == 0xA0)
      start += 2;
    size_t stop = i;
    while (stop - start >= 2 && (unsigned char)text[stop - 2] == 0xC2 &&
           (unsigned char)text[stop - 1] == 0xA0)
      stop -= 2;
    if (stop == start) continue;
    const char *w = text + start;
    size_t wlen = stop - start, wcols = scr_utf8_width(w, wlen);
    if (col) {
      if (width && col + 1 + wcols > width) {
        if (scr_buf_putc(out, '\n')) return -1;
        col = 0;
      } else {
        if (scr_buf_putc(out, ' ')) return -1;
        col++;
      }
    }
    any = 1;
    /* A URL is never split: it would no longer work when copied. */
    if (!width || wcols <= width || memmem(w, wlen, "://", 3)) {
      if (put_spaced(out, w, wlen)) return -1;
      col += wcols;
      continue;
    }
    /* Wider than a line: fill line after line, character by character; a
     * space inside it (no-break, or after "St.") is written only between
     * two characters of one line. */
    int space = 0;
    for (size_t k = 0; k < wlen;) {
      uint32_t cp;
      size_t n = scr_utf8_decode(w + k, wlen - k, &cp);
      if (cp == ' ' || cp == 0xA0 || cp == 0x202F) {
        space = 1;
        k += n;
        continue;
      }
      /* A character with the combining marks that follow it. */
      size_t m = n;
      while (k + m < wlen) {
        uint32_t next;
        size_t nn = scr_utf8_decode(w + k + m, wlen - k - m, &next);
        if (scr_utf8_width(w + k + m, nn) != 0) break;
        m += nn;
      }
      size_t cols = scr_utf8_width(w + k, m);
      if (col && col + space + cols > width) {
        if (scr_buf_putc(out, '\n')) return -1;
        col = 0;
      } else if (col && space) {
        if (scr_buf_putc(out, ' ')) return -1;
        col++;
      }
      space = 0;
      if (put_spaced(out, w + k, m)) return -1;
      col += cols;
      k += m;
    }
  }
  return any ? scr_buf_putc(out, '\n') : 0;
}

/* ---- the reading edition -------------------------------------------------------- */

typedef struct reading {
  const scr_doc *doc;
  scr_buf *out;
  size_t width;
  scr_buf para;     /* the paragraph being gathered */
  int in_para;      /* a text block is open */
  int implicit;     /* ...opened by inline content outside any text block */
  scr_buf label;    /* the speaker label waiting for its turn's paragraph */
  int quote_depth;
  int heading;      /* the open text block is a heading: underlined */
  int blocks;       /* blocks written so far */
  int failed;
} reading;

static void put(reading *r, const char *s, size_t len) {
  if (!r->failed && scr_buf_put(&r->para, s, len)) r->failed = 1;
}

static void puts_(reading *r, const char *s) { put(r, s, strlen(s)); }

static int last_opens(const reading *r) {
  if (r->para.len == 0) return 1;
  unsigned char c = (unsigned char)r->para.data[r->para.len - 1];
  if (is_break_space(c) || strchr("([{/-", c)) return 1;
  /* After a dash or an opening mark, also as UTF-8. */
  static const char *const openers[] = {"\xE2\x80\x94", "\xE2\x80\x93",
                                        "\xE2\x80\x9C", "\xE2\x80\x98",
                                        "\xC2\xA0"};
  for (size_t i = 0; i < sizeof openers / sizeof openers[0]; i++) {
    size_t n = strlen(openers[i]);
    if (r->para.len >= n && memcmp(r->para.data + r->para.len - n, openers[i], n) == 0)
      return 1;
  }
  return 0;
}

/* Double quotation marks of any style, as UTF-8; 1 opening, 2 closing, 3
 * either (decided by what precedes). */
static int double_mark(const char *s, size_t len, size_t *n) {
  static const struct {
    const char *bytes;
    int kind;
  } marks[] = {{"\"", 3},           {"\xE2\x80\x9C", 3}, {"\xE2\x80\x9D", 3},
               {"\xE2\x80\x9E", 1}, {"\xE2\x80\x9F", 1}, {"\xC2\xAB", 1},
               {"\xC2\xBB", 2}};
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
    size_t m = strlen(marks[i].bytes);
    if (len >= m && memcmp(s, marks[i].bytes, m) == 0) {
      *n = m;
      return marks[i].kind;
    }
  }
  return 0;
}

static int only_marks(scr_str s) {
  if (!s.len) return 0;
  for (size_t i = 0, n; i < s.len; i += n) {
    if (double_mark(s.ptr + i, s.len - i, &n)) continue;
    if (s.ptr[i] == '\'') n = 1;
    else if (s.len - i >= 3 && (memcmp(s.ptr + i, "\xE2\x80\x98", 3) == 0 ||
                                memcmp(s.ptr + i, "\xE2\x80\x99", 3) == 0 ||
                                memcmp(s.ptr + i, "\xE2\x80\xB9", 3) == 0 ||
                                memcmp(s.ptr + i, "\xE2\x80\xBA", 3) == 0))
      n = 3;
    else return 0;
  }
  return 1;
}

/* Running text with its double quotation marks normalised to “ and ” (‘ and
 * ’ inside a quote). */
static void put_text(reading *r, scr_str s) {
  size_t run = 0;
  for (size_t i = 0; i < s.len;) {
    size_t n;
    int kind = double_mark(s.ptr + i, s.len - i, &n);
    if (!kind) {
      i++;
      continue;
    }
    put(r, s.ptr + run, i - run);
    int open = kind == 1 || (kind == 3 && last_opens(r));
    /* Marks inside a quote are the next level's: ‘ ’ within “ ”. */
    int inner = r->quote_depth % 2 == 1;
    puts_(r, open ? (inner ? "\xE2\x80\x98" : "\xE2\x80\x9C")
                  : (inner ? "\xE2\x80\x99" : "\xE2\x80\x9D"));
    i += n;
    run = i;
  }
  put(r, s.ptr + run, s.len - run);
}

static void put_quote_mark(reading *r, int open) {
  int inner = r->quote_depth % 2 == 0; /* depth 1: “ ”, depth 2: ‘ ’ ... */
  puts_(r, open ? (inner ? "\xE2\x80\x98" : "\xE2\x80\x9C")
                : (inner ? "\xE2\x80\x99" : "\xE2\x80\x9D"));
}

/* Layout inside running text counts only as the space it makes. */
static void put_layout(reading *r, const scr_node *n, scr_attr which) {
  scr_str s = scr_node_attr(n, which);
  if (s.len) put(r, " ", 1);
}

static void open_para(reading *r, int implicit) {
  r->in_para = 1;
  r->implicit = implicit;
  scr_buf_clear(&r->para);
  if (r->label.len) {
    put(r, r->label.data, r->label.len);
    puts_(r, ": ");
    scr_buf_clear(&r->label);
  }
}

static void close_para(reading *r) {
  if (!r->in_para) return;
  r->in_para = r->implicit = 0;
  size_t i = 0;
  while (i < r->para.len && is_break_space((unsigned char)r->para.data[i])) i++;
  if (i == r->para.len) return;
  if (r->blocks++ && scr_buf_putc(r->out, '\n')) r->failed = 1;
  size_t from = r->out->len;
  if (!r->failed && wrap(r->out, r->para.data, r->para.len, r->width)) r->failed = 1;
  if (r->heading && !r->failed) {
    /* A heading, underlined as wide as its widest line: not a paragraph. */
    size_t cols = 0;
    for (size_t a = from; a < r->out->len;) {
      const char *nl = memchr(r->out->data + a, '\n', r->out->len - a);
      size_t e = nl ? (size_t)(nl - r->out->data) : r->out->len;
      size_t w = scr_utf8_width(r->out->data + a, e - a);
      if (w > cols) cols = w;
      a = e + 1;
    }
    for (size_t k = 0; k < cols && !r->failed; k++)
      if (scr_buf_putc(r->out, '-')) r->failed = 1;
    if (!r->failed && scr_buf_putc(r->out, '\n')) r->failed = 1;
  }
  r->heading = 0;
}

/* The plain text of a subtree, corrections applied, without layout. */
static void plain_text(const scr_node *node, scr_buf *b) {
  scr_iter it;
  scr_event ev;
  scr_iter_init(&it, (scr_node *)node);
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    const scr_node *n = scr_iter_node(&it);
    scr_node_type t = scr_node_get_type(n);
    if (ev == SCR_EVENT_ENTER) {
      if (t == SCR_NODE_TEXT) {
        scr_str s = scr_node_text(n);
        scr_buf_put(b, s.ptr, s.len);
      } else if (t == SCR_NODE_INSERTION) {
        scr_buf_putc(b, '[');
      } else if (t == SCR_NODE_CORRECTION && scr_node_attr(n, SCR_ATTR_CORRECTED).ptr) {
        scr_str s = scr_node_attr(n, SCR_ATTR_CORRECTED);
        scr_buf_put(b, s.ptr, s.len);
        it.ev = SCR_EVENT_EXIT;
      }
    } else if (t == SCR_NODE_INSERTION) {
      scr_buf_putc(b, ']');
    }
  }
}

static void trim(scr_buf *b, const char *chars) {
  while (b->len && strchr(chars, b->data[b->len - 1])) b->data[--b->len] = '\0';
  size_t i = 0;
  while (i < b->len && strchr(" \t\r\n", b->data[i])) i++;
  if (i) {
    memmove(b->data, b->data + i, b->len - i);
    b->len -= i;
    b->data[b->len] = '\0';
  }
}

static const scr_person *person_of(const scr_doc *doc, scr_str who) {
  if (!who.ptr) return NULL;
  const char *sp = memchr(who.ptr, ' ', who.len);
  return scr_doc_find_person(doc, who.ptr, sp ? (size_t)(sp - who.ptr) : who.len);
}

/* A speaker's label: the name in the label, else the person's first name
 * form, else the label's text without its colon. */
static void speaker_label(reading *r, const scr_node *speaker) {
  scr_buf_clear(&r->label);
  for (const scr_node *c = scr_node_first_child(speaker); c; c = scr_node_next(c))
    if (scr_node_get_type(c) == SCR_NODE_PERSON) {
      plain_text(c, &r->label);
      trim(&r->label, " \t\r\n");
      if (!r->label.len) continue;
      /* What the label says of the words after the name: "(retranslated)". */
      scr_buf rest = {0};
      for (const scr_node *d = scr_node_next(c); d; d = scr_node_next(d)) plain_text(d, &rest);
      const char *open = rest.len ? memchr(rest.data, '(', rest.len) : NULL;
      const char *close = open ? memchr(open, ')', rest.len - (size_t)(open - rest.data)) : NULL;
      if (close && (scr_buf_putc(&r->label, ' ') ||
                    scr_buf_put(&r->label, open, (size_t)(close - open) + 1)))
        r->failed = 1;
      scr_buf_free(&rest);
      return;
    }
  const scr_person *p = person_of(r->doc, scr_node_attr(speaker, SCR_ATTR_WHO));
  if (p && scr_person_name_count(p)) {
    scr_str s = scr_person_name(p, 0);
    scr_buf_put(&r->label, s.ptr, s.len);
    return;
  }
  plain_text(speaker, &r->label);
  trim(&r->label, " \t\r\n:\xC2\xA0");
}

static int has_speaker(const scr_node *turn) {
  for (const scr_node *c = scr_node_first_child(turn); c; c = scr_node_next(c))
    if (scr_node_get_type(c) == SCR_NODE_SPEAKER) return 1;
  return 0;
}

/* A turn without a label (a Parla-CLARIN u with only @who) still shows
 * who speaks: the person's first name form, else the id. */
static void turn_label(reading *r, const scr_node *turn) {
  scr_str who = scr_node_attr(turn, SCR_ATTR_WHO);
  if (!who.len) return;
  close_para(r);
  scr_buf_clear(&r->label);
  const scr_person *p = person_of(r->doc, who);
  scr_str s = p && scr_person_name_count(p) ? scr_person_name(p, 0) : who;
  if (scr_buf_put(&r->label, s.ptr, s.len)) r->failed = 1;
}

static int leaves_running_text(scr_node_type t) {
  return t == SCR_NODE_TITLE || t == SCR_NODE_MEDIA || t == SCR_NODE_DATELINE ||
         t == SCR_NODE_GALLERY || t == SCR_NODE_FIGURE || t == SCR_NODE_FOOTER;
}

static int is_text_block(scr_node_type t) {
  return t == SCR_NODE_PARAGRAPH || t == SCR_NODE_LEAD || t == SCR_NODE_HEADING ||
         t == SCR_NODE_NOTE || t == SCR_NODE_SEPARATOR;
}

/* The first node of `type` in the document (and inside `within`, if set). */
static const scr_node *find_first(const scr_node *root, scr_node_type type,
                                  scr_node_type within) {
  scr_iter it;
  scr_event ev;
  scr_iter_init(&it, (scr_node *)root);
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    if (ev != SCR_EVENT_ENTER || scr_node_get_type(scr_iter_node(&it)) != type) continue;
    if (type == SCR_NODE_TITLE && scr_node_attr(scr_iter_node(&it), SCR_ATTR_KIND).ptr) continue;
    if (within == SCR_NODE_NONE) return scr_iter_node(&it);
    for (const scr_node *a = scr_node_parent(scr_iter_node(&it)); a; a = scr_node_parent(a))
      if (scr_node_get_type(a) == within) return scr_iter_node(&it);
  }
  return NULL;
}

static int header_line(reading *r, const char *label, scr_buf *value) {
  trim(value, " \t\r\n");
  if (!value->len) return 0;
  scr_buf line = {0};
  int rc = scr_buf_puts(&line, label) || scr_buf_put(&line, value->data, value->len) ||
           wrap(r->out, line.data, line.len, r->width);
  scr_buf_free(&line);
  return rc ? -1 : 1;
}

/* An ISO date in words where the year is missing ("--07-13": "13 July
 * (year not given)"); as it is otherwise. */
static void date_words(scr_buf *v, scr_str iso) {
  static const char *const months[] = {"January", "February", "March",     "April",
                                       "May",     "June",     "July",      "August",
                                       "September", "October", "November", "December"};
  const char *d = iso.ptr;
  if (iso.len == 7 && d[0] == '-' && d[1] == '-' && d[4] == '-') {
    int m = (d[2] - '0') * 10 + (d[3] - '0'), day = (d[5] - '0') * 10 + (d[6] - '0');
    if (m >= 1 && m <= 12 && day >= 1 && day <= 31) {
      scr_buf_printf(v, "%d %s (year not given)", day, months[m - 1]);
      return;
    }
  }
  scr_buf_put(v, iso.ptr, iso.len);
}

/* Whether a WHO value (ids separated by spaces) names `id`. */
static int who_names(scr_str who, scr_str id) {
  for (size_t k = 0; who.ptr && k < who.len;) {
    const char *sp = memchr(who.ptr + k, ' ', who.len - k);
    size_t end = sp ? (size_t)(sp - who.ptr) : who.len;
    if (end - k == id.len && memcmp(who.ptr + k, id.ptr, id.len) == 0) return 1;
    k = end + 1;
  }
  return 0;
}

/* A participant: a person who speaks (a turn, its label, a quotation) or
 * whom the title names ("Vladimir Putin met with ... Alexander
 * Lukashenko"): the title of a report names who took part. */
static int takes_part(const scr_node *root, const scr_node *title, scr_str id) {
  scr_iter it;
  scr_event ev;
  scr_iter_init(&it, (scr_node *)root);
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    const scr_node *n = scr_iter_node(&it);
    scr_node_type t = scr_node_get_type(n);
    if (ev != SCR_EVENT_ENTER) continue;
    if (t == SCR_NODE_TITLE && n != title) {
      scr_iter_skip_children(&it);
      continue;
    }
    int in_title = t == SCR_NODE_PERSON && title && scr_node_parent(n) == title;
    if ((t == SCR_NODE_TURN || t == SCR_NODE_SPEAKER || t == SCR_NODE_QUOTE || in_title) &&
        who_names(scr_node_attr(n, SCR_ATTR_WHO), id))
      return 1;
  }
  return 0;
}

/* One "Label: value" header line for a metadata key, if the document has it. */
static int meta_line(reading *r, const char *label, scr_meta key, const char *suffix) {
  scr_str m = scr_doc_meta(r->doc, key);
  if (!m.len) return 0;
  scr_buf v = {0};
  int rc = scr_buf_put(&v, m.ptr, m.len) || (suffix && scr_buf_puts(&v, suffix)) ? -1
                                                                              : header_line(r, label, &v);
  scr_buf_free(&v);
  if (rc < 0) r->failed = 1;
  return rc > 0;
}

/* The file name of a path: no local path in an edition. */
static scr_str base_name(scr_str p) {
  for (size_t i = p.len; i > 0; i--)
    if (p.ptr[i - 1] == '/') return (scr_str){p.ptr + i, p.len - i};
  return p;
}

/* Title, date, place, participants and where the text came from, then a
 * blank line. */
static void header(reading *r) {
  const scr_doc *doc = r->doc;
  const scr_node *root = scr_doc_root(doc);
  scr_buf v = {0};
  int lines = 0, rc;
  scr_str meta = scr_doc_meta(doc, SCR_META_TITLE);
  const scr_node *n;
  if (meta.ptr) scr_buf_put(&v, meta.ptr, meta.len);
  else if ((n = find_first(root, SCR_NODE_TITLE, SCR_NODE_NONE))) plain_text(n, &v);
  trim(&v, " \t\r\n");
  if (v.len) {
    if (wrap(r->out, v.data, v.len, r->width) || scr_buf_putc(r->out, '\n')) r->failed = 1;
  }
  scr_buf_clear(&v);

  /* The date as printed in the dateline; else the document's date, which
   * the reader took from the text: "13 July" when the year is not given. */
  meta = scr_doc_meta(doc, SCR_META_DATE);
  if ((n = find_first(root, SCR_NODE_DATE, SCR_NODE_DATELINE))) plain_text(n, &v);
  else if (meta.ptr) date_words(&v, meta);
  meta = scr_doc_meta(doc, SCR_META_TIME);
  if (meta.ptr) {
    if (v.len) scr_buf_puts(&v, ", ");
    scr_buf_put(&v, meta.ptr, meta.len);
  }
  if ((rc = header_line(r, "Date: ", &v)) < 0) r->failed = 1;
  lines += rc > 0;
  scr_buf_clear(&v);

  meta = scr_doc_meta(doc, SCR_META_PLACE);
  if (meta.ptr) scr_buf_put(&v, meta.ptr, meta.len);
  else if ((n = find_first(root, SCR_NODE_PLACE, SCR_NODE_DATELINE))) plain_text(n, &v);
  if ((rc = header_line(r, "Place: ", &v)) < 0) r->failed = 1;
  lines += rc > 0;
  scr_buf_clear(&v);

  /* Participants, in the order of the document's persons. */
  const scr_node *title = find_first(root, SCR_NODE_TITLE, SCR_NODE_NONE);
  size_t count = scr_doc_person_count(doc);
  for (size_t i = 0; i < count; i++) {
    const scr_person *p = scr_doc_person_at(doc, i);
    scr_str id = scr_person_id(p);
    /* the participants transform's word, else who speaks or the title names */
    scr_participation pa = scr_person_participation(p);
    if (pa == SCR_PARTICIPATION_MENTIONED ||
        (pa == SCR_PARTICIPATION_UNKNOWN && !takes_part(root, title, id)))
      continue;
    if (v.len) scr_buf_puts(&v, ", ");
    scr_str name = scr_person_name_count(p) ? scr_person_name(p, 0) : id;
    scr_buf_put(&v, name.ptr, name.len);
  }
  if ((rc = header_line(r, "Participants: ", &v)) < 0) r->failed = 1;
  lines += rc > 0;
  scr_buf_clear(&v);

  /* Where the text came from: its URL, else its file name (never a local
   * path); the publisher, said to be inferred when a transcript's layout
   * told it; licence, retrieval, citation. */
  meta = scr_doc_meta(doc, SCR_META_URL);
  int derived = meta.len && scr_doc_meta_cert(doc, SCR_META_URL).len;
  if (!meta.len) {
    meta = scr_doc_meta(doc, SCR_META_SOURCE);
    if (!(meta.len && memmem(meta.ptr, meta.len, "://", 3))) meta = base_name(meta);
  }
  if (meta.len) scr_buf_put(&v, meta.ptr, meta.len);
  if (derived) scr_buf_puts(&v, " (derived from the file name)");
  if ((rc = header_line(r, "Source: ", &v)) < 0) r->failed = 1;
  lines += rc > 0;
  scr_buf_free(&v);
  scr_str format = scr_doc_meta(doc, SCR_META_FORMAT);
  int from_text = format.len == 4 && memcmp(format.ptr, "text", 4) == 0;
  lines += meta_line(r, "Publisher: ", SCR_META_PUBLISHER,
                     from_text ? " (inferred from the layout)" : NULL);
  lines += meta_line(r, "Licence: ", SCR_META_LICENCE,
                     scr_doc_meta_cert(doc, SCR_META_LICENCE).len
                         ? " (what the publisher's site states, not the text)"
                         : NULL);
  lines += meta_line(r, "Retrieved: ", SCR_META_RETRIEVED, NULL);
  lines += meta_line(r, "Citation: ", SCR_META_CITATION, NULL);
  if (lines && scr_buf_putc(r->out, '\n')) r->failed = 1;
  /* The body starts after the header's blank line. */
  r->blocks = 0;
}

static int write_reading(const scr_doc *doc, scr_buf *out, size_t width) {
  reading r;
  memset(&r, 0, sizeof r);
  r.doc = doc;
  r.out = out;
  r.width = width;
  header(&r);
  scr_iter it;
  scr_event ev;
  scr_node *root = scr_doc_root(doc);
  scr_iter_init(&it, root);
  while (!r.failed && (ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    scr_node *n = scr_iter_node(&it);
    scr_node_type t = scr_node_get_type(n);
    int block = scr_node_type_is_block(t) || t == SCR_NODE_DOCUMENT;
    if (ev == SCR_EVENT_ENTER) {
      if (block && r.implicit) close_para(&r);
      if (leaves_running_text(t)) {
        it.ev = SCR_EVENT_EXIT; /* skip the subtree */
        continue;
      }
      if (t == SCR_NODE_SPEAKER) {
        close_para(&r);
        speaker_label(&r, n);
        it.ev = SCR_EVENT_EXIT;
        continue;
      }
      if (is_text_block(t)) {
        close_para(&r);
        open_para(&r, 0);
        r.heading = t == SCR_NODE_HEADING;
        if (t == SCR_NODE_NOTE) puts_(&r, "Note: ");
        continue;
      }
      if (t == SCR_NODE_TURN && !has_speaker(n)) turn_label(&r, n);
      if (block) continue; /* containers: document, section, turn */
      if (!r.in_para) open_para(&r, 1);
      put_layout(&r, n, SCR_ATTR_BEFORE);
      switch (t) {
      case SCR_NODE_TEXT: {
        scr_node *parent = scr_node_parent(n);
        scr_str s = scr_node_text(n);
        if (parent && scr_node_get_type(parent) == SCR_NODE_QUOTE && only_marks(s) &&
            (n == scr_node_first_child(parent) || n == scr_node_last_child(parent)))
          put_quote_mark(&r, n == scr_node_first_child(parent) && n != scr_node_last_child(parent));
        else put_text(&r, s);
        break;
      }
      case SCR_NODE_QUOTE: r.quote_depth++; break;
      case SCR_NODE_INSERTION: puts_(&r, "["); break;
      case SCR_NODE_CORRECTION: {
        scr_str c = scr_node_attr(n, SCR_ATTR_CORRECTED);
        if (c.ptr) {
          put(&r, c.ptr, c.len);
          put_layout(&r, n, SCR_ATTR_AFTER);
          it.ev = SCR_EVENT_EXIT;
        }
        break;
      }
      default: break;
      }
    } else {
      if (is_text_block(t)) {
        close_para(&r);
        continue;
      }
      if (block) {
        if (r.implicit) close_para(&r);
        /* A turn whose label found no paragraph still shows who spoke. */
        if (t == SCR_NODE_TURN && r.label.len) {
          open_para(&r, 0);
          r.para.len -= r.para.len >= 2 ? 1 : 0; /* "Name:" without the space */
          close_para(&r);
        }
        continue;
      }
      if (t == SCR_NODE_QUOTE) r.quote_depth--;
      else if (t == SCR_NODE_INSERTION) puts_(&r, "]");
      put_layout(&r, n, SCR_ATTR_AFTER);
    }
  }
  close_para(&r);
  /* The source's footer, often its only rights statement, closes the
   * edition (it stays out of the running text). */
  scr_buf foot = {0};
  const scr_node *f = find_first(root, SCR_NODE_FOOTER, SCR_NODE_NONE);
  scr_str meta = scr_doc_meta(doc, SCR_META_FOOTER);
  if (f) plain_text(f, &foot);
  else if (meta.len) scr_buf_put(&foot, meta.ptr, meta.len);
  trim(&foot, " \t\r\n");
  if (!r.failed && foot.len) {
    scr_buf line = {0};
    if ((r.blocks && scr_buf_putc(out, '\n')) || scr_buf_puts(&line, "Footer of the source: ") ||
        scr_buf_put(&line, foot.data, foot.len) || wrap(out, line.data, line.len, r.width))
      r.failed = 1;
    scr_buf_free(&line);
  }
  scr_buf_free(&foot);
  scr_buf_free(&r.para);
  scr_buf_free(&r.label);
  return r.failed ? -1 : 0;
}

int text_write(const scr_doc *doc, scr_buf *out, const scr_options *opts,
               scr_diag *diag) {
  const char *edition = opts ? scr_options_get(opts, "edition") : NULL;
  int rc;
  if (edition && strcmp(edition, "reading") == 0) {
    long width = opts ? scr_options_get_int(opts, "width", 72) : 72;
    rc = write_reading(doc, out, width > 0 ? (size_t)width : 0);
  } else {
    rc = scr_node_flatten(scr_doc_root(doc), 1, out);
  }
  if (rc != 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom",
                    "out of memory");
    return -1;
  }
  return 0;
}
