/* lexicon.c - persons, their name forms and epithets: loaded from an
 * authority file (YAML, libyaml) and found in the text (speaker labels,
 * "First Last said"). Nothing about any person is known to this code: it
 * only knows English words that are not names (offices, speech verbs,
 * months), kept in the small tables at the end. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "reader.h"

int vec_grow_(void **v, size_t *cap, size_t need, size_t size) {
  size_t n = *cap ? *cap : 8;
  while (n < need) n *= 2;
  void *p = realloc(*v, n * size);
  if (!p) return -1;
  *v = p;
  *cap = n;
  return 0;
}

/* ---- characters and words ------------------------------------------------------ */

/* ASCII bytes that are word characters (letters, digits, hyphen): the
 * table behind word_end's and cp_is_word's fast paths. Bytes >= 0x80 are 0
 * here; they are decoded and judged by cp_is_word_slow. */
const unsigned char ascii_word[256] = {
    ['-'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
    ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
    ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
    ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
    ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
    ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

uint32_t cp_decode_at(const char *s, size_t i, size_t end, size_t *len) {
  uint32_t c = 0;
  size_t n = i < end ? scr_utf8_decode(s + i, end - i, &c) : 0;
  if (len) *len = n;
  return i < end ? c : 0;
}

uint32_t cp_before_slow(const char *s, size_t start, size_t i, size_t *len) {
  if (i <= start) {
    if (len) *len = 0;
    return 0;
  }
  size_t j = i - 1;
  while (j > start && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80) j--;
  uint32_t c = 0;
  scr_utf8_decode(s + j, i - j, &c);
  if (len) *len = i - j;
  return c;
}

int cp_is_space(uint32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0 || c == 0x202F || c == 0x2009;
}

int cp_is_word_slow(uint32_t c) {
  if (c < 0x80) return ascii_word[c];
  if (c < 0xC0 || c == 0xD7 || c == 0xF7) return 0;
  if (c >= 0x2000 && c <= 0x2BFF) return 0; /* punctuation, symbols */
  if (c >= 0x3000 && c <= 0x303F) return 0;
  if (c >= 0xFE00 && c <= 0xFF0F) return 0;
  return 1;
}

int cp_is_upper_slow(uint32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  /* Latin-1, Latin Extended-A (even = upper), Cyrillic capitals. */
  if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;
  if (c >= 0x100 && c <= 0x17F) return (c & 1) == 0;
  if (c >= 0x410 && c <= 0x42F) return 1;
  return 0;
}

/* word_end past the ASCII fast path of reader.h: from a non-ASCII byte
 * (or any byte), decoding what is not ASCII. */
size_t word_end_slow(const char *s, size_t i, size_t end) {
  const unsigned char *u = (const unsigned char *)s;
  while (i < end) {
    while (i < end && ascii_word[u[i]]) i++;
    if (i >= end || u[i] < 0x80) break;
    size_t n;
    uint32_t c = cp_at(s, i, end, &n);
    if (!cp_is_word(c)) break;
    i += n;
  }
  return i;
}

/* The first byte in s[i..end) that may start an upper-case letter as
 * cp_is_upper knows them: 'A'-'Z', or the lead bytes of U+00C0-U+00DE
 * (0xC3), U+0100-U+017F (0xC4, 0xC5) and U+0410-U+042F (0xD0); end if none.
 * Eight bytes at a time over bytes that are neither A-Z nor non-ASCII. */
size_t upper_candidate(const char *s, size_t i, size_t end) {
  const unsigned char *u = (const unsigned char *)s;
  for (;;) {
#ifdef TEXT_SWAR
    const uint64_t ones = 0x0101010101010101ULL;
    while (end - i >= 8) {
      uint64_t x;
      memcpy(&x, u + i, 8);
      /* the low seven bits of each byte: A-Z with the top bit clear,
       * 0x43-0x45 (0xC3-0xC5) or 0x50 (0xD0) with it set */
      uint64_t y = x & ones * 0x7F;
      uint64_t hit = (bytes_in(y, 'A', 'Z') & ~x) |
                     ((bytes_in(y, 0x43, 0x45) | bytes_in(y, 0x50, 0x50)) & x);
      if (hit) {
        i += (size_t)__builtin_ctzll(hit) >> 3;
        break;
      }
      i += 8;
    }
#endif
    while (i < end && !(u[i] >= 'A' && u[i] <= 'Z') && u[i] < 0x80) i++;
    if (i >= end) return end;
    unsigned char c = u[i];
    if (c < 0x80 || c == 0xC3 || c == 0xC4 || c == 0xC5 || c == 0xD0) return i;
    i++; /* another non-ASCII byte */
  }
}

/* ---- English words the reader knows: one hash for every list --------------------- */

/* Each word of the lists below (and of particles, not_names, place_followers
 * and not_verbs in reader.c and inline.c) is entered once, with a bit for
 * each list that holds it and, for months, the month's number, so that
 * asking whether a word of the text is in a list is one hash look-up
 * instead of a comparison with every entry. The table is built once per
 * process (pthread_once); text_read calls words_init_once before any look-up. */
typedef struct known_word {
  const char *w;
  size_t len;
  unsigned classes;
  int month;
} known_word;

enum { KNOWN_SIZE = 1024 }; /* a power of two, more than twice the words */
static known_word known[KNOWN_SIZE];
static size_t known_max_len;
static pthread_once_t known_once = PTHREAD_ONCE_INIT;

static uint32_t known_hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static void known_add(const char *const *list, unsigned cls, int months) {
  for (size_t k = 0; list[k]; k++) {
    size_t n = strlen(list[k]);
    uint32_t h = known_hash(list[k], n) & (KNOWN_SIZE - 1);
    while (known[h].w && !(known[h].len == n && memcmp(known[h].w, list[k], n) == 0))
      h = (h + 1) & (KNOWN_SIZE - 1);
    known[h].w = list[k];
    known[h].len = n;
    known[h].classes |= cls;
    if (months) known[h].month = (int)k + 1;
    if (n > known_max_len) known_max_len = n;
  }
}

static void known_build(void) {
  known_add(title_words, W_TITLE, 0);
  known_add(speech_verbs, W_SPEECH, 0);
  known_add(month_names, W_MONTH, 1);
  known_add(particles, W_PARTICLE, 0);
  known_add(not_names, W_NOT_NAME, 0);
  known_add(place_followers, W_PLACE_FOLLOWER, 0);
  known_add(not_verbs, W_NOT_VERB, 0);
}

void words_init_once(void) { pthread_once(&known_once, known_build); }

unsigned word_classes(const char *s, size_t i, size_t e, int *month) {
  if (month) *month = 0;
  if (i >= e || e - i > known_max_len) return 0;
  size_t n = e - i;
  uint32_t h = known_hash(s + i, n) & (KNOWN_SIZE - 1);
  for (; known[h].w; h = (h + 1) & (KNOWN_SIZE - 1))
    if (known[h].len == n && memcmp(known[h].w, s + i, n) == 0) {
      if (month) *month = known[h].month;
      return known[h].classes;
    }
  return 0;
}

/* ---- the hash of forms by their first word ------------------------------------- */

/* The key of a word: digits dropped (so that a misspelt "Lukashe4nko" finds
 * "Lukashenko") and the first letter folded (sentence starts). */
static uint32_t word_key(const char *s, size_t i, size_t e) {
  uint32_t h = 2166136261u;
  int first = 1;
  for (; i < e; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= '0' && c <= '9') continue;
    if (first && c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
    first = 0;
    h = (h ^ c) * 16777619u;
  }
  return h;
}

static size_t first_word_end(scr_str f) {
  size_t i = 0;
  while (i < f.len && f.ptr[i] != ' ') i++;
  return i;
}

static int rehash(lexicon *lx, size_t n) {
  int *b = malloc(n * sizeof *b);
  if (!b) return -1;
  for (size_t i = 0; i < n; i++) b[i] = -1;
  free(lx->buckets);
  lx->buckets = b;
  lx->nbuckets = n;
  for (size_t i = 0; i < lx->entries.len; i++) {
    lex_entry *e = &lx->entries.v[i];
    uint32_t h = word_key(e->form.ptr, 0, first_word_end(e->form)) & (n - 1);
    e->next = b[h];
    b[h] = (int)i;
  }
  return 0;
}

static int add_entry(lexicon *lx, scr_str form, int kind, int person,
                     scr_str publisher) {
  if (form.len == 0) return 0;
  lex_entry e = {form, kind, person, publisher, -1};
  if (VEC_PUSH(lx->entries, e)) return -1;
  lx->kinds |= 1u << kind;
  if (lx->entries.len * 2 > lx->nbuckets)
    return rehash(lx, lx->nbuckets ? lx->nbuckets * 4 : 256);
  lex_entry *p = &lx->entries.v[lx->entries.len - 1];
  uint32_t h = word_key(form.ptr, 0, first_word_end(form)) & (lx->nbuckets - 1);
  p->next = lx->buckets[h];
  lx->buckets[h] = (int)(lx->entries.len - 1);
  return 0;
}

void lexicon_free(lexicon *lx) {
  VEC_FREE(lx->entries);
  VEC_FREE(lx->people);
  VEC_FREE(lx->offices);
  free(lx->buckets);
  lx->buckets = NULL;
  lx->nbuckets = 0;
  lx->kinds = 0;
}

/* Compares one word of the text with one word of a form. 1 equal, 2 equal
 * once the digits of the text word are dropped (a typo), 0 different. */
static int word_cmp(const char *t, size_t tn, const char *f, size_t fn,
                    int fold_first, int allow_typo) {
  if (tn == fn && tn > 0) {
    size_t k = 0;
    if (fold_first) {
      unsigned char a = (unsigned char)t[0], b = (unsigned char)f[0];
      if (a >= 'A' && a <= 'Z') a = (unsigned char)(a + 32);
      if (b >= 'A' && b <= 'Z') b = (unsigned char)(b + 32);
      if (a != b) goto typo;
      k = 1;
    }
    if (memcmp(t + k, f + k, tn - k) == 0) return 1;
  }
typo:
  if (!allow_typo) return 0;
  size_t digits = 0, letters = 0;
  for (size_t i = 0; i < tn; i++) {
    if (t[i] >= '0' && t[i] <= '9') digits++;
    else letters++;
  }
  for (size_t i = 0; i < fn; i++)
    if (f[i] >= '0' && f[i] <= '9') return 0;
  if (!digits || letters != fn || letters < 3) return 0;
  size_t j = 0;
  for (size_t i = 0; i < tn; i++) {
    if (t[i] >= '0' && t[i] <= '9') continue;
    if (t[i] != f[j++]) return 0;
  }
  return 2;
}

static int try_form(const lexicon *lx, const lex_entry *e, const char *s,
                    size_t i, size_t end, lex_match *m) {
  size_t fi = 0, ti = i;
  m->typo_start = m->typo_end = 0;
  int first = 1;
  for (;;) {
    size_t fe = fi;
    while (fe < e->form.len && e->form.ptr[fe] != ' ') fe++;
    size_t te = word_end(s, ti, end);
    int c = word_cmp(s + ti, te - ti, e->form.ptr + fi, fe - fi, first,
                     e->kind == LEX_NAME);
    if (!c) return 0;
    if (c == 2) {
      if (m->typo_end) return 0; /* one typo per name at most */
      m->typo_start = ti, m->typo_end = te;
      m->typo_fix = (scr_str){e->form.ptr + fi, fe - fi};
    }
    first = 0;
    ti = te;
    if (fe >= e->form.len) break;
    fi = fe + 1;
    /* One space or no-break space between the words. */
    size_t n;
    uint32_t sp = cp_at(s, ti, end, &n);
    if (sp != ' ' && sp != 0xA0) return 0;
    ti += n;
  }
  if (e->kind == LEX_EPITHET) {
    /* "the President of Equatorial Guinea" is not "the President". */
    if (end - ti >= 4 && memcmp(s + ti, " of ", 4) == 0) return 0;
    if (e->publisher.len &&
        !(lx->publisher.len == e->publisher.len &&
          memcmp(lx->publisher.ptr, e->publisher.ptr, e->publisher.len) == 0))
      return 0;
  }
  m->end = ti;
  return 1;
}

int lexicon_match(const lexicon *lx, const char *s, size_t i, size_t end,
                  unsigned kinds, lex_match *m) {
  /* No form of the kinds asked for (often: no epithets without an
   * authority file): nothing to look up. */
  if (!lx->nbuckets || !(kinds & lx->kinds)) return 0;
  return lexicon_match_word(lx, s, i, word_end(s, i, end), end, kinds, m);
}

int lexicon_match_word(const lexicon *lx, const char *s, size_t i, size_t we,
                       size_t end, unsigned kinds, lex_match *m) {
  if (!lx->nbuckets || !(kinds & lx->kinds)) return 0;
  if (we == i) return 0;
  uint32_t h = word_key(s, i, we) & (lx->nbuckets - 1);
  int found = 0;
  lex_match best = {0}, cur;
  for (int k = lx->buckets[h]; k >= 0; k = lx->entries.v[k].next) {
    const lex_entry *e = &lx->entries.v[k];
    if (!(kinds & (1u << e->kind))) continue;
    if (!try_form(lx, e, s, i, end, &cur)) continue;
    if (!found || cur.end > best.end) {
      best = cur;
      best.entry = k;
      found = 1;
    }
  }
  if (found) *m = best;
  return found;
}

/* ---- persons ------------------------------------------------------------------- */

scr_person *lexicon_person(lexicon *lx, scr_doc *doc, int person) {
  person_info *pi = &lx->people.v[person];
  if (pi->p) return pi->p;
  scr_person *p = scr_doc_person(doc, pi->id.ptr, pi->id.len);
  if (!p) return NULL;
  if (pi->canon.len && scr_person_add_name(doc, p, pi->canon.ptr, pi->canon.len))
    return NULL;
  for (size_t k = 0; k < pi->office_count; k++) {
    scr_str o = lx->offices.v[pi->office_first + k];
    if (scr_person_add_role(doc, p, o.ptr, o.len)) return NULL;
  }
  if (pi->nationality.len &&
      scr_person_set_nationality(doc, p, pi->nationality.ptr, pi->nationality.len))
    return NULL;
  pi->p = p;
  return p;
}

static int find_person_id(const lexicon *lx, scr_str id) {
  for (size_t i = 0; i < lx->people.len; i++)
    if (lx->people.v[i].id.len == id.len &&
        memcmp(lx->people.v[i].id.ptr, id.ptr, id.len) == 0)
      return (int)i;
  return -1;
}

/* An id derived from a name, the same wherever the name is written the same
 * way (the core's rule, shared by every reader): an ASCII NCName. */
static scr_str derive_id(scr_doc *doc, const char *name, size_t len) {
  scr_buf b = {0};
  scr_str out = SCR_STR_NULL;
  if (scr_ascii_id(name, len, &b) == 0) out = scr_doc_strdup(doc, b.data, b.len);
  scr_buf_free(&b);
  return out;
}

int lexicon_add_found_name(lexicon *lx, scr_doc *doc, const char *name,
                           size_t len) {
  lex_match m;
  if (lexicon_match(lx, name, 0, len, 1u << LEX_NAME, &m) && m.end == len &&
      m.typo_end == 0)
    return lx->entries.v[m.entry].person;
  scr_str form = scr_doc_strdup(doc, name, len);
  /* A no-break space inside a name is layout, not part of the form. */
  for (size_t i = 0; i + 1 < form.len; i++)
    if ((unsigned char)form.ptr[i] == 0xC2 && (unsigned char)form.ptr[i + 1] == 0xA0) {
      char *w = (char *)form.ptr;
      w[i] = ' ';
      memmove(w + i + 1, w + i + 2, form.len - i - 2);
      form.len--;
      w[form.len] = 0;
    }
  scr_str id = derive_id(doc, form.ptr, form.len);
  if (!form.ptr || !id.ptr) return -1;
  int person = find_person_id(lx, id);
  if (person < 0) {
    person_info pi = {id, form, SCR_STR_NULL, 0, 0, NULL};
    if (VEC_PUSH(lx->people, pi)) return -1;
    person = (int)lx->people.len - 1;
  }
  if (add_entry(lx, form, LEX_NAME, person, SCR_STR_NULL)) return -1;
  return person;
}

/* ---- the authority file ----------------------------------------------------------- */

static scr_str scalar(yaml_document_t *d, yaml_node_t *n, scr_doc *doc) {
  (void)d;
  if (!n || n->type != YAML_SCALAR_NODE) return SCR_STR_NULL;
  return scr_doc_strdup(doc, (const char *)n->data.scalar.value,
                        n->data.scalar.length);
}

static yaml_node_t *map_get(yaml_document_t *d, yaml_node_t *map,
                            const char *key) {
  if (!map || map->type != YAML_MAPPING_NODE) return NULL;
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
       p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(d, p->key);
    if (k && k->type == YAML_SCALAR_NODE &&
        k->data.scalar.length == strlen(key) &&
        memcmp(k->data.scalar.value, key, k->data.scalar.length) == 0)
      return yaml_document_get_node(d, p->value);
  }
  return NULL;
}

/* Ids in an authority file: ASCII NCNames, as every output format accepts
 * them (TEI xml:id, the YAML edition's schema). */
static int valid_ncname(scr_str s) {
  if (!s.len) return 0;
  unsigned char c = (unsigned char)s.ptr[0];
  if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')) return 0;
  for (size_t i = 0; i < s.len; i++) {
    c = (unsigned char)s.ptr[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' ||
          c == '.' || (c >= '0' && c <= '9')))
      return 0;
  }
  return 1;
}

/* Parses the authority file open as f (named path in messages) into the
 * empty lexicon lx, its strings in doc's arena. 0, or -1 after reporting
 * (lx then holds what was read before the error). Does not close f. */
static int parse_persons(lexicon *lx, scr_doc *doc, FILE *f, const char *path,
                         scr_diag *diag) {
  yaml_parser_t parser;
  yaml_document_t d;
  int rc = -1;
  if (!yaml_parser_initialize(&parser)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "%s: out of memory", path);
    return -1;
  }
  yaml_parser_set_input_file(&parser, f);
  if (!yaml_parser_load(&parser, &d)) {
    if (parser.error == YAML_MEMORY_ERROR)
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "%s: out of memory", path);
    else
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "persons", "%s:%lu:%lu: %s", path,
                      (unsigned long)parser.problem_mark.line + 1,
                      (unsigned long)parser.problem_mark.column + 1,
                      parser.problem ? parser.problem : "invalid YAML");
    yaml_parser_delete(&parser);
    return -1;
  }
  yaml_node_t *root = yaml_document_get_root_node(&d);
  yaml_node_t *list = root && root->type == YAML_MAPPING_NODE
                          ? map_get(&d, root, "persons")
                          : root;
  if (!list || list->type != YAML_SEQUENCE_NODE) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "persons",
                    "%s: expected a list of persons (or a mapping with "
                    "'persons')", path);
    goto done;
  }
  for (yaml_node_item_t *it = list->data.sequence.items.start;
       it < list->data.sequence.items.top; it++) {
    yaml_node_t *pn = yaml_document_get_node(&d, *it);
    scr_str id = scalar(&d, map_get(&d, pn, "id"), doc);
    if (!valid_ncname(id)) {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "persons",
                      "%s:%lu: a person needs an id that is an ASCII XML name (a letter, then letters, digits, -, . or _)", path,
                      pn ? (unsigned long)pn->start_mark.line + 1 : 0ul);
      goto done;
    }
    if (find_person_id(lx, id) >= 0) {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "persons",
                      "%s:%lu: duplicate person id '%s'", path,
                      (unsigned long)pn->start_mark.line + 1, id.ptr);
      goto done;
    }
    person_info pi = {id, SCR_STR_NULL, SCR_STR_NULL, lx->offices.len, 0, NULL};
    pi.nationality = scalar(&d, map_get(&d, pn, "nationality"), doc);
    yaml_node_t *offices = map_get(&d, pn, "offices");
    if (offices && offices->type == YAML_SEQUENCE_NODE)
      for (yaml_node_item_t *o = offices->data.sequence.items.start;
           o < offices->data.sequence.items.top; o++) {
        scr_str s = scalar(&d, yaml_document_get_node(&d, *o), doc);
        if (s.len && VEC_PUSH(lx->offices, s)) goto oom;
        if (s.len) pi.office_count++;
      }
    if (VEC_PUSH(lx->people, pi)) goto oom;
    int person = (int)lx->people.len - 1;
    yaml_node_t *names = map_get(&d, pn, "names");
    if (names && names->type == YAML_SEQUENCE_NODE)
      for (yaml_node_item_t *o = names->data.sequence.items.start;
           o < names->data.sequence.items.top; o++) {
        scr_str s = scalar(&d, yaml_document_get_node(&d, *o), doc);
        if (!s.len) continue;
        if (!lx->people.v[person].canon.len) lx->people.v[person].canon = s;
        if (add_entry(lx, s, LEX_NAME, person, SCR_STR_NULL)) goto oom;
      }
    yaml_node_t *epithets = map_get(&d, pn, "epithets");
    if (epithets && epithets->type == YAML_SEQUENCE_NODE)
      for (yaml_node_item_t *o = epithets->data.sequence.items.start;
           o < epithets->data.sequence.items.top; o++) {
        yaml_node_t *en = yaml_document_get_node(&d, *o);
        scr_str text, pub = SCR_STR_NULL;
        if (en && en->type == YAML_MAPPING_NODE) {
          text = scalar(&d, map_get(&d, en, "text"), doc);
          pub = scalar(&d, map_get(&d, en, "publisher"), doc);
        } else {
          text = scalar(&d, en, doc);
        }
        if (text.len && add_entry(lx, text, LEX_EPITHET, person, pub)) goto oom;
      }
  }
  rc = 0;
  goto done;
oom:
  scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
done:
  yaml_document_delete(&d);
  yaml_parser_delete(&parser);
  return rc;
}

/* ---- the authority file, parsed once per process -------------------------------- */

/* A corpus is thousands of inputs beside one persons.yaml: each file is
 * parsed once per process and kept as a template, a lexicon whose strings
 * live in one block of its own (blob), from which each document's lexicon
 * is copied (the strings into the document's arena, as a parse would put
 * them). A template is keyed by the path and the file's identity and
 * version (device, inode, size, modification and change times): a file
 * changed between two documents is parsed again. Only files that parsed
 * without error are kept; a broken file is parsed, and reported, for every
 * document that uses it. Templates are immutable once in the table and
 * never freed (the plugin is never unloaded, so they stay reachable): at
 * most PERSONS_CACHE_MAX of them, beyond which files are parsed every time.
 * The table is shared by the documents read at once in several threads,
 * behind a mutex. */
typedef struct persons_file {
  char *path;
  struct stat st; /* compared by same_stat only */
  lexicon lx; /* every non-NULL string points into blob */
  char *blob;
  size_t blob_len;
} persons_file;

enum { PERSONS_CACHE_MAX = 16 };
static pthread_mutex_t persons_lock = PTHREAD_MUTEX_INITIALIZER;
static persons_file *persons_cache[PERSONS_CACHE_MAX];
static size_t persons_cached;

static int same_stat(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
         a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
         a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
         a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
         a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static int same_version(const persons_file *pf, const char *path,
                        const struct stat *st) {
  return same_stat(&pf->st, st) && strcmp(pf->path, path) == 0;
}

static const persons_file *persons_find(const char *path, const struct stat *st) {
  const persons_file *found = NULL;
  pthread_mutex_lock(&persons_lock);
  for (size_t i = 0; i < persons_cached && !found; i++)
    if (same_version(persons_cache[i], path, st)) found = persons_cache[i];
  pthread_mutex_unlock(&persons_lock);
  return found;
}

static void persons_file_free(persons_file *pf) {
  if (!pf) return;
  lexicon_free(&pf->lx);
  free(pf->blob);
  free(pf->path);
  free(pf);
}

static size_t str_room(scr_str s) { return s.ptr ? s.len + 1 : 0; }

/* Copies s to blob + *at (NUL-terminated) and returns the copy. */
static scr_str str_put(char *blob, size_t *at, scr_str s) {
  if (!s.ptr) return s;
  scr_str r = {blob + *at, s.len};
  memcpy(blob + *at, s.ptr, s.len);
  blob[*at + s.len] = 0;
  *at += s.len + 1;
  return r;
}

/* A template from a freshly parsed lexicon (whose strings are in another
 * arena): takes over lx's lists and copies its strings into the blob. NULL
 * on OOM (lx is then left as it was). */
static persons_file *persons_file_new(lexicon *lx, const char *path,
                                      const struct stat *st) {
  persons_file *pf = calloc(1, sizeof *pf);
  if (!pf) return NULL;
  size_t n = 0;
  for (size_t i = 0; i < lx->people.len; i++) {
    const person_info *pi = &lx->people.v[i];
    n += str_room(pi->id) + str_room(pi->canon) + str_room(pi->nationality);
  }
  for (size_t i = 0; i < lx->offices.len; i++) n += str_room(lx->offices.v[i]);
  for (size_t i = 0; i < lx->entries.len; i++)
    n += str_room(lx->entries.v[i].form) + str_room(lx->entries.v[i].publisher);
  pf->blob = malloc(n ? n : 1);
  pf->path = malloc(strlen(path) + 1);
  if (!pf->blob || !pf->path) {
    persons_file_free(pf);
    return NULL;
  }
  strcpy(pf->path, path);
  pf->st = *st;
  size_t at = 0;
  for (size_t i = 0; i < lx->people.len; i++) {
    person_info *pi = &lx->people.v[i];
    pi->id = str_put(pf->blob, &at, pi->id);
    pi->canon = str_put(pf->blob, &at, pi->canon);
    pi->nationality = str_put(pf->blob, &at, pi->nationality);
    pi->p = NULL;
  }
  for (size_t i = 0; i < lx->offices.len; i++)
    lx->offices.v[i] = str_put(pf->blob, &at, lx->offices.v[i]);
  for (size_t i = 0; i < lx->entries.len; i++) {
    lex_entry *e = &lx->entries.v[i];
    e->form = str_put(pf->blob, &at, e->form);
    e->publisher = str_put(pf->blob, &at, e->publisher);
  }
  pf->blob_len = at;
  pf->lx = *lx;
  *lx = (lexicon){0};
  return pf;
}

static int copy_array(void **dst, size_t *cap, const void *src, size_t n,
                      size_t size) {
  if (!n) return 0;
  void *p = malloc(n * size);
  if (!p) return -1;
  memcpy(p, src, n * size);
  *dst = p;
  *cap = n;
  return 0;
}

static void rebase(scr_str *s, const char *base, const char *blob) {
  if (s->ptr) s->ptr = base + (s->ptr - blob);
}

/* Fills the empty lexicon lx of doc from a template: the state a parse of
 * the file would leave, strings in doc's arena. 0 or -1 on OOM. */
static int persons_fill(lexicon *lx, scr_doc *doc, const persons_file *pf) {
  char *base = NULL;
  if (pf->blob_len) {
    base = scr_doc_alloc(doc, pf->blob_len);
    if (!base) return -1;
    memcpy(base, pf->blob, pf->blob_len);
  }
  const lexicon *t = &pf->lx;
  size_t cap = 0;
  if (copy_array((void **)&lx->entries.v, &lx->entries.cap, t->entries.v,
                 t->entries.len, sizeof *t->entries.v) ||
      copy_array((void **)&lx->people.v, &lx->people.cap, t->people.v,
                 t->people.len, sizeof *t->people.v) ||
      copy_array((void **)&lx->offices.v, &lx->offices.cap, t->offices.v,
                 t->offices.len, sizeof *t->offices.v) ||
      copy_array((void **)&lx->buckets, &cap, t->buckets, t->nbuckets,
                 sizeof *t->buckets))
    return -1;
  lx->entries.len = t->entries.len;
  lx->people.len = t->people.len;
  lx->offices.len = t->offices.len;
  lx->nbuckets = t->nbuckets;
  lx->kinds = t->kinds;
  for (size_t i = 0; i < lx->people.len; i++) {
    person_info *pi = &lx->people.v[i];
    rebase(&pi->id, base, pf->blob);
    rebase(&pi->canon, base, pf->blob);
    rebase(&pi->nationality, base, pf->blob);
  }
  for (size_t i = 0; i < lx->offices.len; i++)
    rebase(&lx->offices.v[i], base, pf->blob);
  for (size_t i = 0; i < lx->entries.len; i++) {
    rebase(&lx->entries.v[i].form, base, pf->blob);
    rebase(&lx->entries.v[i].publisher, base, pf->blob);
  }
  return 0;
}

static void report_oom(scr_diag *diag) {
  scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
}

/* Parses the file open as fd (closed here; st: its fstat) into a new
 * template; NULL after reporting. *unchanged: whether the file's version
 * is still st once read. */
static persons_file *persons_read(int fd, const char *path,
                                  const struct stat *st, int *unchanged,
                                  scr_diag *diag) {
  FILE *f = fdopen(fd, "rb");
  if (!f) {
    close(fd);
    report_oom(diag);
    return NULL;
  }
  /* The parse puts its strings in an arena of its own, freed once they
   * are copied into the template's blob. */
  scr_doc *arena = scr_doc_new();
  if (!arena) {
    fclose(f);
    report_oom(diag);
    return NULL;
  }
  lexicon parsed = {0};
  int rc = parse_persons(&parsed, arena, f, path, diag);
  struct stat after;
  *unchanged = fstat(fileno(f), &after) == 0 && same_stat(st, &after);
  fclose(f);
  persons_file *pf = rc == 0 ? persons_file_new(&parsed, path, st) : NULL;
  lexicon_free(&parsed);
  scr_doc_free(arena);
  if (rc == 0 && !pf) report_oom(diag);
  return pf;
}

int lexicon_load_yaml(lexicon *lx, scr_doc *doc, const char *path,
                      scr_diag *diag) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "persons",
                    "cannot open the authority file '%s': %s", path,
                    strerror(errno));
    return -1;
  }
  /* The file's content decides the document: the host's up-to-date check
   * looks at it too. */
  if (scr_doc_add_depend(doc, path, fd)) {
    close(fd);
    report_oom(diag);
    return -1;
  }
  struct stat st;
  /* Only regular files are kept (a pipe is read once). */
  int cacheable = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  const persons_file *pf = cacheable ? persons_find(path, &st) : NULL;
  persons_file *mine = NULL;
  if (pf) {
    close(fd);
  } else {
    int unchanged = 0;
    mine = persons_read(fd, path, &st, &unchanged, diag);
    if (!mine) return -1;
    pf = mine;
    if (cacheable && unchanged) {
      pthread_mutex_lock(&persons_lock);
      const persons_file *other = NULL;
      for (size_t i = 0; i < persons_cached && !other; i++)
        if (same_version(persons_cache[i], path, &st)) other = persons_cache[i];
      if (other) { /* another thread kept it meanwhile */
        pf = other;
      } else if (persons_cached < PERSONS_CACHE_MAX) {
        persons_cache[persons_cached++] = mine;
        mine = NULL;
      }
      pthread_mutex_unlock(&persons_lock);
    }
  }
  int rc = persons_fill(lx, doc, pf);
  persons_file_free(mine);
  if (rc) report_oom(diag);
  return rc;
}

/* ---- words of English that are not names ------------------------------------------ */

/* Offices and honorifics: in a label "Defence Minister Sergei Shoigu" the
 * name follows the last of them. */
const char *const title_words[] = {
    "President", "Vice", "Prime", "Minister", "Deputy", "Chairman",
    "Chairwoman", "Chair", "Speaker", "Head", "Governor", "Mayor", "CEO",
    "Director", "General", "Secretary", "Ambassador", "Patriarch", "King",
    "Queen", "Prince", "Emperor", "Chancellor", "Premier", "Aide", "Adviser",
    "Advisor", "Commander", "Chief", "Lieutenant", "Colonel", "Captain",
    "Major", "Sergeant", "Admiral", "Marshal", "Senator", "Rector",
    "Metropolitan", "Archbishop", "Bishop", "Mufti", "Rabbi", "Commissioner",
    "Representative", "Envoy", "Spokesman", "Spokeswoman", "Founder",
    "Editor", "Executive", "Manager", "Coach", "Sr", "Jr", "Mr", "Mrs", "Ms",
    "Dr", "Professor", "Academician", "Presidential", NULL};

/* Verbs that follow a speaker's name in narration ("First Last said"). */
const char *const speech_verbs[] = {
    "said", "says", "noted", "notes", "stressed", "added", "stated",
    "remarked", "emphasized", "emphasised", "pointed", "continued",
    "believes", "told", "asked", "agreed", "explained", "replied",
    "answered", "assured", "summarized", "summarised", "thanked", "recalled",
    "mentioned", "underlined", "highlighted", "spoke", "expressed",
    "commented", "declared", "announced", "urged", "warned", "congratulated",
    "met", "stated", "observed", "concluded", "promised", NULL};

const char *const month_names[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
    NULL};
