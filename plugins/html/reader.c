/* reader.c - reads an HTML page into the tree.
 *
 * en.kremlin.ru event pages become the tree the text reader builds from
 * the same page rendered as text (docs/tree.md): TITLE (h1.entry-title),
 * LEADs (div.read__lead), DATELINE (div.read__meta: DATE from
 * time@datetime, TIME, PLACE), the article body (div.entry-content):
 * paragraphs, "* * *" SEPARATORs and h2-h6 HEADINGs opening SECTIONs,
 * paragraphs opening with a bold label ("<b>Vladimir Putin:</b> ...") as
 * TURNs with a SPEAKER, "<…>" as NOTE kind=omission, the photo slider as a
 * GALLERY of FIGUREs (captions), links to persons' pages as PERSON inlines.
 * What the tree has no place for (photo URLs, the persons' identifiers and
 * URLs on the site, tags, the canonical URL, the licence) becomes document
 * notes. Pages of other sites get a generic reading (h1, article, p,
 * blockquote, li, headings) and one warning.
 *
 * The text is not the HTML: each block's text is gathered from the
 * character data (entities decoded, runs of ASCII white space collapsed to
 * one space, trimmed) and copied into the document (scr_doc_strdup); TEXT
 * nodes point there. Blocks are separated by BEFORE "\n\n", so that the
 * diplomatic text edition is the page rendered as the kremlin text corpus
 * renders it. Positions are libxml2's line and column of the element.
 *
 * Parsing: libxml2's HTML parser in SAX mode (HTML_PARSE_NONET, no errors
 * printed), so no DOM is built and nothing here recurses: elements are
 * tracked on an explicit stack of at most MAX_STACK entries (deeper ones
 * are counted and read as plain containers). The input is given to libxml2
 * as UTF-8: a declared charset other than UTF-8 is converted with iconv,
 * invalid bytes become U+FFFD with one warning, a page without charset
 * that is not UTF-8 is read as windows-1252 with one warning; binary data
 * is refused with one error. */
#define _GNU_SOURCE /* memmem, strcasestr */
#include <errno.h>
#include <iconv.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"

#define MAX_STACK 4096
#define NOPOS ((scr_pos){0, 0, 0})

/* ---- libxml2 ------------------------------------------------------------- */

static void quiet_errors(void *user, xmlErrorPtr err) {
  (void)user;
  (void)err;
}

/* Called by every read, never at load: when the TEI plugin is loaded its
 * init has set libxml2's allocator and initialised it (xmlMemSetup must
 * come before libxml2's first allocation), and this is a no-op. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_libxml(void) { xmlInitParser(); }

int html_init(void) {
  pthread_once(&init_once, init_libxml);
  /* libxml2 keeps its error handlers per thread (the TEI plugin does the
   * same; see plugins/tei/writer.c tei_init). */
  if (!xmlIsMainThread()) {
    void *room = malloc(sizeof(xmlGlobalState));
    if (!room) return -1;
    free(room);
    if (!xmlGetGlobalState()) return -1;
  }
  if (xmlStructuredError != quiet_errors) xmlSetStructuredErrorFunc(NULL, quiet_errors);
  return 0;
}

/* ---- probe ------------------------------------------------------------------ */

static int starts_ci(const char *s, size_t len, const char *z) {
  size_t n = strlen(z);
  return len >= n && strncasecmp(s, z, n) == 0;
}

static const char *find_ci(const char *s, size_t len, const char *z) {
  size_t n = strlen(z);
  for (size_t i = 0; i + n <= len; i++)
    if (strncasecmp(s + i, z, n) == 0) return s + i;
  return NULL;
}

/* Whether `z` occurs inside a tag of `data` (between a '<' and its '>'),
 * not in its text: a page that only mentions a site's markers in its words
 * is not that site's page. */
static int in_markup(const char *data, size_t len, const char *z) {
  size_t n = strlen(z);
  const char *floor = data; /* where the last match was, in text */
  for (const char *p = data, *end = data + len; (p = memmem(p, (size_t)(end - p), z, n)); p += n) {
    const char *q = p;
    while (q > floor && q[-1] != '<' && q[-1] != '>') q--;
    if (q > floor && q[-1] == '<') return 1;
    floor = p; /* in text here, so is a later match with no delimiter between */
  }
  return 0;
}

int html_probe(const char *data, size_t len) {
  size_t i = 0;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
  for (;;) {
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                       data[i] == '\n' || data[i] == '\f'))
      i++;
    if (len - i >= 4 && memcmp(data + i, "<!--", 4) == 0) {
      const char *e = memmem(data + i + 4, len - i - 4, "-->", 3);
      if (!e) break;
      i = (size_t)(e - data) + 3;
      continue;
    }
    break;
  }
  const char *s = data + i;
  size_t n = len - i;
  /* Every claim below needs markup first: a text transcript is not searched
   * through (that search was 11% of converting the corpus from text). */
  if (!n || s[0] != '<') return 0;
  if (find_ci(data, len, "<TEI") || find_ci(data, len, "tei-c.org/ns")) return 0;
  if (starts_ci(s, n, "<!doctype html")) return 95;
  if (starts_ci(s, n, "<html")) return 90;
  if (starts_ci(s, n, "<?xml") && find_ci(s, n, "<html") &&
      find_ci(s, n, "http://www.w3.org/1999/xhtml"))
    return 80;
  if (find_ci(s, n, "<head") || find_ci(s, n, "<body"))
    return 50;
  return 0;
}

/* ---- the reader's state ------------------------------------------------------ */

enum mode {
  M_NONE = 0, /* outside everything read: ignored (metadata still caught) */
  M_SKIP,     /* a subtree that is ignored entirely */
  M_TITLE,    /* h1.entry-title / generic first h1 */
  M_LEAD,     /* div.read__lead */
  M_META,     /* div.read__meta */
  M_BODY,     /* div.entry-content / generic content */
  M_TAGS,     /* div.read__tags */
  M_LICENCE,  /* div.footer__license */
  M_SLIDER,   /* div.slider */
  M_MEDIA     /* div.media: one photo */
};

typedef struct span {
  size_t start, end; /* in the block's text; start SIZE_MAX: not begun */
  scr_node_type type;
  char *value; /* malloc'd: who / when / key */
  int open;
  size_t site; /* a PERSON linked to a site person: its index, else SIZE_MAX */
} span;

typedef struct block {
  int active, implicit;
  scr_node_type type;
  size_t depth; /* stack depth of the element that opened it */
  scr_pos pos;
  scr_buf text;
  int pend; /* pending white space: 0 none, 1 space, 2 line end */
  span *spans;
  size_t nspans, capspans;
  int bold_first;      /* the first character was in <b>/<strong> */
  size_t bold_end;     /* where the first bold run ended */
  int bold_done;
} block;

typedef struct elt {
  const xmlChar *name;
  unsigned char mode; /* the mode to restore when it ends */
  unsigned char bold;
  unsigned char what; /* W_* */
  long span;          /* index of the span it opened, -1 */
} elt;

enum { W_NONE = 0, W_TAGCAT, W_TAGLINK, W_LICLINK, W_PTAG, W_META_PART, W_HTITLE };

typedef struct site_person {
  char *site_id, *url, *tag_name, *body_name;
} site_person;

typedef struct plink {
  scr_node *node;
  size_t site;
} plink;

typedef struct rd {
  scr_doc *doc;
  scr_diag *diag;
  htmlParserCtxtPtr ctxt;
  int kremlin, generic_article, photos;
  int failed;
  elt *st;
  size_t n, cap, overflow;
  int warned_depth; /* the depth limit was reported */
  enum mode mode;
  int bold; /* inside b/strong */
  block b;
  scr_node *last_leaf; /* the leaf block placed last: the next one gives it
                        * the blank line as AFTER, as the text reader does */
  scr_node *section, *turn;
  scr_node *gallery;
  size_t nfig;
  int have_title, have_h1;
  /* small collections */
  scr_buf head_title, collect;
  int in_head_title, collecting, cpend;
  char *tag_cat;
  char *link_href;
  char *og_url, *canonical, *licence_url, *licence_name, *lang;
  site_person *persons;
  size_t npersons, cappersons;
  char *fig_url, *fig_caption;
  scr_pos fig_pos;
  int in_slide;
  size_t slide_depth;
  size_t ptag_person; /* the site person of the open person link */
  plink *plinks;      /* PERSON nodes of links, given their who at the end */
  size_t nplinks, capplinks;
} rd;

static void oom(rd *r) {
  if (!r->failed)
    scr_diag_report(r->diag, SCR_ERROR, NOPOS, "oom", "out of memory");
  r->failed = 1;
  if (r->ctxt) xmlStopParser(r->ctxt);
}

static scr_pos here(rd *r) {
  if (!r->ctxt || !r->ctxt->input) return NOPOS;
  xmlParserInputPtr in = r->ctxt->input;
  int line = in->line, col = in->col;
  uint64_t off = (uint64_t)(in->cur - in->base) + (uint64_t)in->consumed;
  return (scr_pos){line > 0 ? (uint32_t)line : 0, col > 0 ? (uint32_t)col : 0, off};
}

static char *dupz(const char *s, size_t n) {
  char *p = malloc(n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

static const char *attr_of(const xmlChar **atts, const char *name) {
  if (!atts) return NULL;
  for (size_t i = 0; atts[i]; i += 2)
    if (strcasecmp((const char *)atts[i], name) == 0)
      return atts[i + 1] ? (const char *)atts[i + 1] : "";
  return NULL;
}

/* Whether the class attribute holds `cls` as one of its words. */
static int has_class(const xmlChar **atts, const char *cls) {
  const char *c = attr_of(atts, "class");
  if (!c) return 0;
  size_t n = strlen(cls);
  for (const char *p = c; (p = strstr(p, cls)); p += n) {
    int start = p == c || p[-1] == ' ' || p[-1] == '\t';
    int end = p[n] == 0 || p[n] == ' ' || p[n] == '\t';
    if (start && end) return 1;
  }
  return 0;
}

static int is(const xmlChar *name, const char *z) {
  return strcasecmp((const char *)name, z) == 0;
}

static int is_heading(const xmlChar *name) {
  return (name[0] == 'h' || name[0] == 'H') && name[1] >= '1' && name[1] <= '6' && !name[2];
}

static int is_ws(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* ---- text collection ------------------------------------------------------- */

static void put_text(rd *r, scr_buf *out, int *pend, const char *s, size_t len,
                     block *b) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (is_ws(c)) {
      if (!*pend) *pend = 1;
      continue;
    }
    size_t j = i;
    while (j < len && !is_ws((unsigned char)s[j])) j++;
    if (*pend && out->len) {
      if (scr_buf_putc(out, *pend == 2 ? '\n' : ' ')) { oom(r); return; }
    }
    *pend = 0;
    if (b) {
      for (size_t k = 0; k < b->nspans; k++)
        if (b->spans[k].open && b->spans[k].start == SIZE_MAX) b->spans[k].start = out->len;
      if (!b->bold_done && !out->len) b->bold_first = r->bold;
      if (!b->bold_done && !r->bold) {
        b->bold_done = 1;
        if (b->bold_first && b->bold_end == SIZE_MAX) b->bold_end = out->len;
      }
    }
    if (scr_buf_put(out, s + i, j - i)) { oom(r); return; }
    i = j - 1;
  }
}

static void block_reset(block *b) {
  for (size_t i = 0; i < b->nspans; i++) free(b->spans[i].value);
  b->nspans = 0;
  scr_buf_clear(&b->text);
  b->active = 0;
  b->pend = 0;
  b->bold_first = 0;
  b->bold_done = 0;
  b->bold_end = SIZE_MAX;
}

static long span_open(rd *r, scr_node_type type, const char *value, size_t vlen) {
  block *b = &r->b;
  if (!b->active) return -1;
  if (b->nspans == b->capspans) {
    size_t nc = b->capspans ? b->capspans * 2 : 8;
    span *ns = realloc(b->spans, nc * sizeof *ns);
    if (!ns) return oom(r), -1;
    b->spans = ns, b->capspans = nc;
  }
  span *s = &b->spans[b->nspans];
  s->start = SIZE_MAX;
  s->end = SIZE_MAX;
  s->type = type;
  s->open = 1;
  s->site = SIZE_MAX;
  s->value = value ? dupz(value, vlen) : NULL;
  if (value && !s->value) return oom(r), -1;
  return (long)b->nspans++;
}

static void span_close(rd *r, long i) {
  if (i < 0 || (size_t)i >= r->b.nspans) return;
  span *s = &r->b.spans[i];
  s->open = 0;
  s->end = r->b.text.len;
}

/* ---- placing blocks ---------------------------------------------------------- */

static scr_node *new_node(rd *r, scr_node_type t, scr_pos pos) {
  scr_node *n = scr_node_new(r->doc, t, pos);
  if (!n) oom(r);
  return n;
}

static void set_attr(rd *r, scr_node *n, scr_attr k, const char *v, size_t len) {
  if (n && scr_node_set_attr(r->doc, n, k, v, len)) oom(r);
}

/* Appends TEXT for text[from, to) of the arena copy `t`, and the spans
 * within it as inline nodes (spans do not overlap: the inner is dropped). */
static void add_inlines(rd *r, scr_node *parent, const char *t, size_t from,
                        size_t to, block *b, scr_pos pos) {
  size_t at = from;
  for (size_t k = 0; k < b->nspans && !r->failed; k++) {
    span *s = &b->spans[k];
    size_t e = s->end == SIZE_MAX ? to : s->end;
    if (s->start == SIZE_MAX || s->start < at || s->start >= to || e <= s->start) continue;
    if (e > to) e = to;
    if (s->start > at) {
      scr_node *tx = scr_node_new_text(r->doc, t + at, s->start - at, pos);
      if (!tx) { oom(r); return; }
      scr_node_append(parent, tx);
    }
    scr_node *in = new_node(r, s->type, pos);
    if (!in) return;
    if (s->value) {
      scr_attr a = s->type == SCR_NODE_PERSON ? SCR_ATTR_WHO
                   : s->type == SCR_NODE_PLACE ? SCR_ATTR_KEY
                                               : SCR_ATTR_WHEN;
      set_attr(r, in, a, s->value, strlen(s->value));
    }
    scr_node *tx = scr_node_new_text(r->doc, t + s->start, e - s->start, pos);
    if (!tx) { oom(r); return; }
    scr_node_append(in, tx);
    if (s->site != SIZE_MAX) {
      if (r->nplinks == r->capplinks) {
        size_t nc = r->capplinks ? r->capplinks * 2 : 16;
        plink *np = realloc(r->plinks, nc * sizeof *np);
        if (!np) { oom(r); return; }
        r->plinks = np, r->capplinks = nc;
      }
      r->plinks[r->nplinks++] = (plink){in, s->site};
    }
    scr_node_append(parent, in);
    at = e;
  }
  if (to > at) {
    scr_node *tx = scr_node_new_text(r->doc, t + at, to - at, pos);
    if (!tx) { oom(r); return; }
    scr_node_append(parent, tx);
  }
}

static scr_node *container(rd *r) {
  return r->section ? r->section : scr_doc_root(r->doc);
}

static void leaf_layout(rd *r, scr_node *n) {
  scr_node *prev = r->last_leaf;
  r->last_leaf = n;
  if (!prev) return;
  scr_str a = scr_node_attr(prev, SCR_ATTR_AFTER);
  if (!a.len) {
    set_attr(r, prev, SCR_ATTR_AFTER, "\n\n", 2);
    return;
  }
  scr_buf both = {0}; /* a speaker's spaces, then the blank line */
  if (scr_buf_put(&both, a.ptr, a.len) || scr_buf_put(&both, "\n\n", 2)) oom(r);
  else set_attr(r, prev, SCR_ATTR_AFTER, both.data, both.len);
  scr_buf_free(&both);
}

/* An id for a person's name, as the text reader derives it. */
static int person_id(const char *name, size_t len, scr_buf *out) {
  scr_buf_clear(out);
  return scr_person_name_id(name, len, out);
}

static int upper_word(const char *w, size_t n) {
  if (!n) return 0;
  unsigned char c = (unsigned char)w[0];
  return (c >= 'A' && c <= 'Z') || c >= 0xC0;
}

/* The name in a speaker label: its last two capitalised words ("President
 * of Russia Vladimir Putin" -> "Vladimir Putin"), before "(retranslated)".
 * Sets [*ns, *ne) in label[0, len); 0 when there is none (one word:
 * "Question"). */
static int label_name(const char *label, size_t len, size_t *ns, size_t *ne) {
  const char *paren = memchr(label, '(', len);
  size_t end = paren ? (size_t)(paren - label) : len;
  while (end && (label[end - 1] == ' ' || label[end - 1] == ':')) end--;
  /* the last two words */
  size_t w2s = end;
  while (w2s && label[w2s - 1] != ' ') w2s--;
  if (!w2s) return 0;
  size_t w1e = w2s - 1;
  while (w1e && label[w1e - 1] == ' ') w1e--;
  size_t w1s = w1e;
  while (w1s && label[w1s - 1] != ' ') w1s--;
  if (w1e == w1s) return 0;
  if (!upper_word(label + w1s, w1e - w1s) || !upper_word(label + w2s, end - w2s)) return 0;
  for (size_t i = w1s; i < end; i++)
    if (label[i] == ',' || label[i] == ';' || label[i] == '.') {
      if (!(label[i] == '.' && i + 1 < end && label[i + 1] == ' ' && i > w1s)) return 0;
    }
  *ns = w1s, *ne = end;
  return 1;
}

/* Where the speaker label of a paragraph ends (after its colon), or 0.
 * The paragraph must open in bold and the colon lie in the bold run or at
 * most 20 bytes after it ("<b>X </b>(<i>retranslated</i>):"). */
static size_t label_end(const block *b) {
  if (!b->bold_first || b->type != SCR_NODE_PARAGRAPH) return 0;
  size_t be = b->bold_end == SIZE_MAX ? b->text.len : b->bold_end;
  const char *t = b->text.data;
  size_t len = b->text.len;
  size_t lim = be < 200 ? be : 200;
  size_t colon = 0;
  for (size_t i = 0; i < lim; i++) {
    if (t[i] == ':') {
      colon = i + 1;
      break;
    }
    if (t[i] == '(') { /* "Vladimir Putin (responding to ...):" */
      const char *close = memchr(t + i, ')', len - i < 160 ? len - i : 160);
      if (!close) break;
      i = (size_t)(close - t);
      if (i >= lim) lim = i + 1 < len ? i + 2 : len;
      continue;
    }
    if (t[i] == '.' || t[i] == '?' || t[i] == '!') break;
  }
  if (!colon) {
    /* after the bold run: white space, or one parenthesis ("(retranslated)",
     * "(responding to remarks by ...)"), then the colon */
    size_t i = be;
    for (;;) {
      if (i < len && t[i] == ' ') i++;
      else if (i + 1 < len && (unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] == 0xA0) i += 2;
      else break;
    }
    if (i < len && t[i] == '(') {
      const char *close = memchr(t + i, ')', len - i < 160 ? len - i : 160);
      if (!close) return 0;
      i = (size_t)(close - t) + 1;
      while (i < len && t[i] == ' ') i++;
    }
    if (i >= len || t[i] != ':') return 0;
    colon = i + 1;
  }
  if (colon < 2) return 0;
  /* a colon before digits (a time, "17:00") is not a label's */
  if (colon < len && t[colon] >= '0' && t[colon] <= '9') return 0;
  /* the label ends in a capitalised word (a name, "Question"), not in
   * "Contact telephone numbers:"; at most 20 words */
  size_t end = colon - 1;
  const char *paren = memchr(t, '(', end);
  if (paren) end = (size_t)(paren - t);
  while (end && (t[end - 1] == ' ' || t[end - 1] == ':')) end--;
  size_t ws = end;
  while (ws && t[ws - 1] != ' ' && !(ws >= 2 && (unsigned char)t[ws - 2] == 0xC2 &&
                                     (unsigned char)t[ws - 1] == 0xA0))
    ws--;
  if (!upper_word(t + ws, end - ws)) return 0;
  size_t words = 1;
  for (size_t i = 0; i < end; i++)
    if (t[i] == ' ') words++;
  if (words > 20) return 0;
  return colon;
}

static void close_turn(rd *r) { r->turn = NULL; }

static void open_section(rd *r, scr_pos pos) {
  close_turn(r);
  r->section = new_node(r, SCR_NODE_SECTION, pos);
  if (r->section) scr_node_append(scr_doc_root(r->doc), r->section);
}

static int is_separator(const char *t, size_t len) {
  if (!len) return 0;
  int stars = 0;
  for (size_t i = 0; i < len; i++) {
    if (t[i] == '*') stars++;
    else if (t[i] != ' ') return 0;
  }
  return stars >= 3;
}

static void set_meta(rd *r, scr_meta k, const char *v, size_t len) {
  if (scr_doc_set_meta(r->doc, k, v, len)) oom(r);
}

/* Ends the block being gathered and puts it into the tree. */
static void block_end(rd *r) {
  block *b = &r->b;
  if (!b->active) return;
  /* a block of no-break spaces only (<p>&nbsp;</p>) is a blank line */
  int blank = 1;
  for (size_t i = 0; i < b->text.len && blank; i++) {
    unsigned char c = (unsigned char)b->text.data[i];
    if (c == ' ') continue;
    if (c == 0xC2 && i + 1 < b->text.len && (unsigned char)b->text.data[i + 1] == 0xA0) {
      i++;
      continue;
    }
    blank = 0;
  }
  if (r->failed || blank) {
    block_reset(b);
    return;
  }
  scr_str t = scr_doc_strdup(r->doc, b->text.data, b->text.len);
  if (!t.ptr) {
    oom(r);
    block_reset(b);
    return;
  }
  scr_node *n = NULL;
  switch (b->type) {
  case SCR_NODE_TITLE:
  case SCR_NODE_LEAD:
  case SCR_NODE_DATELINE:
    close_turn(r);
    n = new_node(r, b->type, b->pos);
    if (!n) break;
    leaf_layout(r, n);
    add_inlines(r, n, t.ptr, 0, t.len, b, b->pos);
    scr_node_append(scr_doc_root(r->doc), n);
    if (b->type == SCR_NODE_TITLE && !r->have_title) {
      r->have_title = 1;
      set_meta(r, SCR_META_TITLE, t.ptr, t.len);
    }
    break;
  case SCR_NODE_HEADING:
    open_section(r, b->pos);
    n = new_node(r, SCR_NODE_HEADING, b->pos);
    if (!n || !r->section) break;
    leaf_layout(r, n);
    add_inlines(r, n, t.ptr, 0, t.len, b, b->pos);
    scr_node_append(r->section, n);
    break;
  case SCR_NODE_PARAGRAPH: {
    if (is_separator(t.ptr, t.len)) {
      open_section(r, b->pos);
      n = new_node(r, SCR_NODE_SEPARATOR, b->pos);
      if (!n || !r->section) break;
      leaf_layout(r, n);
      add_inlines(r, n, t.ptr, 0, t.len, b, b->pos);
      scr_node_append(r->section, n);
      break;
    }
    if (t.len >= 5 && memcmp(t.ptr, "<", 1) == 0 && t.ptr[t.len - 1] == '>' &&
        t.len <= 16 && (strstr(t.ptr, "\xE2\x80\xA6") || strstr(t.ptr, "..."))) {
      n = new_node(r, SCR_NODE_NOTE, b->pos);
      if (!n) break;
      set_attr(r, n, SCR_ATTR_KIND, "omission", 8);
      leaf_layout(r, n);
      add_inlines(r, n, t.ptr, 0, t.len, b, b->pos);
      scr_node_append(r->turn ? r->turn : container(r), n);
      break;
    }
    size_t le = r->kremlin ? label_end(b) : 0;
    if (le) {
      close_turn(r);
      scr_node *turn = new_node(r, SCR_NODE_TURN, b->pos);
      scr_node *sp = new_node(r, SCR_NODE_SPEAKER, b->pos);
      if (!turn || !sp) break;
      scr_node_append(container(r), turn);
      scr_node_append(turn, sp);
      r->turn = turn;
      leaf_layout(r, sp);
      size_t ns, ne;
      scr_buf id = {0};
      if (label_name(t.ptr, le, &ns, &ne)) {
        if (person_id(t.ptr + ns, ne - ns, &id)) {
          oom(r);
          break;
        }
        scr_person *p = scr_doc_person(r->doc, id.data, id.len);
        if (!p || scr_person_add_name(r->doc, p, t.ptr + ns, ne - ns)) {
          scr_buf_free(&id);
          oom(r);
          break;
        }
        /* the office before the name, as the text reader records it */
        size_t re = ns;
        while (re && t.ptr[re - 1] == ' ') re--;
        if (re && scr_person_add_role(r->doc, p, t.ptr, re)) oom(r);
        set_attr(r, turn, SCR_ATTR_WHO, id.data, id.len);
        set_attr(r, sp, SCR_ATTR_WHO, id.data, id.len);
        if (ns) {
          scr_node *tx = scr_node_new_text(r->doc, t.ptr, ns, b->pos);
          if (!tx) oom(r);
          else scr_node_append(sp, tx);
        }
        scr_node *pn = new_node(r, SCR_NODE_PERSON, b->pos);
        scr_node *tx = scr_node_new_text(r->doc, t.ptr + ns, ne - ns, b->pos);
        scr_node *rest = scr_node_new_text(r->doc, t.ptr + ne, le - ne, b->pos);
        if (!pn || !tx || !rest) {
          scr_buf_free(&id);
          oom(r);
          break;
        }
        set_attr(r, pn, SCR_ATTR_WHO, id.data, id.len);
        scr_node_append(pn, tx);
        scr_node_append(sp, pn);
        scr_node_append(sp, rest);
      } else {
        scr_node *tx = scr_node_new_text(r->doc, t.ptr, le, b->pos);
        if (!tx) oom(r);
        else scr_node_append(sp, tx);
      }
      scr_buf_free(&id);
      size_t rs = le;
      while (rs < t.len && t.ptr[rs] == ' ') rs++;
      if (rs > le) set_attr(r, sp, SCR_ATTR_AFTER, t.ptr + le, rs - le);
      if (rs < t.len) {
        scr_node *p = new_node(r, SCR_NODE_PARAGRAPH, b->pos);
        if (!p) break;
        add_inlines(r, p, t.ptr, rs, t.len, b, b->pos);
        scr_node_append(turn, p);
        r->last_leaf = p;
      }
      break;
    }
    n = new_node(r, SCR_NODE_PARAGRAPH, b->pos);
    if (!n) break;
    leaf_layout(r, n);
    add_inlines(r, n, t.ptr, 0, t.len, b, b->pos);
    scr_node_append(r->turn ? r->turn : container(r), n);
    break;
  }
  default:
    break;
  }
  block_reset(b);
}

static void block_begin(rd *r, scr_node_type type, int implicit) {
  block_end(r);
  block *b = &r->b;
  b->active = 1;
  b->implicit = implicit;
  b->type = type;
  b->depth = r->n;
  b->pos = here(r);
  b->bold_end = SIZE_MAX;
}

/* ---- figures ------------------------------------------------------------------ */

static void figure_end(rd *r) {
  if (!r->photos || (!r->fig_caption && !r->fig_url)) goto done;
  if (!r->gallery) {
    r->gallery = new_node(r, SCR_NODE_GALLERY, r->fig_pos);
    if (!r->gallery) goto done;
    scr_node_append(container(r), r->gallery);
    r->nfig = 0;
  }
  scr_node *f = new_node(r, SCR_NODE_FIGURE, r->fig_pos);
  if (!f) goto done;
  r->nfig++;
  char num[32];
  int nl = snprintf(num, sizeof num, "%zu", r->nfig);
  set_attr(r, f, SCR_ATTR_N, num, (size_t)nl);
  leaf_layout(r, f);
  if (r->fig_caption) {
    scr_buf c = {0};
    int pend = 0;
    put_text(r, &c, &pend, r->fig_caption, strlen(r->fig_caption), NULL);
    if (c.len) {
      scr_str t = scr_doc_strdup(r->doc, c.data, c.len);
      scr_node *tx = t.ptr ? scr_node_new_text(r->doc, t.ptr, t.len, r->fig_pos) : NULL;
      if (!tx) oom(r);
      else scr_node_append(f, tx);
    }
    scr_buf_free(&c);
  }
  scr_node_append(r->gallery, f);
  if (r->fig_url) set_attr(r, f, SCR_ATTR_URL, r->fig_url, strlen(r->fig_url));
done:
  free(r->fig_url);
  free(r->fig_caption);
  r->fig_url = r->fig_caption = NULL;
}

static void gallery_end(rd *r) {
  if (r->gallery && r->nfig) {
    char num[32];
    int nl = snprintf(num, sizeof num, "%zu", r->nfig);
    set_attr(r, r->gallery, SCR_ATTR_TOTAL, num, (size_t)nl);
    for (scr_node *f = scr_node_first_child(r->gallery); f; f = scr_node_next(f))
      set_attr(r, f, SCR_ATTR_TOTAL, num, (size_t)nl);
  }
  r->gallery = NULL;
}

/* ---- site persons ----------------------------------------------------------- */

/* The site's person id in an href ".../catalog/persons/240/events". */
static const char *site_person_id(const char *href, size_t *len) {
  const char *p = href ? strstr(href, "/catalog/persons/") : NULL;
  if (!p) return NULL;
  p += strlen("/catalog/persons/");
  size_t n = 0;
  while (p[n] >= '0' && p[n] <= '9') n++;
  *len = n;
  return n ? p : NULL;
}

static size_t site_person_of(rd *r, const char *href) {
  size_t n;
  const char *id = site_person_id(href, &n);
  if (!id) return SIZE_MAX;
  for (size_t i = 0; i < r->npersons; i++)
    if (strlen(r->persons[i].site_id) == n && memcmp(r->persons[i].site_id, id, n) == 0)
      return i;
  if (r->npersons == r->cappersons) {
    size_t nc = r->cappersons ? r->cappersons * 2 : 8;
    site_person *np = realloc(r->persons, nc * sizeof *np);
    if (!np) return oom(r), SIZE_MAX;
    r->persons = np, r->cappersons = nc;
  }
  site_person *p = &r->persons[r->npersons];
  memset(p, 0, sizeof *p);
  p->site_id = dupz(id, n);
  /* the URL of the person's page, without the "/events" wget kept */
  const char *u = strstr(href, "://");
  scr_buf url = {0};
  if (scr_buf_puts(&url, u && strncmp(href, "http", 4) == 0 ? href : "http://en.kremlin.ru"))
    oom(r);
  if (!(u && strncmp(href, "http", 4) == 0)) {
    scr_buf_clear(&url);
    if (scr_buf_printf(&url, "http://en.kremlin.ru/catalog/persons/%s", p->site_id)) oom(r);
  } else {
    char *ev = strstr(url.data, "/events");
    if (ev) *ev = 0, url.len = (size_t)(ev - url.data);
  }
  p->url = url.data ? url.data : dupz("", 0);
  if (!p->site_id || !p->url) return oom(r), SIZE_MAX;
  return r->npersons++;
}

/* ---- SAX callbacks -------------------------------------------------------- */

static int skipped_element(const xmlChar *name) {
  static const char *const skip[] = {"script", "style", "noscript", "template",
                                     "svg", "iframe", "select", "button",
                                     "textarea", "object", "video", "audio",
                                     "canvas", "form", NULL};
  for (size_t i = 0; skip[i]; i++)
    if (is(name, skip[i])) return 1;
  return 0;
}

static int block_element(const xmlChar *name) {
  static const char *const blocks[] = {"p", "div", "blockquote", "li", "ul", "ol",
                                       "table", "tr", "td", "th", "dd", "dt", "dl",
                                       "pre", "figure", "figcaption", "section",
                                       "article", "header", "footer", "hr",
                                       "address", NULL};
  if (is_heading(name)) return 1;
  for (size_t i = 0; blocks[i]; i++)
    if (is(name, blocks[i])) return 1;
  return 0;
}

/* The mode an element of the kremlin page switches to, or -1 (inherit). */
static int kremlin_mode(rd *r, const xmlChar *name, const xmlChar **atts) {
  if (skipped_element(name)) return M_SKIP;
  if (is(name, "h1") && has_class(atts, "entry-title") && !r->have_h1) return M_TITLE;
  if (is(name, "div")) {
    if (has_class(atts, "read__lead")) return M_LEAD;
    if (has_class(atts, "read__meta")) return M_META;
    if (has_class(atts, "entry-content")) return M_BODY;
    if (has_class(atts, "read__tags")) return M_TAGS;
    if (has_class(atts, "footer__license")) return M_LICENCE;
    if (r->mode == M_BODY) {
      if (has_class(atts, "read__bottommeta")) return M_NONE;
      if (has_class(atts, "read__status") ||
          has_class(atts, "read__cut") || has_class(atts, "cut"))
        return M_SKIP;
      if (has_class(atts, "slider")) return M_SLIDER;
      if (has_class(atts, "media") || has_class(atts, "media__container")) return M_MEDIA;
    }
  }
  if (is(name, "span") && has_class(atts, "read__tooltip")) return M_SKIP;
  return -1;
}

static int generic_mode(rd *r, const xmlChar *name, const xmlChar **atts) {
  (void)atts;
  if (skipped_element(name)) return M_SKIP;
  if (is(name, "nav") || is(name, "aside") || is(name, "header") || is(name, "footer") ||
      is(name, "menu"))
    return r->mode == M_BODY && r->generic_article ? -1 : M_SKIP;
  if (r->generic_article) {
    if (is(name, "article")) return M_BODY;
  } else if (is(name, "body")) {
    return M_BODY;
  }
  return -1;
}

static void push(rd *r, const xmlChar *name, elt **out) {
  *out = NULL;
  if (r->n >= MAX_STACK) {
    r->overflow++;
    return;
  }
  if (r->n == r->cap) {
    size_t nc = r->cap ? r->cap * 2 : 64;
    elt *ns = realloc(r->st, nc * sizeof *ns);
    if (!ns) { oom(r); return; }
    r->st = ns, r->cap = nc;
  }
  elt *e = &r->st[r->n++];
  e->name = name;
  e->mode = (unsigned char)r->mode;
  e->bold = (unsigned char)r->bold;
  e->what = W_NONE;
  e->span = -1;
  *out = e;
}

static void on_start(void *user, const xmlChar *name, const xmlChar **atts) {
  rd *r = user;
  if (r->failed) return;
  if (r->n >= MAX_STACK) {
    if (!r->overflow && !r->warned_depth) {
      r->warned_depth = 1;
      scr_diag_report(r->diag, SCR_WARNING, here(r), "too-deep",
                      "elements nest deeper than %d here: the deeper ones are read as "
                      "text of the element that holds them (their text is kept)",
                      MAX_STACK);
    }
    r->overflow++;
    return;
  }
  /* metadata in the head and anywhere */
  if (is(name, "html")) {
    const char *lang = attr_of(atts, "lang");
    if (lang && *lang && !r->lang) r->lang = strdup(lang);
  } else if (is(name, "meta")) {
    const char *prop = attr_of(atts, "property");
    const char *content = attr_of(atts, "content");
    if (prop && content && strcmp(prop, "og:url") == 0 && !r->og_url)
      r->og_url = strdup(content);
  } else if (is(name, "link")) {
    const char *rel = attr_of(atts, "rel");
    const char *href = attr_of(atts, "href");
    if (rel && href && strcasecmp(rel, "canonical") == 0 && !r->canonical)
      r->canonical = strdup(href);
  } else if (is(name, "title") && r->mode == M_NONE && !r->head_title.len) {
    r->in_head_title = 1;
  }
  if (r->mode == M_SKIP) {
    elt *e;
    push(r, name, &e);
    return;
  }
  int m = r->kremlin ? kremlin_mode(r, name, atts) : generic_mode(r, name, atts);
  if (m == M_SLIDER && !r->photos) m = M_SKIP;
  if (m == M_MEDIA && !r->photos) m = M_SKIP;
  elt *e;
  /* a block element ends an implicit block (text straight in a div) */
  if (r->b.active && r->b.implicit && block_element(name)) block_end(r);
  push(r, name, &e);
  if (!e) return;
  if (is(name, "br")) { /* a line break is white space */
    if (r->b.active && !r->b.pend) r->b.pend = 1;
    if (r->collecting && !r->cpend) r->cpend = 1;
    return;
  }
  if (m >= 0) r->mode = (enum mode)m;
  switch (r->mode) {
  case M_TITLE:
    if (m == M_TITLE) {
      r->have_h1 = 1;
      block_begin(r, SCR_NODE_TITLE, 0);
    }
    break;
  case M_LEAD:
    if (is(name, "p") || (m == M_LEAD))
      block_begin(r, SCR_NODE_LEAD, m == M_LEAD);
    break;
  case M_META:
    if (m == M_META) {
      block_begin(r, SCR_NODE_DATELINE, 0);
    } else if (r->b.active && r->b.type == SCR_NODE_DATELINE) {
      if (is(name, "time") && has_class(atts, "read__published")) {
        const char *dt = attr_of(atts, "datetime");
        if (r->b.text.len) r->b.pend = 2;
        e->span = span_open(r, SCR_NODE_DATE, dt, dt ? strlen(dt) : 0);
        e->what = W_META_PART;
        if (dt && *dt) set_meta(r, SCR_META_DATE, dt, strlen(dt));
      } else if (is(name, "div") && has_class(atts, "read__time")) {
        if (r->b.text.len) r->b.pend = 2;
        e->span = span_open(r, SCR_NODE_TIME, NULL, 0);
        e->what = W_META_PART;
      } else if (is(name, "div") && has_class(atts, "read__place")) {
        if (r->b.text.len) r->b.pend = 2;
        e->span = span_open(r, SCR_NODE_PLACE, NULL, 0);
        e->what = W_META_PART;
      }
    }
    break;
  case M_BODY:
    if (r->kremlin && is(name, "a") && has_class(atts, "person_tag")) {
      size_t sp = site_person_of(r, attr_of(atts, "href"));
      if (sp != SIZE_MAX && r->b.active) {
        e->what = W_PTAG;
        e->span = span_open(r, SCR_NODE_PERSON, NULL, 0);
        r->ptag_person = sp;
      }
    } else if (is(name, "b") || is(name, "strong")) {
      r->bold = 1;
    } else if (is_heading(name)) {
      if (!r->kremlin && is(name, "h1") && !r->have_h1) {
        r->have_h1 = 1;
        block_begin(r, SCR_NODE_TITLE, 0);
      } else {
        block_begin(r, SCR_NODE_HEADING, 0);
      }
    } else if (is(name, "p") || is(name, "li") || is(name, "dd") || is(name, "dt") ||
               is(name, "pre") || is(name, "td") || is(name, "th") ||
               is(name, "figcaption")) {
      block_begin(r, SCR_NODE_PARAGRAPH, 0);
    }
    break;
  case M_SLIDER:
    if (is(name, "div") && (has_class(atts, "slide") || has_class(atts, "starting-slide"))) {
      figure_end(r);
      r->in_slide = 1;
      r->slide_depth = r->n;
      r->fig_pos = here(r);
      const char *d = attr_of(atts, "data-cycle-desc");
      if (d) r->fig_caption = strdup(d);
    } else if (is(name, "img") && r->in_slide && !r->fig_url) {
      const char *src = attr_of(atts, "src");
      if (src) r->fig_url = strdup(src);
      if (!r->fig_caption) {
        const char *d = attr_of(atts, "data-text");
        if (!d) d = attr_of(atts, "alt");
        if (d) r->fig_caption = strdup(d);
      }
    }
    break;
  case M_MEDIA:
    if (m == M_MEDIA) {
      figure_end(r);
      r->fig_pos = here(r);
      r->in_slide = 1;
      r->slide_depth = r->n;
    } else if (is(name, "img") && !r->fig_url) {
      const char *src = attr_of(atts, "src");
      if (src) r->fig_url = strdup(src);
      const char *d = attr_of(atts, "alt");
      if (d && !r->fig_caption) r->fig_caption = strdup(d);
    } else if ((is(name, "source") || (is(name, "meta") && attr_of(atts, "itemprop") &&
                                        !strcmp(attr_of(atts, "itemprop"), "url"))) &&
               !r->fig_url) {
      const char *src = attr_of(atts, is(name, "meta") ? "content" : "src");
      if (src) r->fig_url = strdup(src);
    } else if ((is(name, "span") && has_class(atts, "media__title")) ||
               (is(name, "div") && has_class(atts, "video__description"))) {
      free(r->fig_caption);
      r->fig_caption = NULL;
      r->collecting = 1;
      r->cpend = 0;
      scr_buf_clear(&r->collect);
      e->what = W_HTITLE;
    }
    break;
  case M_TAGS:
    if (is(name, "h3")) {
      e->what = W_TAGCAT;
      r->collecting = 1;
      r->cpend = 0;
      scr_buf_clear(&r->collect);
    } else if (is(name, "a")) {
      const char *href = attr_of(atts, "href");
      free(r->link_href);
      r->link_href = href ? strdup(href) : NULL;
      e->what = W_TAGLINK;
      r->collecting = 1;
      r->cpend = 0;
      scr_buf_clear(&r->collect);
    }
    break;
  case M_LICENCE:
    if (is(name, "a")) {
      const char *href = attr_of(atts, "href");
      if (href && !r->licence_url) r->licence_url = strdup(href);
      e->what = W_LICLINK;
      r->collecting = 1;
      r->cpend = 0;
      scr_buf_clear(&r->collect);
    }
    break;
  default:
    break;
  }
}

static void on_end(void *user, const xmlChar *name) {
  rd *r = user;
  (void)name;
  if (r->failed) return;
  if (r->overflow) {
    r->overflow--;
    return;
  }
  if (!r->n) return;
  if (is(name, "title")) r->in_head_title = 0;
  elt e = r->st[r->n - 1];
  /* close what it opened */
  switch (e.what) {
  case W_META_PART:
  case W_PTAG:
    if (e.what == W_PTAG && e.span >= 0 && (size_t)e.span < r->b.nspans &&
        r->ptag_person < r->npersons) {
      span *s = &r->b.spans[e.span];
      site_person *p = &r->persons[r->ptag_person];
      if (s->start != SIZE_MAX && !p->body_name)
        p->body_name = dupz(r->b.text.data + s->start, r->b.text.len - s->start);
      s->site = r->ptag_person;
    }
    span_close(r, e.span);
    if (e.what == W_META_PART && e.span >= 0 && (size_t)e.span < r->b.nspans) {
      span *s = &r->b.spans[e.span];
      if (s->start != SIZE_MAX) {
        const char *t = r->b.text.data + s->start;
        size_t len = r->b.text.len - s->start;
        if (s->type == SCR_NODE_TIME) {
          set_meta(r, SCR_META_TIME, t, len);
          free(s->value);
          s->value = dupz(t, len);
        } else if (s->type == SCR_NODE_PLACE) {
          set_meta(r, SCR_META_PLACE, t, len);
          free(s->value);
          s->value = dupz(t, len);
        }
      }
    }
    break;
  case W_TAGCAT:
    free(r->tag_cat);
    r->tag_cat = dupz(r->collect.data ? r->collect.data : "", r->collect.len);
    r->collecting = 0;
    break;
  case W_TAGLINK:
    if (r->collect.len) {
      /* a tag: a keyword of the document, in the tag list's category */
      const char *cat = r->tag_cat, *href = r->link_href;
      if (scr_doc_add_keyword(r->doc, cat, cat ? strlen(cat) : 0, r->collect.data,
                              r->collect.len, href, href ? strlen(href) : 0))
        oom(r);
      size_t sp = site_person_of(r, r->link_href);
      if (sp != SIZE_MAX && !r->persons[sp].tag_name)
        r->persons[sp].tag_name = dupz(r->collect.data, r->collect.len);
    }
    r->collecting = 0;
    break;
  case W_LICLINK:
    if (r->collect.len && !r->licence_name)
      r->licence_name = dupz(r->collect.data, r->collect.len);
    r->collecting = 0;
    break;
  case W_HTITLE:
    if (r->collect.len) { /* a second title in one figure replaces the first */
      free(r->fig_caption);
      r->fig_caption = dupz(r->collect.data, r->collect.len);
    }
    r->collecting = 0;
    break;
  default:
    break;
  }
  if (r->in_slide && r->n == r->slide_depth) {
    r->in_slide = 0;
    if (r->mode == M_MEDIA) {
      figure_end(r);
      if (e.mode != M_MEDIA) gallery_end(r);
    } else {
      figure_end(r);
    }
  }
  if (r->mode == M_SLIDER && e.mode != M_SLIDER) {
    figure_end(r);
    gallery_end(r);
  }
  if (r->b.active && r->n <= r->b.depth) block_end(r);
  r->n--;
  /* an implicit block ends with its container */
  if (r->b.active && r->b.implicit && r->n < r->b.depth) block_end(r);
  r->mode = (enum mode)e.mode;
  r->bold = e.bold;
}

static void on_chars(void *user, const xmlChar *ch, int len) {
  rd *r = user;
  if (r->failed || len <= 0) return;
  const char *s = (const char *)ch;
  size_t n = (size_t)len;
  if (r->in_head_title) {
    int pend = r->head_title.len ? 1 : 0;
    put_text(r, &r->head_title, &pend, s, n, NULL);
  }
  if (r->mode == M_SKIP) return;
  if (r->collecting) {
    put_text(r, &r->collect, &r->cpend, s, n, NULL);
    return;
  }
  if (!r->b.active) {
    if (r->mode != M_BODY && r->mode != M_LEAD) return;
    size_t i = 0;
    while (i < n && (is_ws((unsigned char)s[i]))) i++;
    if (i == n) return;
    block_begin(r, r->mode == M_LEAD ? SCR_NODE_LEAD : SCR_NODE_PARAGRAPH, 1);
  }
  put_text(r, &r->b.text, &r->b.pend, s, n, &r->b);
}

/* ---- charsets ------------------------------------------------------------------ */

/* The charset a page declares (BOM, <meta charset>, http-equiv) in its
 * first 1024 bytes, into out (lower case); "" if none. */
static void declared_charset(const char *d, size_t len, char out[40]) {
  out[0] = 0;
  if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) {
    strcpy(out, "utf-8");
    return;
  }
  if (len >= 2 && (memcmp(d, "\xFF\xFE", 2) == 0)) {
    strcpy(out, "utf-16le");
    return;
  }
  if (len >= 2 && (memcmp(d, "\xFE\xFF", 2) == 0)) {
    strcpy(out, "utf-16be");
    return;
  }
  size_t lim = len < 4096 ? len : 4096;
  const char *p = find_ci(d, lim, "charset=");
  if (!p) return;
  p += 8;
  while (p < d + lim && (*p == '"' || *p == '\'' || *p == ' ')) p++;
  size_t n = 0;
  while (p + n < d + lim && n < 39 &&
         ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
          (p[n] >= '0' && p[n] <= '9') || p[n] == '-' || p[n] == '_' || p[n] == '.' ||
          p[n] == ':'))
    n++;
  for (size_t i = 0; i < n; i++)
    out[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] - 'A' + 'a' : p[i]);
  out[n] = 0;
}

/* windows-1252's 0x80-0x9F (0: undefined, read as U+FFFD). */
static const uint16_t cp1252[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
    0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

static int from_1252(const char *d, size_t len, scr_buf *out) {
  if (scr_buf_reserve(out, len + len / 2)) return -1;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)d[i];
    uint32_t cp = c < 0x80 ? c : c < 0xA0 ? (cp1252[c - 0x80] ? cp1252[c - 0x80] : 0xFFFD) : c;
    char u[4];
    size_t n = scr_utf8_encode(cp, u);
    if (scr_buf_put(out, u, n)) return -1;
  }
  return 0;
}

/* Copies valid UTF-8, invalid bytes as U+FFFD; counts them. */
static int repair_utf8(const char *d, size_t len, scr_buf *out, size_t *bad, size_t *first) {
  *bad = 0;
  if (scr_buf_reserve(out, len + 16)) return -1;
  size_t i = 0;
  while (i < len) {
    int isbad = 0;
    size_t ok = scr_utf8_check(d + i, len - i, &isbad);
    if (scr_buf_put(out, d + i, ok)) return -1;
    i += ok;
    if (!isbad || i >= len) break;
    if (!*bad) *first = i;
    (*bad)++;
    if (d[i] == 0) {
      i++; /* a NUL byte: dropped */
      continue;
    }
    uint32_t cp;
    size_t n = scr_utf8_decode(d + i, len - i, &cp);
    if (scr_buf_put(out, "\xEF\xBF\xBD", 3)) return -1;
    i += n ? n : 1;
  }
  return 0;
}

static int via_iconv(const char *charset, const char *d, size_t len, scr_buf *out,
                     size_t *bad) {
  *bad = 0;
  iconv_t cd = iconv_open("UTF-8", charset);
  if (cd == (iconv_t)-1) return 1; /* unknown */
  if (scr_buf_reserve(out, len * 2 + 16)) {
    iconv_close(cd);
    return -1;
  }
  char *in = (char *)d;
  size_t inleft = len;
  while (inleft) {
    if (out->cap - out->len < 16 && scr_buf_reserve(out, out->cap)) {
      iconv_close(cd);
      return -1;
    }
    char *o = out->data + out->len;
    size_t oleft = out->cap - out->len - 1;
    size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
    out->len = (size_t)(o - out->data);
    out->data[out->len] = 0;
    if (rc == (size_t)-1) {
      if (errno == E2BIG) {
        if (scr_buf_reserve(out, out->cap)) {
          iconv_close(cd);
          return -1;
        }
      } else { /* EILSEQ or EINVAL: one byte as U+FFFD */
        (*bad)++;
        in++, inleft--;
        if (scr_buf_put(out, "\xEF\xBF\xBD", 3)) {
          iconv_close(cd);
          return -1;
        }
      }
    }
  }
  iconv_close(cd);
  return 0;
}

/* Binary data: NUL bytes or many control characters in the first 4096. */
static int looks_binary(const char *d, size_t len, int utf16) {
  if (utf16) return 0;
  size_t lim = len < 4096 ? len : 4096, ctl = 0;
  for (size_t i = 0; i < lim; i++) {
    unsigned char c = (unsigned char)d[i];
    if (c == 0) return 1;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ctl++;
  }
  return ctl * 20 > lim; /* more than 5% */
}

/* ---- read ------------------------------------------------------------------------ */

static void free_rd(rd *r) {
  block_reset(&r->b);
  free(r->b.spans);
  scr_buf_free(&r->b.text);
  free(r->st);
  scr_buf_free(&r->head_title);
  scr_buf_free(&r->collect);
  free(r->tag_cat);
  free(r->link_href);
  free(r->og_url);
  free(r->canonical);
  free(r->licence_url);
  free(r->licence_name);
  free(r->lang);
  free(r->fig_url);
  free(r->fig_caption);
  for (size_t i = 0; i < r->npersons; i++) {
    free(r->persons[i].site_id);
    free(r->persons[i].url);
    free(r->persons[i].tag_name);
    free(r->persons[i].body_name);
  }
  free(r->persons);
  free(r->plinks);
}

/* Persons linked from the page: a person of the tree with the name as
 * written (its id derived from the name, as the text reader derives it),
 * and a note with the site's identifier and URL. */
static void finish_persons(rd *r) {
  scr_buf id = {0}, name = {0};
  for (size_t i = 0; i < r->npersons && !r->failed; i++) {
    site_person *p = &r->persons[i];
    scr_buf_clear(&name);
    if (p->tag_name) {
      /* the tag list writes "Surname Name": turned round when two words */
      const char *sp = strchr(p->tag_name, ' ');
      if (sp && !strchr(sp + 1, ' ')) {
        if (scr_buf_printf(&name, "%s %.*s", sp + 1, (int)(sp - p->tag_name), p->tag_name))
          oom(r);
      } else if (scr_buf_puts(&name, p->tag_name)) {
        oom(r);
      }
    } else if (p->body_name && scr_buf_puts(&name, p->body_name)) {
      oom(r);
    }
    if (!name.len) continue;
    if (person_id(name.data, name.len, &id)) {
      oom(r);
      break;
    }
    scr_person *sp = scr_doc_person(r->doc, id.data, id.len);
    if (!sp || scr_person_add_name(r->doc, sp, name.data, name.len) ||
        (p->body_name && scr_person_add_name(r->doc, sp, p->body_name, strlen(p->body_name)))) {
      oom(r);
      break;
    }
    for (size_t k = 0; k < r->nplinks; k++)
      if (r->plinks[k].site == i) set_attr(r, r->plinks[k].node, SCR_ATTR_WHO, id.data, id.len);
    /* the site's identifier of the person and the person's page on it
     * (TEI person/idno, YAML identifiers) */
    if (scr_person_add_idno(r->doc, sp, "kremlin.ru", 10, p->site_id, strlen(p->site_id)) ||
        (p->url[0] && scr_person_add_idno(r->doc, sp, "URL", 3, p->url, strlen(p->url))))
      oom(r);
  }
  scr_buf_free(&id);
  scr_buf_free(&name);
}

int html_read(scr_doc *doc, const scr_input *in, const scr_options *opts, scr_diag *diag) {
  if (html_init()) {
    scr_diag_report(diag, SCR_ERROR, NOPOS, "oom", "out of memory");
    return -1;
  }
  if (in->len > (size_t)0x7fffffff) {
    scr_diag_report(diag, SCR_ERROR, NOPOS, "too-large", "the HTML page is larger than 2 GiB");
    return -1;
  }
  if (!in->len) {
    scr_diag_report(diag, SCR_ERROR, NOPOS, "empty", "the HTML page is empty");
    return -1;
  }
  char cs[40];
  declared_charset(in->data, in->len, cs);
  int utf16 = strncmp(cs, "utf-16", 6) == 0;
  if (looks_binary(in->data, in->len, utf16)) {
    scr_diag_report(diag, SCR_ERROR, NOPOS, "binary",
                    "not an HTML page: binary data (NUL or control bytes) in its "
                    "first 4096 bytes");
    return -1;
  }
  /* The bytes libxml2 gets: UTF-8. */
  scr_buf conv = {0};
  const char *data = in->data;
  size_t len = in->len;
  size_t bad = 0, first = 0;
  int rc;
  if (!cs[0] || strcmp(cs, "utf-8") == 0 || strcmp(cs, "utf8") == 0) {
    int invalid = 0;
    size_t ok = scr_utf8_check(in->data, in->len, &invalid);
    if (invalid && !cs[0]) {
      rc = from_1252(in->data, in->len, &conv);
      if (!rc)
        scr_diag_report(diag, SCR_WARNING, NOPOS, "charset",
                        "no charset declared and not UTF-8 (byte %zu): read as "
                        "windows-1252",
                        ok);
    } else if (invalid) {
      rc = repair_utf8(in->data, in->len, &conv, &bad, &first);
      if (!rc)
        scr_diag_report(diag, SCR_WARNING, NOPOS, "charset",
                        "declared UTF-8 but %zu invalid byte sequence%s (the first at "
                        "byte %zu): read as U+FFFD",
                        bad, bad == 1 ? "" : "s", first);
    } else {
      rc = 0;
    }
    if (invalid) data = conv.data, len = conv.len;
  } else {
    rc = via_iconv(cs, in->data, in->len, &conv, &bad);
    if (rc == 1) {
      scr_diag_report(diag, SCR_WARNING, NOPOS, "charset",
                      "unknown charset '%s': read as UTF-8", cs);
      rc = repair_utf8(in->data, in->len, &conv, &bad, &first);
    } else if (!rc && bad) {
      scr_diag_report(diag, SCR_WARNING, NOPOS, "charset",
                      "%zu byte%s not valid %s: read as U+FFFD", bad, bad == 1 ? "" : "s", cs);
    }
    data = conv.data, len = conv.len;
  }
  if (rc) {
    scr_buf_free(&conv);
    scr_diag_report(diag, SCR_ERROR, NOPOS, "oom", "out of memory");
    return -1;
  }
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) data += 3, len -= 3;
  if (!len) {
    scr_buf_free(&conv);
    scr_diag_report(diag, SCR_ERROR, NOPOS, "empty", "the HTML page is empty");
    return -1;
  }

  rd r;
  memset(&r, 0, sizeof r);
  r.doc = doc;
  r.diag = diag;
  r.photos = scr_options_get_bool(opts, "photos", 1);
  r.b.bold_end = SIZE_MAX;
  r.kremlin = in_markup(data, len, "entry-content") && in_markup(data, len, "kremlin.ru/");
  r.generic_article = !r.kremlin && find_ci(data, len, "<article") != NULL;

  htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(data, (int)len);
  if (!ctxt) {
    scr_buf_free(&conv);
    scr_diag_report(diag, SCR_ERROR, NOPOS, "oom", "out of memory");
    return -1;
  }
  htmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  sax.startElement = on_start;
  sax.endElement = on_end;
  sax.characters = on_chars;
  sax.ignorableWhitespace = on_chars;
  sax.initialized = 1;
  memcpy(ctxt->sax, &sax, sizeof sax);
  ctxt->userData = &r;
  htmlCtxtUseOptions(ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                               HTML_PARSE_IGNORE_ENC);
  xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
  r.ctxt = ctxt;
  htmlParseDocument(ctxt);
  /* what is still open at the end */
  while (!r.failed && (r.n || r.overflow)) on_end(&r, r.n ? r.st[r.n - 1].name : BAD_CAST "");
  block_end(&r);
  figure_end(&r);
  gallery_end(&r);
  r.ctxt = NULL;
  if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
  htmlFreeParserCtxt(ctxt);
  scr_buf_free(&conv);

  if (!r.failed) {
    finish_persons(&r);
    if (!r.have_title && r.head_title.len) {
      /* no h1: the document's <title> (without " • Site") */
      set_meta(&r, SCR_META_TITLE, r.head_title.data, r.head_title.len);
    }
    const char *url = r.canonical && strstr(r.canonical, "://") ? r.canonical : r.og_url;
    /* what the page says of itself: its URL and its licence (the link's
     * target, else its words), as the document's metadata */
    if (url && *url) set_meta(&r, SCR_META_URL, url, strlen(url));
    const char *lic = r.licence_url && *r.licence_url ? r.licence_url : r.licence_name;
    if (lic && *lic) set_meta(&r, SCR_META_LICENCE, lic, strlen(lic));
    if (r.lang) set_meta(&r, SCR_META_LANGUAGE, r.lang, strlen(r.lang));
    if (r.kremlin) set_meta(&r, SCR_META_PUBLISHER, "kremlin.ru", 10);
  }
  int empty = !r.failed && !scr_node_first_child(scr_doc_root(doc));
  if (!r.failed && !empty && !r.kremlin)
    scr_diag_report(diag, SCR_WARNING, NOPOS, "unknown-site",
                    "the site is not known: a generic reading (h1, article, p, "
                    "blockquote)");
  int failed = r.failed;
  free_rd(&r);
  if (failed) return -1;
  if (empty) {
    scr_diag_report(diag, SCR_ERROR, NOPOS, "no-text", "no text found in the HTML page");
    return -1;
  }
  return 0;
}
