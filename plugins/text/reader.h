/* reader.h - the transcript reader's private parts, shared by reader.c
 * (blocks and page structure), lexicon.c (persons, names, epithets),
 * inline.c (quotes, brackets, names, dates, places) and attrib.c (who said
 * each quote). Nothing here is visible outside the plugin. */
#ifndef SCR_TEXT_READER_H
#define SCR_TEXT_READER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
} lex_entry;

typedef struct person_info {
  scr_str id;
  scr_str canon;       /* the first name form */
  scr_str nationality; /* may be empty */
  size_t office_first, office_count; /* in the offices of its lexicon */
  scr_person *p;       /* in the document, created on first reference */
} person_info;

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
  VEC(int) nodes;          /* per trie node: the last entry ending there, -1 */
  lex_edge *edges;         /* open addressing; at most half full */
  size_t edges_cap, edges_len;
  lex_id *ids;             /* people by id; at most half full */
  size_t ids_cap;
  lex_slot *pmap;          /* the document's base persons, by index */
  size_t pmap_cap, pmap_len;
  unsigned kinds;    /* 1 << kind for each kind that has entries (with the base's) */
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
/* Loads an authority file into the empty lexicon lx: 0, or -1 after
 * reporting. Each file is parsed once per process while it does not
 * change, and shared (lx->base); a broken file's error is kept the same
 * way (lexicon.c); thread-safe. */
int lexicon_load_yaml(lexicon *lx, scr_doc *doc, const char *path,
                      scr_diag *diag);
/* Entry k (a lex_match's entry). */
const lex_entry *lexicon_entry(const lexicon *lx, int k);
/* How many entries the lexicon has, its base's included (it only grows). */
size_t lexicon_size(const lexicon *lx);
/* Adds a name found in the text (a label, "First Last said") with an id
 * derived from it, unless a known form already covers it. Returns the
 * person index, or -1 on OOM. */
int lexicon_add_found_name(lexicon *lx, scr_doc *doc, const char *name,
                           size_t len);
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

/* ---- text helpers ------------------------------------------------------------ */

/* The reader's input is checked UTF-8 (text_read refuses anything else
 * before any of these run), but a range's end may cut a character (a
 * label's end found by stripping bytes), so the inline paths below take
 * only ASCII and complete, well-formed 2- and 3-byte sequences; anything
 * else goes to scr_utf8_decode, whose answers (U+FFFD, length 1) the
 * callers rely on. */

/* The scans go eight bytes at a time in a 64-bit word where the compiler
 * has __builtin_ctzll and bytes are little-endian (so the lowest flagged
 * bit marks the first byte); elsewhere the byte loops do it all. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TEXT_SWAR 1
#endif

/* Code point at s[i] (and its length), or the one ending just before s[i]. */
uint32_t cp_decode_at(const char *s, size_t i, size_t end, size_t *len);
uint32_t cp_before_slow(const char *s, size_t start, size_t i, size_t *len);
/* The code point at s[i] (0 at the end) and its length in *len. */
static inline uint32_t cp_at(const char *s, size_t i, size_t end, size_t *len) {
  const unsigned char *u = (const unsigned char *)s;
  if (i < end) {
    unsigned char c = u[i];
    if (c < 0x80) {
      if (len) *len = 1;
      return c;
    }
    if (c >= 0xC2 && c <= 0xDF && end - i >= 2 && (u[i + 1] & 0xC0) == 0x80) {
      if (len) *len = 2;
      return ((uint32_t)(c & 0x1F) << 6) | (u[i + 1] & 0x3F);
    }
    if (c >= 0xE0 && c <= 0xEF && end - i >= 3 && (u[i + 1] & 0xC0) == 0x80 &&
        (u[i + 2] & 0xC0) == 0x80) {
      uint32_t v = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(u[i + 1] & 0x3F) << 6) |
                   (u[i + 2] & 0x3F);
      if (v >= 0x800 && !(v >= 0xD800 && v <= 0xDFFF)) {
        if (len) *len = 3;
        return v;
      }
    }
  }
  return cp_decode_at(s, i, end, len);
}
/* The code point ending just before s[i], not looking before s[start] (0
 * and length 0 at the start). Inline: an ASCII byte, or a whole 2- or
 * 3-byte sequence that starts at or after `start`; the rest in
 * cp_before_slow, which backs up over at most three continuation bytes. */
static inline uint32_t cp_before(const char *s, size_t start, size_t i, size_t *len) {
  const unsigned char *u = (const unsigned char *)s;
  if (i > start) {
    unsigned char c = u[i - 1];
    if (c < 0x80) {
      if (len) *len = 1;
      return c;
    }
    if ((c & 0xC0) == 0x80 && i - start >= 2) {
      unsigned char c2 = u[i - 2];
      if (c2 >= 0xC2 && c2 <= 0xDF) {
        if (len) *len = 2;
        return ((uint32_t)(c2 & 0x1F) << 6) | (c & 0x3F);
      }
    }
  }
  return cp_before_slow(s, start, i, len);
}
int cp_is_space(uint32_t c);  /* space, tab, NBSP */
extern const unsigned char ascii_word[256];
int cp_is_word_slow(uint32_t c);
/* Letters, digits, hyphen (ASCII from a table; U+0080-U+00BF, such as the
 * no-break space, are not). */
static inline int cp_is_word(uint32_t c) {
  return c < 0x80 ? ascii_word[c] : c < 0xC0 ? 0 : cp_is_word_slow(c);
}
int cp_is_upper_slow(uint32_t c);
static inline int cp_is_upper(uint32_t c) {
  return c < 0x80 ? c >= 'A' && c <= 'Z' : cp_is_upper_slow(c);
}
#ifdef TEXT_SWAR
/* 0x80 in each byte of x in [lo, hi], for bytes below 0x80 (the sums stay
 * below 0x100, so no carry crosses into the next byte). */
static inline uint64_t bytes_in(uint64_t x, unsigned lo, unsigned hi) {
  const uint64_t ones = 0x0101010101010101ULL;
  return (x + ones * (0x80 - lo)) & ~(x + ones * (0x7F - hi)) & ones * 0x80;
}

/* 0x80 in each byte of the eight in x (as loaded from memory) that is an
 * ASCII word character (letter, digit, hyphen): ascii_word, eight bytes at
 * a time. */
static inline uint64_t ascii_word_bytes(uint64_t x) {
  const uint64_t ones = 0x0101010101010101ULL;
  uint64_t ascii = ~x & ones * 0x80;
  uint64_t y = x & ones * 0x7F;
  uint64_t w = bytes_in(y | ones * 0x20, 'a', 'z') | bytes_in(y, '0', '9') |
               bytes_in(y, '-', '-');
  return w & ascii;
}
#endif

size_t word_end_slow(const char *s, size_t i, size_t end);
/* The end of the word starting at s[i] (word characters). Inline for
 * ASCII words; a non-ASCII byte goes on in word_end_slow. */
static inline size_t word_end(const char *s, size_t i, size_t end) {
  const unsigned char *u = (const unsigned char *)s;
#ifdef TEXT_SWAR
  /* Eight bytes at a time (little-endian: the lowest set bit of the
   * non-word mask is the first non-word byte). */
  while (i < end && end - i >= 8) {
    uint64_t x;
    memcpy(&x, u + i, 8);
    uint64_t non = ~ascii_word_bytes(x) & 0x8080808080808080ULL;
    if (non) {
      i += (size_t)__builtin_ctzll(non) >> 3;
      /* That byte is ASCII (the word ends) unless its top bit is set. */
      if (!(x & non & (0 - non))) return i;
      goto non_ascii;
    }
    i += 8;
  }
#endif
  while (i < end && ascii_word[u[i]]) i++;
  if (i >= end || u[i] < 0x80) return i;
#ifdef TEXT_SWAR
non_ascii:
#endif
  {
    /* A no-break space or a curly quote (decoded inline) ends the word;
     * a letter goes on in word_end_slow. */
    size_t n;
    if (!cp_is_word(cp_at(s, i, end, &n))) return i;
    return word_end_slow(s, i + n, end);
  }
}
/* The first offset >= i where an upper-case letter may start (see
 * lexicon.c), or end. */
size_t upper_candidate(const char *s, size_t i, size_t end);
/* s[i..e) is exactly w. Inline, so that strlen of a literal is a constant. */
static inline int word_is(const char *s, size_t i, size_t e, const char *w) {
  /* Most words differ in the first byte: decide that before strlen. */
  if (i >= e || s[i] != w[0]) return 0;
  size_t n = strlen(w);
  return e - i == n && memcmp(s + i, w, n) == 0;
}

/* The lists of English words the reader knows, as bits. */
enum { W_TITLE = 1, W_SPEECH = 2, W_MONTH = 4, W_PARTICLE = 8, W_NOT_NAME = 16,
       W_PLACE_FOLLOWER = 32, W_NOT_VERB = 64 };
/* Builds the table of known words, once per process; before any of the
 * two below. */
void words_init_once(void);
/* The lists s[i..e) is in (0 for none), and its month (1-12) or 0. */
unsigned word_classes(const char *s, size_t i, size_t e, int *month);
static inline int word_in(const char *s, size_t i, size_t e, unsigned list) {
  return (word_classes(s, i, e, NULL) & list) != 0;
}
static inline int month_number(const char *s, size_t i, size_t e) {
  int m;
  return (word_classes(s, i, e, &m) & W_MONTH) ? m : 0;
}

extern const char *const title_words[];     /* W_TITLE, lexicon.c */
extern const char *const speech_verbs[];    /* W_SPEECH, lexicon.c */
extern const char *const month_names[];     /* W_MONTH, lexicon.c */
extern const char *const particles[];       /* W_PARTICLE, reader.c */
extern const char *const not_names[];       /* W_NOT_NAME, reader.c */
extern const char *const place_followers[]; /* W_PLACE_FOLLOWER, inline.c */
extern const char *const not_verbs[];       /* W_NOT_VERB, inline.c */

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
  /* The line of the last position asked for: [line_start, line_next),
   * its number line_no (0: none yet). */
  size_t line_start, line_next;
  uint32_t line_no;
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

scr_pos reader_pos(reader *r, size_t off);
int set_attr(reader *r, scr_node *n, scr_attr k, const char *v, size_t len);
scr_node *new_node(reader *r, scr_node_type t, size_t off);
scr_node *new_text(reader *r, size_t a, size_t b);

#endif
