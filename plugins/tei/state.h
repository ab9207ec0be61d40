/* state.h - the TEI writer's parts (private to the plugin): the state
 * they share while one TEI document or corpus part is written, and what
 * each file does for the others.
 *   writer.c  one TEI document (tei_write), its element and its start and end
 *   header.c  teiHeader, the persons, encodingDesc (encoding.xml, embedded)
 *   body.c    text: the walk over the tree, layout, TEI's content models
 *   corpus.c  teiCorpus: the corpus protocol's open, prepare, merge, close
 *   emit.c    the XML bytes (emit.h)
 *   elements.c  the elements, their content model and tree node, shared
 *               with the reader (elements.h)
 *   libxml.c  libxml2's set-up (tei.h), which every entry point calls first */
#ifndef SCR_PLUGIN_TEI_STATE_H
#define SCR_PLUGIN_TEI_STATE_H

#include <string.h>

#include "elements.h"
#include "emit.h"
#include "tei.h"

#define TEI_NS "http://www.tei-c.org/ns/1.0"
#define XML_DECLARATION "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define APP_ID "scriptorium"
/* the respStmt of the source's publisher (prefixed by the document id),
 * whom the [insertions] are attributed to */
#define TEI_PUBLISHER_ID "publisher"
#define MAX_CHAR_REPORTS 10  /* then one summary per document */

enum { BRACKETS_AUTO, BRACKETS_SUPPLIED, BRACKETS_NOTE };

/* The body walk's state (body.c). How a node's children are written. */
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
  unsigned char u;       /* K_SP in the Parla-CLARIN profile: TEI_U_* (parla.h) */
  unsigned char uafter;  /* a speaker label written before its u: the u opens at its exit */
  unsigned char figure;  /* a FIGURE: 1 its head closes at its exit, 2 its slide's figure too */
} frame;

typedef struct tei_writer {
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
  int warned_shape;
  int source_as_given; /* the source path as given, not only its file name */
  /* layout: the BEFORE due at the next start tag, and the last AFTER */
  scr_str pend_before;
  int pend_plain;
  const scr_node *last_after; /* the node whose AFTER was written last */
  int last_after_plain_nl;    /* ... as plain text ending in a line end, or as fw */
  const scr_node *skip; /* a subtree being skipped */
  int parla;                  /* tei.profile=parla-clarin (parla.c) */
  const scr_node *parla_turn; /* the turn whose u is due */
} tei_writer;

/* ---- output ---------------------------------------------------------------- */

/* Character data. */
static inline void put_text(tei_writer *t, const char *s, size_t len) { tei_emit_text(&t->e, s, len); }

/* Writes the BEFORE due at the next start tag: as plain text where the
 * reader takes it back so, else as fw type="before" (the layout rules are
 * body.c's; this is what every start tag does first). */
static inline void tei_layout_before_due(tei_writer *t) {
  scr_str s = t->pend_before;
  t->pend_before = SCR_STR_NULL;
  if (t->pend_plain) {
    put_text(t, s.ptr, s.len);
    return;
  }
  tei_emit_start(&t->e, tei_elements[TEI_EL_FW].name, tei_elements[TEI_EL_FW].mixed);
  tei_emit_attr(&t->e, "type", "before", 6);
  put_text(t, s.ptr, s.len);
  tei_emit_end(&t->e);
}

static inline void texts(tei_writer *t, scr_str s) { put_text(t, s.ptr, s.len); }

static inline void open_el(tei_writer *t, tei_el el) {
  if (t->pend_before.len) tei_layout_before_due(t);
  tei_emit_start(&t->e, tei_elements[el].name, tei_elements[el].mixed);
}

static inline void close_el(tei_writer *t) { tei_emit_end(&t->e); }

static inline void attr(tei_writer *t, const char *name, const char *v, size_t len) {
  tei_emit_attr(&t->e, name, v, len);
}

static inline void attrz(tei_writer *t, const char *name, const char *v) {
  attr(t, name, v, strlen(v));
}

/* A leaf element holding text. */
static inline void leaf(tei_writer *t, tei_el el, const char *s, size_t len) {
  open_el(t, el);
  put_text(t, s, len);
  close_el(t);
}

static inline void leafz(tei_writer *t, tei_el el, const char *s) {
  leaf(t, el, s, strlen(s));
}

static inline void para(tei_writer *t, const char *s) { leafz(t, TEI_EL_P, s); }


/* ---- small helpers ------------------------------------------------------------ */

static inline int tei_str_is(scr_str s, const char *z) {
  size_t n = strlen(z);
  return s.len == n && memcmp(s.ptr, z, n) == 0;
}

static inline scr_str trim(scr_str s) {
  while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t' || s.ptr[0] == '\n' || s.ptr[0] == '\r'))
    s.ptr++, s.len--;
  while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t' ||
                   s.ptr[s.len - 1] == '\n' || s.ptr[s.len - 1] == '\r'))
    s.len--;
  return s;
}

static inline int is_blank(scr_str s) { return trim(s).len == 0; }

static inline int is_language(scr_str s) {
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

static inline int is_digits(scr_str s) {
  if (!s.len) return 0;
  for (size_t i = 0; i < s.len; i++)
    if (s.ptr[i] < '0' || s.ptr[i] > '9') return 0;
  return 1;
}

/* The base name of a path: the header records where the text came from
 * without the machine's directories, so that output does not depend on
 * where the input was. */
static inline scr_str base_name(scr_str path) {
  for (size_t i = path.len; i > 0; i--)
    if (path.ptr[i - 1] == '/') return (scr_str){path.ptr + i, path.len - i};
  return path;
}

/* What the header says of a person: gathered from every document (a corpus
 * keeps only this, never the documents). */
typedef struct tei_person {
  tei_list names, roles;
  char **role_when; /* one for each of roles: the date the document gives it, or NULL */
  tei_list idnos;   /* external identifiers, "TYPE\tVALUE" */
  char *nationality;
  /* of one document only (a corpus keeps none of these) */
  char *event_role;  /* host, guest, delegation */
  int participation; /* scr_participation */
} tei_person;

typedef struct tei_people {
  tei_list ids; /* in order of first appearance */
  tei_set index;
  tei_person *recs;
  size_t cap;
} tei_people;

/* ---- writer.c ---------------------------------------------------------------- */

/* Sets `t` up to write into `out` (with the XML declaration first, or as a
 * fragment: a corpus member); -1 if libxml2 could not be set up. */
int tei_writer_begin(tei_writer *t, scr_buf *out, const scr_options *opts, scr_diag *diag,
                     int declaration);
/* Closes what is open, reports what went wrong, frees `t`: 0 or -1. */
int tei_writer_end(tei_writer *t);
/* The document's id as an NCName without dots, into `out`. */
void tei_make_docid(tei_writer *t, const scr_doc *doc, scr_buf *out);
/* One TEI element (see writer.c); the document's persons into `ppl`. */
void tei_write_document(tei_writer *t, const scr_doc *doc, const char *docid,
                        tei_people *ppl, int in_corpus, const char *path);

/* ---- header.c ---------------------------------------------------------------- */

/* The record of person `id`, added if new; NULL when out of memory. */
tei_person *tei_people_get(tei_people *p, scr_str id);
/* Records an office of r, dated `when` where the document dates it (the
 * first date given stays); 0, or -1 on OOM. */
int tei_person_add_role(tei_person *r, scr_str role, scr_str when);
/* Records an external identifier of r; 0, or -1 on OOM. */
int tei_person_add_idno(tei_person *r, scr_str type, scr_str value);
void tei_people_free(tei_people *p);
/* The attribution methods, in the order of the taxonomy; NULL-terminated. */
extern const char *const tei_attribution_methods[];
/* Looks at the whole tree once: the quote ids it defines (t->quote_ids),
 * and every person it describes or refers to (added to `ppl`). */
void tei_survey(tei_writer *t, const scr_doc *doc, tei_people *ppl);
/* The persons of `p` as listPerson: every one (which < 0: a corpus
 * header), those taking part (SCR_PARTICIPATION_PARTICIPANT; UNKNOWN ones
 * too) or those only mentioned (SCR_PARTICIPATION_MENTIONED, with
 * type="mentioned"); nothing when there are none. Defined (xml:id, names,
 * offices, identifiers) unless `refs`: then each points at its definition
 * in the corpus header (sameAs) with what this document says of it. */
void tei_write_list_person(tei_writer *t, const tei_people *p, int which, int refs);
void tei_write_publication(tei_writer *t, const scr_doc *doc); /* doc NULL: a corpus */
/* encodingDesc, listing the formats read. */
void tei_write_encoding(tei_writer *t, const tei_list *formats);
/* A document's teiHeader (in a corpus, pointing at the corpus header's). */
void tei_write_header(tei_writer *t, const scr_doc *doc, const char *docid,
                      const tei_people *ppl, int in_corpus);

/* ---- body.c ---------------------------------------------------------------- */

/* The document's text element. */
void tei_write_text(tei_writer *t, const scr_doc *doc);
/* gloss.c: whether the publisher's INSERTION n is a gloss (note), not
 * supplied words */
int tei_insertion_is_gloss(const scr_node *n);

/* name="#PREFIXid" (prefix may be NULL), the id made an NCName. */
static inline void tei_attr_ref(tei_writer *t, const char *name, const char *prefix, scr_str id) {
  scr_buf_clear(&t->ref);
  if (scr_buf_putc(&t->ref, '#') || (prefix && scr_buf_puts(&t->ref, prefix)) ||
      tei_ncname(&t->ref, id.ptr, id.len, "x"))
    t->e.failed = 1;
  if (t->ref.data) attr(t, name, t->ref.data, t->ref.len);
}

/* xml:id="PREFIXid" */
static inline void tei_attr_id(tei_writer *t, const char *prefix, scr_str id) {
  scr_buf_clear(&t->ref);
  if ((prefix && scr_buf_puts(&t->ref, prefix)) ||
      tei_ncname(&t->ref, id.ptr, id.len, "x"))
    t->e.failed = 1;
  if (t->ref.data) attr(t, "xml:id", t->ref.data, t->ref.len);
}

#endif
