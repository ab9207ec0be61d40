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

#include "label.h"
#include "text.h"
#include "words.h"

/* The reader's state: the source and where the last position was asked. */
typedef struct reader {
  scr_doc *doc;
  scr_diag *diag;
  const char *s;
  size_t len;
  scr_linemap *lines;
  line_cache at;        /* the line of the last position asked for */
  int publisher; /* index into publishers, -1 unknown */
  int oom;
} reader;

/* ---- nodes ------------------------------------------------------------------------ */

static scr_pos reader_pos(reader *r, size_t off) {
  return line_cache_pos(&r->at, r->lines, r->s, r->len, off);
}

static int set_attr(reader *r, scr_node *n, scr_attr k, const char *v, size_t len) {
  return scr_node_set_attr(r->doc, n, k, v, len);
}

static scr_node *new_node(reader *r, scr_node_type t, size_t off) {
  scr_node *n = scr_node_new(r->doc, t, reader_pos(r, off));
  if (!n) r->oom = 1;
  return n;
}

static scr_node *new_text(reader *r, size_t a, size_t b) {
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
    /* the line break between two of its lines is text of the dateline,
     * not layout of either part: TEI keeps it as whitespace in mixed
     * content (docs/tei.md), not in fw */
    if (i > 0 && bs[i].text > bs[i - 1].text_end &&
        plain(r, dl, bs[i - 1].text_end, bs[i].text))
      return -1;
    scr_node_append(dl, n);
    scr_node_append(n, t);
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
  /* the eight-bytes-at-a-time check first: most inputs are valid */
  size_t checked = scan_utf8_valid(data, len) ? len : scr_utf8_check(data, len, &bad);
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
/* ---- the page, part by part (docs/text-reader.md, in its order) ----------------- */

/* Where reading the page has got to: its lines, the next one, and the
 * conventions seen (they decide the publisher). */
typedef struct page {
  reader *r;
  scr_node *root;
  VEC(blk) lines;
  blk *bs;
  size_t nb, i;
  int features[F_COUNT];
  int has_footer;
} page;

/* Input: UTF-8 without a NUL byte, not empty. 0, or -1 after reporting. */
static int check_input(reader *r) {
  const char *s = r->s;
  size_t len = r->len;
  int bad = 0;
  size_t at = scan_utf8_valid(s, len) ? len : scr_utf8_check(s, len, &bad);
  if (!bad) return 0;
  scr_diag_report(r->diag, SCR_ERROR, scr_linemap_pos(r->lines, at), "encoding",
                  "%s at byte offset %zu%s",
                  s[at] ? "invalid UTF-8" : "a NUL byte", at,
                  len >= 2 && at == 0 &&
                          (((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE) ||
                           ((unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF))
                      ? " (the input is UTF-16: convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8)"
                      : "");
  return -1;
}

/* Blocks: one per non-blank line. The byte order mark and leading blank
 * lines ride on the root. 0, 1 (only blank lines, reported) or -1 (OOM). */
static int split_lines(page *pg) {
  reader *r = pg->r;
  const char *s = r->s;
  size_t len = r->len, p = 0;
  if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) p = 3;
  size_t q = p, line = p;
  while (q < len && (s[q] == ' ' || s[q] == '\t' || s[q] == '\r' || s[q] == '\n')) {
    if (s[q] == '\n') line = q + 1;
    q++;
  }
  p = q >= len ? len : line;
  if (p > 0 && layout(r, pg->root, 0, p, SCR_ATTR_BEFORE)) return -1;
  while (p < len) {
    blk b;
    next_block(s, len, &p, &b);
    if (VEC_PUSH(pg->lines, b)) return -1;
  }
  if (pg->lines.len == 0) {
    scr_diag_report(r->diag, SCR_ERROR, (scr_pos){0, 0, 0}, "empty",
                    "the input holds no text, only blank lines");
    return 1;
  }
  pg->bs = pg->lines.v;
  pg->nb = pg->lines.len;
  return 0;
}

/* The title, and the lines repeating it. */
static int read_title(page *pg) {
  reader *r = pg->r;
  const char *s = r->s;
  blk *bs = pg->bs;
  scr_node *title = block_node(r, pg->root, SCR_NODE_TITLE, &bs[0]);
  if (!title || plain(r, title, bs[0].text, bs[0].text_end) ||
      scr_doc_set_meta(r->doc, SCR_META_TITLE, s + bs[0].text, bs[0].text_end - bs[0].text))
    return -1;
  for (pg->i = 1; pg->i < pg->nb && same_text(s, &bs[pg->i], bs[0].text, bs[0].text_end);
       pg->i++) {
    scr_node *t = block_node(r, pg->root, SCR_NODE_TITLE, &bs[pg->i]);
    if (!t || set_attr(r, t, SCR_ATTR_KIND, "repeat", 6) ||
        plain(r, t, bs[pg->i].text, bs[pg->i].text_end))
      return -1;
  }
  return 0;
}

/* Media counts and durations (president.gov.by). */
static int read_media(page *pg) {
  reader *r = pg->r;
  const char *s = r->s;
  size_t num;
  for (; pg->i < pg->nb && is_media(s, &pg->bs[pg->i], &num); pg->i++) {
    /* The line verbatim, indentation included. */
    blk b = pg->bs[pg->i];
    scr_node *m = new_node(r, SCR_NODE_MEDIA, b.start);
    scr_node *t = new_text(r, b.start, b.text_end);
    if (!m || !t) return -1;
    scr_node_append(pg->root, m);
    scr_node_append(m, t);
    if (layout(r, m, b.text_end, b.end, SCR_ATTR_AFTER)) return -1;
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
      if (set_attr(r, m, SCR_ATTR_DURATION, d, (size_t)n)) return -1;
    } else if (set_attr(r, m, SCR_ATTR_COUNT, s + num, b.text_end - num)) {
      return -1;
    }
    pg->features[F_MEDIA] = 1;
  }
  return 0;
}

/* Captions: a gallery counter glued to one, and the lines that repeat its
 * caption before and after it. */
static int read_captions(page *pg) {
  reader *r = pg->r;
  const char *s = r->s;
  blk *bs = pg->bs;
  size_t nb = pg->nb, i = pg->i;
  size_t g = SIZE_MAX, cap0 = 0;
  int gn = 0, gt = 0;
  for (size_t k = i; k < nb && k < i + 6; k++) {
    size_t ce = gallery_counter(s, &bs[k], &gn, &gt);
    if (ce) {
      g = k, cap0 = ce;
      break;
    }
  }
  if (g == SIZE_MAX) return 0;
  for (size_t k = i; k < g; k++)
    if (!same_text(s, &bs[k], cap0, bs[g].text_end)) return 0;
  scr_node *gal = new_node(r, SCR_NODE_GALLERY, bs[i].text);
  if (!gal) return -1;
  scr_node_append(pg->root, gal);
  char tot[16];
  int tn = snprintf(tot, sizeof tot, "%d", gt);
  if (set_attr(r, gal, SCR_ATTR_TOTAL, tot, (size_t)tn)) return -1;
  pg->features[F_GALLERY] = 1;
  for (; i < nb; i++) {
    int n2, t2;
    size_t ce = gallery_counter(s, &bs[i], &n2, &t2);
    if (!ce && !same_text(s, &bs[i], cap0, bs[g].text_end)) break;
    scr_node *fig = block_node(r, gal, SCR_NODE_FIGURE, &bs[i]);
    if (!fig) return -1;
    /* a line repeating a counted caption is that slide scraped again (its
     * alt text, its caption under the photo): one slide, not a figure */
    if (!ce && set_attr(r, fig, SCR_ATTR_KIND, "repeat", 6)) return -1;
    if (ce) {
      char nbuf[16];
      int nn = snprintf(nbuf, sizeof nbuf, "%d", n2);
      tn = snprintf(tot, sizeof tot, "%d", t2);
      /* The counter stays in the text through BEFORE. */
      if (set_attr(r, fig, SCR_ATTR_N, nbuf, (size_t)nn) ||
          set_attr(r, fig, SCR_ATTR_TOTAL, tot, (size_t)tn) ||
          set_attr(r, fig, SCR_ATTR_MARKER, s + bs[i].text, ce - bs[i].text) ||
          layout(r, fig, bs[i].start, ce, SCR_ATTR_BEFORE))
        return -1;
    }
    if (plain(r, fig, ce ? ce : bs[i].text, bs[i].text_end)) return -1;
  }
  pg->i = i;
  return 0;
}

/* A dateline within the next few blocks: the blocks before it are the
 * lead, the captions follow it. */
static int read_lead_dateline(page *pg) {
  reader *r = pg->r;
  const char *s = r->s;
  blk *bs = pg->bs;
  size_t nb = pg->nb, i = pg->i;
  size_t dl = SIZE_MAX, dl_n = 0, comma = 0;
  char when[32];
  for (size_t k = i; k < nb && k < i + 5; k++) {
    if ((comma = inline_dateline(s, &bs[k], when))) {
      dl = k, dl_n = 1;
      pg->features[F_DATELINE_INLINE] = 1;
      break;
    }
    if (is_date_line(s, &bs[k], when) && k + 1 < nb && is_time(s, &bs[k + 1]) &&
        blank_lines_after(r, &bs[k]) == 1) {
      dl = k, dl_n = 2;
      /* A place on the next line, if it follows without a blank line. */
      if (blank_lines_after(r, &bs[k + 1]) == 1 && k + 2 < nb) {
        blk *pb = &bs[k + 2];
        uint32_t last = cp_before(s, pb->text, pb->text_end, NULL);
        label lb;
        if (pb->text_end - pb->text < 80 && last != '.' && last != ':' &&
            !label_parse(NULL, s, pb, &lb))
          dl_n = 3;
      }
      pg->features[F_DATELINE_LINES] = 1;
      break;
    }
  }
  if (dl == SIZE_MAX) return 0;
  for (; i < dl; i++) {
    scr_node *lead = block_node(r, pg->root, SCR_NODE_LEAD, &bs[i]);
    if (!lead || plain(r, lead, bs[i].text, bs[i].text_end)) return -1;
  }
  if (emit_dateline(r, pg->root, &bs[dl], dl_n, dl_n == 1, comma)) return -1;
  pg->i = dl + dl_n;
  return read_captions(pg);
}

/* The publisher, from the conventions seen and the footer. */
static void judge(page *pg) {
  reader *r = pg->r;
  const char *s = r->s;
  blk *last = &pg->bs[pg->nb - 1];
  if (find_bytes(s, r->len < 8192 ? r->len : 8192, "\xC2\xA0", 2))
    pg->features[F_NBSP] = 1;
  int footer_pub = -1;
  pg->has_footer = blk_is_footer(s, last) && pg->nb - 1 >= pg->i;
  if (pg->has_footer)
    for (size_t k = 0; k < sizeof footers / sizeof footers[0]; k++)
      if (find_bytes(s + last->text, last->text_end - last->text, footers[k].text,
                     strlen(footers[k].text))) {
        footer_pub = footers[k].publisher;
        break;
      }
  r->publisher = judge_publisher(pg->features, footer_pub);
}

/* A turn: the SPEAKER (the label, as one TEXT: the speech transform finds
 * the name in it) and the paragraph on the label's line, if any. */
static int read_turn(reader *r, scr_node *turn, const blk *b, const label *lb) {
  const char *s = r->s;
  size_t rest = lb->colon + 1;
  scr_node *sp = new_node(r, SCR_NODE_SPEAKER, b->text);
  if (!sp) return -1;
  scr_node_append(turn, sp);
  size_t ts = rest;
  int printed = 0; /* a no-break space or another that XML does not call space */
  while (ts < b->text_end) {
    size_t n;
    uint32_t c = cp_at(s, ts, b->text_end, &n);
    if (!cp_is_space(c)) break;
    printed |= c != ' ' && c != '\t';
    ts += n;
  }
  /* Spaces after the colon are layout; a run with a no-break space in it
   * is printed text of the label (TEI keeps it in <speaker>, not in fw). */
  if (printed) rest = ts;
  if (layout(r, sp, b->start, b->text, SCR_ATTR_BEFORE) || plain(r, sp, b->text, rest))
    return -1;
  if (ts >= b->text_end) return layout(r, sp, rest, b->end, SCR_ATTR_AFTER);
  if (layout(r, sp, rest, ts, SCR_ATTR_AFTER)) return -1;
  scr_node *para = new_node(r, SCR_NODE_PARAGRAPH, ts);
  if (!para) return -1;
  scr_node_append(turn, para);
  return layout(r, para, b->text_end, b->end, SCR_ATTR_AFTER) ||
                 plain(r, para, ts, b->text_end)
             ? -1
             : 0;
}

/* A line that ends the turn before it: an end mark ("END", "END 1:52 P.M.
 * EST"), a time stamp ("1:52 P.M. EST"), or a reporter's question in a
 * White House-style transcript ("Q Mr. President, …"): what follows is no
 * longer the speaker's. */
static int ends_turn(const char *s, const blk *b) {
  size_t a = b->text, e = b->text_end;
  if (e - a >= 3 && memcmp(s + a, "END", 3) == 0 &&
      (e - a == 3 || s[a + 3] == ' ' || s[a + 3] == '.'))
    return 1;
  if (e - a >= 3 && s[a] == 'Q' && (s[a + 1] == ' ' || s[a + 1] == '.') &&
      (cp_is_upper(cp_at(s, a + 2, e, NULL)) || (s[a + 1] == '.' && s[a + 2] == ' ')))
    return 1;
  /* "1:52 P.M. EST", "10:05 A.M." */
  size_t i = a;
  while (i < e && s[i] >= '0' && s[i] <= '9') i++;
  if (i == a || i - a > 2 || i + 3 >= e || s[i] != ':' || !(s[i + 1] >= '0' && s[i + 1] <= '9'))
    return 0;
  i += 3;
  return i + 5 <= e && s[i] == ' ' &&
         (memcmp(s + i + 1, "P.M.", 4) == 0 || memcmp(s + i + 1, "A.M.", 4) == 0 ||
          memcmp(s + i + 1, "p.m.", 4) == 0 || memcmp(s + i + 1, "a.m.", 4) == 0);
}

/* "(Laughter.)", "(Applause.)": a short line in parentheses is a stage
 * direction, not the speaker's words. */
static int is_stage(const char *s, const blk *b) {
  size_t a = b->text, e = b->text_end;
  if (e - a < 3 || e - a > 60 || s[a] != '(' || s[e - 1] != ')') return 0;
  for (size_t i = a + 1; i < e - 1; i++)
    if (s[i] == '(' || s[i] == ')' || s[i] == '"' || (unsigned char)s[i] == 0xE2) return 0;
  return cp_is_upper(cp_at(s, a + 1, e, NULL));
}

/* The body: sections, turns, omissions, paragraphs, and the footer. */
static int read_body(page *pg) {
  reader *r = pg->r;
  const char *s = r->s;
  blk *bs = pg->bs;
  size_t nb = pg->nb;
  int headings = pg->features[F_DATELINE_LINES] || pg->features[F_DATELINE_INLINE];
  scr_node *container = pg->root, *turn = NULL;
  int name_labels = 0;
  for (size_t k = pg->i; k < nb; k++) {
    label lb;
    if (label_parse(NULL, s, &bs[k], &lb) && lb.name_start < lb.core_end) name_labels++;
  }
  for (size_t i = pg->i; i < nb; i++) {
    blk *b = &bs[i];
    label lb;
    if (pg->has_footer && i == nb - 1) {
      scr_node *f = block_node(r, pg->root, SCR_NODE_FOOTER, b);
      if (!f || plain(r, f, b->text, b->text_end) ||
          scr_doc_set_meta(r->doc, SCR_META_FOOTER, s + b->text, b->text_end - b->text))
        return -1;
      continue;
    }
    int sep = blk_is_separator(s, b);
    if (sep || (headings && is_heading(r, bs, i, nb))) {
      turn = NULL;
      container = new_node(r, SCR_NODE_SECTION, b->text);
      if (!container) return -1;
      scr_node_append(pg->root, container);
      scr_node *h = block_node(r, container, sep ? SCR_NODE_SEPARATOR : SCR_NODE_HEADING, b);
      if (!h || plain(r, h, b->text, b->text_end)) return -1;
      continue;
    }
    if (blk_is_omission(s, b)) {
      scr_node *n = block_node(r, turn ? turn : container, SCR_NODE_NOTE, b);
      if (!n || set_attr(r, n, SCR_ATTR_KIND, "omission", 8) ||
          plain(r, n, b->text, b->text_end))
        return -1;
      continue;
    }
    /* One-word labels ("Question:") are turns only beside named ones. */
    if (label_parse(NULL, s, b, &lb) && (lb.name_start < lb.core_end || name_labels > 0)) {
      turn = new_node(r, SCR_NODE_TURN, b->text);
      if (!turn) return -1;
      scr_node_append(container, turn);
      if (read_turn(r, turn, b, &lb)) return -1;
      continue;
    }
    if (is_stage(s, b)) {
      scr_node *n = block_node(r, turn ? turn : container, SCR_NODE_NOTE, b);
      if (!n || set_attr(r, n, SCR_ATTR_KIND, "stage", 5) || plain(r, n, b->text, b->text_end))
        return -1;
      continue;
    }
    if (turn && ends_turn(s, b)) turn = NULL;
    scr_node *para = block_node(r, turn ? turn : container, SCR_NODE_PARAGRAPH, b);
    if (!para || plain(r, para, b->text, b->text_end)) return -1;
  }
  return 0;
}

/* Metadata: publisher, language, id (from the file name); a note when the
 * publisher is not recognised. */
static int set_metadata(page *pg, const scr_input *in) {
  reader *r = pg->r;
  scr_doc *doc = r->doc;
  if (r->publisher >= 0 &&
      scr_doc_set_meta(doc, SCR_META_PUBLISHER, publishers[r->publisher],
                       strlen(publishers[r->publisher])))
    return -1;
  if (scr_doc_set_meta(doc, SCR_META_LANGUAGE, "en", 2)) return -1;
  if (!scr_doc_meta(doc, SCR_META_ID).ptr && in->path && strcmp(in->path, "-") != 0) {
    const char *base = strrchr(in->path, '/');
    base = base ? base + 1 : in->path;
    const char *dot = strrchr(base, '.');
    size_t bl = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    if (scr_doc_set_meta(doc, SCR_META_ID, base, bl)) return -1;
  }
  static const char unknown[] = "publisher not recognised from the text's conventions";
  if (r->publisher < 0 && scr_doc_add_note(doc, unknown, sizeof unknown - 1)) return -1;
  return 0;
}

/* The structure of a transcript; the speech transform (speech.c) then
 * analyses its text. */
int text_read(scr_doc *doc, const scr_input *in, const scr_options *opts,
              scr_diag *diag) {
  (void)opts; /* the reader has no options (persons: the speech transform) */
  if (in->len == 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "empty", "the input is empty");
    return -1;
  }
  words_init_once();
  reader r = {.doc = doc, .diag = diag, .s = in->data, .len = in->len, .publisher = -1};
  page pg = {.r = &r, .root = scr_doc_root(doc)};
  r.lines = scr_linemap_new(r.s, r.len);
  if (!r.lines) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    return -1;
  }
  /* rc: 0 so far, 1 refused (reported), -1 out of memory */
  int rc = check_input(&r) ? 1 : split_lines(&pg);
  if (rc == 0 && (read_title(&pg) || read_media(&pg) || read_lead_dateline(&pg)))
    rc = -1;
  if (rc == 0) judge(&pg);
  if (rc == 0 && (read_body(&pg) || set_metadata(&pg, in) || r.oom)) rc = -1;
  if (rc < 0) scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
  VEC_FREE(pg.lines);
  scr_linemap_free(r.lines);
  return rc ? -1 : 0;
}
