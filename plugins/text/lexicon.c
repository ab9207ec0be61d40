/* lexicon.c - persons, their name forms and epithets, and the trie that
 * finds them in the text; the names found in the text (speaker labels,
 * "First Last said"). The authority file that fills it: persons.c.
 * Nothing about any person is known to this code: it only knows English
 * words that are not names (words.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"
#include "words.h"

/* ---- the trie of forms ------------------------------------------------------------ */

/* The key of a word: digits dropped (so that a misspelt "Lukashe4nko" finds
 * "Lukashenko") and the first letter folded (sentence starts). Two words
 * that word_cmp finds equal (or equal but for a typo) have the same key. */
static uint32_t word_key(const char *s, size_t i, size_t e) {
  uint32_t h = 2166136261u ^ words_hash_seed; /* seeded: see mix */
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

/* The tables of this file (trie edges, persons by id, a document's base
 * persons) are open-addressed; where a key lands is mixed with a seed
 * chosen once per process, so that an authority file cannot be written to
 * pile its keys into one run of slots. Nothing that is output depends on
 * where a key lands. */
static uint32_t mix(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h;
}

static size_t edge_slot(uint32_t key, int parent, size_t cap) {
  return mix(mix(key ^ words_hash_seed) ^ (uint32_t)parent) & (cap - 1);
}

static int trie_child(const lexicon *t, int parent, uint32_t key) {
  if (!t->edges_cap) return 0;
  for (size_t h = edge_slot(key, parent, t->edges_cap);; h = (h + 1) & (t->edges_cap - 1)) {
    const lex_edge *e = &t->edges[h];
    if (!e->child) return 0;
    if (e->key == key && e->parent == parent) return e->child;
  }
}

static void edge_put(lex_edge *edges, size_t cap, lex_edge e) {
  size_t h = edge_slot(e.key, e.parent, cap);
  while (edges[h].child) h = (h + 1) & (cap - 1);
  edges[h] = e;
}

/* The child of `parent` by `key`, made if new; -1 on OOM. */
static int trie_add(lexicon *t, int parent, uint32_t key) {
  int c = trie_child(t, parent, key);
  if (c) return c;
  if ((t->edges_len + 1) * 2 > t->edges_cap) {
    size_t cap = t->edges_cap ? t->edges_cap * 2 : 64;
    lex_edge *e = calloc(cap, sizeof *e);
    if (!e) return -1;
    for (size_t i = 0; i < t->edges_cap; i++)
      if (t->edges[i].child) edge_put(e, cap, t->edges[i]);
    free(t->edges);
    t->edges = e;
    t->edges_cap = cap;
  }
  int child = (int)t->nodes.len;
  if (VEC_PUSH(t->nodes, -1)) return -1;
  edge_put(t->edges, t->edges_cap, (lex_edge){key, parent, child});
  t->edges_len++;
  return child;
}

/* Adds a form: its words (split at spaces) are a path in the trie, and the
 * entry goes first in the list of the node where the path ends (so each
 * node lists its entries from the last added, as the look-up wants). */
int lexicon_add_entry(lexicon *lx, scr_str form, int kind, int person,
                     scr_str publisher) {
  if (form.len == 0) return 0;
  if (lx->nodes.len == 0 && VEC_PUSH(lx->nodes, -1)) return -1; /* the root */
  int node = 0;
  for (size_t i = 0;;) {
    size_t e = i;
    while (e < form.len && form.ptr[e] != ' ') e++;
    node = trie_add(lx, node, word_key(form.ptr, i, e));
    if (node < 0) return -1;
    if (e >= form.len) break;
    i = e + 1;
  }
  lex_entry en = {form, kind, person, publisher, lx->nodes.v[node], 0};
  if (VEC_PUSH(lx->entries, en)) return -1;
  lx->nodes.v[node] = (int)lx->entries.len - 1;
  lx->kinds |= 1u << kind;
  if (kind == LEX_EPITHET) {
    size_t e = 0;
    while (e < form.len && form.ptr[e] != ' ') e++;
    if (!((e == 3 && (memcmp(form.ptr, "the", 3) == 0 || memcmp(form.ptr, "The", 3) == 0 ||
                      memcmp(form.ptr, "his", 3) == 0 || memcmp(form.ptr, "His", 3) == 0))))
      lx->epithet_any_start = 1;
  }
  return 0;
}

int lexicon_gender(const lexicon *lx, int person) {
  if (person < 0) return 0;
  if ((size_t)person < lx->base_people) return lx->base->people.v[person].gender;
  return lx->people.v[(size_t)person - lx->base_people].gender;
}

const lex_entry *lexicon_entry(const lexicon *lx, int k) {
  return (size_t)k < lx->base_entries ? &lx->base->entries.v[k]
                                      : &lx->entries.v[(size_t)k - lx->base_entries];
}

size_t lexicon_size(const lexicon *lx) { return lx->base_entries + lx->entries.len; }

void lexicon_free(lexicon *lx) {
  VEC_FREE(lx->entries);
  VEC_FREE(lx->people);
  VEC_FREE(lx->offices);
  VEC_FREE(lx->idnos);
  VEC_FREE(lx->nodes);
  free(lx->edges);
  free(lx->ids);
  free(lx->pmap);
  scr_str publisher = lx->publisher;
  *lx = (lexicon){0};
  lx->publisher = publisher;
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

/* The longest form of trie t (entries numbered from `offset`) at s[i]:
 * the text's words (one space or no-break space apart) are walked down
 * the trie as far as it goes; the forms of the deepest node first, the
 * last added first, are tried. Every form that matches lies on that path
 * (equal words have equal keys), and a form of n words ends at the n-th
 * word, so this is the longest match, and of equally long ones the last
 * added: what comparing the text with every form would find. */
static int trie_match(const lexicon *t, size_t offset, const lexicon *lx,
                      const char *s, size_t i, size_t we, size_t end,
                      unsigned kinds, lex_match *m) {
  if (!t->edges_cap) return 0;
  int path[LEX_MAX_WORDS];
  int depth = 0, node = 0;
  size_t ti = i, te = we;
  for (;;) {
    node = trie_child(t, node, word_key(s, ti, te));
    if (!node) break;
    path[depth++] = node;
    if (depth == LEX_MAX_WORDS || te >= end) break;
    size_t n;
    uint32_t sp = cp_at(s, te, end, &n);
    if (sp != ' ' && sp != 0xA0) break;
    ti = te + n;
    te = word_end(s, ti, end);
    if (te == ti) break;
  }
  while (depth-- > 0)
    for (int k = t->nodes.v[path[depth]]; k >= 0; k = t->entries.v[k].next) {
      const lex_entry *e = &t->entries.v[k];
      if (!(kinds & (1u << e->kind))) continue;
      if (try_form(lx, e, s, i, end, m)) {
        m->entry = (int)(offset + (size_t)k);
        return 1;
      }
    }
  return 0;
}

int lexicon_match(const lexicon *lx, const char *s, size_t i, size_t end,
                  unsigned kinds, lex_match *m) {
  /* No form of the kinds asked for (often: no epithets without an
   * authority file): nothing to look up. */
  if (!(kinds & lx->kinds)) return 0;
  return lexicon_match_word(lx, s, i, word_end(s, i, end), end, kinds, m);
}

int lexicon_match_word(const lexicon *lx, const char *s, size_t i, size_t we,
                       size_t end, unsigned kinds, lex_match *m) {
  if (!(kinds & lx->kinds) || we == i) return 0;
  lex_match b, o;
  int fb = lx->base && trie_match(lx->base, 0, lx, s, i, we, end, kinds, &b);
  int fo = trie_match(lx, lx->base_entries, lx, s, i, we, end, kinds, &o);
  /* The document's own entries come after the base's: they win ties. */
  if (fo && (!fb || o.end >= b.end)) *m = o;
  else if (fb) *m = b;
  return fb || fo;
}

/* ---- persons ------------------------------------------------------------------- */

static uint32_t id_hash(scr_str id) {
  uint32_t h = 2166136261u ^ words_hash_seed;
  for (size_t i = 0; i < id.len; i++) h = (h ^ (unsigned char)id.ptr[i]) * 16777619u;
  return mix(h);
}

/* The person of t's own people with this id, or -1. A slot holds the
 * id's hash and the person's index + 1 (0: empty), so that a probe
 * compares ids only when their hashes agree. */
int lexicon_find_id(const lexicon *t, scr_str id) {
  if (!t->ids_cap) return -1;
  uint32_t hash = id_hash(id);
  for (size_t h = hash & (t->ids_cap - 1);; h = (h + 1) & (t->ids_cap - 1)) {
    const lex_id *slot = &t->ids[h];
    if (!slot->person) return -1;
    if (slot->hash != hash) continue;
    const person_info *pi = &t->people.v[slot->person - 1];
    if (pi->id.len == id.len && memcmp(pi->id.ptr, id.ptr, id.len) == 0)
      return slot->person - 1;
  }
}

static void ids_put(lex_id *ids, size_t cap, lex_id id) {
  size_t h = id.hash & (cap - 1);
  while (ids[h].person) h = (h + 1) & (cap - 1);
  ids[h] = id;
}

/* Appends a person (its id not yet in lx) to lx's own people. The index
 * among them, or -1 on OOM. */
int lexicon_add_person(lexicon *lx, person_info pi) {
  if ((lx->people.len + 1) * 2 > lx->ids_cap) {
    size_t cap = lx->ids_cap ? lx->ids_cap * 2 : 64;
    lex_id *ids = calloc(cap, sizeof *ids);
    if (!ids) return -1;
    for (size_t i = 0; i < lx->ids_cap; i++)
      if (lx->ids[i].person) ids_put(ids, cap, lx->ids[i]);
    free(lx->ids);
    lx->ids = ids;
    lx->ids_cap = cap;
  }
  if (VEC_PUSH(lx->people, pi)) return -1;
  ids_put(lx->ids, lx->ids_cap, (lex_id){id_hash(pi.id), (int)lx->people.len});
  return (int)lx->people.len - 1;
}

static int find_person_id(const lexicon *lx, scr_str id) {
  int k = lx->base ? lexicon_find_id(lx->base, id) : -1;
  if (k >= 0) return k;
  k = lexicon_find_id(lx, id);
  return k < 0 ? -1 : (int)(lx->base_people + (size_t)k);
}

/* The document's slot for base person `person`, made if new; NULL on OOM. */
static scr_person **base_slot(lexicon *lx, int person) {
  if ((lx->pmap_len + 1) * 2 > lx->pmap_cap) {
    size_t cap = lx->pmap_cap ? lx->pmap_cap * 2 : 64;
    lex_slot *m = malloc(cap * sizeof *m);
    if (!m) return NULL;
    for (size_t i = 0; i < cap; i++) m[i].person = -1;
    for (size_t i = 0; i < lx->pmap_cap; i++)
      if (lx->pmap[i].person >= 0) {
        size_t h = mix((uint32_t)lx->pmap[i].person ^ words_hash_seed) & (cap - 1);
        while (m[h].person >= 0) h = (h + 1) & (cap - 1);
        m[h] = lx->pmap[i];
      }
    free(lx->pmap);
    lx->pmap = m;
    lx->pmap_cap = cap;
  }
  size_t h = mix((uint32_t)person ^ words_hash_seed) & (lx->pmap_cap - 1);
  while (lx->pmap[h].person >= 0 && lx->pmap[h].person != person)
    h = (h + 1) & (lx->pmap_cap - 1);
  if (lx->pmap[h].person < 0) {
    lx->pmap[h] = (lex_slot){person, NULL};
    lx->pmap_len++;
  }
  return &lx->pmap[h].p;
}

scr_person *lexicon_person(lexicon *lx, scr_doc *doc, int person) {
  const person_info *pi;
  const scr_str *offices, *idnos;
  scr_person **slot;
  if ((size_t)person < lx->base_people) {
    pi = &lx->base->people.v[person];
    offices = lx->base->offices.v;
    idnos = lx->base->idnos.v;
    slot = base_slot(lx, person);
    if (!slot) return NULL;
  } else {
    person_info *own = &lx->people.v[(size_t)person - lx->base_people];
    pi = own;
    offices = lx->offices.v;
    idnos = lx->idnos.v;
    slot = &own->p;
  }
  if (*slot) return *slot;
  scr_person *p = scr_doc_person(doc, pi->id.ptr, pi->id.len);
  if (!p) return NULL;
  if (pi->canon.len && scr_person_add_name(doc, p, pi->canon.ptr, pi->canon.len))
    return NULL;
  for (size_t k = 0; k < pi->office_count; k++) {
    scr_str o = offices[pi->office_first + k];
    if (scr_person_add_role(doc, p, o.ptr, o.len)) return NULL;
  }
  if (pi->nationality.len &&
      scr_person_set_nationality(doc, p, pi->nationality.ptr, pi->nationality.len))
    return NULL;
  for (size_t k = 0; k < pi->idno_count; k++) {
    scr_str ty = idnos[2 * (pi->idno_first + k)], v = idnos[2 * (pi->idno_first + k) + 1];
    if (scr_person_add_idno(doc, p, ty.ptr, ty.len, v.ptr, v.len)) return NULL;
  }
  *slot = p;
  return p;
}

/* An id derived from a name, the same for every spelling of the name that
 * the core folds (scr_person_name_id, the rule every reader shares). */
static scr_str derive_id(scr_doc *doc, const char *name, size_t len) {
  scr_buf b = {0};
  scr_str out = SCR_STR_NULL;
  if (scr_person_name_id(name, len, &b) == 0) out = scr_doc_strdup(doc, b.data, b.len);
  scr_buf_free(&b);
  return out;
}

/* The person_info of person k (base people first). */
static const person_info *person_at(const lexicon *lx, int k) {
  return (size_t)k < lx->base_people ? &lx->base->people.v[k]
                                     : &lx->people.v[(size_t)k - lx->base_people];
}

/* A person of the authority file or found in this document's text whose id
 * the new id may be a misspelling of, and only one: its index (base people
 * first, like lexicon persons), or -1. */
static int typo_person(const lexicon *lx, scr_str id, int *dist) {
  int found = -1;
  size_t n = lx->base_people + lx->people.len;
  for (size_t k = 0; k < n; k++) {
    scr_str o = person_at(lx, (int)k)->id;
    int d = scr_person_id_typo(id.ptr, id.len, o.ptr, o.len);
    if (!d) continue;
    if (found >= 0) return -1; /* two: not sure which */
    found = (int)k;
    *dist = d;
  }
  return found;
}

int lexicon_add_misspelling(lexicon *lx, scr_doc *doc, scr_str form, int person, int dist) {
  const person_info *to = person_at(lx, person);
  char note[256];
  int n = snprintf(note, sizeof note,
                   "person: \"%.*s\" taken as a spelling of \"%.*s\" (%.*s), "
                   "edit distance %d: cert %s",
                   (int)(form.len > 80 ? 80 : form.len), form.ptr,
                   (int)(to->canon.len > 80 ? 80 : to->canon.len), to->canon.ptr,
                   (int)(to->id.len > 80 ? 80 : to->id.len), to->id.ptr, dist,
                   dist == 1 ? "medium" : "low");
  if (n > 0 && scr_doc_add_note(doc, note, (size_t)n < sizeof note ? (size_t)n : sizeof note - 1))
    return -1;
  return lexicon_add_entry(lx, form, LEX_NAME, person, SCR_STR_NULL) ? -1 : 0;
}

/* Whether id `tail` is the last two words or more of id `id`, after a '-'
 * ("tayyip-erdogan" of "recep-tayyip-erdogan"). */
static int id_ends_with(scr_str id, scr_str tail) {
  return tail.len < id.len && memchr(tail.ptr, '-', tail.len) &&
         id.ptr[id.len - tail.len - 1] == '-' &&
         memcmp(id.ptr + id.len - tail.len, tail.ptr, tail.len) == 0;
}

/* A person found in this document whose name ends with the new one, or
 * whose name the new one ends with (two words at least in common): one
 * person, written in full and without a given name ("Recep Tayyip
 * Erdogan", "Tayyip Erdogan"). Its index (own people) if only one, -1. */
static int suffix_person(const lexicon *lx, scr_str id) {
  int found = -1;
  for (size_t k = 0; k < lx->people.len; k++) {
    scr_str o = lx->people.v[k].id;
    if (!id_ends_with(o, id) && !id_ends_with(id, o)) continue;
    if (found >= 0) return -1;
    found = (int)k;
  }
  return found;
}

/* Gives own person k a longer id and first name (the name in full), while
 * no document person was made with the shorter one. 0, -1 on OOM. */
static int person_rename(lexicon *lx, int k, scr_str id, scr_str canon) {
  person_info *pi = &lx->people.v[k];
  if (pi->p || id.len <= pi->id.len) return 0;
  pi->id = id;
  pi->canon = canon;
  lex_id *ids = calloc(lx->ids_cap, sizeof *ids);
  if (!ids) return -1;
  for (size_t i = 0; i < lx->people.len; i++)
    ids_put(ids, lx->ids_cap, (lex_id){id_hash(lx->people.v[i].id), (int)i + 1});
  free(lx->ids);
  lx->ids = ids;
  return 0;
}

int lexicon_add_found_name(lexicon *lx, scr_doc *doc, const char *name,
                           size_t len) {
  lex_match m;
  if (lexicon_match(lx, name, 0, len, 1u << LEX_NAME, &m) && m.end == len &&
      m.typo_end == 0 && lexicon_entry(lx, m.entry)->person >= 0)
    return lexicon_entry(lx, m.entry)->person;
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
  int dist = 0, typo = person < 0 ? typo_person(lx, id, &dist) : -1;
  if (typo >= 0) {
    /* A misspelling of a name this document has written or the authority
     * file holds ("Valdimir Putin" beside "Vladimir Putin"): the same
     * person, the form kept as one of its names; the choice is a note,
     * with its certainty. */
    return lexicon_add_misspelling(lx, doc, form, typo, dist) ? -1 : typo;
  }
  int whole = person < 0 ? suffix_person(lx, id) : -1;
  if (whole >= 0) {
    if (person_rename(lx, whole, id, form)) return -1;
    person = (int)(lx->base_people + (size_t)whole);
  }
  if (person < 0) {
    person_info pi = {.id = id, .canon = form};
    int k = lexicon_add_person(lx, pi);
    if (k < 0) return -1;
    person = (int)(lx->base_people + (size_t)k);
  }
  if (lexicon_add_entry(lx, form, LEX_NAME, person, SCR_STR_NULL)) return -1;
  /* The surname alone ("Mr Putin said", "Putin noted"): the last word of a
   * name of two words or more, unless it is an office or a particle. */
  size_t last = form.len;
  while (last > 0 && form.ptr[last - 1] != ' ') last--;
  if (last > 0 && form.len - last >= 3 && cp_is_upper(cp_at(form.ptr, last, form.len, NULL)) &&
      !word_in(form.ptr, last, form.len, W_TITLE | W_PARTICLE | W_NOT_NAME) &&
      lexicon_add_learned(lx, doc, form.ptr + last, form.len - last, LEX_NAME, person))
    return -1;
  return person;
}

int lexicon_add_learned(lexicon *lx, scr_doc *doc, const char *form,
                        size_t len, int kind, int person) {
  lex_match m;
  if (lexicon_match(lx, form, 0, len, 1u << kind, &m) && m.end == len && m.typo_end == 0) {
    const lex_entry *e = lexicon_entry(lx, m.entry);
    if (e->person == person || e->person < 0) return 0;
    /* A form of its own (the authority file's, or a name found in full)
     * is not blocked by what is only learned. */
    if (!e->learned) return 0;
    person = -1; /* two persons: nobody */
  }
  scr_str f = scr_doc_strdup(doc, form, len);
  if (!f.ptr) return -1;
  if (lexicon_add_entry(lx, f, kind, person, SCR_STR_NULL)) return -1;
  lx->entries.v[lx->entries.len - 1].learned = 1;
  return 0;
}

