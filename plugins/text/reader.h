/* reader.h - the transcript reader's private parts, shared by reader.c
 * (blocks and page structure), lexicon.c (persons, names, epithets),
 * inline.c (quotes, brackets, names, dates, places) and attrib.c (who said
 * each quote). Nothing here is visible outside the plugin. */
#ifndef SCR_TEXT_READER_H
#define SCR_TEXT_READER_H

#include <stddef.h>
#include <stdint.h>

#include <scriptorium/plugin.h>

/* A growable array in malloc'd memory, for the reader's working lists
 * (never for tree nodes, which live in the document's arena). */
#define VEC(T) struct { T *v; size_t len, cap; }
int vec_grow_(void **v, size_t *cap, size_t need, size_t size);
#define VEC_PUSH(vec, item)                                                    \
  (((vec).len < (vec).cap ||                                                   \
    vec_grow_((void **)&(vec).v, &(vec).cap, (vec).len + 1, sizeof *(vec).v) == 0) \
       ? ((vec).v[(vec).len++] = (item), 0)                                    \
       : -1)
#define VEC_FREE(vec) (free((vec).v), (vec).v = NULL, (vec).len = (vec).cap = 0)

/* ---- lexicon: persons, their names and epithets --------------------------- */

enum { LEX_NAME = 0, LEX_EPITHET = 1 };

typedef struct lex_entry {
  scr_str form;      /* "Aleksandr Lukashenko", "the Belarusian leader" */
  int kind;          /* LEX_NAME or LEX_EPITHET */
  int person;        /* index into lexicon.people */
  scr_str publisher; /* an epithet valid for one publisher only; else empty */
  int next;          /* hash chain */
} lex_entry;

typedef struct person_info {
  scr_str id;
  scr_str canon;       /* the first name form */
  scr_str nationality; /* may be empty */
  size_t office_first, office_count; /* in lexicon.offices */
  scr_person *p;       /* in the document, created on first reference */
} person_info;

typedef struct lexicon {
  VEC(lex_entry) entries;
  VEC(person_info) people;
  VEC(scr_str) offices;
  int *buckets;
  size_t nbuckets;
  scr_str publisher; /* epithets scoped to another publisher are ignored */
} lexicon;

/* A match of a lexicon form in the text. */
typedef struct lex_match {
  size_t end;        /* offset just after the match */
  int entry;         /* index into entries */
  size_t typo_start, typo_end; /* a misspelt word of a name; equal if none */
  scr_str typo_fix;  /* the word as the form spells it */
} lex_match;

void lexicon_free(lexicon *lx);
/* Loads an authority file; 0, or -1 after reporting. */
int lexicon_load_yaml(lexicon *lx, scr_doc *doc, const char *path,
                      scr_diag *diag);
/* Adds a name found in the text (a label, "First Last said") with an id
 * derived from it, unless a known form already covers it. Returns the
 * person index, or -1 on OOM. */
int lexicon_add_found_name(lexicon *lx, scr_doc *doc, const char *name,
                           size_t len);
/* The longest form starting at s[i] (a word start) within s[0..end), with
 * kinds allowed by `kinds` (bit 1 << LEX_NAME, 1 << LEX_EPITHET). */
int lexicon_match(const lexicon *lx, const char *s, size_t i, size_t end,
                  unsigned kinds, lex_match *m);
/* The person in the document (created with its authority data if new). */
scr_person *lexicon_person(lexicon *lx, scr_doc *doc, int person);

/* ---- text helpers ------------------------------------------------------------ */

/* Code point at s[i] (and its length), or the one ending just before s[i]. */
uint32_t cp_decode_at(const char *s, size_t i, size_t end, size_t *len);
/* The code point at s[i] (0 at the end) and its length in *len; ASCII is
 * answered inline, the rest decoded. */
static inline uint32_t cp_at(const char *s, size_t i, size_t end, size_t *len) {
  if (i < end && (unsigned char)s[i] < 0x80) {
    if (len) *len = 1;
    return (unsigned char)s[i];
  }
  return cp_decode_at(s, i, end, len);
}
uint32_t cp_before(const char *s, size_t start, size_t i, size_t *len);
int cp_is_space(uint32_t c);  /* space, tab, NBSP */
int cp_is_word(uint32_t c);   /* letters, digits, hyphen */
int cp_is_upper(uint32_t c);
/* The end of the word starting at s[i] (word characters). */
size_t word_end(const char *s, size_t i, size_t end);
int word_is(const char *s, size_t i, size_t e, const char *w);
int word_in(const char *s, size_t i, size_t e, const char *const *list);

extern const char *const title_words[];
extern const char *const speech_verbs[];
extern const char *const month_names[];

/* ---- inline scanning and attribution --------------------------------------- */

enum { REF_NAME = 0, REF_EPITHET = 1, REF_PRONOUN = 2 };

typedef struct ref {
  size_t start, end;
  int kind, person; /* person: lexicon index, -1 for pronouns */
  int cert_medium;  /* a publisher-scoped epithet */
  size_t sent;      /* sentence number within the paragraph */
  unsigned verb_after : 1, comma_after : 1, sent_start : 1, comma_before : 1,
      verb_then_stop : 1;
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

typedef struct reader {
  scr_doc *doc;
  scr_diag *diag;
  const char *s;
  size_t len;
  scr_linemap *lines;
  lexicon lx;
  int publisher;       /* index into the publisher table, -1 unknown */
  /* per paragraph */
  VEC(ref) refs;
  VEC(quote_rec) quotes;
  VEC(size_t) brackets; /* offsets of '[' that have a matching ']' */
  VEC(size_t) bstack;
  /* across paragraphs */
  int topic;           /* the person the narration is about, -1 none */
  quote_rec pending;   /* an open quote at the end of the last paragraph */
  int has_pending;
  scr_node *pending_container;
  VEC(quote_rec) chain; /* a quote continued over paragraphs */
  size_t quote_count, attributed, unclosed, linked;
  int oom;
  /* first date and place of the narration, for the metadata */
  scr_str first_date_when, first_place;
} reader;

/* INL_CONTINUED: the block goes on with a quote the last block left open,
 * without a new opening mark (a letter quoted over several paragraphs). */
enum { INL_NARRATION = 1, INL_DATES = 2, INL_PLACES = 4, INL_SPEECH = 8,
       INL_CONTINUED = 16 };

/* Builds the inline children of `parent` from s[a..b). With INL_NARRATION,
 * also fills r->refs and r->quotes for attribution. 0 or -1 on OOM. */
int inline_build(reader *r, scr_node *parent, size_t a, size_t b,
                 unsigned flags);
/* Attributes the quotes inline_build found in one paragraph. `label` is the
 * turn speaker's person (-1 when not in a turn or unknown). */
int attrib_paragraph(reader *r, scr_node *container, size_t text_start,
                     int in_turn, int label);
/* Ends any pending quote (end of document, a new turn or section). */
int attrib_flush(reader *r);

scr_pos reader_pos(const reader *r, size_t off);
int set_attr(reader *r, scr_node *n, scr_attr k, const char *v, size_t len);
scr_node *new_node(reader *r, scr_node_type t, size_t off);
scr_node *new_text(reader *r, size_t a, size_t b);

#endif
