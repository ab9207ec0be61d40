/* body.c - the text element: the walk over the tree (scr_iter, with a stack
 * of frames, one per node being walked, saying how many elements each node
 * opened and, for block containers, where TEI's content models stand: a
 * head may only open a div, a dateline may only stand at its top or its
 * end, ...), and the layout (BEFORE and AFTER) that rides in it. Where the
 * tree's shape does not fit TEI's content model, the writer opens a div of
 * its own rather than write an invalid document; docs/tei.md lists these
 * rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parla.h"
#include "state.h"

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

static void fw(tei_writer *t, const char *type, scr_str s) {
  open_el(t, TEI_EL_FW);
  attrz(t, "type", type);
  put_text(t, s.ptr, s.len);
  close_el(t);
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
static void layout_before_is(tei_writer *t, const scr_node *n, int block, scr_str b) {
  t->pend_before = SCR_STR_NULL;
  if (!b.len) return;
  const scr_node *prev = layout_prev(n);
  t->pend_before = b;
  t->pend_plain = block && only_chars(b, " \t") &&
                  (!prev || (prev == t->last_after && t->last_after_plain_nl));
}

static void layout_before(tei_writer *t, const scr_node *n, int block) {
  layout_before_is(t, n, block, scr_node_attr(n, SCR_ATTR_BEFORE));
}

/* ---- slides ------------------------------------------------------------------- */

/* One slide of a gallery is one <figure>: its counted FIGURE (the one with
 * n) and the FIGUREs next to it that repeat it (kind "repeat": the scrape
 * gave the slide's alt text and caption again), each a head, the repeats
 * head type="repeat". The reader gives every head its FIGURE back. */
static int is_figure(const scr_node *n) {
  return n && scr_node_get_type(n) == SCR_NODE_FIGURE;
}
static int fig_repeat(const scr_node *n) {
  return tei_str_is(scr_node_attr(n, SCR_ATTR_KIND), "repeat");
}
static int fig_counted(const scr_node *n) {
  return !fig_repeat(n) && is_digits(scr_node_attr(n, SCR_ATTR_N));
}

/* Whether FIGURE n belongs to the slide of p, the FIGURE before it. */
static int same_slide(const scr_node *p, const scr_node *n) {
  if (!is_figure(p) || !is_figure(n)) return 0;
  const scr_node *g = scr_node_parent(n);
  if (!g || scr_node_get_type(g) != SCR_NODE_GALLERY) return 0;
  if (fig_repeat(n)) return fig_repeat(p) || fig_counted(p);
  if (!fig_counted(n) || !fig_repeat(p)) return 0;
  /* a counted FIGURE after repeats: theirs, unless they repeat another */
  while (is_figure(p) && fig_repeat(p)) p = scr_node_prev(p);
  return !(is_figure(p) && fig_counted(p));
}

/* A slide's video (the site's player in the slider): TEI media, with its
 * type; else the photo is a graphic. */
static const char *video_type(scr_str url) {
  static const struct {
    const char *ext, *type;
  } videos[] = {{".mp4", "video/mp4"}, {".webm", "video/webm"}, {".mov", "video/quicktime"}};
  for (size_t i = 0; i < sizeof videos / sizeof videos[0]; i++) {
    size_t n = strlen(videos[i].ext);
    if (url.len > n && !strncasecmp(url.ptr + url.len - n, videos[i].ext, n)) return videos[i].type;
  }
  return NULL;
}

/* The FIGURE whose n the slide starting at n takes. */
static const scr_node *slide_counted(const scr_node *n) {
  for (const scr_node *m = n;; m = scr_node_next(m)) {
    if (fig_counted(m)) return m;
    if (!same_slide(m, scr_node_next(m))) return n;
  }
}

static void layout_after(tei_writer *t, const scr_node *n, int block) {
  scr_str a = scr_node_attr(n, SCR_ATTR_AFTER);
  if (t->pend_before.len) tei_layout_before_due(t); /* a node that opened no element */
  if (!a.len) return;
  int nl = memchr(a.ptr, '\n', a.len) != NULL, ends_nl = a.ptr[a.len - 1] == '\n';
  int plain = block && only_chars(a, " \t\r\n") && (!nl || ends_nl);
  if (plain) put_text(t, a.ptr, a.len);
  else fw(t, "after", a);
  t->last_after = n;
  t->last_after_plain_nl = !plain || ends_nl;
}

/* ---- the walk ---------------------------------------------------------------- */

static frame *push_frame(tei_writer *t) {
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
static void empty_p(tei_writer *t) {
  open_el(t, TEI_EL_P);
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
static void place(tei_writer *t, size_t ci, int cls, int at_end) {
  frame *c = &t->frames[ci];
  if (c->ip) {
    close_el(t);
    c->ip = 0;
  }
  if (c->kind != K_DIV) {
    tei_parla_open_u(t, c);
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
  open_el(t, TEI_EL_DIV);
  attrz(t, "resp", "#" APP_ID);
  c->idiv = 1;
  c->inner = S_TOP;
  div_allows(&c->inner, cls, at_end);
}

static void finish_container(tei_writer *t, frame *f) {
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
  } else if (f->kind == K_SP && f->u) {
    tei_parla_open_u(t, f); /* a u may be empty: it carries @who */
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

static void warn_shape(tei_writer *t, const scr_node *n, const char *where) {
  if (t->warned_shape++) return;
  scr_diag_report(t->diag, SCR_WARNING, scr_node_pos(n), "tei-shape",
                  "a %s inside %s has no TEI element there; its text is kept "
                  "without it",
                  scr_node_type_name(scr_node_get_type(n)), where);
}

static void write_said(tei_writer *t, const scr_node *n) {
  /* a pull quote, the site's display copy of a sentence of a turn (marks
   * reversed), is a quotation, not a second utterance: q, not said, and
   * no speaker */
  int pull = tei_str_is(scr_node_attr(n, SCR_ATTR_KIND), "pull-quote");
  open_el(t, pull ? TEI_EL_Q : TEI_EL_SAID);
  if (pull) attrz(t, "type", "pull-quote");
  scr_str who = scr_node_attr(n, SCR_ATTR_WHO);
  scr_str method = scr_node_attr(n, SCR_ATTR_METHOD);
  scr_str cert = scr_node_attr(n, SCR_ATTR_CERT);
  scr_str id = scr_node_attr(n, SCR_ATTR_ID);
  if (id.len) tei_attr_id(t, t->prefix.data, id);
  if (who.len && !pull) {
    tei_attr_ref(t, "who", NULL, who);
    int known = 0;
    for (size_t i = 0; tei_attribution_methods[i]; i++)
      if (tei_str_is(method, tei_attribution_methods[i])) known = 1;
    if (known) {
      char ana[64];
      snprintf(ana, sizeof ana, "#attribution.%.*s", (int)method.len, method.ptr);
      attrz(t, "ana", ana);
    }
    /* A speaker label is the source's own attribution; everything else is
     * the converter's reading of the text. */
    if (!tei_str_is(method, SCR_METHOD_LABEL)) attrz(t, "resp", "#" APP_ID);
    if (tei_str_is(cert, SCR_CERT_HIGH) || tei_str_is(cert, SCR_CERT_MEDIUM) ||
        tei_str_is(cert, SCR_CERT_LOW))
      attr(t, "cert", cert.ptr, cert.len);
  }
  static const scr_attr links[] = {SCR_ATTR_NEXT, SCR_ATTR_PREV};
  for (size_t i = 0; i < 2; i++) {
    scr_str to = scr_node_attr(n, links[i]);
    if (!to.len) continue;
    if (tei_set_has(&t->quote_ids, to.ptr, to.len)) {
      tei_attr_ref(t, scr_attr_name(links[i]), t->prefix.data, to);
    } else {
      scr_diag_report(t->diag, SCR_WARNING, scr_node_pos(n), "dangling-link",
                      "quote's @%s points at '%.*s', which no quote has; "
                      "the link is left out",
                      scr_attr_name(links[i]), (int)to.len, to.ptr);
    }
  }
  if (tei_str_is(scr_node_attr(n, SCR_ATTR_KIND), "unclosed")) attrz(t, "rend", "unclosed");
  /* reported speech: the speaker's words in the narrator's */
  if (tei_str_is(scr_node_attr(n, SCR_ATTR_KIND), "indirect")) attrz(t, "direct", "false");
}

/* 14:50 -> 14:50:00, as xsd:time wants. */
static void write_time_attr(tei_writer *t, const scr_node *n) {
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

/* Inlines at block level: a paragraph of their own, opened by the first. */
static void implicit_p(tei_writer *t, size_t ci) {
  if (t->frames[ci].ip) return;
  place(t, ci, CL_COMMON, 0);
  if (t->frames[ci].u) {
    tei_parla_seg(t, SCR_NODE_PARAGRAPH, 1);
  } else {
    open_el(t, TEI_EL_P);
    attrz(t, "resp", "#" APP_ID);
  }
  t->frames[ci].ip = 1;
}

/* Room for a block in an sp or a figure: the implicit p, if any, is done;
 * in an sp, what follows is past its speaker. */
static void sp_figure_room(tei_writer *t, frame *c) {
  if (c->ip) {
    close_el(t);
    c->ip = 0;
  }
  tei_parla_open_u(t, c);
  if (c->kind == K_SP) c->state = 1;
}

/* Opens what node `n` becomes and fills in its frame: in block container
 * `ci` when its parent's children are blocks (`in_block`), else in inline
 * content. The one switch over node types; where the container decides
 * (a div, an sp, a figure), the case says how. Returns 0, or 1 when the
 * subtree is written whole (a milestone). */
static int enter_node(tei_writer *t, const scr_node *n, frame *f, size_t ci, int in_block) {
  scr_node_type ty = scr_node_get_type(n);
  frame *c = in_block ? &t->frames[ci] : NULL;
  int kind = c ? c->kind : K_NONE;
  int in_div = kind != K_SP && kind != K_FIGURE; /* a div or the body */
  f->ctx = CTX_INLINE;
  switch (ty) {
  /* ---- inlines (at block level, in a paragraph of their own) ---- */
  case SCR_NODE_TEXT:
    if (in_block && is_blank(scr_node_text(n))) {
      /* blank text between blocks: kept as what it is */
      place(t, ci, CL_GLOBAL, 0);
      fw(t, "text", scr_node_text(n));
      return 0;
    }
    if (in_block) implicit_p(t, ci);
    texts(t, scr_node_text(n));
    return 0;
  case SCR_NODE_QUOTE:
    if (in_block) implicit_p(t, ci);
    if (f->nosaid) { /* its words are kept, not the said */
      warn_shape(t, n, "a date, time or dateline");
      return 0;
    }
    write_said(t, n);
    f->nclose = 1;
    return 0;
  case SCR_NODE_INSERTION: {
    if (in_block) implicit_p(t, ci);
    int note = t->brackets == BRACKETS_NOTE ||
               (t->brackets == BRACKETS_AUTO && tei_insertion_is_gloss(n));
    if (note) {
      open_el(t, TEI_EL_NOTE);
      attrz(t, "type", "editorial");
      attrz(t, "place", "inline");
    } else {
      open_el(t, tei_element_for(ty)); /* supplied */
      attrz(t, "reason", "clarification");
    }
    /* the publisher's editors' words, not this encoder's (the header's
     * respStmt says whose) */
    tei_attr_ref(t, "resp", t->prefix.data, (scr_str){TEI_PUBLISHER_ID, strlen(TEI_PUBLISHER_ID)});
    f->nclose = 1;
    return 0;
  }
  case SCR_NODE_CORRECTION: {
    if (in_block) implicit_p(t, ci);
    scr_str corr = scr_node_attr(n, SCR_ATTR_CORRECTED);
    if (corr.len) {
      open_el(t, tei_element_for(ty)); /* choice */
      f->corr = 1;
    }
    open_el(t, TEI_EL_SIC);
    f->nclose = 1;
    return 0;
  }
  case SCR_NODE_PERSON: {
    if (in_block) implicit_p(t, ci);
    open_el(t, tei_element_for(ty));
    scr_str who = scr_node_attr(n, SCR_ATTR_WHO);
    if (who.len) tei_attr_ref(t, "ref", NULL, who);
    f->nclose = 1;
    return 0;
  }
  case SCR_NODE_PLACE: {
    if (in_block) implicit_p(t, ci);
    open_el(t, tei_element_for(ty));
    scr_str key = scr_node_attr(n, SCR_ATTR_KEY);
    /* (a key of characters xml-chars=drop drops would read back as none) */
    if (tei_emit_keeps(&t->e, key)) attr(t, "key", key.ptr, key.len);
    f->nclose = 1;
    return 0;
  }
  case SCR_NODE_DATE: {
    if (in_block) implicit_p(t, ci);
    open_el(t, tei_element_for(ty));
    scr_str when = scr_node_attr(n, SCR_ATTR_WHEN);
    const char *slash = when.len ? memchr(when.ptr, '/', when.len) : NULL;
    size_t fl = slash ? (size_t)(slash - when.ptr) : 0;
    if (slash && tei_is_w3c_temporal(when.ptr, fl) &&
        tei_is_w3c_temporal(slash + 1, when.len - fl - 1)) {
      /* a range, an ISO 8601 interval in the tree */
      attr(t, "from", when.ptr, fl);
      attr(t, "to", slash + 1, when.len - fl - 1);
    } else if (!slash && when.len && tei_is_w3c_temporal(when.ptr, when.len))
      attr(t, "when", when.ptr, when.len);
    else if (when.len)
      scr_diag_report(t->diag, SCR_WARNING, scr_node_pos(n), "bad-date",
                      "date '%.*s' is not a W3C date (partial dates are "
                      "--MM-DD); @when left out",
                      (int)when.len, when.ptr);
    scr_str cert = scr_node_attr(n, SCR_ATTR_CERT);
    if (cert.len) {
      /* a value the converter inferred (the year of "December 21") */
      attr(t, "cert", cert.ptr, cert.len);
      attrz(t, "resp", "#" APP_ID);
    }
    f->nclose = 1;
    return 0;
  }
  case SCR_NODE_TIME:
    if (in_block) implicit_p(t, ci);
    open_el(t, tei_element_for(ty));
    write_time_attr(t, n);
    f->nclose = 1;
    return 0;

  /* ---- blocks that stand anywhere, in inline content too ---- */
  case SCR_NODE_NOTE: {
    if (in_block) place(t, ci, CL_GLOBAL, 0);
    scr_str note_kind = scr_node_attr(n, SCR_ATTR_KIND);
    if (note_kind.len == 8 && memcmp(note_kind.ptr, "omission", 8) == 0) {
      /* The publisher's "<…>": a gap it made, its mark kept verbatim in
       * desc for the diplomatic edition. */
      open_el(t, TEI_EL_GAP);
      attrz(t, "reason", "omitted");
      tei_attr_ref(t, "resp", t->prefix.data, (scr_str){TEI_PUBLISHER_ID, strlen(TEI_PUBLISHER_ID)});
      open_el(t, TEI_EL_DESC);
      f->nclose = 2;
      return 0;
    }
    open_el(t, tei_element_for(ty));
    if (note_kind.len) {
      scr_buf_clear(&t->ref);
      if (tei_ncname(&t->ref, note_kind.ptr, note_kind.len, "x")) t->e.failed = 1;
      if (t->ref.data) attr(t, "type", t->ref.data, t->ref.len);
      if (t->parla) tei_parla_note_kind(t, note_kind);
    }
    f->nclose = 1;
    return 0;
  }
  case SCR_NODE_FIGURE: {
    /* the gallery counter glued to the caption ("1 of 4"), the end of
     * BEFORE: the slide's label, not layout */
    scr_str before = t->pend_before, marker = scr_node_attr(n, SCR_ATTR_MARKER);
    int counter = marker.len && before.len >= marker.len &&
                  !memcmp(before.ptr + before.len - marker.len, marker.ptr, marker.len);
    if (counter)
      layout_before_is(t, n, f->block, (scr_str){before.ptr, before.len - marker.len});
    if (!same_slide(scr_node_prev(n), n)) {
      if (in_block) place(t, ci, CL_GLOBAL, 0);
      open_el(t, tei_element_for(ty));
      scr_str num = scr_node_attr(slide_counted(n), SCR_ATTR_N);
      if (is_digits(num)) attr(t, "n", num.ptr, num.len);
    }
    if (counter) {
      open_el(t, TEI_EL_LABEL);
      attrz(t, "type", "counter");
      texts(t, marker);
      close_el(t);
    }
    open_el(t, TEI_EL_HEAD);
    if (fig_repeat(n)) attrz(t, "type", "repeat");
    f->nclose = 1;
    f->figure = same_slide(n, scr_node_next(n)) ? 1 : 2;
    return 0;
  }
  case SCR_NODE_GALLERY: {
    if (in_block) place(t, ci, CL_GLOBAL, 0);
    open_el(t, TEI_EL_FIGURE);
    attrz(t, "type", "gallery");
    scr_str total = scr_node_attr(n, SCR_ATTR_TOTAL);
    if (is_digits(total)) attr(t, "n", total.ptr, total.len);
    f->nclose = 1;
    f->ctx = CTX_BLOCK;
    f->kind = K_FIGURE;
    return 0;
  }
  case SCR_NODE_SEPARATOR: {
    if (in_block) place(t, ci, CL_GLOBAL, 0);
    open_el(t, tei_element_for(ty));
    attrz(t, "unit", "section");
    scr_buf flat = {0};
    if (scr_node_flatten(n, 0, &flat)) t->e.failed = 1;
    scr_str mark = trim((scr_str){flat.data, flat.len});
    if (mark.len) attr(t, "rend", mark.ptr, mark.len);
    scr_buf_free(&flat);
    close_el(t);
    return 1;
  }

  /* ---- blocks: what they become depends on their container ---- */
  case SCR_NODE_SECTION:
    if (!in_block) goto misplaced;
    if (kind != K_DIV) { /* no div inside sp or figure: keep the blocks */
      f->ctx = CTX_BLOCK;
      f->container = ci;
      return 0;
    }
    place(t, ci, CL_DIV, 0);
    open_el(t, tei_element_for(ty));
    f->nclose = 1;
    f->ctx = CTX_BLOCK;
    f->kind = K_DIV;
    return 0;
  case SCR_NODE_TURN:
    if (!in_block) goto misplaced;
    if (kind == K_SP) { /* a turn inside a turn: its label becomes a label */
      f->ctx = CTX_BLOCK;
      f->container = ci;
      return 0;
    }
    place(t, ci, CL_COMMON, 0);
    if (t->parla) { /* u, after its label (parla.c) */
      tei_parla_turn(t, n, f);
      return 0;
    }
    open_el(t, tei_element_for(ty));
    {
      scr_str who = scr_node_attr(n, SCR_ATTR_WHO);
      if (who.len) tei_attr_ref(t, "who", NULL, who);
    }
    f->nclose = 1;
    f->ctx = CTX_BLOCK;
    f->kind = K_SP;
    return 0;
  case SCR_NODE_SPEAKER:
    if (!in_block) goto misplaced;
    if (kind == K_SP) {
      if (c->ip) {
        close_el(t);
        c->ip = 0;
      }
      if (c->u) {
        tei_parla_speaker(t, f, c);
        return 0;
      }
      /* speaker, then p-likes: a label after the first p is a label */
      if (!c->speaker && !c->state) {
        c->speaker = 1;
        open_el(t, tei_element_for(ty));
      } else {
        c->state = 1;
        open_el(t, TEI_EL_LABEL);
        attrz(t, "type", "speaker");
      }
      f->nclose = 1;
      return 0;
    }
    goto other_block; /* a speaker label without its turn */
  case SCR_NODE_TITLE:
  case SCR_NODE_HEADING:
    if (!in_block) goto misplaced;
    if (in_div) {
      place(t, ci, CL_HEAD, 0);
      open_el(t, TEI_EL_HEAD);
      if (ty == SCR_NODE_TITLE)
        attrz(t, "type",
              tei_str_is(scr_node_attr(n, SCR_ATTR_KIND), "repeat") ? "repeat" : "title");
    } else {
      sp_figure_room(t, c);
      open_el(t, kind == K_SP ? TEI_EL_LABEL : TEI_EL_HEAD);
    }
    f->nclose = 1;
    return 0;
  case SCR_NODE_LEAD:
    if (!in_block) goto misplaced;
    if (in_div && t->parla) { /* no argument: a note, which stands anywhere */
      place(t, ci, CL_GLOBAL, 0);
      tei_parla_note_for(t, ty);
      f->nclose = 1;
      return 0;
    }
    if (in_div) {
      place(t, ci, CL_WRAP, at_end(n));
      open_el(t, tei_element_for(ty)); /* argument */
      open_el(t, TEI_EL_P);
      f->nclose = 2;
      return 0;
    }
    sp_figure_room(t, c);
    if (c->u) tei_parla_seg(t, ty, 0);
    else open_el(t, TEI_EL_P);
    f->nclose = 1;
    return 0;
  case SCR_NODE_DATELINE:
    if (!in_block) goto misplaced;
    if (kind == K_SP) goto other_block;
    if (in_div && t->parla) { /* no dateline: a note */
      place(t, ci, CL_GLOBAL, 0);
      tei_parla_note_for(t, ty);
      f->nclose = 1;
      return 0;
    }
    if (in_div) place(t, ci, CL_WRAP, at_end(n));
    else sp_figure_room(t, c);
    open_el(t, tei_element_for(ty));
    f->nclose = 1;
    return 0;
  case SCR_NODE_PARAGRAPH:
    if (!in_block) goto misplaced;
    if (in_div) place(t, ci, CL_COMMON, 0);
    else sp_figure_room(t, c);
    if (c->u) tei_parla_seg(t, ty, 0);
    else open_el(t, tei_element_for(ty));
    f->nclose = 1;
    return 0;
  default:
    if (!scr_node_type_is_block(ty)) { /* an inline this writer does not know */
      if (in_block) implicit_p(t, ci);
      goto misplaced;
    }
    if (!in_block) goto misplaced;
  other_block:
    /* media or footer lines in a section, a speaker label without its
     * turn: blocks of their own kind (in a figure, a p) */
    if (in_div) place(t, ci, CL_COMMON, 0);
    else sp_figure_room(t, c);
    if (kind == K_FIGURE) {
      open_el(t, TEI_EL_P);
    } else if (c->u) {
      tei_parla_seg(t, ty, 0);
    } else {
      open_el(t, TEI_EL_AB);
      attrz(t, "type", scr_node_type_name(ty));
    }
    f->nclose = 1;
    return 0;
  }
misplaced:
  /* A block inside inline content (not a shape the readers make): its
   * words are kept, its structure cannot be. */
  warn_shape(t, n, "inline content");
  return 0;
}

static void enter(tei_writer *t, const scr_node *n) {
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
  if (ty == SCR_NODE_TEXT && t->pend_before.len) tei_layout_before_due(t);
  skip = enter_node(t, n, f, pf.container, pf.ctx == CTX_BLOCK);
  f = &t->frames[t->nframes - 1];
  if (f->kind) f->container = t->nframes - 1;
  if (skip) {
    t->nframes--;
    t->skip = n;
    layout_after(t, n, block); /* a milestone: written whole */
  }
}

static void leave(tei_writer *t, const scr_node *n) {
  frame f = t->frames[--t->nframes];
  if (f.kind && f.container == t->nframes) finish_container(t, &f);
  if (f.corr) {
    close_el(t); /* sic */
    open_el(t, TEI_EL_CORR);
    attrz(t, "resp", "#" APP_ID);
    texts(t, scr_node_attr(n, SCR_ATTR_CORRECTED));
    close_el(t);
    close_el(t); /* choice */
  } else {
    for (unsigned i = 0; i < f.nclose; i++) close_el(t);
  }
  if (f.figure) { /* after its caption, the photo; then the slide ends */
    scr_str url = scr_node_attr(n, SCR_ATTR_URL);
    const char *video = video_type(url);
    if (url.len) {
      open_el(t, video ? TEI_EL_MEDIA : TEI_EL_GRAPHIC);
      if (video) attrz(t, "mimeType", video);
      attr(t, "url", url.ptr, url.len);
      close_el(t);
    }
    if (f.figure == 2) close_el(t);
  }
  /* the label's layout after goes inside its u, where the reader gives it
   * back to the label */
  if (f.uafter && t->nframes) tei_parla_open_u(t, &t->frames[t->frames[t->nframes - 1].container]);
  layout_after(t, n, f.block);
}

/* Walks the subtree at `root`, whose own element(s) the caller wrote: its
 * children are written in the context (and container kind) given. */
static void walk(tei_writer *t, const scr_node *root, int ctx, int kind) {
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
    scr_node *n = scr_iter_node(&it);
    if (n == root) break;
    if (t->skip) {
      if (ev == SCR_EVENT_EXIT && n == t->skip) t->skip = NULL;
      continue;
    }
    if (ev == SCR_EVENT_ENTER) enter(t, n);
    else leave(t, n);
  }
  t->skip = NULL;
  if (kind && t->nframes) finish_container(t, &t->frames[0]);
  if (t->pend_before.len) tei_layout_before_due(t);
  t->nframes = 0;
}

/* ---- the text element ---------------------------------------------------------- */

void tei_write_text(tei_writer *t, const scr_doc *doc) {
  scr_node *root = scr_doc_root(doc);
  open_el(t, TEI_EL_TEXT);
  attrz(t, "xml:space", "preserve");
  t->e.in_text = 1;
  t->last_after = NULL;
  scr_str root_before = scr_node_attr(root, SCR_ATTR_BEFORE);
  if (root_before.len) fw(t, "before", root_before);
  int front = 0;
  for (scr_node *m = scr_node_first_child(root); m; m = scr_node_next(m)) {
    if (scr_node_get_type(m) != SCR_NODE_MEDIA) continue;
    if (!front++) {
      open_el(t, TEI_EL_FRONT);
      open_el(t, TEI_EL_DIV);
      attrz(t, "type", "media");
      open_el(t, TEI_EL_LIST);
    }
    layout_before(t, m, 1);
    open_el(t, TEI_EL_ITEM);
    walk(t, m, CTX_INLINE, K_NONE);
    close_el(t);
    layout_after(t, m, 1);
  }
  if (front) {
    close_el(t);
    close_el(t);
    close_el(t);
  }
  open_el(t, TEI_EL_BODY);
  walk(t, root, CTX_BLOCK, K_DIV);
  close_el(t);
  int back = 0;
  for (scr_node *m = scr_node_first_child(root); m; m = scr_node_next(m)) {
    if (scr_node_get_type(m) != SCR_NODE_FOOTER) continue;
    if (!back++) {
      open_el(t, TEI_EL_BACK);
      open_el(t, TEI_EL_DIV);
      attrz(t, "type", "footer");
    }
    layout_before(t, m, 1);
    open_el(t, TEI_EL_P);
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

