/* analysis.h - what the speech transform's layers share: its state (one
 * document's analysis), the quotes and references it collects, and the
 * entry points of inline analysis (inline.c: quotes, brackets, names, dates,
 * places) and attribution (attrib.c: who said each quote). speech.c drives
 * them over the tree; they never call it. */
#ifndef SCR_TEXT_ANALYSIS_H
#define SCR_TEXT_ANALYSIS_H

#include "lexicon.h"
#include "words.h"

/* ---- inline scanning and attribution --------------------------------------- */

enum { REF_NAME = 0, REF_EPITHET = 1, REF_PRONOUN = 2 };

typedef struct ref {
  size_t start, end;
  int kind, person; /* person: lexicon index, -1 for pronouns */
  int cert_medium;  /* a publisher-scoped epithet */
  size_t sent;      /* sentence number within the paragraph */
  unsigned verb_after : 1, comma_after : 1, sent_start : 1, comma_before : 1,
      verb_then_stop : 1, female : 1; /* female: "she" */
} ref;

typedef struct quote_rec {
  scr_node *node;
  size_t open, open_end, close, close_end; /* close == SIZE_MAX: unclosed */
  size_t sent_open, sent_close;
  int who;             /* lexicon person index, -1 unattributed */
  int method;          /* index into method_names */
  int cert;            /* 0 none, 1 low, 2 medium, 3 high */
  int post_ref;        /* index of the ref that attributed it after, -1 */
  size_t ordinal;      /* 1-based number of the quote in the document */
} quote_rec;

enum { M_NONE = 0, M_LABEL, M_NAME, M_EPITHET, M_PRONOUN, M_CONTEXT };

/* A capitalised word of the text after a space: its hash, its offset and
 * its block (speech.c's full_forms looks names up here, not in the
 * text). */
typedef struct cap_entry {
  uint32_t hash;
  uint32_t blk;
  size_t at;
  uint32_t next; /* the next entry of its bucket + 1, in document order; 0: none */
} cap_entry;

typedef struct analysis {
  scr_doc *doc;
  scr_diag *diag;
  const char *s;
  size_t len;
  scr_linemap *lines;
  line_cache at;        /* the line of the last position asked for */
  lexicon lx;
  int publisher;       /* index into the publisher table, -1 unknown */
  int authority;       /* an authority file was loaded */
  int pub_nation;      /* the publisher's country (speech.c, nations), -1 */
  /* per paragraph */
  VEC(ref) refs;
  VEC(quote_rec) quotes;
  /* reported speech ("Mr Putin said that …"): the node and, in `post_ref`,
   * the reference to its speaker (inline.c finds them, attrib.c says who) */
  VEC(quote_rec) indirect;
  size_t indirect_count, indirect_attributed;
  VEC(size_t) brackets; /* offsets of '[' that have a matching ']' */
  VEC(size_t) bstack;
  /* across paragraphs */
  int topic;           /* the person the narration is about, -1 none */
  int topic_male, topic_female; /* the last subject known to be a man, a woman */
  /* per person: GENDER_* the text said ("Mr X", "Ms X"), 0 not said */
  VEC(unsigned char) genders;
  quote_rec pending;   /* an open quote at the end of the last paragraph */
  int has_pending;
  scr_node *pending_container;
  VEC(quote_rec) chain; /* a quote continued over paragraphs */
  size_t quote_count, attributed, unclosed, linked;
  /* A paragraph that ends with ':' ("The message said, in part:"): who
   * the block quotation after it is by (-1 none), and how sure. */
  int intro, intro_cert;
  /* The person the title is about ("President Vladimir Putin sent a
   * message …"): who "The message says:" quotes. -1 none. */
  int sender;
  int narrated;        /* a narration paragraph was attributed */
  /* inline_build's last block: its end and its last sentence */
  size_t inl_end, inl_sent;
  int oom;
  /* The text is not the document's source (speech.c, gather_text): one
   * line per TEXT node. */
  int gathered;
  /* then where each TEXT's line begins and where the node came from: a
   * node the analysis makes has the position of the TEXT it is cut from
   * (the source's line and column of its element, for a page), not one in
   * the gathered text */
  size_t *seg_start;
  scr_pos *seg_pos;
  size_t nseg, seg_last;
  /* first date and place of the narration, for the metadata */
  scr_str first_date_when, first_place;
  /* the DATE nodes of the narration, for dates_infer_years */
  VEC(scr_node *) dates;
  /* every capitalised word after a space, in document order, chained in
   * buckets by the word's hash (speech.c, full_forms; built at its first
   * call) */
  VEC(cap_entry) caps;
  uint32_t *caps_head; /* per bucket: its first entry + 1 */
  size_t caps_mask;
  int caps_built;
} analysis;

/* The year of a narration date printed without one (dates.c): the year
 * nearest the document's date, if within this many days (a report speaks
 * of the weeks around it: "On December 21, Vladimir Putin will ..."). */
#define DATES_NEAR_DAYS 92
int dates_infer_years(analysis *r);

/* INL_CONTINUED: the block goes on with a quote the last block left open,
 * without a new opening mark (a letter quoted over several paragraphs). */
enum { INL_NARRATION = 1, INL_DATES = 2, INL_PLACES = 4, INL_SPEECH = 8,
       INL_CONTINUED = 16 };

/* Builds the inline children of `parent` from s[a..b). With INL_NARRATION,
 * also fills r->refs and r->quotes for attribution. 0 or -1 on OOM. */
int inline_build(analysis *r, scr_node *parent, size_t a, size_t b,
                 unsigned flags);
/* Attributes the quotes inline_build found in one paragraph. `label` is the
 * turn speaker's person (-1 when not in a turn or unknown). */
int attrib_paragraph(analysis *r, scr_node *container, size_t text_start,
                     int in_turn, int label);
/* Ends any pending quote (end of document, a new turn or section). */
int attrib_flush(analysis *r);
/* What is known of a person's gender: the text's honorifics, else the
 * authority file's (GENDER_*), 0 nothing. */
int person_gender(const analysis *r, int person);
/* Records the gender "Mr", "Ms", "Mrs" before a name say. 0, -1 on OOM. */
int note_gender(analysis *r, int person, int gender);

static inline scr_pos an_pos(analysis *r, size_t off) {
  if (!r->gathered) return line_cache_pos(&r->at, r->lines, r->s, r->len, off);
  if (!r->nseg) return (scr_pos){0, 0, 0};
  size_t k = r->seg_last;
  if (!(r->seg_start[k] <= off && (k + 1 == r->nseg || off < r->seg_start[k + 1]))) {
    size_t lo = 0, hi = r->nseg; /* the last segment starting at or before off */
    while (hi - lo > 1) {
      size_t mid = lo + (hi - lo) / 2;
      if (r->seg_start[mid] <= off) lo = mid;
      else hi = mid;
    }
    k = r->seg_last = lo;
  }
  return r->seg_pos[k];
}
static inline int an_set_attr(analysis *r, scr_node *n, scr_attr k, const char *v,
                              size_t len) {
  return scr_node_set_attr(r->doc, n, k, v, len);
}
static inline scr_node *an_node(analysis *r, scr_node_type t, size_t off) {
  scr_node *n = scr_node_new(r->doc, t, an_pos(r, off));
  if (!n) r->oom = 1;
  return n;
}
static inline scr_node *an_text(analysis *r, size_t a, size_t b) {
  scr_node *n = scr_node_new_text(r->doc, r->s + a, b - a, an_pos(r, a));
  if (!n) r->oom = 1;
  return n;
}

#endif
