/* persons.c - the authority file (persons.yaml): read with libyaml against
 * its shape into a lexicon, parsed once per process and shared while the
 * file does not change (docs/text-reader.md, "Persons"). */
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
#include "persons.h"

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
  size_t idno_first; /* its identifiers' first item in lx->idnos */
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
    if (lexicon_add_entry(L->lx, s, LEX_NAME, L->person, SCR_STR_NULL)) return oom(L);
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

/* identifiers: a mapping of a type (an ASCII XML name: wikidata, viaf,
 * gnd) to a value (a string or number: Q7747, 5733159), each pair one of
 * the person's external identifiers, written to TEI as idno and to YAML.
 * Every value counts towards the file's limit (count_item). */
static int identifiers(pload *L) {
  char b[64];
  if (is_null(&L->ev)) return 0;
  if (L->ev.type != YAML_MAPPING_START_EVENT)
    return fail(L, L->ev.start_mark,
                "'identifiers' must be a mapping of a type to a value "
                "(wikidata: Q7747), not %s",
                what(&L->ev, b));
  for (;;) {
    if (next(L)) return -1;
    if (L->ev.type == YAML_MAPPING_END_EVENT) return 0;
    yaml_mark_t km = L->ev.start_mark;
    scr_str type, value;
    if (count_item(L) || string_value(L, "an identifier's type", &type)) return -1;
    if (!valid_ncname(type))
      return fail(L, km, "an identifier's type is an ASCII XML name (wikidata, viaf, gnd)");
    for (size_t i = L->idno_first; i < L->lx->idnos.len; i += 2)
      if (L->lx->idnos.v[i].len == type.len && !memcmp(L->lx->idnos.v[i].ptr, type.ptr, type.len))
        return fail(L, km, "the identifier type '%s' twice", shown(type.ptr, type.len, b));
    if (next(L)) return -1;
    yaml_mark_t vm = L->ev.start_mark;
    if (string_value(L, "an identifier", &value)) return -1;
    if (!value.len) return fail(L, vm, "an empty identifier");
    if (VEC_PUSH(L->lx->idnos, type) || VEC_PUSH(L->lx->idnos, value)) return oom(L);
  }
}

#define BAD_ID                                                                   \
  "a person needs an id that is an ASCII XML name (a letter, then letters, "     \
  "digits, -, . or _)"

static int str_is(scr_str s, const char *w) {
  return s.len == strlen(w) && memcmp(s.ptr, w, s.len) == 0;
}

static int person(pload *L) {
  static const char *const keys[] = {"id", "names", "nationality", "offices",
                                     "epithets", "gender", "identifiers", NULL};
  yaml_mark_t pm = L->ev.start_mark, im = pm;
  char b[64];
  if (L->ev.type != YAML_MAPPING_START_EVENT)
    return fail(L, pm, "a person must be a mapping (id, names, nationality, "
                       "offices, epithets, gender, identifiers), not %s", what(&L->ev, b));
  lexicon *lx = L->lx;
  size_t office_first = lx->offices.len, idno_first = lx->idnos.len / 2;
  L->person = (int)lx->people.len;
  L->canon = SCR_STR_NULL;
  L->epithets.len = 0;
  L->idno_first = lx->idnos.len;
  scr_str id = SCR_STR_NULL, nationality = SCR_STR_NULL, gender = SCR_STR_NULL;
  unsigned seen = 0;
  int k, r;
  while ((r = map_key(L, keys, &seen,
                      "in a person (known: id, names, nationality, offices, epithets, gender, "
                      "identifiers)",
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
    case 5:
      im = L->ev.start_mark;
      if (string_value(L, "'gender'", &gender)) return -1;
      if (!(str_is(gender, "male") || str_is(gender, "female")))
        return fail(L, im, "a person's gender is 'male' or 'female' (it decides "
                           "whether 'he' or 'she' may refer to them)");
      break;
    case 4:
      if (epithet_list(L)) return -1;
      break;
    case 6:
      if (identifiers(L)) return -1;
      break;
    }
  }
  if (r < 0) return -1;
  if (!(seen & 1)) return fail(L, pm, BAD_ID);
  int first = lexicon_find_id(lx, id);
  if (first >= 0)
    return fail(L, im, "duplicate person id '%s' (first at line %lu)",
                shown(id.ptr, id.len, b), L->id_lines.v[first]);
  person_info pi = {.id = id,
                    .canon = L->canon,
                    .nationality = nationality,
                    .office_first = office_first,
                    .office_count = lx->offices.len - office_first,
                    .idno_first = idno_first,
                    .idno_count = lx->idnos.len / 2 - idno_first,
                    .gender = !gender.len              ? 0
                              : str_is(gender, "male") ? GENDER_MALE
                                                       : GENDER_FEMALE};
  if (lexicon_add_person(lx, pi) != L->person ||
      VEC_PUSH(L->id_lines, (unsigned long)im.line + 1))
    return oom(L);
  for (size_t i = 0; i < L->epithets.len; i++) {
    epithet_in e = L->epithets.v[i];
    if (e.text.len && lexicon_add_entry(lx, e.text, LEX_EPITHET, L->person, e.publisher))
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

