/* lexicon.h - persons, their name forms and epithets: from an authority
 * file (persons.yaml) and from the text (lexicon.c). */
#ifndef SCR_TEXT_LEXICON_H
#define SCR_TEXT_LEXICON_H

#include "scan.h"

/* ---- lexicon: persons, their names and epithets --------------------------- */

enum { LEX_NAME = 0, LEX_EPITHET = 1 };
/* The most words (pieces between spaces) of a form that can match: an
 * authority file's longer names and epithets are refused; a label has at
 * most 14. */
enum { LEX_MAX_WORDS = 32 };

typedef struct lex_entry {
  scr_str form;      /* "Aleksandr Lukashenko", "the Belarusian leader" */
  int kind;          /* LEX_NAME or LEX_EPITHET */
  int person;        /* a person index (see lexicon) */
  scr_str publisher; /* an epithet valid for one publisher only; else empty */
  int next;          /* the entry added before it at the same trie node, -1 */
  int learned;       /* learned from this document (a surname, an epithet
                        from an apposition): trusted less than a name in full */
} lex_entry;

typedef struct person_info {
  scr_str id;
  scr_str canon;       /* the first name form */
  scr_str nationality; /* may be empty */
  size_t office_first, office_count; /* in the offices of its lexicon */
  size_t idno_first, idno_count;     /* pairs (type, value) in its idnos */
  scr_person *p;       /* in the document, created on first reference */
  int gender;          /* the authority file's: 0 unknown, GENDER_MALE, GENDER_FEMALE */
} person_info;

enum { GENDER_MALE = 1, GENDER_FEMALE = 2 };

/* An edge of the trie of forms: the node reached from `parent` by a word
 * whose key is `key` (child 0: an empty slot; node 0 is the root). */
typedef struct lex_edge {
  uint32_t key;
  int parent, child;
} lex_edge;

/* A person by id: the id's hash, the person's index + 1 (0: empty). */
typedef struct lex_id {
  uint32_t hash;
  int person;
} lex_id;

/* The document's person of a person of the base lexicon. */
typedef struct lex_slot {
  int person; /* -1: empty */
  scr_person *p;
} lex_slot;

/* The persons and forms a document knows: those of its authority file (a
 * base lexicon, parsed once per process and shared, read-only, by every
 * document that uses the file) and its own (the names found in its text;
 * or the whole authority file when it was parsed for this document
 * alone). Entries and persons are numbered base first: entry k < base_entries
 * is base->entries.v[k], others entries.v[k - base_entries]; persons
 * likewise with base_people and people. Forms are found through a trie of
 * their words (keyed like word_key), so a look-up costs the words it
 * matches, not the number of forms that share a first word. */
typedef struct lexicon {
  const struct lexicon *base;
  size_t base_entries, base_people;
  VEC(lex_entry) entries;
  VEC(person_info) people;
  VEC(scr_str) offices;
  VEC(scr_str) idnos; /* an authority file's external identifiers: type, value */
  VEC(int) nodes;          /* per trie node: the last entry ending there, -1 */
  lex_edge *edges;         /* open addressing; at most half full */
  size_t edges_cap, edges_len;
  lex_id *ids;             /* people by id; at most half full */
  size_t ids_cap;
  lex_slot *pmap;          /* the document's base persons, by index */
  size_t pmap_cap, pmap_len;
  unsigned kinds;    /* 1 << kind for each kind that has entries (with the base's) */
  /* Some epithet does not start with "the" or "his" (an authority file's):
   * without one, only those two words can start an epithet. */
  unsigned epithet_any_start;
  scr_str publisher; /* epithets scoped to another publisher are ignored */
} lexicon;

/* A match of a lexicon form in the text. */
typedef struct lex_match {
  size_t end;        /* offset just after the match */
  int entry;         /* an entry index (lexicon_entry) */
  size_t typo_start, typo_end; /* a misspelt word of a name; equal if none */
  scr_str typo_fix;  /* the word as the form spells it */
} lex_match;

void lexicon_free(lexicon *lx);
/* The authority file's gender of a person (GENDER_*; 0: not said). */
int lexicon_gender(const lexicon *lx, int person);
/* Entry k (a lex_match's entry). */
const lex_entry *lexicon_entry(const lexicon *lx, int k);
/* How many entries the lexicon has, its base's included (it only grows). */
size_t lexicon_size(const lexicon *lx);
/* Adds a name found in the text (a label, "First Last said") with an id
 * derived from it, unless a known form already covers it. Returns the
 * person index, or -1 on OOM. */
/* Form (the document's copy) as a misspelling, at edit distance dist, of
 * person's name: an entry of that person, and a note that says the choice
 * and its certainty (cert medium at distance 1, low at 2). 0, -1 on OOM. */
int lexicon_add_misspelling(lexicon *lx, scr_doc *doc, scr_str form, int person, int dist);
int lexicon_add_found_name(lexicon *lx, scr_doc *doc, const char *name,
                           size_t len);
/* Adds a form the document taught (a surname of a name found in full, an
 * epithet from "Belarusian President Alexander Lukashenko"), marked
 * learned. A form already taught for another person is ambiguous: it is
 * then blocked (an entry with person -1, which matches and names nobody).
 * 0, or -1 on OOM. */
int lexicon_add_learned(lexicon *lx, scr_doc *doc, const char *form,
                        size_t len, int kind, int person);
/* The longest form starting at s[i] (a word start) within s[0..end), with
 * kinds allowed by `kinds` (bit 1 << LEX_NAME, 1 << LEX_EPITHET). */
int lexicon_match(const lexicon *lx, const char *s, size_t i, size_t end,
                  unsigned kinds, lex_match *m);
/* The same when the caller knows the first word's end: we ==
 * word_end(s, i, end). */
int lexicon_match_word(const lexicon *lx, const char *s, size_t i, size_t we,
                       size_t end, unsigned kinds, lex_match *m);
/* The person in the document (created with its authority data if new). */
scr_person *lexicon_person(lexicon *lx, scr_doc *doc, int person);

/* For the authority file (persons.c): adds a form of person `person`
 * (0, -1 on OOM); adds a person, returning its index (-1 on OOM); the
 * person with this id, or -1. */
int lexicon_add_entry(lexicon *lx, scr_str form, int kind, int person,
                      scr_str publisher);
int lexicon_add_person(lexicon *lx, person_info pi);
int lexicon_find_id(const lexicon *lx, scr_str id);

#endif
