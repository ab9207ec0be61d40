/* lexicon.c - persons, their name forms and epithets: loaded from an
 * authority file (YAML, libyaml) and found in the text (speaker labels,
 * "First Last said"). Nothing about any person is known to this code: it
 * only knows English words that are not names (offices, speech verbs,
 * months), kept in the small tables at the end. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <yaml.h>

#include <scriptorium/scriptorium.h> /* scr_max_input_size */

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
static int add_entry(lexicon *lx, scr_str form, int kind, int person,
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
  lex_entry en = {form, kind, person, publisher, lx->nodes.v[node]};
  if (VEC_PUSH(lx->entries, en)) return -1;
  lx->nodes.v[node] = (int)lx->entries.len - 1;
  lx->kinds |= 1u << kind;
  return 0;
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
static int ids_find(const lexicon *t, scr_str id) {
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
static int add_person(lexicon *lx, person_info pi) {
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
  int k = lx->base ? ids_find(lx->base, id) : -1;
  if (k >= 0) return k;
  k = ids_find(lx, id);
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
  const scr_str *offices;
  scr_person **slot;
  if ((size_t)person < lx->base_people) {
    pi = &lx->base->people.v[person];
    offices = lx->base->offices.v;
    slot = base_slot(lx, person);
    if (!slot) return NULL;
  } else {
    person_info *own = &lx->people.v[(size_t)person - lx->base_people];
    pi = own;
    offices = lx->offices.v;
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
  *slot = p;
  return p;
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
  if (person < 0) {
    person_info pi = {id, form, SCR_STR_NULL, 0, 0, NULL};
    int k = add_person(lx, pi);
    if (k < 0) return -1;
    person = (int)(lx->base_people + (size_t)k);
  }
  if (add_entry(lx, form, LEX_NAME, person, SCR_STR_NULL)) return -1;
  return person;
}

/* ---- the authority file ----------------------------------------------------------- */

/* A persons.yaml beside the inputs is read without the user asking for it,
 * so it is untrusted input, held to the YAML reader's limits
 * (docs/text-reader.md): at most scr_max_input_size() bytes, no aliases
 * (an alias could multiply a small file), at most PERSONS_MAX_ITEMS
 * persons and list items (names, offices, epithets) together. It is read
 * with libyaml's event parser against the file's shape, so nothing is
 * built that the file does not say and nothing nests deeper than the
 * shape (a mapping, its persons list, a person, an epithets list, an
 * epithet: 5 levels, within the YAML reader's 128, YAML_MAX_DEPTH); and
 * since keys must be known and not repeated, everything else the file can
 * hold is bounded by the items: time and memory are linear in them and in
 * the file's size. Anything else where a value is
 * expected, an unknown or repeated key, a string with a NUL byte, is an
 * error at its line and column, and the first one ends the parse. Names
 * and offices are added as they are read; a person's epithets are kept
 * until its mapping ends and added after its names, wherever the file puts
 * them, since the order of the forms decides between equal matches. */
/* The YAML reader's YAML_MAX_VALUES (plugins/yaml/yaml_plugin.h), mirrored:
 * a plugin does not use another's code. Counted over persons and list
 * items rather than every value, so that a real authority file (some 20
 * values a person) may hold a few hundred thousand persons. */
enum { PERSONS_MAX_ITEMS = 2000000 };

static int same_stat(const struct stat *a, const struct stat *b);

typedef struct epithet_in {
  scr_str text, publisher;
} epithet_in;

typedef struct pload {
  yaml_parser_t parser;
  yaml_event_t ev; /* the current event, when have */
  int have;
  const char *path;
  int fd;             /* the file, read as the parser asks */
  size_t read, max;   /* bytes read; the most allowed */
  int too_large, read_errno;
  int transient;      /* the problem is this reading's, not the file's */
  lexicon *lx;
  scr_doc *doc; /* where the strings go */
  size_t items; /* persons and list items read */
  char *error;  /* the first problem: "PATH:LINE:COL: message" */
  int oom;
  VEC(unsigned long) id_lines; /* the line of each person's id */
  /* the person being read: its index to be, its first name, its epithets
   * (added after its names, wherever the file puts them) */
  int person;
  scr_str canon;
  VEC(epithet_in) epithets;
} pload;

static int fail(pload *L, yaml_mark_t m, const char *fmt, ...) SCR_PRINTF(3, 4);
static int fail(pload *L, yaml_mark_t m, const char *fmt, ...) {
  if (L->error || L->oom) return -1;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  scr_buf b = {0};
  if (scr_buf_printf(&b, "%s:%lu:%lu: %s", L->path, (unsigned long)m.line + 1,
                     (unsigned long)m.column + 1, msg)) {
    scr_buf_free(&b);
    L->oom = 1;
    return -1;
  }
  L->error = b.data;
  return -1;
}

static int oom(pload *L) {
  L->oom = 1;
  return -1;
}

/* Text of the file quoted in a message: at most 40 bytes (cut at a
 * character boundary, "..." added), control characters as '?', so that
 * the message stays one short line. */
static const char *shown(const char *s, size_t n, char out[48]) {
  size_t i = 0;
  for (; i < n && i < 40; i++) {
    unsigned char c = (unsigned char)s[i];
    out[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
  }
  if (i < n) {
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
    memcpy(out + i, "...", 3);
    i += 3;
  }
  out[i] = 0;
  return out;
}

/* What the current event is, for "... must be X, not Y". */
static const char *what(const yaml_event_t *ev, char out[64]) {
  switch (ev->type) {
  case YAML_SCALAR_EVENT: {
    char b[48];
    snprintf(out, 64, "the scalar '%s'",
             shown((const char *)ev->data.scalar.value, ev->data.scalar.length, b));
    return out;
  }
  case YAML_SEQUENCE_START_EVENT: return "a list";
  case YAML_MAPPING_START_EVENT: return "a mapping";
  default: return "nothing";
  }
}

/* libyaml's input: the file, read as far as the parser needs, refused
 * past L->max bytes. */
static int read_input(void *data, unsigned char *buf, size_t size, size_t *got) {
  pload *L = data;
  ssize_t n;
  do n = read(L->fd, buf, size);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    L->read_errno = errno;
    return 0;
  }
  L->read += (size_t)n;
  if (L->read > L->max) {
    L->too_large = 1;
    return 0;
  }
  *got = (size_t)n;
  return 1;
}

static int too_large(const char *path, size_t max, char **error) {
  scr_buf b = {0};
  if (scr_buf_printf(&b,
                     "%s: the authority file is larger than the limit of %zu bytes "
                     "(set SCRIPTORIUM_MAX_INPUT to raise it)",
                     path, max))
    scr_buf_free(&b);
  *error = b.data;
  return -1;
}

/* The line and column (in characters, as libyaml counts them) of byte
 * offset `off` of the file: read again from the start, since the reader's
 * errors (an encoding, a control character) come with an offset only.
 * 0, or -1 when the file cannot be read again (a pipe). */
static int offset_mark(int fd, size_t off, yaml_mark_t *m) {
  char buf[65536];
  *m = (yaml_mark_t){off, 0, 0};
  for (size_t at = 0; at < off;) {
    size_t want = off - at < sizeof buf ? off - at : sizeof buf;
    ssize_t n = pread(fd, buf, want, (off_t)at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    for (ssize_t i = 0; i < n; i++) {
      if (buf[i] == '\n') m->line++, m->column = 0;
      else if (((unsigned char)buf[i] & 0xC0) != 0x80) m->column++;
    }
    at += (size_t)n;
  }
  return 0;
}

static int syntax_error(pload *L) {
  yaml_parser_t *p = &L->parser;
  if (p->error == YAML_MEMORY_ERROR) return oom(L);
  if (L->too_large) {
    too_large(L->path, L->max, &L->error);
    return L->error ? -1 : oom(L);
  }
  if (L->read_errno) { /* not the file's fault: not kept */
    L->transient = 1;
    scr_buf b = {0};
    if (scr_buf_printf(&b, "%s: cannot read the authority file: %s", L->path,
                       strerror(L->read_errno)))
      scr_buf_free(&b);
    L->error = b.data;
    return L->error ? -1 : oom(L);
  }
  yaml_mark_t m = p->problem_mark;
  if (p->error == YAML_READER_ERROR && offset_mark(L->fd, p->problem_offset, &m)) {
    scr_buf b = {0};
    if (scr_buf_printf(&b, "%s: %s at byte offset %zu", L->path,
                       p->problem ? p->problem : "invalid input", p->problem_offset))
      scr_buf_free(&b);
    L->error = b.data;
    return L->error ? -1 : oom(L);
  }
  return fail(L, m, "%s", p->problem ? p->problem : "invalid YAML");
}

/* The next event; refuses aliases. */
static int next(pload *L) {
  if (L->have) yaml_event_delete(&L->ev);
  L->have = 0;
  if (!yaml_parser_parse(&L->parser, &L->ev)) return syntax_error(L);
  L->have = 1;
  switch (L->ev.type) {
  case YAML_ALIAS_EVENT: {
    char b[48];
    const char *a = (const char *)L->ev.data.alias.anchor;
    return fail(L, L->ev.start_mark,
                "aliases are not allowed (*%s): an authority file does not need "
                "them, and an alias could multiply a small file",
                shown(a, strlen(a), b));
  }
  default: return 0;
  }
}

/* Counts a person or a list item at the current event. */
static int count_item(pload *L) {
  if (++L->items > PERSONS_MAX_ITEMS)
    return fail(L, L->ev.start_mark,
                "more than %d persons, names, offices and epithets; refused",
                PERSONS_MAX_ITEMS);
  return 0;
}

/* A plain null (nothing, ~, null): accepted where a list is expected, as
 * an empty one. */
static int is_null(const yaml_event_t *ev) {
  if (ev->type != YAML_SCALAR_EVENT || ev->data.scalar.tag ||
      ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return 0;
  const char *v = (const char *)ev->data.scalar.value;
  size_t n = ev->data.scalar.length;
  return n == 0 || (n == 1 && v[0] == '~') ||
         (n == 4 && (memcmp(v, "null", 4) == 0 || memcmp(v, "Null", 4) == 0 ||
                     memcmp(v, "NULL", 4) == 0));
}

/* The current event, a scalar, as a string in the arena. Scalars are
 * their text (YAML's implicit types play no part), as they always were. */
static int string_value(pload *L, const char *field, scr_str *out) {
  char b[64];
  if (L->ev.type != YAML_SCALAR_EVENT)
    return fail(L, L->ev.start_mark, "%s must be a string, not %s", field,
                what(&L->ev, b));
  const char *v = (const char *)L->ev.data.scalar.value;
  size_t n = L->ev.data.scalar.length;
  if (memchr(v, 0, n)) return fail(L, L->ev.start_mark, "%s holds a NUL byte", field);
  *out = scr_doc_strdup(L->doc, v, n);
  return out->ptr ? 0 : oom(L);
}

/* A name or epithet: at most LEX_MAX_WORDS words, so that a look-up in
 * the text walks at most that many. */
static int form_ok(pload *L, scr_str s, yaml_mark_t m) {
  size_t words = 1;
  for (size_t i = 0; i < s.len; i++) words += s.ptr[i] == ' ';
  if (words > LEX_MAX_WORDS)
    return fail(L, m, "a name or epithet of more than %d words", LEX_MAX_WORDS);
  return 0;
}

/* The key at the next event of a mapping: 1 (its index in keys in *k), 0
 * at the mapping's end, -1 after an error (unknown, repeated, not a
 * string). `where` ends the message for an unknown key. */
static int map_key(pload *L, const char *const *keys, unsigned *seen,
                   const char *where, int *k) {
  if (next(L)) return -1;
  if (L->ev.type == YAML_MAPPING_END_EVENT) return 0;
  char b[64];
  if (L->ev.type != YAML_SCALAR_EVENT)
    return fail(L, L->ev.start_mark, "a mapping key must be a string, not %s",
                what(&L->ev, b));
  const char *s = (const char *)L->ev.data.scalar.value;
  size_t n = L->ev.data.scalar.length;
  for (int i = 0; keys[i]; i++)
    if (strlen(keys[i]) == n && memcmp(keys[i], s, n) == 0) {
      if (*seen & (1u << i))
        return fail(L, L->ev.start_mark, "duplicate key '%s'", keys[i]);
      *seen |= 1u << i;
      *k = i;
      return 1;
    }
  return fail(L, L->ev.start_mark, "unknown key '%s' %s", shown(s, n, b), where);
}

/* The names (names: 1) or offices (0) of the person being read, a list of
 * strings or a null (none) at the current event: names go into the trie
 * as they come, offices into the lexicon's list. Empty ones are skipped. */
static int string_list(pload *L, int names) {
  char b[64];
  if (is_null(&L->ev)) return 0;
  if (L->ev.type != YAML_SEQUENCE_START_EVENT)
    return fail(L, L->ev.start_mark, "'%s' must be a list of strings, not %s",
                names ? "names" : "offices", what(&L->ev, b));
  for (;;) {
    if (next(L)) return -1;
    if (L->ev.type == YAML_SEQUENCE_END_EVENT) return 0;
    if (count_item(L)) return -1;
    yaml_mark_t m = L->ev.start_mark;
    scr_str s;
    if (string_value(L, names ? "a name" : "an office", &s) || (names && form_ok(L, s, m)))
      return -1;
    if (!s.len) continue;
    if (!names) {
      if (VEC_PUSH(L->lx->offices, s)) return oom(L);
      continue;
    }
    if (!L->canon.len) L->canon = s;
    if (add_entry(L->lx, s, LEX_NAME, L->person, SCR_STR_NULL)) return oom(L);
  }
}

/* An epithet: a string, or a mapping of text and publisher. */
static int epithet(pload *L) {
  static const char *const keys[] = {"text", "publisher", NULL};
  yaml_mark_t m = L->ev.start_mark;
  epithet_in e = {SCR_STR_NULL, SCR_STR_NULL};
  char b[64];
  if (L->ev.type == YAML_SCALAR_EVENT) {
    if (string_value(L, "an epithet", &e.text) || form_ok(L, e.text, m)) return -1;
  } else if (L->ev.type == YAML_MAPPING_START_EVENT) {
    unsigned seen = 0;
    int k, r;
    while ((r = map_key(L, keys, &seen, "in an epithet (known: text, publisher)", &k)) > 0) {
      if (next(L)) return -1;
      yaml_mark_t vm = L->ev.start_mark;
      if (k == 0 ? string_value(L, "'text'", &e.text) || form_ok(L, e.text, vm)
                 : string_value(L, "'publisher'", &e.publisher))
        return -1;
    }
    if (r < 0) return -1;
    if (!(seen & 1)) return fail(L, m, "an epithet mapping needs 'text'");
  } else {
    return fail(L, m, "an epithet must be a string or a mapping of text and "
                      "publisher, not %s", what(&L->ev, b));
  }
  return VEC_PUSH(L->epithets, e) ? oom(L) : 0;
}

static int epithet_list(pload *L) {
  char b[64];
  if (is_null(&L->ev)) return 0;
  if (L->ev.type != YAML_SEQUENCE_START_EVENT)
    return fail(L, L->ev.start_mark, "'epithets' must be a list, not %s",
                what(&L->ev, b));
  for (;;) {
    if (next(L)) return -1;
    if (L->ev.type == YAML_SEQUENCE_END_EVENT) return 0;
    if (count_item(L) || epithet(L)) return -1;
  }
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

#define BAD_ID                                                                   \
  "a person needs an id that is an ASCII XML name (a letter, then letters, "     \
  "digits, -, . or _)"

static int person(pload *L) {
  static const char *const keys[] = {"id", "names", "nationality", "offices",
                                     "epithets", NULL};
  yaml_mark_t pm = L->ev.start_mark, im = pm;
  char b[64];
  if (L->ev.type != YAML_MAPPING_START_EVENT)
    return fail(L, pm, "a person must be a mapping (id, names, nationality, "
                       "offices, epithets), not %s", what(&L->ev, b));
  lexicon *lx = L->lx;
  size_t office_first = lx->offices.len;
  L->person = (int)lx->people.len;
  L->canon = SCR_STR_NULL;
  L->epithets.len = 0;
  scr_str id = SCR_STR_NULL, nationality = SCR_STR_NULL;
  unsigned seen = 0;
  int k, r;
  while ((r = map_key(L, keys, &seen,
                      "in a person (known: id, names, nationality, offices, epithets)",
                      &k)) > 0) {
    if (next(L)) return -1;
    switch (k) {
    case 0:
      im = L->ev.start_mark;
      if (string_value(L, "'id'", &id)) return -1;
      if (!valid_ncname(id)) return fail(L, im, BAD_ID);
      break;
    case 1:
      if (string_list(L, 1)) return -1;
      break;
    case 2:
      if (string_value(L, "'nationality'", &nationality)) return -1;
      break;
    case 3:
      if (string_list(L, 0)) return -1;
      break;
    default:
      if (epithet_list(L)) return -1;
      break;
    }
  }
  if (r < 0) return -1;
  if (!(seen & 1)) return fail(L, pm, BAD_ID);
  int first = ids_find(lx, id);
  if (first >= 0)
    return fail(L, im, "duplicate person id '%s' (first at line %lu)",
                shown(id.ptr, id.len, b), L->id_lines.v[first]);
  person_info pi = {id, L->canon, nationality, office_first,
                    lx->offices.len - office_first, NULL};
  if (add_person(lx, pi) != L->person ||
      VEC_PUSH(L->id_lines, (unsigned long)im.line + 1))
    return oom(L);
  for (size_t i = 0; i < L->epithets.len; i++) {
    epithet_in e = L->epithets.v[i];
    if (e.text.len && add_entry(lx, e.text, LEX_EPITHET, L->person, e.publisher))
      return oom(L);
  }
  return 0;
}

#define NOT_A_LIST "expected a list of persons (or a mapping with 'persons')"

/* The persons list at the current event (a null: none). */
static int persons_list(pload *L, int top) {
  char b[64];
  if (!top && is_null(&L->ev)) return 0;
  if (L->ev.type != YAML_SEQUENCE_START_EVENT)
    return top ? fail(L, L->ev.start_mark, NOT_A_LIST)
               : fail(L, L->ev.start_mark, "'persons' must be a list, not %s",
                      what(&L->ev, b));
  for (;;) {
    if (next(L)) return -1;
    if (L->ev.type == YAML_SEQUENCE_END_EVENT) return 0;
    if (count_item(L) || person(L)) return -1;
  }
}

/* The file: one document, a list of persons or a mapping whose one key is
 * persons. */
static int document(pload *L) {
  static const char *const keys[] = {"persons", NULL};
  if (next(L) || next(L)) return -1; /* the stream's start, a document's */
  if (L->ev.type != YAML_DOCUMENT_START_EVENT) return fail(L, L->ev.start_mark, NOT_A_LIST);
  if (next(L)) return -1;
  if (L->ev.type == YAML_MAPPING_START_EVENT) {
    yaml_mark_t m = L->ev.start_mark;
    unsigned seen = 0;
    int k, r;
    while ((r = map_key(L, keys, &seen,
                        "(the file is a list of persons, or a mapping with 'persons')",
                        &k)) > 0)
      if (next(L) || persons_list(L, 0)) return -1;
    if (r < 0) return -1;
    if (!seen) return fail(L, m, NOT_A_LIST);
  } else if (persons_list(L, 1)) {
    return -1;
  }
  if (next(L) || next(L)) return -1; /* the document's end, then */
  if (L->ev.type == YAML_DOCUMENT_START_EVENT)
    return fail(L, L->ev.start_mark, "one YAML document per file, found a second");
  return 0;
}

/* Reads the file open as fd (closed here; st: its fstat; named path in
 * messages) and parses it into the empty lexicon lx, its strings in
 * arena. 0; -1 with *error the file's problem (a malloc'd message that
 * stays true while the file does not change); -2 after a failure of this
 * reading (*error a message, or NULL when out of memory). lx then holds
 * what was read before the problem. *unchanged: whether the file is still
 * the version st once read. */
static int persons_parse_fd(int fd, const char *path, const struct stat *st,
                            lexicon *lx, scr_doc *arena, int *unchanged,
                            char **error) {
  pload L = {.path = path, .fd = fd, .max = scr_max_input_size(), .lx = lx,
             .doc = arena};
  *error = NULL;
  *unchanged = 0;
  int rc;
  if (S_ISREG(st->st_mode) && (uint64_t)st->st_size > (uint64_t)L.max) {
    too_large(path, L.max, error);
    rc = *error ? -1 : -2;
  } else if (!yaml_parser_initialize(&L.parser)) {
    rc = -2;
  } else {
    yaml_parser_set_input(&L.parser, read_input, &L);
    rc = document(&L) == 0 && !L.oom ? 0 : L.oom || !L.error ? -2 : L.transient ? -2 : -1;
    if (L.have) yaml_event_delete(&L.ev);
    yaml_parser_delete(&L.parser);
    if (rc && !L.oom) *error = L.error;
    else free(L.error);
  }
  VEC_FREE(L.id_lines);
  VEC_FREE(L.epithets);
  struct stat after;
  *unchanged = fstat(fd, &after) == 0 && same_stat(st, &after);
  close(fd);
  return rc;
}

/* ---- the authority file, parsed once per process -------------------------------- */

/* A corpus is thousands of inputs beside one persons.yaml: each file is
 * parsed once per process into a template, a lexicon whose strings live in
 * an arena of its own, and every document that uses the file shares it as
 * its base lexicon (read-only), adding only the names its own text finds:
 * a document costs nothing per person of the file. A template is keyed by
 * the path and the file's identity and version (device, inode, size,
 * modification and change times): a file changed between two documents is
 * parsed again. A file with a problem is kept the same way, as its one
 * error message, reported again for every document that uses it without
 * parsing it again. Templates are immutable once in the table and never
 * freed (the plugin is never unloaded, so they stay reachable; documents
 * point into them): at most PERSONS_CACHE_MAX of them, beyond which a file
 * is parsed for every document, into the document itself. The table is
 * shared by the documents read at once in several threads, behind a mutex. */
typedef struct persons_file {
  char *path;
  struct stat st; /* compared by same_stat only */
  lexicon lx;     /* every string points into arena */
  scr_doc *arena;
  char *error;    /* or the file's problem, and no persons */
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

/* The kept version of path whose identity is st; call with the lock held. */
static const persons_file *persons_find_locked(const char *path, const struct stat *st) {
  for (size_t i = 0; i < persons_cached; i++)
    if (same_stat(&persons_cache[i]->st, st) && strcmp(persons_cache[i]->path, path) == 0)
      return persons_cache[i];
  return NULL;
}

static const persons_file *persons_find(const char *path, const struct stat *st,
                                        int *room) {
  pthread_mutex_lock(&persons_lock);
  const persons_file *found = persons_find_locked(path, st);
  *room = persons_cached < PERSONS_CACHE_MAX;
  pthread_mutex_unlock(&persons_lock);
  return found;
}

static void persons_file_free(persons_file *pf) {
  if (!pf) return;
  lexicon_free(&pf->lx);
  scr_doc_free(pf->arena);
  free(pf->error);
  free(pf->path);
  free(pf);
}

static void report_oom(scr_diag *diag) {
  scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
}

/* A problem of the file (error), or out of memory while reading it (NULL). */
static int report_error(scr_diag *diag, const char *path, const char *error) {
  if (error) scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "persons", "%s", error);
  else scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "%s: out of memory", path);
  return -1;
}

/* Lets lx use a kept file: its error, or its persons as lx's base. */
static int persons_use(lexicon *lx, const persons_file *pf, scr_diag *diag) {
  if (pf->error) return report_error(diag, pf->path, pf->error);
  lx->base = &pf->lx;
  lx->base_entries = pf->lx.entries.len;
  lx->base_people = pf->lx.people.len;
  lx->kinds = pf->lx.kinds;
  return 0;
}

/* Parses the file open as fd (closed here) into a new template or error
 * and keeps it, when the file did not change while read and the table has
 * room. 1 when lx now uses what was parsed (or what another thread kept
 * meanwhile), -1 after reporting, 0 when nothing could be kept (the caller
 * parses the file into the document). */
static int persons_keep(lexicon *lx, int fd, const char *path, const struct stat *st,
                        scr_diag *diag) {
  persons_file *mine = calloc(1, sizeof *mine);
  if (mine) mine->arena = scr_doc_new();
  if (mine) mine->path = strdup(path);
  if (!mine || !mine->arena || !mine->path) {
    close(fd);
    persons_file_free(mine);
    report_oom(diag);
    return -1;
  }
  mine->st = *st;
  int unchanged;
  char *error;
  int rc = persons_parse_fd(fd, path, st, &mine->lx, mine->arena, &unchanged, &error);
  if (rc == -2) {
    persons_file_free(mine);
    report_error(diag, path, error);
    free(error);
    return -1;
  }
  if (rc == -1) { /* keep only the message */
    lexicon_free(&mine->lx);
    scr_doc_free(mine->arena);
    mine->arena = NULL;
    mine->error = error;
  }
  const persons_file *use = NULL;
  if (unchanged) {
    pthread_mutex_lock(&persons_lock);
    use = persons_find_locked(path, st); /* another thread kept it meanwhile */
    if (!use && persons_cached < PERSONS_CACHE_MAX) {
      persons_cache[persons_cached++] = mine;
      use = mine;
    }
    pthread_mutex_unlock(&persons_lock);
  }
  if (use == mine) return persons_use(lx, use, diag) ? -1 : 1;
  int reported = mine->error != NULL;
  if (reported) report_error(diag, path, mine->error);
  persons_file_free(mine);
  if (reported) return -1;
  return use ? (persons_use(lx, use, diag) ? -1 : 1) : 0;
}

int lexicon_load_yaml(lexicon *lx, scr_doc *doc, const char *path,
                      scr_diag *diag) {
  for (int attempt = 0;; attempt++) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "persons",
                      "cannot open the authority file '%s': %s", path,
                      strerror(errno));
      return -1;
    }
    /* The file's content decides the document: the host's up-to-date check
     * looks at it too. Recorded at the first open only: if the file then
     * changes, what was recorded ("?", or the hash of the version before)
     * differs from the file the next run finds, which converts again. */
    if (attempt == 0 && scr_doc_add_depend(doc, path, fd)) {
      close(fd);
      report_oom(diag);
      return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
      int e = errno;
      close(fd);
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "persons",
                      "cannot read the authority file '%s': %s", path, strerror(e));
      return -1;
    }
    /* Only regular files are kept (a pipe is read once). */
    if (attempt == 0 && S_ISREG(st.st_mode)) {
      int room;
      const persons_file *pf = persons_find(path, &st, &room);
      if (pf) {
        close(fd);
        return persons_use(lx, pf, diag);
      }
      if (room) {
        int rc = persons_keep(lx, fd, path, &st, diag);
        if (rc) return rc < 0 ? -1 : 0;
        continue; /* changed while read, or no room any more: read it again */
      }
    }
    int unchanged;
    char *error;
    int rc = persons_parse_fd(fd, path, &st, lx, doc, &unchanged, &error);
    if (rc) {
      report_error(diag, path, error);
      free(error);
      return -1;
    }
    return 0;
  }
}

