/* writer.c - the YAML edition: one document as data, written with libyaml's
 * emitter. The layout (docs/yaml.md, schemas/scriptorium.schema.json):
 *
 *   scriptorium: '1'        the layout's version
 *   metadata: {...}         every metadata key that is set
 *   persons: [...]          id, participation, event_role, names, roles
 *                           (a dated one {name, when}), nationality,
 *                           identifiers [{type, value}]
 *   keywords: [...]         the source's subject terms (when it gives some)
 *   notes: [...]            conversion notes
 *   before: ...             the document node's own attributes
 *   body: [...]             the document's children, as nodes
 *   after: ...
 *
 * A node is a mapping: type, its attributes, before, then text (a TEXT node's
 * text, or the text of a node whose only child is a TEXT node without
 * attributes) or content (its children), then after. A TEXT node without
 * attributes inside a content sequence is just a string. Nothing is left
 * out, so the tree can be read back as it was and the source rebuilt byte
 * for byte. The tree is walked with scr_iter: no recursion over its depth. */
#include <string.h>

#include <yaml.h>

#include "yaml_plugin.h"

typedef enum scalar_use {
  USE_KEY,    /* a mapping key: always a simple scalar */
  USE_VALUE,  /* a short value: an id, a date, a name */
  USE_TEXT,   /* running text: block styles where they stay lossless */
  USE_LAYOUT  /* before/after: double-quoted, so "\n\n" reads as it is */
} scalar_use;

typedef struct writer {
  yaml_emitter_t emitter;
  const yaml_resolver *resolver;
  scr_diag *diag;
  int failed;
} writer;

static int write_handler(void *data, unsigned char *bytes, size_t size) {
  return scr_buf_put(data, bytes, size) == 0;
}

static void fail(writer *w, scr_pos pos, const char *kind, const char *msg) {
  if (w->failed) return;
  w->failed = 1;
  scr_diag_report(w->diag, SCR_ERROR, pos, kind, "%s", msg);
}

static void emit(writer *w, yaml_event_t *ev, int ok) {
  if (w->failed) {
    if (ok) yaml_event_delete(ev);
    return;
  }
  if (!ok) {
    fail(w, (scr_pos){0, 0, 0}, "oom", "out of memory");
    return;
  }
  if (!yaml_emitter_emit(&w->emitter, ev)) {
    const char *problem = w->emitter.problem ? w->emitter.problem : "?";
    w->failed = 1;
    scr_diag_report(w->diag, SCR_ERROR, (scr_pos){0, 0, 0}, "yaml",
                    "the YAML emitter failed: %s", problem);
  }
}

/* Which characters make every style but double-quoted lossy or impossible:
 * controls, DEL, C1 controls (NEL is a line break to a YAML 1.1 loader),
 * the Unicode line and paragraph separators, a byte order mark and the
 * noncharacters U+FFFE/U+FFFF. */
static int needs_escape(uint32_t cp) {
  if (cp < 0x20) return cp != '\n';
  return cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

/* Whether valid UTF-8 text is wider than 60 columns, looking at as short a
 * prefix as tells (widths only add up, so a prefix wider than 60 says yes;
 * a paragraph is thousands of bytes). Prefixes end between characters. */
static int wider_than_60(const char *s, size_t len) {
  for (size_t p = 256;; p *= 2) {
    if (p >= len) return scr_utf8_width(s, len) > 60;
    while (p > 0 && ((unsigned char)s[p] & 0xC0) == 0x80) p--;
    if (scr_utf8_width(s, p) > 60) return 1;
  }
}

/* Whether R's yaml package (Debian r-cran-yaml, what analysts load the
 * edition with) reads a scalar as something else where Python's yaml reads
 * a string. R types block scalars (| and >) as it types plain ones, and its
 * rules are wider than YAML 1.1's (all checked with R 4.2, yaml 2.3):
 * - a boolean or null word (y, n, yes, On, null, ~ ...; one-letter ones
 *   too, so a key `n` becomes FALSE) alone or followed by any non-ASCII
 *   byte: "On\u00A0December 20, the President will ..." reads TRUE;
 * - numbers with commas: "1,800" and "1,800." read NA (a warning);
 * - its float expression [-+]?[0-9_,]*[.][0-9.]*([eE][-+][0-9]+)?, which
 *   takes "." for NaN, read as NA ("...in SochiNA"), and "1.2.3" too.
 * Such a scalar is quoted. */
static int r_retypes(const char *s, size_t len) {
  static const char *const words[] = {
      "y",   "Y",   "n",    "N",    "yes",  "Yes",   "YES",   "no",    "No",   "NO",
      "on",  "On",  "ON",   "off",  "Off",  "OFF",   "true",  "True",  "TRUE", "false",
      "False", "FALSE", "~", "null", "Null", "NULL"};
  for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
    size_t n = strlen(words[k]);
    if (len >= n && !memcmp(s, words[k], n) && (len == n || (unsigned char)s[n] >= 0x80))
      return 1;
  }
  size_t i = 0, digits = 0, commas = 0;
  if (i < len && (s[i] == '-' || s[i] == '+')) i++;
  for (; i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == ','); i++)
    digits += s[i] != ',', commas += s[i] == ',';
  if (i == len) return digits && commas;
  if (s[i] != '.') return 0;
  i++;
  while (i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) i++;
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    size_t k = i + 1;
    if (k < len && (s[k] == '-' || s[k] == '+')) k++;
    size_t d = k;
    while (k < len && s[k] >= '0' && s[k] <= '9') k++;
    if (k > d && d > i + 1) i = k;
  }
  return i == len;
}

/* Only spaces and line ends (a line break between two parts of a
 * dateline): "\n" reads better than a literal block of an empty line. */
static int only_spacing(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\n' && s[i] != '\r') return 0;
  return 1;
}

static yaml_scalar_style_t choose_style(const writer *w, const char *s,
                                        size_t len, scalar_use use) {
  if (use == USE_LAYOUT) return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
  int newline = 0, tab = 0, ascii = 1;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7F) { /* printable ASCII, most of the text */
      i++;
      continue;
    }
    uint32_t cp;
    size_t n = c < 0x80 ? (cp = c, 1) : scr_utf8_decode(s + i, len - i, &cp);
    if (c >= 0x80) ascii = 0;
    if (cp == '\n') newline = 1;
    else if (cp == '\t') tab = 1;
    if (cp != '\t' && needs_escape(cp)) return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    i += n;
  }
  if (r_retypes(s, len))
    return newline || tab ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_SINGLE_QUOTED_SCALAR_STYLE;
  if (newline) {
    /* Literal keeps every line as it is; libyaml falls back to double
     * quotes where a literal block could not (trailing spaces...). */
    if (use == USE_TEXT && !tab && !only_spacing(s, len)) return YAML_LITERAL_SCALAR_STYLE;
    return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
  }
  if (tab) return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
  /* Long prose folds at spaces, which a loader joins back into single
   * spaces. A loader does not fold a line that starts with a space, so
   * text with a leading or trailing space stays on one line. */
  /* (A character is at least as many bytes as it is columns wide, so
   * text of 60 bytes or fewer is never wider; printable ASCII is as wide as
   * it is long.) */
  if (use == USE_TEXT && len > 60 && (ascii || wider_than_60(s, len)) &&
      s[0] != ' ' && s[len - 1] != ' ' && memchr(s, ' ', len))
    return YAML_FOLDED_SCALAR_STYLE;
  /* A plain scalar that a YAML 1.1 loader would take for a number, a date,
   * a boolean or null is quoted. */
  if (yaml_resolve_plain(w->resolver, s, len) != YAML_PLAIN_STR)
    return YAML_SINGLE_QUOTED_SCALAR_STYLE;
  /* ":" and a no-break space (a speaker label's tail) is a plain scalar to
   * libyaml, but reads as a mapping to a person and to some loaders */
  if (len > 1 && (s[0] == ':' || s[0] == '-' || s[0] == '?') && (unsigned char)s[1] >= 0x80)
    return YAML_SINGLE_QUOTED_SCALAR_STYLE;
  return YAML_ANY_SCALAR_STYLE;
}

static void scalar(writer *w, const char *s, size_t len, scalar_use use) {
  yaml_event_t ev;
  if (w->failed) return;
  if (!s) s = "";
  int bad = 0;
  scr_utf8_check(s, len, &bad);
  if (bad) {
    fail(w, (scr_pos){0, 0, 0}, "encoding",
         "a string of the tree is not valid UTF-8 (or holds a NUL byte)");
    return;
  }
  int ok = yaml_scalar_event_initialize(
      &ev, NULL, NULL, (yaml_char_t *)s, (int)len, 1, 1,
      choose_style(w, s, len, use));
  emit(w, &ev, ok);
}

static void key(writer *w, const char *name) {
  scalar(w, name, strlen(name), USE_KEY);
}

static void map_start(writer *w) {
  yaml_event_t ev;
  emit(w, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                                   YAML_BLOCK_MAPPING_STYLE));
}

static void map_end(writer *w) {
  yaml_event_t ev;
  emit(w, &ev, yaml_mapping_end_event_initialize(&ev));
}

static void seq_start(writer *w) {
  yaml_event_t ev;
  emit(w, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                                    YAML_BLOCK_SEQUENCE_STYLE));
}

static void seq_end(writer *w) {
  yaml_event_t ev;
  emit(w, &ev, yaml_sequence_end_event_initialize(&ev));
}

static int has_attributes(const scr_node *n) {
  for (int a = 0; a < (int)scr_attr_count(); a++)
    if (scr_node_attr(n, (scr_attr)a).ptr) return 1;
  return 0;
}

static int is_bare_text(const scr_node *n) {
  return n && scr_node_get_type(n) == SCR_NODE_TEXT && !has_attributes(n);
}

/* A count as an integer, so that loaders read a number: decimal digits
 * that an integer keeps as written (no leading zero, at most nine digits,
 * within every loader's 32-bit integers); else NULL, and it is a string. */
static int is_integer(scr_str v) {
  if (!v.len || v.len > 9 || (v.ptr[0] == '0' && v.len > 1)) return 0;
  for (size_t i = 0; i < v.len; i++)
    if (v.ptr[i] < '0' || v.ptr[i] > '9') return 0;
  return 1;
}

static void integer(writer *w, scr_str v) {
  yaml_event_t ev;
  if (w->failed) return;
  emit(w, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)v.ptr, (int)v.len, 1,
                                            0, YAML_PLAIN_SCALAR_STYLE));
}

/* Whether a TEXT node is one quotation mark alone (docs/tree.md: a QUOTE's
 * marks are TEXT nodes of their own, its first and last child). */
static int is_mark(const scr_node *n) {
  static const char *const marks[] = {"\"", "'", "\u201C", "\u201D", "\u2018", "\u2019",
                                      "\u00AB", "\u00BB", "\u201E", "\u201A", "\u2039", "\u203A"};
  if (!n || scr_node_get_type(n) != SCR_NODE_TEXT) return 0;
  scr_str t = scr_node_text(n);
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
    if (t.len == strlen(marks[i]) && !memcmp(t.ptr, marks[i], t.len)) return 1;
  return 0;
}

/* A quote's words as plain text: its children without the marks that open
 * and close it, without layout (analysts want the words, not a list with
 * the marks as items). */
static void quote_plain(writer *w, const scr_node *q) {
  scr_buf b = {0};
  const scr_node *first = scr_node_first_child(q), *last = scr_node_last_child(q);
  int err = 0;
  for (const scr_node *c = first; c; c = scr_node_next(c)) {
    if ((c == first || c == last) && is_mark(c)) continue;
    err |= scr_node_flatten(c, 0, &b);
  }
  if (err) fail(w, (scr_pos){0, 0, 0}, "oom", "out of memory");
  key(w, "plain");
  scalar(w, b.data ? b.data : "", b.len, USE_TEXT);
  scr_buf_free(&b);
}

/* The attributes but before and after, in the tree's attribute order;
 * then a quote's plain text. */
static void attributes(writer *w, const scr_node *n) {
  for (int a = 0; a < (int)scr_attr_count(); a++) {
    if (a == SCR_ATTR_BEFORE || a == SCR_ATTR_AFTER) continue;
    scr_str v = scr_node_attr(n, (scr_attr)a);
    if (!v.ptr) continue;
    key(w, scr_attr_name((scr_attr)a));
    if ((a == SCR_ATTR_COUNT || a == SCR_ATTR_N || a == SCR_ATTR_TOTAL) && is_integer(v)) {
      integer(w, v);
      continue;
    }
    scalar(w, v.ptr, v.len,
           a == SCR_ATTR_CORRECTED || a == SCR_ATTR_MARKER || a == SCR_ATTR_KIND ||
                   a == SCR_ATTR_KEY
               ? USE_TEXT
               : USE_VALUE);
  }
  if (scr_node_get_type(n) == SCR_NODE_QUOTE) quote_plain(w, n);
}

static void layout(writer *w, const scr_node *n, scr_attr which) {
  scr_str v = scr_node_attr(n, which);
  if (!v.ptr) return;
  key(w, scr_attr_name(which));
  scalar(w, v.ptr, v.len, USE_LAYOUT);
}

static void metadata(writer *w, const scr_doc *doc, int file_name_only) {
  key(w, "metadata");
  map_start(w);
  for (int m = 0; m < (int)scr_meta_count(); m++) {
    scr_str v = scr_doc_meta(doc, (scr_meta)m);
    if (!v.ptr) continue;
    if (m == SCR_META_SOURCE && file_name_only)
      for (size_t i = v.len; i > 0; i--)
        if (v.ptr[i - 1] == '/') {
          v.ptr += i, v.len -= i;
          break;
        }
    key(w, scr_meta_name((scr_meta)m));
    scalar(w, v.ptr, v.len, USE_TEXT);
  }
  /* the values the converter inferred, with how sure (docs/yaml.md) */
  int any = 0;
  for (int m = 0; m < (int)scr_meta_count(); m++) {
    scr_str c = scr_doc_meta_cert(doc, (scr_meta)m);
    if (!c.len || !scr_doc_meta(doc, (scr_meta)m).ptr) continue;
    if (!any++) {
      key(w, "inferred");
      map_start(w);
    }
    key(w, scr_meta_name((scr_meta)m));
    scalar(w, c.ptr, c.len, USE_VALUE);
  }
  if (any) map_end(w);
  map_end(w);
}

/* One person: id, participation, event role, names, roles (dated ones as
 * {name, when}), nationality, identifiers. */
static void person(writer *w, const scr_person *p) {
  scr_str id = scr_person_id(p);
  map_start(w);
  key(w, "id");
  scalar(w, id.ptr, id.len, USE_VALUE);
  scr_participation pa = scr_person_participation(p);
  if (pa != SCR_PARTICIPATION_UNKNOWN) {
    key(w, "participation");
    const char *v = pa == SCR_PARTICIPATION_PARTICIPANT ? "participant" : "mentioned";
    scalar(w, v, strlen(v), USE_VALUE);
  }
  scr_str er = scr_person_event_role(p);
  if (er.len) {
    key(w, "event_role");
    scalar(w, er.ptr, er.len, USE_VALUE);
  }
  if (scr_person_name_count(p)) {
    key(w, "names");
    seq_start(w);
    for (size_t k = 0; k < scr_person_name_count(p); k++) {
      scr_str s = scr_person_name(p, k);
      scalar(w, s.ptr, s.len, USE_VALUE);
    }
    seq_end(w);
  }
  if (scr_person_role_count(p)) {
    key(w, "roles");
    seq_start(w);
    for (size_t k = 0; k < scr_person_role_count(p); k++) {
      scr_str s = scr_person_role(p, k), when = scr_person_role_when(p, k);
      if (!when.len) {
        scalar(w, s.ptr, s.len, USE_VALUE);
        continue;
      }
      /* an office the document dates: {name, when} */
      map_start(w);
      key(w, "name");
      scalar(w, s.ptr, s.len, USE_VALUE);
      key(w, "when");
      scalar(w, when.ptr, when.len, USE_VALUE);
      map_end(w);
    }
    seq_end(w);
  }
  scr_str nat = scr_person_nationality(p);
  if (nat.ptr) {
    key(w, "nationality");
    scalar(w, nat.ptr, nat.len, USE_VALUE);
  }
  if (scr_person_idno_count(p)) {
    key(w, "identifiers");
    seq_start(w);
    for (size_t k = 0; k < scr_person_idno_count(p); k++) {
      scr_str ty = scr_person_idno_type(p, k), v = scr_person_idno_value(p, k);
      map_start(w);
      key(w, "type");
      scalar(w, ty.ptr, ty.len, USE_VALUE);
      key(w, "value");
      scalar(w, v.ptr, v.len, USE_VALUE);
      map_end(w);
    }
    seq_end(w);
  }
  map_end(w);
}

static void persons(writer *w, const scr_doc *doc) {
  key(w, "persons");
  seq_start(w);
  /* those taking part (or not said not to), then those only mentioned,
   * each in the tree's order: as TEI lists them, so that a round trip
   * through TEI keeps the order */
  for (int mentioned = 0; mentioned < 2; mentioned++) {
    for (size_t i = 0; i < scr_doc_person_count(doc); i++) {
      const scr_person *p = scr_doc_person_at(doc, i);
      if ((scr_person_participation(p) == SCR_PARTICIPATION_MENTIONED) == mentioned)
        person(w, p);
    }
  }
  seq_end(w);
}

/* The source's subject terms, only when it gives some (every other
 * document's edition stays as it was). */
static void keywords(writer *w, const scr_doc *doc) {
  size_t n = scr_doc_keyword_count(doc);
  if (!n) return;
  key(w, "keywords");
  seq_start(w);
  for (size_t i = 0; i < n; i++) {
    scr_str scheme = scr_doc_keyword_scheme(doc, i), term = scr_doc_keyword_term(doc, i),
            ref = scr_doc_keyword_ref(doc, i);
    map_start(w);
    if (scheme.len) {
      key(w, "scheme");
      scalar(w, scheme.ptr, scheme.len, USE_TEXT);
    }
    key(w, "term");
    scalar(w, term.ptr, term.len, USE_TEXT);
    if (ref.len) {
      key(w, "ref");
      scalar(w, ref.ptr, ref.len, USE_TEXT);
    }
    map_end(w);
  }
  seq_end(w);
}

static void notes(writer *w, const scr_doc *doc) {
  key(w, "notes");
  seq_start(w);
  for (size_t i = 0; i < scr_doc_note_count(doc); i++) {
    scr_str s = scr_doc_note(doc, i);
    scalar(w, s.ptr, s.len, USE_TEXT);
  }
  seq_end(w);
}

/* A node that is written in one go at ENTER: a TEXT node, a node without
 * children, or one whose only child is a bare TEXT node. */
static void whole_node(writer *w, const scr_node *n) {
  scr_node_type t = scr_node_get_type(n);
  if (is_bare_text(n)) {
    scr_str s = scr_node_text(n);
    scalar(w, s.ptr, s.len, USE_TEXT);
    return;
  }
  map_start(w);
  key(w, "type");
  key(w, scr_node_type_name(t));
  attributes(w, n);
  layout(w, n, SCR_ATTR_BEFORE);
  const scr_node *child = scr_node_first_child(n);
  scr_str text = t == SCR_NODE_TEXT ? scr_node_text(n)
                 : child            ? scr_node_text(child)
                                    : SCR_STR_NULL;
  if (t == SCR_NODE_TEXT || child) {
    key(w, "text");
    scalar(w, text.ptr, text.len, USE_TEXT);
  }
  layout(w, n, SCR_ATTR_AFTER);
  map_end(w);
}

static int written_whole(const scr_node *n) {
  const scr_node *child = scr_node_first_child(n);
  return scr_node_get_type(n) == SCR_NODE_TEXT || !child ||
         (child == scr_node_last_child(n) && is_bare_text(child));
}

int yaml_write(const scr_doc *doc, scr_buf *out, const scr_options *opts,
               scr_diag *diag) {
  const char *source = opts ? scr_options_get(opts, "source") : NULL;
  int file_name_only = source && strcmp(source, "file-name") == 0;
  writer w;
  memset(&w, 0, sizeof w);
  w.diag = diag;
  if (!(w.resolver = yaml_resolver_shared())) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    return -1;
  }
  if (!yaml_emitter_initialize(&w.emitter)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    return -1;
  }
  yaml_emitter_set_output(&w.emitter, write_handler, out);
  yaml_emitter_set_unicode(&w.emitter, 1);
  yaml_emitter_set_width(&w.emitter, 80);
  yaml_emitter_set_indent(&w.emitter, 2);
  yaml_emitter_set_break(&w.emitter, YAML_LN_BREAK);

  yaml_event_t ev;
  emit(&w, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
  emit(&w, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));

  scr_node *root = scr_doc_root(doc);
  map_start(&w);
  key(&w, "scriptorium");
  scalar(&w, "1", 1, USE_VALUE);
  metadata(&w, doc, file_name_only);
  persons(&w, doc);
  keywords(&w, doc);
  notes(&w, doc);
  attributes(&w, root);
  layout(&w, root, SCR_ATTR_BEFORE);
  key(&w, "body");
  seq_start(&w);

  scr_iter it;
  scr_event e;
  size_t depth = 0;
  scr_iter_init(&it, root);
  while (!w.failed && (e = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    scr_node *n = scr_iter_node(&it);
    if (n == root) continue;
    if (e == SCR_EVENT_ENTER) {
      if (written_whole(n)) {
        whole_node(&w, n);
        /* Skip the children: they were written with the node. */
        it.ev = SCR_EVENT_EXIT;
        continue;
      }
      if (++depth > YAML_MAX_NODE_DEPTH) {
        scr_pos pos = scr_node_pos(n);
        w.failed = 1;
        scr_diag_report(diag, SCR_ERROR, pos, "too-deep",
                        "nodes nest deeper than %d levels here; the YAML "
                        "edition refuses trees that YAML loaders cannot "
                        "read back",
                        YAML_MAX_NODE_DEPTH);
        break;
      }
      map_start(&w);
      key(&w, "type");
      key(&w, scr_node_type_name(scr_node_get_type(n)));
      attributes(&w, n);
      layout(&w, n, SCR_ATTR_BEFORE);
      key(&w, "content");
      seq_start(&w);
    } else {
      seq_end(&w);
      layout(&w, n, SCR_ATTR_AFTER);
      map_end(&w);
      depth--;
    }
  }

  seq_end(&w);
  layout(&w, root, SCR_ATTR_AFTER);
  map_end(&w);
  emit(&w, &ev, yaml_document_end_event_initialize(&ev, 1));
  emit(&w, &ev, yaml_stream_end_event_initialize(&ev));
  if (!w.failed && !yaml_emitter_flush(&w.emitter))
    fail(&w, (scr_pos){0, 0, 0}, "yaml", "the YAML emitter could not flush");
  yaml_emitter_delete(&w.emitter);
  return w.failed ? -1 : 0;
}
