/* writer.c - the TEI P5 writer: one TEI document per input, and a teiCorpus
 * that collects several.
 *
 * The output is written by the emitter (emit.h) straight into the host's
 * scr_buf: no xmlDoc is built, and the tree is walked with scr_iter, so a
 * document that nests quotes 100,000 deep costs memory, not stack. The
 * writer keeps its own stack of frames (one per tree node being walked) that
 * says how many elements each node opened and, for block containers, where
 * TEI's content models stand (a head may only open a div, a dateline may
 * only stand at its top or its end, ...). Where the tree's shape does not
 * fit TEI's content model, the writer opens a div of its own rather than
 * write an invalid document; docs/tei.md lists these rules.
 *
 * Pretty-printing is the emitter's, not libxml2's: structure (header, divs,
 * turns) is indented, mixed content (p, head, said...) is written exactly
 * as the text has it, because whitespace added there would change the
 * words. */
#include <libxml/parser.h>
#include <libxml/threads.h>
#include <libxml/relaxng.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlschemastypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emit.h"
#include "tei.h"

#define TEI_NS "http://www.tei-c.org/ns/1.0"
#define XML_DECLARATION "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define APP_ID "scriptorium"
#define MAX_CHAR_REPORTS 10  /* then one summary per document */

enum { BRACKETS_AUTO, BRACKETS_SUPPLIED, BRACKETS_NOTE };

/* How a node's children are written. */
enum { CTX_INLINE = 0, CTX_BLOCK };
/* The kinds of block container. */
enum { K_NONE = 0, K_DIV, K_SP, K_FIGURE };
/* Where a div (or the body) stands in TEI's content model. */
enum { S_TOP = 0, S_COMMON, S_DIVS, S_BOTTOM };
/* What a block child needs of its div. */
enum { CL_HEAD, CL_WRAP, CL_COMMON, CL_DIV, CL_GLOBAL };

/* One tree node being walked. */
typedef struct frame {
  size_t container;      /* the frame whose container rules apply */
  unsigned short nclose; /* elements this node opened */
  unsigned char ctx;     /* CTX_*: how its children are written */
  unsigned char kind;    /* K_*: when this frame is a container */
  unsigned char state;   /* K_DIV: S_*; K_SP: a p-like was written */
  unsigned char inner;   /* K_DIV: state of the open implicit div */
  unsigned char idiv;    /* K_DIV: an implicit div is open */
  unsigned char ip;      /* an implicit p is open (inlines at block level) */
  unsigned char speaker; /* K_SP: speaker written */
  unsigned char corr;    /* a CORRECTION whose corr is due at its exit */
  unsigned char nosaid;  /* inside date, time or dateline: TEI has no said there */
  unsigned char block;   /* a block in element-only context (layout may be plain) */
} frame;

typedef struct tw {
  tei_emit e; /* the output: its failed flag is the writer's */
  scr_diag *diag;
  const scr_options *opts;
  int brackets, timestamp;
  frame *frames;
  size_t nframes, frames_cap;
  scr_buf ref; /* an attribute value being made */
  /* the document being written */
  const scr_doc *doc;
  scr_buf prefix;   /* "docid." for the document's own ids */
  tei_set quote_ids; /* the quote ids the document defines */
  int in_corpus;
  int warned_shape;
  int source_as_given; /* the source path as given, not only its file name */
  /* layout: the BEFORE due at the next start tag, and the last AFTER */
  scr_str pend_before;
  int pend_plain;
  const scr_node *last_after; /* the node whose AFTER was written last */
  int last_after_plain_nl;    /* ... as plain text ending in a line end, or as fw */
  const scr_node *skip; /* a subtree being skipped */
} tw;

/* ---- output ---------------------------------------------------------------- */

/* Character data. */
static void text(tw *t, const char *s, size_t len) { tei_emit_text(&t->e, s, len); }

static void texts(tw *t, scr_str s) { text(t, s.ptr, s.len); }

static void emit_before(tw *t);

static void open_el(tw *t, const char *name, int mixed) {
  if (t->pend_before.len) emit_before(t);
  tei_emit_start(&t->e, name, mixed);
}

static void close_el(tw *t) { tei_emit_end(&t->e); }

/* A leaf element holding text. */
static void leaf(tw *t, const char *name, const char *s, size_t len) {
  open_el(t, name, 1);
  text(t, s, len);
  close_el(t);
}

static void leafz(tw *t, const char *name, const char *s) {
  leaf(t, name, s, strlen(s));
}

static void attr(tw *t, const char *name, const char *v, size_t len) {
  tei_emit_attr(&t->e, name, v, len);
}

static void attrz(tw *t, const char *name, const char *v) {
  attr(t, name, v, strlen(v));
}

/* name="#PREFIXid" (prefix may be NULL), the id made an NCName. */
static void attr_ref(tw *t, const char *name, const char *prefix, scr_str id) {
  scr_buf_clear(&t->ref);
  if (scr_buf_putc(&t->ref, '#') || (prefix && scr_buf_puts(&t->ref, prefix)) ||
      tei_ncname(&t->ref, id.ptr, id.len, "x"))
    t->e.failed = 1;
  if (t->ref.data) attr(t, name, t->ref.data, t->ref.len);
}

/* xml:id="PREFIXid" */
static void attr_id(tw *t, const char *prefix, scr_str id) {
  scr_buf_clear(&t->ref);
  if ((prefix && scr_buf_puts(&t->ref, prefix)) ||
      tei_ncname(&t->ref, id.ptr, id.len, "x"))
    t->e.failed = 1;
  if (t->ref.data) attr(t, "xml:id", t->ref.data, t->ref.len);
}

/* ---- layout ------------------------------------------------------------------ */

/* Layout (a node's BEFORE and AFTER) rides in <text xml:space="preserve">:
 * BEFORE right before the node's first start tag, AFTER right after its
 * last end tag. Where the context is element-only and the reader's rule
 * (a run of whitespace between two nodes splits after its last line end:
 * the head is the previous node's AFTER, the rest the next node's BEFORE)
 * gives the same split, as plain text; otherwise in <fw type="before"> or
 * <fw type="after">, which holds any characters. */
static int only_chars(scr_str s, const char *set) {
  for (size_t i = 0; i < s.len; i++)
    if (!s.ptr[i] || !strchr(set, s.ptr[i])) return 0;
  return 1;
}

static void fw(tw *t, const char *type, scr_str s) {
  open_el(t, "fw", 1);
  attrz(t, "type", type);
  text(t, s.ptr, s.len);
  close_el(t);
}

static void emit_before(tw *t) {
  scr_str s = t->pend_before;
  t->pend_before = SCR_STR_NULL;
  if (t->pend_plain) text(t, s.ptr, s.len);
  else fw(t, "before", s);
}

/* The node before `n` as the reader will see it: media lines and footers
 * are read into lists of their own. */
static const scr_node *layout_prev(const scr_node *n) {
  scr_node_type ty = scr_node_get_type(n);
  const scr_node *p = scr_node_prev(n);
  const scr_node *parent = scr_node_parent(n);
  if ((ty == SCR_NODE_MEDIA || ty == SCR_NODE_FOOTER) && parent &&
      scr_node_get_type(parent) == SCR_NODE_DOCUMENT)
    while (p && scr_node_get_type(p) != ty) p = scr_node_prev(p);
  return p;
}

/* Sets the BEFORE of `n` due at its first start tag (`block`: the context
 * is element-only). */
static void layout_before(tw *t, const scr_node *n, int block) {
  scr_str b = scr_node_attr(n, SCR_ATTR_BEFORE);
  t->pend_before = SCR_STR_NULL;
  if (!b.len) return;
  const scr_node *prev = layout_prev(n);
  t->pend_before = b;
  t->pend_plain = block && only_chars(b, " \t") &&
                  (!prev || (prev == t->last_after && t->last_after_plain_nl));
}

static void layout_after(tw *t, const scr_node *n, int block) {
  scr_str a = scr_node_attr(n, SCR_ATTR_AFTER);
  if (t->pend_before.len) emit_before(t); /* a node that opened no element */
  if (!a.len) return;
  int nl = memchr(a.ptr, '\n', a.len) != NULL, ends_nl = a.ptr[a.len - 1] == '\n';
  int plain = block && only_chars(a, " \t\r\n") && (!nl || ends_nl);
  if (plain) text(t, a.ptr, a.len);
  else fw(t, "after", a);
  t->last_after = n;
  t->last_after_plain_nl = !plain || ends_nl;
}

/* ---- small helpers ------------------------------------------------------------ */

static int str_eq(scr_str s, const char *z) {
  size_t n = strlen(z);
  return s.len == n && memcmp(s.ptr, z, n) == 0;
}

static scr_str trim(scr_str s) {
  while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t' || s.ptr[0] == '\n' || s.ptr[0] == '\r'))
    s.ptr++, s.len--;
  while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t' ||
                   s.ptr[s.len - 1] == '\n' || s.ptr[s.len - 1] == '\r'))
    s.len--;
  return s;
}

static int is_blank(scr_str s) { return trim(s).len == 0; }

static int is_language(scr_str s) {
  /* xsd:language: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})* */
  size_t i = 0, part = 0, first = 1;
  if (!s.len) return 0;
  for (; i < s.len; i++) {
    char c = s.ptr[i];
    if (c == '-') {
      if (part == 0) return 0;
      part = 0;
      first = 0;
      continue;
    }
    int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    int digit = c >= '0' && c <= '9';
    if (!(alpha || (digit && !first)) || ++part > 8) return 0;
  }
  return part > 0;
}

static int is_digits(scr_str s) {
  if (!s.len) return 0;
  for (size_t i = 0; i < s.len; i++)
    if (s.ptr[i] < '0' || s.ptr[i] > '9') return 0;
  return 1;
}

/* The base name of a path: the header records where the text came from
 * without the machine's directories, so that output does not depend on
 * where the input was. */
static scr_str base_name(scr_str path) {
  for (size_t i = path.len; i > 0; i--)
    if (path.ptr[i - 1] == '/') return (scr_str){path.ptr + i, path.len - i};
  return path;
}

/* ---- the walk ---------------------------------------------------------------- */

static frame *push_frame(tw *t) {
  if (t->nframes == t->frames_cap) {
    size_t cap = t->frames_cap ? 2 * t->frames_cap : 64;
    frame *grown = realloc(t->frames, cap * sizeof *grown);
    if (!grown) {
      t->e.failed = 1;
      return NULL;
    }
    t->frames = grown;
    t->frames_cap = cap;
  }
  frame *f = &t->frames[t->nframes];
  memset(f, 0, sizeof *f);
  f->container = t->nframes++;
  return f;
}

/* Elements the writer adds to fit TEI's content models carry
 * resp="#scriptorium": the reader knows they are no node of the tree. */
static void empty_p(tw *t) {
  open_el(t, "p", 1);
  attrz(t, "resp", "#" APP_ID);
  close_el(t);
}

/* A div's states allow a child of class `cls` (and move on), or not. */
static int div_allows(unsigned char *st, int cls, int at_end) {
  switch (cls) {
  case CL_GLOBAL: return 1;
  case CL_HEAD: return *st == S_TOP;
  case CL_WRAP:
    if (*st == S_TOP) return 1;
    if (at_end) return *st = S_BOTTOM, 1;
    return 0;
  case CL_COMMON:
    if (*st == S_TOP || *st == S_COMMON) return *st = S_COMMON, 1;
    return 0;
  case CL_DIV:
    if (*st != S_BOTTOM) return *st = S_DIVS, 1;
    return 0;
  }
  return 0;
}

/* Makes room in container `ci` for a block child of class `cls`. */
static void place(tw *t, size_t ci, int cls, int at_end) {
  frame *c = &t->frames[ci];
  if (c->ip) {
    close_el(t);
    c->ip = 0;
  }
  if (c->kind != K_DIV) {
    if (c->kind == K_SP && cls != CL_GLOBAL) c->state = 1;
    return;
  }
  if (c->idiv) {
    if (div_allows(&c->inner, cls, at_end)) return;
    /* The implicit div is done: close it, open a sibling. */
    if (c->inner == S_TOP) empty_p(t);
    close_el(t);
    c->idiv = 0;
    c->state = S_DIVS;
  } else if (div_allows(&c->state, cls, at_end)) {
    return;
  }
  /* What cannot stand here starts a div of its own (a head after text, a
   * dateline in the middle, text after a division). */
  div_allows(&c->state, CL_DIV, 0);
  open_el(t, "div", 0);
  attrz(t, "resp", "#" APP_ID);
  c->idiv = 1;
  c->inner = S_TOP;
  div_allows(&c->inner, cls, at_end);
}

static void finish_container(tw *t, frame *f) {
  if (f->ip) {
    close_el(t);
    f->ip = 0;
  }
  if (f->kind == K_DIV) {
    if (f->idiv) {
      if (f->inner == S_TOP) empty_p(t);
      close_el(t);
      f->idiv = 0;
      f->state = S_DIVS;
    }
    if (f->state == S_TOP) empty_p(t); /* a div needs more than its head */
  } else if (f->kind == K_SP && !f->state) {
    empty_p(t); /* sp needs a p after its speaker */
  }
}

/* Nodes of the document that the body does not carry (the front and the
 * back do), and blank text between blocks. */
static int skipped_in_body(const scr_node *n) {
  scr_node_type ty = scr_node_get_type(n);
  const scr_node *parent = scr_node_parent(n);
  if (ty == SCR_NODE_MEDIA || ty == SCR_NODE_FOOTER)
    return parent && scr_node_get_type(parent) == SCR_NODE_DOCUMENT;
  return ty == SCR_NODE_TEXT && is_blank(scr_node_text(n));
}

/* Nothing but skipped nodes follows (bounded: a long run is "not at the end"). */
static int at_end(const scr_node *n) {
  int budget = 16;
  for (n = scr_node_next(n); n; n = scr_node_next(n)) {
    if (!skipped_in_body(n)) return 0;
    if (--budget == 0) return 0;
  }
  return 1;
}

/* Up to three words, looking at no more than 64 nodes. */
static int is_short(const scr_node *n) {
  scr_iter it;
  scr_event ev;
  int nodes = 0, words = 0;
  scr_iter_init(&it, (scr_node *)n);
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    if (ev != SCR_EVENT_ENTER) continue;
    if (++nodes > 64) return 0;
    scr_str s = scr_node_text(it.cur);
    int in_word = 0;
    for (size_t i = 0; i < s.len; i++) {
      int space = s.ptr[i] == ' ' || s.ptr[i] == '\n' || s.ptr[i] == '\t';
      if (!space && !in_word && ++words > 3) return 0;
      in_word = !space;
    }
  }
  return 1;
}

static void warn_shape(tw *t, const scr_node *n, const char *where) {
  if (t->warned_shape++) return;
  scr_diag_report(t->diag, SCR_WARNING, scr_node_pos(n), "tei-shape",
                  "a %s inside %s has no TEI element there; its text is kept "
                  "without it",
                  scr_node_type_name(scr_node_get_type(n)), where);
}

static const char *const attribution_methods[] = {
    SCR_METHOD_LABEL, SCR_METHOD_NAME, SCR_METHOD_EPITHET, SCR_METHOD_PRONOUN,
    SCR_METHOD_CONTEXT, NULL};

static void write_said(tw *t, const scr_node *n) {
  open_el(t, "said", 1);
  scr_str who = scr_node_attr(n, SCR_ATTR_WHO);
  scr_str method = scr_node_attr(n, SCR_ATTR_METHOD);
  scr_str cert = scr_node_attr(n, SCR_ATTR_CERT);
  scr_str id = scr_node_attr(n, SCR_ATTR_ID);
  if (id.len) attr_id(t, t->prefix.data, id);
  if (who.len) {
    attr_ref(t, "who", NULL, who);
    int known = 0;
    for (size_t i = 0; attribution_methods[i]; i++)
      if (str_eq(method, attribution_methods[i])) known = 1;
    if (known) {
      char ana[64];
      snprintf(ana, sizeof ana, "#attribution.%.*s", (int)method.len, method.ptr);
      attrz(t, "ana", ana);
    }
    /* A speaker label is the source's own attribution; everything else is
     * the converter's reading of the text. */
    if (!str_eq(method, SCR_METHOD_LABEL)) attrz(t, "resp", "#" APP_ID);
    if (str_eq(cert, SCR_CERT_HIGH) || str_eq(cert, SCR_CERT_MEDIUM) ||
        str_eq(cert, SCR_CERT_LOW))
      attr(t, "cert", cert.ptr, cert.len);
  }
  static const scr_attr links[] = {SCR_ATTR_NEXT, SCR_ATTR_PREV};
  for (size_t i = 0; i < 2; i++) {
    scr_str to = scr_node_attr(n, links[i]);
    if (!to.len) continue;
    if (tei_set_has(&t->quote_ids, to.ptr, to.len)) {
      attr_ref(t, scr_attr_name(links[i]), t->prefix.data, to);
    } else {
      scr_diag_report(t->diag, SCR_WARNING, scr_node_pos(n), "dangling-link",
                      "quote's @%s points at '%.*s', which no quote has; "
                      "the link is left out",
                      scr_attr_name(links[i]), (int)to.len, to.ptr);
    }
  }
  if (str_eq(scr_node_attr(n, SCR_ATTR_KIND), "unclosed")) attrz(t, "rend", "unclosed");
}

/* 14:50 -> 14:50:00, as xsd:time wants. */
static void write_time_attr(tw *t, const scr_node *n) {
  scr_str when = scr_node_attr(n, SCR_ATTR_WHEN);
  scr_str dur = scr_node_attr(n, SCR_ATTR_DURATION);
  if (when.len) {
    char buf[32];
    if (when.len == 5 && when.ptr[2] == ':') {
      snprintf(buf, sizeof buf, "%.5s:00", when.ptr);
      when = (scr_str){buf, 8};
    }
    if (tei_is_w3c_temporal(when.ptr, when.len) && when.len < sizeof buf) {
      attr(t, "when", when.ptr, when.len);
    } else {
      scr_diag_report(t->diag, SCR_WARNING, scr_node_pos(n), "bad-time",
                      "time '%.*s' is not a W3C time; @when left out",
                      (int)when.len, when.ptr);
    }
  }
  if (dur.len) {
    if (tei_is_duration(dur.ptr, dur.len)) attr(t, "dur-iso", dur.ptr, dur.len);
    else
      scr_diag_report(t->diag, SCR_WARNING, scr_node_pos(n), "bad-duration",
                      "duration '%.*s' is not ISO 8601; @dur-iso left out",
                      (int)dur.len, dur.ptr);
  }
}

/* Opens what an inline node (or a block met inside inline content) becomes;
 * fills in the new frame. Returns 0, or 1 when the subtree is skipped. */
static int enter_inline(tw *t, const scr_node *n, frame *f) {
  f->ctx = CTX_INLINE;
  switch (scr_node_get_type(n)) {
  case SCR_NODE_TEXT:
    texts(t, scr_node_text(n));
    return 0;
  case SCR_NODE_QUOTE:
    if (f->nosaid) { /* its words are kept, not the said */
      warn_shape(t, n, "a date, time or dateline");
      return 0;
    }
    write_said(t, n);
    f->nclose = 1;
    return 0;
  case SCR_NODE_INSERTION: {
    int note = t->brackets == BRACKETS_NOTE ||
               (t->brackets == BRACKETS_AUTO && !is_short(n));
    if (note) {
      open_el(t, "note", 1);
      attrz(t, "type", "editorial");
      attrz(t, "place", "inline");
    } else {
      open_el(t, "supplied", 1);
      attrz(t, "reason", "clarification");
    }
    f->nclose = 1;
    return 0;
  }
  case SCR_NODE_CORRECTION: {
    scr_str corr = scr_node_attr(n, SCR_ATTR_CORRECTED);
    if (corr.len) {
      open_el(t, "choice", 0);
      f->corr = 1;
    }
    open_el(t, "sic", 1);
    f->nclose = 1;
    return 0;
  }
  case SCR_NODE_PERSON: {
    open_el(t, "persName", 1);
    scr_str who = scr_node_attr(n, SCR_ATTR_WHO);
    if (who.len) attr_ref(t, "ref", NULL, who);
    f->nclose = 1;
    return 0;
  }
  case SCR_NODE_PLACE: {
    open_el(t, "placeName", 1);
    scr_str key = scr_node_attr(n, SCR_ATTR_KEY);
    if (key.len) attr(t, "key", key.ptr, key.len);
    f->nclose = 1;
    return 0;
  }
  case SCR_NODE_DATE: {
    open_el(t, "date", 1);
    scr_str when = scr_node_attr(n, SCR_ATTR_WHEN);
    if (when.len && tei_is_w3c_temporal(when.ptr, when.len))
      attr(t, "when", when.ptr, when.len);
    else if (when.len)
      scr_diag_report(t->diag, SCR_WARNING, scr_node_pos(n), "bad-date",
                      "date '%.*s' is not a W3C date (partial dates are "
                      "--MM-DD); @when left out",
                      (int)when.len, when.ptr);
    f->nclose = 1;
    return 0;
  }
  case SCR_NODE_TIME:
    open_el(t, "time", 1);
    write_time_attr(t, n);
    f->nclose = 1;
    return 0;
  case SCR_NODE_NOTE: {
    open_el(t, "note", 1);
    scr_str kind = scr_node_attr(n, SCR_ATTR_KIND);
    if (kind.len) {
      scr_buf_clear(&t->ref);
      if (tei_ncname(&t->ref, kind.ptr, kind.len, "x")) t->e.failed = 1;
      if (t->ref.data) attr(t, "type", t->ref.data, t->ref.len);
    }
    f->nclose = 1;
    return 0;
  }
  case SCR_NODE_FIGURE: {
    open_el(t, "figure", 0);
    scr_str num = scr_node_attr(n, SCR_ATTR_N);
    if (is_digits(num)) attr(t, "n", num.ptr, num.len);
    open_el(t, "head", 1);
    f->nclose = 2;
    return 0;
  }
  case SCR_NODE_GALLERY: {
    open_el(t, "figure", 0);
    attrz(t, "type", "gallery");
    scr_str total = scr_node_attr(n, SCR_ATTR_TOTAL);
    if (is_digits(total)) attr(t, "n", total.ptr, total.len);
    f->nclose = 1;
    f->ctx = CTX_BLOCK;
    f->kind = K_FIGURE;
    return 0;
  }
  case SCR_NODE_SEPARATOR: {
    open_el(t, "milestone", 0);
    attrz(t, "unit", "section");
    scr_buf flat = {0};
    if (scr_node_flatten(n, 0, &flat)) t->e.failed = 1;
    scr_str mark = trim((scr_str){flat.data, flat.len});
    if (mark.len) attr(t, "rend", mark.ptr, mark.len);
    scr_buf_free(&flat);
    close_el(t);
    return 1;
  }
  default:
    /* A block inside inline content (not a shape the readers make): its
     * words are kept, its structure cannot be. */
    warn_shape(t, n, "inline content");
    return 0;
  }
}

/* Opens what a block node becomes in block container `ci`. */
static int enter_block(tw *t, const scr_node *n, size_t ci, frame *f) {
  frame *c = &t->frames[ci];
  scr_node_type ty = scr_node_get_type(n);
  int kind = c->kind;
  f->ctx = CTX_INLINE;
  if (skipped_in_body(n)) return 1;
  switch (ty) {
  case SCR_NODE_NOTE:
  case SCR_NODE_FIGURE:
  case SCR_NODE_GALLERY:
  case SCR_NODE_SEPARATOR:
    place(t, ci, CL_GLOBAL, 0);
    return enter_inline(t, n, f);
  case SCR_NODE_SECTION:
    if (kind != K_DIV) { /* no div inside sp or figure: keep the blocks */
      f->ctx = CTX_BLOCK;
      f->container = ci;
      return 0;
    }
    place(t, ci, CL_DIV, 0);
    open_el(t, "div", 0);
    f->nclose = 1;
    f->ctx = CTX_BLOCK;
    f->kind = K_DIV;
    return 0;
  case SCR_NODE_TURN:
    if (kind == K_SP) { /* a turn inside a turn: its label becomes a label */
      f->ctx = CTX_BLOCK;
      f->container = ci;
      return 0;
    }
    place(t, ci, CL_COMMON, 0);
    open_el(t, "sp", 0);
    {
      scr_str who = scr_node_attr(n, SCR_ATTR_WHO);
      if (who.len) attr_ref(t, "who", NULL, who);
    }
    f->nclose = 1;
    f->ctx = CTX_BLOCK;
    f->kind = K_SP;
    return 0;
  default:
    break;
  }
  if (kind == K_SP) {
    if (c->ip) {
      close_el(t);
      c->ip = 0;
    }
    /* speaker, then p-likes: a label after the first p is a label */
    if (ty == SCR_NODE_SPEAKER && !c->speaker && !c->state) {
      c->speaker = 1;
      open_el(t, "speaker", 1);
    } else {
      c->state = 1;
      switch (ty) {
      case SCR_NODE_SPEAKER:
        open_el(t, "label", 1);
        attrz(t, "type", "speaker");
        break;
      case SCR_NODE_PARAGRAPH:
      case SCR_NODE_LEAD: open_el(t, "p", 1); break;
      case SCR_NODE_TITLE:
      case SCR_NODE_HEADING: open_el(t, "label", 1); break;
      default:
        open_el(t, "ab", 1);
        attrz(t, "type", scr_node_type_name(ty));
        break;
      }
    }
    f->nclose = 1;
    return 0;
  }
  if (kind == K_FIGURE) {
    place(t, ci, CL_COMMON, 0);
    switch (ty) {
    case SCR_NODE_TITLE:
    case SCR_NODE_HEADING: open_el(t, "head", 1); break;
    case SCR_NODE_DATELINE: open_el(t, "dateline", 1); break;
    default: open_el(t, "p", 1); break;
    }
    f->nclose = 1;
    return 0;
  }
  /* a div or the body */
  switch (ty) {
  case SCR_NODE_TITLE:
    place(t, ci, CL_HEAD, 0);
    open_el(t, "head", 1);
    attrz(t, "type",
          str_eq(scr_node_attr(n, SCR_ATTR_KIND), "repeat") ? "repeat" : "title");
    break;
  case SCR_NODE_HEADING:
    place(t, ci, CL_HEAD, 0);
    open_el(t, "head", 1);
    break;
  case SCR_NODE_LEAD:
    place(t, ci, CL_WRAP, at_end(n));
    open_el(t, "argument", 0);
    open_el(t, "p", 1);
    f->nclose = 2;
    return 0;
  case SCR_NODE_DATELINE:
    place(t, ci, CL_WRAP, at_end(n));
    open_el(t, "dateline", 1);
    break;
  case SCR_NODE_PARAGRAPH:
    place(t, ci, CL_COMMON, 0);
    open_el(t, "p", 1);
    break;
  default: /* a speaker label without its turn, media or footer lines in a
              section: blocks of their own kind */
    place(t, ci, CL_COMMON, 0);
    open_el(t, "ab", 1);
    attrz(t, "type", scr_node_type_name(ty));
    break;
  }
  f->nclose = 1;
  return 0;
}

static void enter(tw *t, const scr_node *n) {
  size_t parent = t->nframes - 1;
  frame pf = t->frames[parent];
  frame *f = push_frame(t);
  if (!f) return;
  scr_node_type ty = scr_node_get_type(n);
  f->nosaid = pf.nosaid || ty == SCR_NODE_DATE || ty == SCR_NODE_TIME ||
              ty == SCR_NODE_DATELINE;
  t->e.pos = scr_node_pos(n);
  int skip;
  int block = pf.ctx == CTX_BLOCK && scr_node_type_is_block(ty);
  f->block = (unsigned char)block;
  if (skipped_in_body(n) && ty != SCR_NODE_TEXT) {
    t->nframes--;
    t->skip = n;
    return;
  }
  layout_before(t, n, block);
  if (ty == SCR_NODE_TEXT && t->pend_before.len) emit_before(t);
  if (pf.ctx == CTX_BLOCK) {
    size_t ci = pf.container;
    if (scr_node_type_is_block(scr_node_get_type(n))) {
      skip = enter_block(t, n, ci, f);
    } else if (scr_node_get_type(n) == SCR_NODE_TEXT && is_blank(scr_node_text(n))) {
      /* blank text between blocks: kept as what it is */
      place(t, ci, CL_GLOBAL, 0);
      fw(t, "text", scr_node_text(n));
      f->nclose = 0;
      skip = 0;
    } else { /* inlines at block level: a paragraph of their own */
      frame *c = &t->frames[ci];
      if (!c->ip) {
        place(t, ci, CL_COMMON, 0);
        open_el(t, "p", 1);
        attrz(t, "resp", "#" APP_ID);
        t->frames[ci].ip = 1;
      }
      skip = enter_inline(t, n, f);
    }
  } else {
    skip = enter_inline(t, n, f);
  }
  f = &t->frames[t->nframes - 1];
  if (f->kind) f->container = t->nframes - 1;
  if (skip) {
    t->nframes--;
    t->skip = n;
    layout_after(t, n, block); /* a milestone: written whole */
  }
}

static void leave(tw *t, const scr_node *n) {
  frame f = t->frames[--t->nframes];
  if (f.kind && f.container == t->nframes) finish_container(t, &f);
  if (f.corr) {
    close_el(t); /* sic */
    open_el(t, "corr", 1);
    attrz(t, "resp", "#" APP_ID);
    texts(t, scr_node_attr(n, SCR_ATTR_CORRECTED));
    close_el(t);
    close_el(t); /* choice */
  } else {
    for (unsigned i = 0; i < f.nclose; i++) close_el(t);
  }
  layout_after(t, n, f.block);
}

/* Walks the subtree at `root`, whose own element(s) the caller wrote: its
 * children are written in the context (and container kind) given. */
static void walk(tw *t, const scr_node *root, int ctx, int kind) {
  t->nframes = 0;
  frame *f = push_frame(t);
  if (!f) return;
  f->ctx = (unsigned char)ctx;
  f->kind = (unsigned char)kind;
  scr_iter it;
  scr_event ev;
  scr_iter_init(&it, (scr_node *)root);
  scr_iter_next(&it); /* the root's ENTER */
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE && !t->e.failed) {
    if (it.cur == root) break;
    if (t->skip) {
      if (ev == SCR_EVENT_EXIT && it.cur == t->skip) t->skip = NULL;
      continue;
    }
    if (ev == SCR_EVENT_ENTER) enter(t, it.cur);
    else leave(t, it.cur);
  }
  t->skip = NULL;
  if (kind && t->nframes) finish_container(t, &t->frames[0]);
  if (t->pend_before.len) emit_before(t);
  t->nframes = 0;
}

/* ---- the header ---------------------------------------------------------------- */

/* What the header says of a person: gathered from every document (a corpus
 * keeps only this, never the documents). */
typedef struct person_rec {
  tei_list names, roles;
  char *nationality;
} person_rec;

typedef struct people {
  tei_list ids; /* in order of first appearance */
  tei_set index;
  person_rec *recs;
  size_t cap;
} people;

static person_rec *people_get(people *p, scr_str id) {
  size_t i;
  if (tei_set_get(&p->index, id.ptr, id.len, &i)) return &p->recs[i];
  if (p->ids.count == p->cap) {
    size_t cap = p->cap ? 2 * p->cap : 16;
    person_rec *grown = realloc(p->recs, cap * sizeof *grown);
    if (!grown) return NULL;
    p->recs = grown;
    p->cap = cap;
  }
  i = p->ids.count;
  /* zeroed first: when the id was listed but not indexed (out of memory),
   * people_free still frees every listed id's record */
  memset(&p->recs[i], 0, sizeof p->recs[i]);
  if (tei_list_add(&p->ids, id.ptr, id.len) != 1 ||
      tei_set_put(&p->index, id.ptr, id.len, i) != 1)
    return NULL;
  return &p->recs[i];
}

static void people_free(people *p) {
  for (size_t i = 0; i < p->ids.count; i++) {
    tei_list_free(&p->recs[i].names);
    tei_list_free(&p->recs[i].roles);
    free(p->recs[i].nationality);
  }
  free(p->recs);
  tei_list_free(&p->ids);
  tei_set_free(&p->index);
  memset(p, 0, sizeof *p);
}

/* Looks at the whole tree once: the quote ids it defines, and every person
 * it describes or refers to (added to `ppl`). */
static void survey(tw *t, const scr_doc *doc, people *ppl) {
  for (size_t i = 0; i < scr_doc_person_count(doc); i++) {
    const scr_person *sp = scr_doc_person_at(doc, i);
    person_rec *r = people_get(ppl, scr_person_id(sp));
    if (!r) {
      t->e.failed = 1;
      continue;
    }
    for (size_t k = 0; k < scr_person_name_count(sp); k++) {
      scr_str s = scr_person_name(sp, k);
      if (tei_list_add(&r->names, s.ptr, s.len) < 0) t->e.failed = 1;
    }
    for (size_t k = 0; k < scr_person_role_count(sp); k++) {
      scr_str s = scr_person_role(sp, k);
      if (tei_list_add(&r->roles, s.ptr, s.len) < 0) t->e.failed = 1;
    }
    scr_str nat = scr_person_nationality(sp);
    if (nat.len && !r->nationality && !(r->nationality = strndup(nat.ptr, nat.len)))
      t->e.failed = 1;
  }
  scr_iter it;
  scr_event ev;
  size_t nosaid = 0; /* open dates, times and datelines: no said there */
  scr_iter_init(&it, scr_doc_root(doc));
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    scr_node_type ty = scr_node_get_type(it.cur);
    int blocks_said = ty == SCR_NODE_DATE || ty == SCR_NODE_TIME || ty == SCR_NODE_DATELINE;
    if (ev != SCR_EVENT_ENTER) {
      if (blocks_said) nosaid--;
      continue;
    }
    if (blocks_said) nosaid++;
    if (ty == SCR_NODE_QUOTE && !nosaid) {
      scr_str id = scr_node_attr(it.cur, SCR_ATTR_ID);
      if (id.len && tei_set_add(&t->quote_ids, id.ptr, id.len) < 0) t->e.failed = 1;
    }
    scr_str who = scr_node_attr(it.cur, SCR_ATTR_WHO);
    if (who.len && !people_get(ppl, who)) t->e.failed = 1;
  }
}

static void write_list_person(tw *t, const people *p) {
  if (!p->ids.count) return;
  open_el(t, "listPerson", 0);
  for (size_t i = 0; i < p->ids.count; i++) {
    const person_rec *r = &p->recs[i];
    scr_str id = {p->ids.items[i], strlen(p->ids.items[i])};
    open_el(t, "person", 0);
    attr_id(t, NULL, id);
    for (size_t k = 0; k < r->names.count; k++) leafz(t, "persName", r->names.items[k]);
    for (size_t k = 0; k < r->roles.count; k++) leafz(t, "occupation", r->roles.items[k]);
    if (r->nationality) leafz(t, "nationality", r->nationality);
    close_el(t);
    if (!r->names.count)
      scr_diag_report(t->diag, SCR_WARNING, (scr_pos){0, 0, 0}, "unknown-person",
                      "person '%s' is referred to but no name of theirs is known; "
                      "listed without one",
                      id.ptr);
  }
  close_el(t);
}

static scr_str doc_title(const scr_doc *doc, scr_buf *tmp) {
  scr_str title = trim(scr_doc_meta(doc, SCR_META_TITLE));
  if (title.len) return title;
  for (scr_node *n = scr_node_first_child(scr_doc_root(doc)); n; n = scr_node_next(n))
    if (scr_node_get_type(n) == SCR_NODE_TITLE) {
      scr_buf_clear(tmp);
      if (scr_node_flatten(n, 0, tmp) == 0 && tmp->data) {
        title = trim((scr_str){tmp->data, tmp->len});
        if (title.len) return title;
      }
      break;
    }
  return SCR_STR_NULL;
}

static void write_timestamp(tw *t) {
  const char *epoch = getenv("SOURCE_DATE_EPOCH");
  time_t now = epoch && *epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
  struct tm tm;
  char when[32];
  if (!gmtime_r(&now, &tm) || !strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm))
    return;
  open_el(t, "date", 1);
  attrz(t, "when", when);
  attrz(t, "type", "conversion");
  text(t, when, strlen(when));
  close_el(t);
}

static void write_publication(tw *t, const char *id) {
  open_el(t, "publicationStmt", 0);
  leafz(t, "authority", "Scriptorium");
  open_el(t, "idno", 1);
  attrz(t, "type", "scriptorium");
  text(t, id, strlen(id));
  close_el(t);
  if (t->timestamp) write_timestamp(t);
  open_el(t, "availability", 0);
  leafz(t, "p", "A conversion, not a publication: the rights in the text are "
               "those of its source (see sourceDesc).");
  close_el(t);
  close_el(t);
}

/* The count or duration of a media line, as in "  • 6" or "- 6:46". */
static scr_str media_value(const scr_node *m, scr_buf *tmp) {
  scr_buf_clear(tmp);
  if (scr_node_flatten(m, 0, tmp) || !tmp->data) return SCR_STR_NULL;
  scr_str s = {tmp->data, tmp->len};
  for (;;) {
    s = trim(s);
    if (s.len >= 3 && memcmp(s.ptr, "\xE2\x80\xA2", 3) == 0) s.ptr += 3, s.len -= 3;
    else if (s.len && (s.ptr[0] == '-' || s.ptr[0] == '*')) s.ptr++, s.len--;
    else break;
  }
  return s;
}

static void write_source(tw *t, const scr_doc *doc, scr_str title) {
  scr_buf tmp = {0};
  open_el(t, "sourceDesc", 0);
  open_el(t, "bibl", 0);
  (void)title;
  scr_str meta_title = scr_doc_meta(doc, SCR_META_TITLE);
  if (meta_title.len) leaf(t, "title", meta_title.ptr, meta_title.len);
  scr_str publisher = scr_doc_meta(doc, SCR_META_PUBLISHER);
  if (publisher.len) leaf(t, "publisher", publisher.ptr, publisher.len);
  scr_str date = scr_doc_meta(doc, SCR_META_DATE);
  if (date.len) {
    open_el(t, "date", 1);
    if (tei_is_w3c_temporal(date.ptr, date.len)) attr(t, "when", date.ptr, date.len);
    text(t, date.ptr, date.len);
    close_el(t);
  }
  scr_str source = scr_doc_meta(doc, SCR_META_SOURCE);
  if (!t->source_as_given) source = base_name(source);
  if (source.len) {
    open_el(t, "idno", 1);
    attrz(t, "type", "file");
    text(t, source.ptr, source.len);
    close_el(t);
  }
  scr_str id = scr_doc_meta(doc, SCR_META_ID);
  if (id.len) {
    open_el(t, "idno", 1);
    attrz(t, "type", "id");
    text(t, id.ptr, id.len);
    close_el(t);
  }
  int extent = 0;
  for (scr_node *m = scr_node_first_child(scr_doc_root(doc)); m; m = scr_node_next(m)) {
    if (scr_node_get_type(m) != SCR_NODE_MEDIA) continue;
    if (!extent++) open_el(t, "extent", 0);
    scr_str count = scr_node_attr(m, SCR_ATTR_COUNT);
    scr_str dur = scr_node_attr(m, SCR_ATTR_DURATION);
    scr_str shown = media_value(m, &tmp);
    open_el(t, "measure", 1);
    attrz(t, "type", "media");
    if (is_digits(count)) {
      attr(t, "quantity", count.ptr, count.len);
      text(t, shown.len ? shown.ptr : count.ptr, shown.len ? shown.len : count.len);
    } else if (dur.len && tei_is_duration(dur.ptr, dur.len)) {
      open_el(t, "time", 1);
      attr(t, "dur-iso", dur.ptr, dur.len);
      texts(t, shown);
      close_el(t);
    } else {
      texts(t, shown);
    }
    close_el(t);
  }
  if (extent) close_el(t);
  scr_str footer = scr_doc_meta(doc, SCR_META_FOOTER);
  if (footer.len) {
    open_el(t, "note", 1);
    attrz(t, "type", "footer");
    texts(t, footer);
    close_el(t);
  }
  close_el(t); /* bibl */
  close_el(t); /* sourceDesc */
  scr_buf_free(&tmp);
}

static void para(tw *t, const char *s) { leafz(t, "p", s); }

/* The reader's conversion notes. */
static void write_notes(tw *t, const scr_doc *doc) {
  size_t n = scr_doc_note_count(doc);
  if (!n) return;
  open_el(t, "notesStmt", 0);
  for (size_t i = 0; i < n; i++) {
    scr_str s = scr_doc_note(doc, i);
    open_el(t, "note", 1);
    attrz(t, "type", "conversion");
    texts(t, s);
    close_el(t);
  }
  close_el(t);
}

/* encodingDesc: what the conversion did, the same for every document
 * written with the same options. */
static void write_encoding(tw *t, const tei_list *formats) {
  open_el(t, "encodingDesc", 0);
  open_el(t, "appInfo", 0);
  open_el(t, "application", 0);
  attrz(t, "xml:id", APP_ID);
  attrz(t, "ident", "scriptorium");
  attrz(t, "version", TEI_PLUGIN_VERSION);
  leafz(t, "label", "Scriptorium");
  open_el(t, "p", 1);
  text(t, "Converted with these options: ", 30);
  open_el(t, "list", 0);
  attrz(t, "type", "options");
  for (size_t i = 0; i < scr_options_count(t->opts); i++) {
    const char *name = scr_options_name(t->opts, i);
    const char *value = scr_options_value(t->opts, i);
    open_el(t, "item", 1);
    attrz(t, "n", name);
    if (value) text(t, value, strlen(value));
    close_el(t);
  }
  close_el(t);
  close_el(t);
  for (size_t i = 0; i < formats->count; i++) {
    open_el(t, "p", 1);
    text(t, "Read from the format ", 21);
    text(t, formats->items[i], strlen(formats->items[i]));
    text(t, ".", 1);
    close_el(t);
  }
  close_el(t); /* application */
  close_el(t); /* appInfo */

  open_el(t, "editorialDecl", 0);
  open_el(t, "correction", 0);
  attrz(t, "method", "markup");
  para(t, "A word misspelt in the source (such as a name with a stray digit) "
          "is kept as printed in sic, beside the converter's correction in "
          "corr, inside choice. Spelling variants and transliterations are not "
          "corrected: they are name forms of one person in listPerson.");
  close_el(t);
  open_el(t, "normalization", 0);
  attrz(t, "method", "markup");
  para(t, "The publisher's editorial insertions, printed in square brackets, "
          "are encoded without their brackets: supplied with "
          "reason=\"clarification\" for a word or a few, note with "
          "type=\"editorial\" and place=\"inline\" for a longer gloss. The "
          "brackets are the publisher's, not this edition's: an edition prints "
          "them back as [ and ].");
  para(t, "Layout (line ends, blank lines, indentation, a byte order mark, "
          "a gallery counter glued to a caption) is kept inside text, which "
          "is xml:space=\"preserve\": as the whitespace between elements, "
          "or in fw elements where it is not whitespace or could not be told "
          "apart. Characters that XML 1.0 cannot carry are replaced by U+FFFD "
          "or dropped, as the options say, and reported.");
  close_el(t);
  open_el(t, "quotation", 0);
  attrz(t, "marks", "all");
  para(t, "Quotation marks are kept as printed, straight or curly, as text "
          "inside said. A quotation that runs over several paragraphs is one "
          "said per paragraph, linked with next and prev. A quotation the "
          "source leaves unclosed is closed at the end of its paragraph and "
          "marked rend=\"unclosed\".");
  close_el(t);
  open_el(t, "segmentation", 0);
  para(t, "One p per paragraph of the source. A speaker-labelled turn is an sp "
          "with its speaker, and runs until the next label. A heading opens a "
          "div; a separator such as * * * is a milestone with unit=\"section\". "
          "The title is the body's head, the scrape's repeats of it are heads "
          "of type \"repeat\", the lead paragraph is an argument, the dateline "
          "a dateline, photo captions are figures (a gallery is a figure of "
          "type \"gallery\"). Media counts are a list in front and measures in "
          "sourceDesc; the source footer is in back.");
  close_el(t);
  open_el(t, "interpretation", 0);
  para(t, "Speakers of said are attributed by the converter. @ana points at "
          "how (the attribution taxonomy); an attribution read from a name, an "
          "epithet, a pronoun or the context, rather than from a speaker "
          "label, carries resp=\"#scriptorium\" and, where known, cert. A said "
          "without @who is one the text does not attribute.");
  close_el(t);
  close_el(t); /* editorialDecl */

  static const char *const descs[] = {
      "the speaker label of the turn",
      "a name in the same sentence or paragraph",
      "an epithet (the Belarusian leader)",
      "a pronoun (he said)",
      "the context: a continued quotation or the surrounding text"};
  open_el(t, "classDecl", 0);
  open_el(t, "taxonomy", 0);
  attrz(t, "xml:id", "attribution");
  for (size_t i = 0; attribution_methods[i]; i++) {
    char id[64];
    snprintf(id, sizeof id, "attribution.%s", attribution_methods[i]);
    open_el(t, "category", 0);
    attrz(t, "xml:id", id);
    leafz(t, "catDesc", descs[i]);
    close_el(t);
  }
  close_el(t);
  close_el(t);
  close_el(t); /* encodingDesc */
}

static void write_setting(tw *t, const scr_doc *doc) {
  scr_str place = scr_doc_meta(doc, SCR_META_PLACE);
  scr_str date = scr_doc_meta(doc, SCR_META_DATE);
  scr_str time_of_day = scr_doc_meta(doc, SCR_META_TIME);
  if (!place.len && !date.len && !time_of_day.len) return;
  open_el(t, "settingDesc", 0);
  open_el(t, "setting", 0);
  if (place.len) leaf(t, "placeName", place.ptr, place.len);
  if (date.len) {
    open_el(t, "date", 1);
    if (tei_is_w3c_temporal(date.ptr, date.len)) attr(t, "when", date.ptr, date.len);
    texts(t, date);
    close_el(t);
  }
  if (time_of_day.len) {
    char when[16];
    open_el(t, "time", 1);
    if (time_of_day.len == 5 && time_of_day.ptr[2] == ':') {
      snprintf(when, sizeof when, "%.5s:00", time_of_day.ptr);
      if (tei_is_w3c_temporal(when, 8)) attrz(t, "when", when);
    }
    texts(t, time_of_day);
    close_el(t);
  }
  close_el(t);
  close_el(t);
}

static void write_language(tw *t, const scr_doc *doc) {
  scr_str lang = scr_doc_meta(doc, SCR_META_LANGUAGE);
  if (!is_language(lang)) lang = (scr_str){"en", 2};
  open_el(t, "langUsage", 0);
  open_el(t, "language", 1);
  attr(t, "ident", lang.ptr, lang.len);
  const char *name = tei_language_name(lang.ptr, lang.len);
  if (name) text(t, name, strlen(name));
  else texts(t, lang);
  close_el(t);
  close_el(t);
}

/* ---- documents ------------------------------------------------------------------ */

static void write_text(tw *t, const scr_doc *doc) {
  scr_node *root = scr_doc_root(doc);
  open_el(t, "text", 0);
  attrz(t, "xml:space", "preserve");
  t->e.in_text = 1;
  t->last_after = NULL;
  scr_str root_before = scr_node_attr(root, SCR_ATTR_BEFORE);
  if (root_before.len) fw(t, "before", root_before);
  int front = 0;
  for (scr_node *m = scr_node_first_child(root); m; m = scr_node_next(m)) {
    if (scr_node_get_type(m) != SCR_NODE_MEDIA) continue;
    if (!front++) {
      open_el(t, "front", 0);
      open_el(t, "div", 0);
      attrz(t, "type", "media");
      open_el(t, "list", 0);
    }
    layout_before(t, m, 1);
    open_el(t, "item", 1);
    walk(t, m, CTX_INLINE, K_NONE);
    close_el(t);
    layout_after(t, m, 1);
  }
  if (front) {
    close_el(t);
    close_el(t);
    close_el(t);
  }
  open_el(t, "body", 0);
  walk(t, root, CTX_BLOCK, K_DIV);
  close_el(t);
  int back = 0;
  for (scr_node *m = scr_node_first_child(root); m; m = scr_node_next(m)) {
    if (scr_node_get_type(m) != SCR_NODE_FOOTER) continue;
    if (!back++) {
      open_el(t, "back", 0);
      open_el(t, "div", 0);
      attrz(t, "type", "footer");
    }
    layout_before(t, m, 1);
    open_el(t, "p", 1);
    walk(t, m, CTX_INLINE, K_NONE);
    close_el(t);
    layout_after(t, m, 1);
  }
  if (back) {
    close_el(t);
    close_el(t);
  }
  scr_str root_after = scr_node_attr(root, SCR_ATTR_AFTER);
  if (root_after.len) fw(t, "after", root_after);
  t->e.in_text = 0;
  close_el(t);
}

/* A path as a URI reference: bytes outside the unreserved set and '/' are
 * percent-encoded. */
static void href_attr(tw *t, const char *path) {
  scr_buf_clear(&t->ref);
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                (*p >= '0' && *p <= '9') || strchr("-._~/", *p);
    if (plain ? scr_buf_putc(&t->ref, (char)*p) : scr_buf_printf(&t->ref, "%%%02X", *p))
      t->e.failed = 1;
  }
  if (t->ref.data) attr(t, "href", t->ref.data, t->ref.len);
}

/* One TEI element. Standalone, it holds everything; in a corpus, the
 * corpus header holds the application, the taxonomy and the persons, the
 * document's header points at them, and its text is included from the
 * document's own file (`path`), or written here when there is none. The
 * document's persons are surveyed into `ppl` (empty; the caller frees it),
 * which a corpus member passes on to the corpus header. */
static void write_document(tw *t, const scr_doc *doc, const char *docid, people *ppl,
                           int in_corpus, const char *path) {
  t->doc = doc;
  tei_set_free(&t->quote_ids);
  scr_buf_clear(&t->prefix);
  if (scr_buf_puts(&t->prefix, docid) || scr_buf_putc(&t->prefix, '.')) t->e.failed = 1;
  survey(t, doc, ppl);

  open_el(t, "TEI", 0);
  if (!in_corpus) attrz(t, "xmlns", TEI_NS);
  attrz(t, "xml:id", docid);
  scr_str lang = scr_doc_meta(doc, SCR_META_LANGUAGE);
  if (is_language(lang)) attr(t, "xml:lang", lang.ptr, lang.len);

  scr_buf tmp = {0};
  scr_str title = doc_title(doc, &tmp);
  open_el(t, "teiHeader", 0);
  open_el(t, "fileDesc", 0);
  open_el(t, "titleStmt", 0);
  if (title.len) {
    leaf(t, "title", title.ptr, title.len);
  } else {
    scr_diag_report(t->diag, SCR_WARNING, (scr_pos){0, 0, 0}, "no-title",
                    "the document has no title; its id stands in");
    leafz(t, "title", docid);
  }
  close_el(t);
  write_publication(t, docid);
  write_notes(t, doc);
  write_source(t, doc, title);
  close_el(t); /* fileDesc */
  if (!in_corpus) {
    tei_list formats = {0};
    scr_str from = scr_doc_meta(doc, SCR_META_FORMAT);
    if (from.len && tei_list_add(&formats, from.ptr, from.len) < 0) t->e.failed = 1;
    write_encoding(t, &formats);
    tei_list_free(&formats);
  }
  open_el(t, "profileDesc", 0);
  write_language(t, doc);
  if (ppl->ids.count) {
    open_el(t, "particDesc", 0);
    if (!in_corpus) {
      write_list_person(t, ppl);
    } else { /* defined once, in the corpus header */
      open_el(t, "listPerson", 0);
      for (size_t i = 0; i < ppl->ids.count; i++) {
        open_el(t, "person", 0);
        attr_ref(t, "sameAs", NULL, (scr_str){ppl->ids.items[i], strlen(ppl->ids.items[i])});
        close_el(t);
      }
      close_el(t);
    }
    close_el(t);
  }
  write_setting(t, doc);
  close_el(t); /* profileDesc */
  close_el(t); /* teiHeader */
  scr_buf_free(&tmp);

  if (in_corpus && path) {
    /* the text element of the document's own file: TEI's second child */
    open_el(t, "xi:include", 0);
    href_attr(t, path);
    attrz(t, "xpointer", "element(/1/2)");
    close_el(t);
  } else {
    write_text(t, doc);
  }
  close_el(t); /* TEI */
}

/* The document's id as an NCName without dots (a dot separates it from the
 * ids it prefixes). The same in a document's own file and in a corpus. */
static void make_docid(tw *t, const scr_doc *doc, scr_buf *out) {
  scr_str id = scr_doc_meta(doc, SCR_META_ID);
  if (!id.len) {
    scr_str src = base_name(scr_doc_meta(doc, SCR_META_SOURCE));
    for (size_t i = src.len; i > 0; i--)
      if (src.ptr[i - 1] == '.') {
        src.len = i - 1;
        break;
      }
    id = src.len ? src : (scr_str){"doc", 3};
  }
  scr_buf_clear(out);
  if (tei_ncname(out, id.ptr, id.len, "d")) t->e.failed = 1;
  for (size_t i = 0; i < out->len; i++)
    if (out->data[i] == '.') out->data[i] = '_';
}

/* libxml2's allocator is the C library's, but for one thing: libxml2
 * 2.9.14 does not survive every allocation failing (xmlSchemaInitTypes
 * dereferences what it could not allocate; so do xmlRegexpCompile, which
 * RELAX NG validation calls for each value with a pattern, and other
 * paths of its validator). So where nothing is being written, while
 * libxml2 sets up its process-wide tables and while a file is validated,
 * a failure ends the process with a message and status 1 instead of a
 * crash (tei_fatal_oom). The one place a plugin prints and exits: libxml2
 * gives no way back. Writing and reading TEI, which run beside outputs
 * being written, check every return instead. */
static atomic_int fatal_oom;

void tei_fatal_oom(int on) { atomic_fetch_add(&fatal_oom, on ? 1 : -1); }

static void fatal(void) {
  static const char msg[] = "scriptorium: error: out of memory (in libxml2)\n";
  if (write(2, msg, sizeof msg - 1) < 0) { /* nothing more to say */
  }
  _exit(1);
}

static void *xml_malloc(size_t n) {
  void *p = malloc(n);
  if (!p && atomic_load(&fatal_oom)) fatal();
  return p;
}

static void *xml_realloc(void *q, size_t n) {
  void *p = realloc(q, n);
  if (!p && atomic_load(&fatal_oom)) fatal();
  return p;
}

static char *xml_strdup(const char *s) {
  char *p = strdup(s);
  if (!p && atomic_load(&fatal_oom)) fatal();
  return p;
}

static void xml_free(void *p) { free(p); }

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_libxml(void) {
  xmlMemSetup(xml_free, xml_malloc, xml_realloc, xml_strdup);
  tei_fatal_oom(1);
  xmlInitParser();
  tei_fatal_oom(0);
  tei_io_install(); /* before anything is parsed: see loader.c */
  tei_emit_setup();
}

static pthread_once_t relaxng_once = PTHREAD_ONCE_INIT;
static void init_relaxng(void) {
  tei_fatal_oom(1);
  xmlSchemaInitTypes();
  xmlRelaxNGInitTypes();
  tei_fatal_oom(0);
}

void tei_init_relaxng(void) { pthread_once(&relaxng_once, init_relaxng); }

/* libxml2's errors that no context of ours catches (out of memory in its
 * buffers and writer, mostly): every caller here sees the failure in a
 * return value and reports it. Not letting libxml2 print them also keeps
 * it out of xmlReportError, which under memory pressure (ulimit -v, -j 2
 * and more) read a message that was no longer mapped (segfault in
 * xmlStrlen). */
void tei_xml_errors(void *user, xmlErrorPtr err) {
  (void)user;
  (void)err;
}

int tei_init(void) {
  pthread_once(&init_once, init_libxml);
  /* libxml2 allocates a thread's own globals on its first call there and,
   * when that fails, dereferences NULL in every later call (its error
   * reporting first): had here, before any other call on the thread.
   * And 2.9's xmlGetGlobalState reports its own failure through
   * xmlGenericError, which calls xmlGetGlobalState again: while memory is
   * short it recurses until the stack overflows (seen under ulimit -v with
   * -j 8). So the room is made first: a block of the very size it
   * allocates, freed to this thread's cache, from which its malloc takes
   * it back. */
  if (!xmlIsMainThread()) {
    void *room = malloc(sizeof(xmlGlobalState));
    if (!room) return -1;
    free(room);
    if (!xmlGetGlobalState()) return -1;
  }
  /* per thread (the main thread's is the process's) */
  if (xmlStructuredError != tei_xml_errors) xmlSetStructuredErrorFunc(NULL, tei_xml_errors);
  return 0;
}

static int begin(tw *t, scr_buf *out, const scr_options *opts, scr_diag *diag,
                 int declaration) {
  memset(t, 0, sizeof *t);
  if (tei_init()) return -1;
  t->diag = diag;
  t->opts = opts;
  t->e.out = out;
  t->e.diag = diag;
  t->e.indent = (int)scr_options_get_int(opts, "indent", 2);
  t->timestamp = scr_options_get_bool(opts, "timestamp", 0);
  const char *src = scr_options_get(opts, "source");
  t->source_as_given = !(src && strcmp(src, "file-name") == 0);
  const char *b = scr_options_get(opts, "brackets");
  t->brackets = b && strcmp(b, "note") == 0       ? BRACKETS_NOTE
                : b && strcmp(b, "supplied") == 0 ? BRACKETS_SUPPLIED
                                                  : BRACKETS_AUTO;
  const char *c = scr_options_get(opts, "xml-chars");
  t->e.chars = c && strcmp(c, "drop") == 0    ? TEI_CHARS_DROP
               : c && strcmp(c, "error") == 0 ? TEI_CHARS_ERROR
                                              : TEI_CHARS_REPLACE;
  /* A fragment without the declaration (a corpus member) writes non-ASCII
   * in attribute values as character references, as libxml2's writer did
   * when no encoding was declared: the corpus file keeps its bytes. */
  t->e.attr_refs = !declaration;
  if (declaration) tei_emit_raw(&t->e, XML_DECLARATION, sizeof XML_DECLARATION - 1);
  return 0;
}

static int end(tw *t) {
  tei_emit_finish(&t->e);
  if (t->e.bad_chars > MAX_CHAR_REPORTS)
    scr_diag_report(t->diag, t->e.chars == TEI_CHARS_ERROR ? SCR_ERROR : SCR_WARNING,
                    (scr_pos){0, 0, 0}, "xml-char",
                    "%zu characters in all could not be written in XML 1.0",
                    t->e.bad_chars);
  if (t->e.failed)
    scr_diag_report(t->diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei",
                    "could not write the TEI document (out of memory?)");
  int rc = t->e.failed || t->e.char_error ? -1 : 0;
  scr_buf_free(&t->ref);
  scr_buf_free(&t->prefix);
  tei_set_free(&t->quote_ids);
  free(t->frames);
  return rc;
}

int tei_write(const scr_doc *doc, scr_buf *out, const scr_options *opts, scr_diag *diag) {
  tw t;
  if (begin(&t, out, opts, diag, 1)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei",
                    "could not start the XML writer");
    return -1;
  }
  scr_buf docid = {0};
  make_docid(&t, doc, &docid);
  people ppl = {0};
  write_document(&t, doc, docid.data ? docid.data : "d", &ppl, 0, NULL);
  people_free(&ppl);
  scr_buf_free(&docid);
  tei_emit_raw(&t.e, "\n", 1);
  return end(&t);
}

/* ---- corpora --------------------------------------------------------------------- */

/* What a corpus keeps between documents: the persons, the formats read and
 * the ids taken. The member TEI elements go to the host as they are written
 * (the corpus file's BODY), so memory does not grow with the corpus. */
typedef struct corpus {
  const scr_options *opts;
  people ppl;
  tei_list formats;
  tei_set ids;
  size_t count;
} corpus;

void *tei_corpus_open(const scr_options *opts, scr_diag *diag) {
  corpus *c = calloc(1, sizeof *c);
  if (!c) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei", "out of memory");
    return NULL;
  }
  c->opts = opts;
  /* the corpus header's own ids: no document takes them */
  static const char *const fixed[] = {APP_ID, "attribution", "corpus", NULL};
  int err = 0;
  for (size_t i = 0; fixed[i]; i++) err |= tei_set_add(&c->ids, fixed[i], strlen(fixed[i])) < 0;
  for (size_t i = 0; attribution_methods[i]; i++) {
    char id[64];
    snprintf(id, sizeof id, "attribution.%s", attribution_methods[i]);
    err |= tei_set_add(&c->ids, id, strlen(id)) < 0;
  }
  if (err) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei", "out of memory");
    tei_set_free(&c->ids);
    free(c);
    return NULL;
  }
  return c;
}

/* A document's part of the corpus: its TEI element (header only when its
 * own file holds the text), rendered without the corpus, and what the
 * corpus header needs from it. Made on a worker thread (corpus_prepare) or
 * right away (corpus_add); merged in input order. */
/* One block: INFO, then the TEI element's bytes. INFO is what the corpus
 * header needs: the document id (empty: none could be made), the format
 * read, then the persons as tagged strings, each ended by a NUL: 'P' id,
 * then its 'N' names, 'R' offices and 'X' nationality, in the order
 * survey adds them. One block, because the member is made on a
 * worker and freed by the thread that merges: glibc's allocator locks the
 * worker's arena for each block freed from another thread. */
typedef struct member {
  size_t info_len, bytes_len;
  char data[];
} member;

static void member_free(member *m) { free(m); }

static int info_put(scr_buf *b, char tag, const char *s) {
  return scr_buf_putc(b, tag) || scr_buf_put(b, s, strlen(s) + 1);
}

static int info_people(scr_buf *b, const people *p) {
  for (size_t i = 0; i < p->ids.count; i++) {
    const person_rec *r = &p->recs[i];
    if (info_put(b, 'P', p->ids.items[i])) return -1;
    for (size_t k = 0; k < r->names.count; k++)
      if (info_put(b, 'N', r->names.items[k])) return -1;
    for (size_t k = 0; k < r->roles.count; k++)
      if (info_put(b, 'R', r->roles.items[k])) return -1;
    if (r->nationality && info_put(b, 'X', r->nationality)) return -1;
  }
  return 0;
}

/* Adds the persons of a member's info (from `at`) to `into`, as
 * surveying the documents one after the other into `into` would. */
static int info_merge(people *into, const char *at, const char *end) {
  person_rec *r = NULL;
  while (at < end) {
    char tag = *at++;
    size_t n = strlen(at);
    if (tag == 'P') {
      if (!(r = people_get(into, (scr_str){at, n}))) return -1;
    } else if (r && tag == 'N') {
      if (tei_list_add(&r->names, at, n) < 0) return -1;
    } else if (r && tag == 'R') {
      if (tei_list_add(&r->roles, at, n) < 0) return -1;
    } else if (r && tag == 'X' && !r->nationality) {
      if (!(r->nationality = strndup(at, n))) return -1;
    }
    at += n + 1;
  }
  return 0;
}

static member *member_render(const scr_doc *doc, const char *path, const scr_options *opts,
                             scr_diag *diag) {
  scr_buf bytes = {0}, info = {0}, docid = {0};
  tw t;
  if (begin(&t, &bytes, opts, diag, 0)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei",
                    "could not start the XML writer");
    return NULL;
  }
  people ppl = {0};
  make_docid(&t, doc, &docid);
  scr_str from = scr_doc_meta(doc, SCR_META_FORMAT);
  /* written one level in, as a child of teiCorpus */
  t.e.base_level = 1;
  if (docid.data) write_document(&t, doc, docid.data, &ppl, 1, path);
  if (scr_buf_put(&info, docid.data ? docid.data : "", docid.len + 1) ||
      scr_buf_put(&info, from.ptr ? from.ptr : "", from.len) || scr_buf_putc(&info, '\0') ||
      info_people(&info, &ppl))
    t.e.failed = 1;
  scr_buf_free(&docid);
  people_free(&ppl);
  member *m = NULL;
  if (end(&t) == 0) {
    m = malloc(sizeof *m + info.len + bytes.len);
    if (m) {
      m->info_len = info.len;
      m->bytes_len = bytes.len;
      memcpy(m->data, info.data, info.len);
      if (bytes.len) memcpy(m->data + info.len, bytes.data, bytes.len);
    } else {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei", "out of memory");
    }
  }
  scr_buf_free(&bytes);
  scr_buf_free(&info);
  return m;
}

/* Adds a rendered member to the corpus, unless its id is taken. */
static int member_merge(corpus *c, const member *m, scr_buf *body, scr_diag *diag) {
  const char *docid = m->data, *end = m->data + m->info_len;
  size_t idlen = strlen(docid);
  const char *format = docid + idlen + 1;
  size_t flen = strlen(format);
  int added = idlen ? tei_set_add(&c->ids, docid, idlen) : 0;
  if (added < 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei", "out of memory");
    return -1;
  }
  if (!added) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "duplicate-id",
                    "the document id '%s' is already taken in the corpus; "
                    "the document is left out of it",
                    docid);
    return 0;
  }
  if ((flen && tei_list_add(&c->formats, format, flen) < 0) ||
      info_merge(&c->ppl, format + flen + 1, end) ||
      scr_buf_put(body, m->data + m->info_len, m->bytes_len)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei", "out of memory");
    return -1;
  }
  c->count++;
  return 0;
}

void *tei_corpus_prepare(const scr_doc *doc, const char *path, const scr_options *opts,
                         scr_diag *diag) {
  return member_render(doc, path, opts, diag);
}

int tei_corpus_merge(void *state, void *prepared, scr_buf *body, scr_diag *diag) {
  int rc = state && body ? member_merge(state, prepared, body, diag) : 0;
  member_free(prepared);
  return rc;
}

int tei_corpus_add(void *state, const scr_doc *doc, const char *path, scr_buf *body,
                   scr_diag *diag) {
  corpus *c = state;
  member *m = member_render(doc, path, c->opts, diag);
  if (!m) return -1;
  int rc = member_merge(c, m, body, diag);
  member_free(m);
  return rc;
}

static void corpus_free(corpus *c) {
  people_free(&c->ppl);
  tei_list_free(&c->formats);
  tei_set_free(&c->ids);
  free(c);
}

/* HEAD is everything up to the end of the corpus header, TAIL the closing
 * of teiCorpus; the host puts the members (BODY) between them. */
int tei_corpus_close(void *state, scr_buf *head, scr_buf *tail, scr_diag *diag) {
  corpus *c = state;
  if (!head || !tail) {
    corpus_free(c);
    return 0;
  }
  tw t;
  if (begin(&t, head, c->opts, diag, 1)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei", "could not start the XML writer");
    corpus_free(c);
    return -1;
  }
  for (size_t i = 0; i < c->ppl.ids.count; i++)
    if (tei_set_has(&c->ids, c->ppl.ids.items[i], strlen(c->ppl.ids.items[i])))
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "duplicate-id",
                      "person id '%s' is also a document id", c->ppl.ids.items[i]);
  open_el(&t, "teiCorpus", 0);
  attrz(&t, "xmlns", TEI_NS);
  attrz(&t, "xmlns:xi", "http://www.w3.org/2001/XInclude");
  attrz(&t, "xml:id", "corpus");
  open_el(&t, "teiHeader", 0);
  open_el(&t, "fileDesc", 0);
  open_el(&t, "titleStmt", 0);
  char title[96];
  snprintf(title, sizeof title, "A corpus of %zu transcript%s", c->count,
           c->count == 1 ? "" : "s");
  leafz(&t, "title", title);
  close_el(&t);
  write_publication(&t, "corpus");
  open_el(&t, "sourceDesc", 0);
  para(&t, "Each TEI document of the corpus describes its own source.");
  close_el(&t);
  close_el(&t); /* fileDesc */
  write_encoding(&t, &c->formats);
  if (c->ppl.ids.count) {
    open_el(&t, "profileDesc", 0);
    open_el(&t, "particDesc", 0);
    write_list_person(&t, &c->ppl);
    close_el(&t);
    close_el(&t);
  }
  close_el(&t); /* teiHeader */
  size_t split = head->len;
  if (t.e.nels) t.e.els[0].has_child = 1;
  close_el(&t); /* teiCorpus */
  tei_emit_raw(&t.e, "\n", 1);
  corpus_free(c);
  int rc = end(&t);
  if (rc == 0 && scr_buf_put(tail, head->data + split, head->len - split) == 0) {
    head->len = split;
    head->data[split] = '\0';
  } else if (rc == 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    rc = -1;
  }
  return rc;
}
