/* reader.c - reads TEI into the tree: Scriptorium's own TEI back into the
 * identical tree, and reasonable TEI from elsewhere (p, sp/speaker, said/q,
 * u/seg, listPerson, choice, supplied, note, date...).
 *
 * Parsing is safe and streaming: libxml2's xmlTextReader (no xmlDoc, no
 * recursion in this file), XML_PARSE_NONET, no DTD loaded, no entity
 * substituted, no XInclude followed, a DOCTYPE that declares entities is
 * refused before parsing, and elements may nest at most MAX_DEPTH deep;
 * while a file is read, the plugin's entity loader (loader.c) refuses to
 * open anything at all. The tree is built with an
 * explicit stack of open elements.
 *
 * Layout: inside <text xml:space="preserve"> the writer writes each node's
 * BEFORE right before its first start tag and its AFTER right after its last
 * end tag: as character data where the context is element-only and the
 * split below recovers it, else as <fw type="before|after">. In element-only
 * context a run of whitespace between two nodes is split after its last
 * line end: the head is the previous node's AFTER, the rest (indentation)
 * the next node's BEFORE. docs/tei.md states the rules. */
#define _GNU_SOURCE /* memmem */
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elements.h"
#include "parla.h"
#include "tei.h"

#define TEI_NS "http://www.tei-c.org/ns/1.0"
#define XI_NS "http://www.w3.org/2001/XInclude"
#define MAX_DEPTH 256 /* libxml2's own default; a deeper file is refused */

/* What an open XML element is to the reader. */
enum {
  E_OTHER = 0, /* transparent: its content goes to the enclosing node */
  E_NODE,      /* it made a tree node */
  E_SKIP,      /* its content is ignored (header parts not modelled) */
  E_FW,        /* layout: fw type=before/after/text */
  E_CORR,      /* corr inside choice: the corrected form */
  E_HTEXT      /* a header field whose text is collected */
};

/* Header fields collected as text. */
enum {
  H_NONE = 0, H_TITLE, H_STMT_TITLE, H_PUBLISHER, H_DATE, H_FILE, H_ID, H_FOOTER,
  H_NOTE, H_FORMAT, H_PLACE, H_TIME, H_SETDATE, H_PERSNAME, H_ROLE, H_NATION,
  H_MEASURE, H_URI, H_RETRIEVED, H_SHA256, H_CITATION, H_LICENCE, H_TERM, H_PIDNO
};

typedef struct el {
  unsigned char what;   /* E_* */
  unsigned char mixed;  /* its content is text (whitespace is text) */
  unsigned char hfield; /* E_HTEXT: H_* */
  unsigned char fw;     /* E_FW: 0 before, 1 after, 2 text */
  unsigned char lead;   /* argument: its p is a LEAD */
  unsigned char figure_head; /* a FIGURE's figure: its head is the FIGURE's text */
  unsigned char slide;  /* a gallery's figure: one slide, each head a FIGURE */
  unsigned char known;  /* a TEI element the reader knows */
  unsigned char tag;    /* tei_el of its local name (elements.h), or TEI_EL_NONE */
  const xmlChar *name;  /* local name (the reader's dictionary owns it) */
  scr_node *node;       /* E_NODE */
  size_t hstart;        /* E_HTEXT/E_FW/E_CORR: where its text starts in rd.text */
} el;

typedef struct rd {
  char *hwhen; /* the @when of our header's date, or of an office, being read */
  char *hcert; /* the @cert of a value our converter inferred, being read */
  char *slide_n; /* the @n of the slide (a gallery's figure) being read */
  scr_node *slide_fig; /* its FIGURE read last */
  char *slide_url;     /* a graphic's @url before the slide's first head */
  char *idno_type; /* the @type of a person's idno being read */
  int list_kind;   /* the scr_participation of the listPerson being read */
  scr_doc *doc;
  scr_diag *diag;
  xmlTextReaderPtr x;
  el *st;
  size_t n, cap;
  int failed, errored;
  int in_header, in_text, in_front, in_back, own, corpus_members;
  int saw_tei, in_corpus;
  scr_buf ws;     /* pending layout whitespace (element-only context) */
  scr_buf before; /* pending BEFORE for the next node */
  scr_buf text;   /* collected text of header fields, fw, corr */
  scr_node *media, *footer; /* holders: placed into the root at the end */
  scr_person *person;       /* the person being read */
  char *term_type, *term_ref; /* the keyword term being read: its @type, @ref */
  int in_person;
  /* media counts from the header's extent, in order */
  char **measures;
  size_t nmeasures, capmeasures;
  int have_title, have_date, have_id;
  int warned_unknown;
  int parla;                /* our own TEI in the Parla-CLARIN profile */
  scr_node *pending_turn;   /* a turn a note type="speaker" began: the u next is its */
} rd;

/* ---- small helpers -------------------------------------------------------- */

static int name_is(const xmlChar *name, const char *z) {
  return name && strcmp((const char *)name, z) == 0;
}

static scr_pos here(rd *r) {
  xmlNodePtr cur = xmlTextReaderCurrentNode(r->x);
  long line = cur ? xmlGetLineNo(cur) : -1;
  if (line <= 0) line = xmlTextReaderGetParserLineNumber(r->x);
  return (scr_pos){line > 0 ? (uint32_t)line : 0, 0, 0};
}

static int is_ws(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return 0;
  return 1;
}

static scr_node *tree_parent(rd *r) {
  for (size_t i = r->n; i > 0; i--)
    if (r->st[i - 1].what == E_NODE) return r->st[i - 1].node;
  return scr_doc_root(r->doc);
}

/* The tree parent of the element on top of the stack. */
static scr_node *tree_parent_below(rd *r) {
  for (size_t i = r->n - 1; i > 0; i--)
    if (r->st[i - 1].what == E_NODE) return r->st[i - 1].node;
  return scr_doc_root(r->doc);
}

static int cur_mixed(rd *r) { return r->n ? r->st[r->n - 1].mixed : 0; }

/* Whether the current element has the attribute `name` (a plain name, or
 * "prefix:name"), looked at without allocating. */
static int has_attr(rd *r, const char *name) {
  xmlNodePtr cur = xmlTextReaderCurrentNode(r->x);
  if (!cur || cur->type != XML_ELEMENT_NODE) return 0;
  const char *colon = strchr(name, ':');
  size_t plen = colon ? (size_t)(colon - name) : 0;
  for (xmlAttrPtr a = cur->properties; a; a = a->next) {
    const char *prefix = a->ns ? (const char *)a->ns->prefix : NULL;
    if (colon ? prefix && strlen(prefix) == plen && memcmp(prefix, name, plen) == 0 &&
                    name_is(a->name, colon + 1)
              : !a->ns && name_is(a->name, name))
      return 1;
  }
  return 0;
}

/* An attribute's value (malloc'd by libxml2, free with xmlFree), or NULL.
 * libxml2 answers NULL also when it could not copy the value: that is out
 * of memory, not a missing attribute. */
static char *get_attr(rd *r, const char *name) {
  char *v = (char *)xmlTextReaderGetAttribute(r->x, BAD_CAST name);
  if (!v && has_attr(r, name)) r->failed = 1;
  return v;
}

static void set_attr_z(rd *r, scr_node *n, scr_attr key, const char *v) {
  if (v && *v && scr_node_set_attr(r->doc, n, key, v, strlen(v))) r->failed = 1;
}

/* "#id" -> "id"; "#docid.q3" -> "q3" when `strip_prefix`. */
static const char *pointer(const char *v, int strip_prefix) {
  if (!v) return NULL;
  while (*v == ' ') v++;
  if (*v == '#') v++;
  if (strip_prefix) {
    const char *dot = strchr(v, '.');
    if (dot && dot[1]) v = dot + 1;
  }
  return v;
}

static int add_layout(rd *r, scr_node *n, scr_attr key, const char *s, size_t len) {
  if (!len) return 0;
  scr_str old = scr_node_attr(n, key);
  if (!old.len) return scr_node_set_attr(r->doc, n, key, s, len);
  scr_buf b = {0};
  int rc = scr_buf_put(&b, old.ptr, old.len) || scr_buf_put(&b, s, len) ||
           scr_node_set_attr(r->doc, n, key, b.data, b.len);
  scr_buf_free(&b);
  return rc ? -1 : 0;
}

/* Gives the pending whitespace to the nodes around it: `next` is the node
 * about to be appended to `parent` (NULL when the parent ends). */
static void resolve_ws(rd *r, scr_node *parent, int next) {
  if (!r->ws.len) return;
  scr_node *prev = scr_node_last_child(parent);
  const char *s = r->ws.data;
  size_t len = r->ws.len, k;
  if (!prev || scr_node_attr(prev, SCR_ATTR_AFTER).len) {
    k = 0; /* nothing before it takes layout: all of it is the next's */
  } else if (!next) {
    k = len;
  } else {
    k = len;
    for (size_t i = len; i > 0; i--)
      if (s[i - 1] == '\n') {
        k = i;
        break;
      }
    if (k == len) { /* no line end: a previous node's whole AFTER */
      int nl = 0;
      for (size_t i = 0; i < len; i++) nl |= s[i] == '\n';
      if (nl) k = len;
    }
  }
  if (prev && k && add_layout(r, prev, SCR_ATTR_AFTER, s, k)) r->failed = 1;
  if (k < len) {
    if (next) {
      if (scr_buf_put(&r->before, s + k, len - k)) r->failed = 1;
    } /* else: whitespace inside an element without nodes: pretty-printing */
  }
  scr_buf_clear(&r->ws);
}

/* Appends a new node to the current tree parent and takes the pending
 * BEFORE. */
static scr_node *add_node(rd *r, scr_node_type type) {
  /* called with the new element on the stack: its parent's context counts */
  scr_node *parent = tree_parent_below(r);
  if (!(r->n >= 2 && r->st[r->n - 2].mixed)) resolve_ws(r, parent, 1);
  scr_node *n = scr_node_new(r->doc, type, here(r));
  if (!n) {
    r->failed = 1;
    return NULL;
  }
  if (r->before.len) {
    if (scr_node_set_attr(r->doc, n, SCR_ATTR_BEFORE, r->before.data, r->before.len))
      r->failed = 1;
    scr_buf_clear(&r->before);
  }
  scr_node_append(parent, n);
  return n;
}

static void add_text(rd *r, const char *s, size_t len) {
  if (!len) return;
  scr_node *parent = tree_parent(r);
  if (!cur_mixed(r)) resolve_ws(r, parent, 1);
  if (r->before.len) { /* a TEXT node's BEFORE: keep it on a node of its own */
    scr_node *t = scr_node_new_text(r->doc, "", 0, here(r));
    if (!t) {
      r->failed = 1;
      return;
    }
    if (scr_node_set_attr(r->doc, t, SCR_ATTR_BEFORE, r->before.data, r->before.len))
      r->failed = 1;
    scr_buf_clear(&r->before);
    scr_str c = scr_doc_strdup(r->doc, s, len);
    if (!c.ptr) r->failed = 1;
    scr_node_set_text(t, c.ptr, c.len);
    scr_node_append(parent, t);
    return;
  }
  scr_node *last = scr_node_last_child(parent);
  if (last && scr_node_get_type(last) == SCR_NODE_TEXT &&
      !scr_node_attr(last, SCR_ATTR_AFTER).len) {
    scr_str old = scr_node_text(last);
    char *c = scr_doc_alloc(r->doc, old.len + len + 1);
    if (!c) {
      r->failed = 1;
      return;
    }
    memcpy(c, old.ptr, old.len);
    memcpy(c + old.len, s, len);
    scr_node_set_text(last, c, old.len + len);
    return;
  }
  scr_str c = scr_doc_strdup(r->doc, s, len);
  scr_node *t = c.ptr ? scr_node_new_text(r->doc, c.ptr, c.len, here(r)) : NULL;
  if (!t) {
    r->failed = 1;
    return;
  }
  scr_node_append(parent, t);
}

static el *push(rd *r) {
  if (r->n == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 64;
    el *g = realloc(r->st, cap * sizeof *g);
    if (!g) {
      r->failed = 1;
      return NULL;
    }
    r->st = g;
    r->cap = cap;
  }
  el *e = &r->st[r->n++];
  memset(e, 0, sizeof *e);
  e->mixed = r->n > 1 ? r->st[r->n - 2].mixed : 0;
  e->hstart = r->text.len;
  return e;
}

/* ---- the header ------------------------------------------------------------- */

static void set_meta(rd *r, scr_meta key, const char *s, size_t len) {
  /* in a teiCorpus the corpus header speaks first, then the first member */
  if (r->in_corpus && scr_doc_meta(r->doc, key).len) return;
  if (scr_doc_set_meta(r->doc, key, s, len)) r->failed = 1;
}

static scr_str collapse(scr_str s, scr_buf *tmp) {
  /* foreign TEI: collapse pretty-printing in a header field */
  scr_buf_clear(tmp);
  int sp = 0;
  for (size_t i = 0; i < s.len; i++) {
    char c = s.ptr[i];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      sp = tmp->len > 0;
      continue;
    }
    if (sp && scr_buf_putc(tmp, ' ')) return SCR_STR_NULL;
    sp = 0;
    if (scr_buf_putc(tmp, c)) return SCR_STR_NULL;
  }
  return (scr_str){tmp->data ? tmp->data : "", tmp->len};
}

static void header_field(rd *r, const el *e) {
  scr_str s = {r->text.data ? r->text.data + e->hstart : "", r->text.len - e->hstart};
  scr_buf tmp = {0};
  if (!r->own) s = collapse(s, &tmp);
  switch (e->hfield) {
  case H_TITLE:
    set_meta(r, SCR_META_TITLE, s.ptr, s.len);
    r->have_title = 1;
    break;
  case H_STMT_TITLE:
    if (!r->own && !r->have_title && s.len) set_meta(r, SCR_META_TITLE, s.ptr, s.len);
    break;
  case H_PUBLISHER: set_meta(r, SCR_META_PUBLISHER, s.ptr, s.len); break;
  case H_DATE:
    if (r->hwhen) s = (scr_str){r->hwhen, strlen(r->hwhen)};
    set_meta(r, SCR_META_DATE, s.ptr, s.len);
    r->have_date = 1;
    break;
  case H_SETDATE:
    if (r->hwhen) s = (scr_str){r->hwhen, strlen(r->hwhen)};
    if (!r->have_date && s.len) set_meta(r, SCR_META_DATE, s.ptr, s.len);
    break;
  case H_FILE: set_meta(r, SCR_META_SOURCE, s.ptr, s.len); break;
  case H_ID:
    set_meta(r, SCR_META_ID, s.ptr, s.len);
    r->have_id = 1;
    break;
  case H_FOOTER: set_meta(r, SCR_META_FOOTER, s.ptr, s.len); break;
  case H_URI:
    set_meta(r, SCR_META_URL, s.ptr, s.len);
    /* an address our converter derived: derived, as it was */
    if (r->hcert && scr_doc_set_meta_cert(r->doc, SCR_META_URL, r->hcert, strlen(r->hcert)))
      r->failed = 1;
    xmlFree(r->hcert);
    r->hcert = NULL;
    break;
  case H_RETRIEVED: set_meta(r, SCR_META_RETRIEVED, s.ptr, s.len); break;
  case H_SHA256: set_meta(r, SCR_META_SHA256, s.ptr, s.len); break;
  case H_CITATION: set_meta(r, SCR_META_CITATION, s.ptr, s.len); break;
  case H_LICENCE: set_meta(r, SCR_META_LICENCE, s.ptr, s.len); break;
  case H_TERM: {
    const char *ty = r->term_type, *ref = r->term_ref;
    if (scr_doc_add_keyword(r->doc, ty, ty ? strlen(ty) : 0, s.ptr, s.len, ref,
                            ref ? strlen(ref) : 0))
      r->failed = 1;
    break;
  }
  case H_NOTE:
    if (scr_doc_add_note(r->doc, s.ptr, s.len)) r->failed = 1;
    break;
  case H_FORMAT: {
    static const char pre[] = "Read from the format ";
    if (s.len > sizeof pre && memcmp(s.ptr, pre, sizeof pre - 1) == 0 &&
        s.ptr[s.len - 1] == '.')
      set_meta(r, SCR_META_FORMAT, s.ptr + sizeof pre - 1, s.len - sizeof pre);
    break;
  }
  case H_PLACE: set_meta(r, SCR_META_PLACE, s.ptr, s.len); break;
  case H_TIME: set_meta(r, SCR_META_TIME, s.ptr, s.len); break;
  case H_PERSNAME:
    if (r->person && s.len && scr_person_add_name(r->doc, r->person, s.ptr, s.len))
      r->failed = 1;
    break;
  case H_ROLE:
    if (r->person && s.len &&
        (r->hwhen ? scr_person_set_role_when(r->doc, r->person, s.ptr, s.len, r->hwhen,
                                             strlen(r->hwhen))
                  : scr_person_add_role(r->doc, r->person, s.ptr, s.len)))
      r->failed = 1;
    break;
  case H_PIDNO:
    if (r->person && s.len && r->idno_type &&
        scr_person_add_idno(r->doc, r->person, r->idno_type, strlen(r->idno_type), s.ptr,
                            s.len))
      r->failed = 1;
    break;
  case H_NATION:
    if (r->person && s.len && scr_person_set_nationality(r->doc, r->person, s.ptr, s.len))
      r->failed = 1;
    break;
  default: break;
  }
  scr_buf_free(&tmp);
  r->text.len = e->hstart;
}

static void add_measure(rd *r, const char *v) {
  if (r->nmeasures == r->capmeasures) {
    size_t cap = r->capmeasures ? 2 * r->capmeasures : 8;
    char **g = realloc(r->measures, cap * sizeof *g);
    if (!g) {
      r->failed = 1;
      return;
    }
    r->measures = g;
    r->capmeasures = cap;
  }
  r->measures[r->nmeasures++] = v ? strdup(v) : NULL;
}

/* An element inside teiHeader. */
static void header_start(rd *r, el *e) {
  e->what = E_OTHER;
  e->mixed = 1;
  e->known = 1;
  tei_el parent = r->n >= 2 ? r->st[r->n - 2].tag : TEI_EL_NONE;
  char *type = get_attr(r, "type");
  int in_bibl = parent == TEI_EL_BIBL, in_setting = parent == TEI_EL_SETTING,
      in_person = parent == TEI_EL_PERSON;
  switch ((tei_el)e->tag) {
  case TEI_EL_TITLE:
    if (in_bibl) e->hfield = H_TITLE;
    else if (parent == TEI_EL_TITLESTMT) e->hfield = H_STMT_TITLE;
    break;
  case TEI_EL_PUBLISHER:
    if (in_bibl) e->hfield = H_PUBLISHER;
    break;
  case TEI_EL_DATE:
    if (in_bibl && type && !strcmp(type, "retrieved")) e->hfield = H_RETRIEVED;
    else if (in_bibl) e->hfield = H_DATE;
    else if (in_setting) e->hfield = H_SETDATE;
    if (r->own && (e->hfield == H_DATE || e->hfield == H_SETDATE)) {
      /* our content is the words printed; the value is @when */
      xmlFree(r->hwhen);
      r->hwhen = get_attr(r, "when");
    }
    break;
  case TEI_EL_IDNO:
    if (in_person && type && *type) {
      e->hfield = H_PIDNO;
      xmlFree(r->idno_type);
      r->idno_type = (char *)xmlStrdup(BAD_CAST type);
      if (!r->idno_type) r->failed = 1;
    }
    if (in_bibl && type && !strcmp(type, "file")) e->hfield = H_FILE;
    else if (in_bibl && type && !strcmp(type, "id")) e->hfield = H_ID;
    else if (in_bibl && type && !strcmp(type, "URI")) {
      /* an address our converter derived (@resp, @cert) is read as derived */
      char *resp = get_attr(r, "resp");
      e->hfield = H_URI;
      xmlFree(r->hcert);
      r->hcert = resp && r->own && !strcmp(resp, "#scriptorium") ? get_attr(r, "cert") : NULL;
      xmlFree(resp);
    }
    else if (in_bibl && type && !strcmp(type, "sha256")) e->hfield = H_SHA256;
    break;
  case TEI_EL_NOTE:
    if (in_bibl && type && !strcmp(type, "footer")) e->hfield = H_FOOTER;
    else if (in_bibl && type && !strcmp(type, "citation")) e->hfield = H_CITATION;
    else if (parent == TEI_EL_NOTESSTMT) e->hfield = H_NOTE;
    break;
  case TEI_EL_P:
    if (parent == TEI_EL_APPLICATION) e->hfield = H_FORMAT;
    break;
  case TEI_EL_TERM:
    if (parent == TEI_EL_KEYWORDS) {
      e->hfield = H_TERM;
      xmlFree(r->term_type);
      xmlFree(r->term_ref);
      r->term_type = type ? (char *)xmlStrdup(BAD_CAST type) : NULL;
      if (type && !r->term_type) r->failed = 1;
      r->term_ref = get_attr(r, "ref");
    }
    break;
  case TEI_EL_LICENCE: {
    /* the source's licence as given (its words); one our converter
     * inferred (a site's, with @resp and @cert) is its @target, inferred */
    char *resp = get_attr(r, "resp");
    if (parent == TEI_EL_AVAILABILITY && !resp) {
      e->hfield = H_LICENCE;
    } else if (parent == TEI_EL_AVAILABILITY && r->own && !strcmp(resp, "#scriptorium")) {
      char *target = get_attr(r, "target"), *cert = get_attr(r, "cert");
      if (target && *target) {
        set_meta(r, SCR_META_LICENCE, target, strlen(target));
        if (cert && *cert &&
            scr_doc_set_meta_cert(r->doc, SCR_META_LICENCE, cert, strlen(cert)))
          r->failed = 1;
      }
      xmlFree(target);
      xmlFree(cert);
    }
    xmlFree(resp);
    break;
  }
  case TEI_EL_PLACENAME:
    if (in_setting) e->hfield = H_PLACE;
    break;
  case TEI_EL_TIME:
    if (in_setting) {
      e->hfield = H_TIME;
    } else if (parent == TEI_EL_MEASURE) {
      char *d = get_attr(r, "dur-iso");
      if (r->nmeasures && !r->measures[r->nmeasures - 1] && d) {
        size_t n = strlen(d) + 2;
        char *v = malloc(n);
        if (v) snprintf(v, n, "~%s", d); /* '~': a duration, not a count */
        r->measures[r->nmeasures - 1] = v;
      }
      xmlFree(d);
    }
    break;
  case TEI_EL_PERSNAME:
    if (in_person) e->hfield = H_PERSNAME;
    break;
  case TEI_EL_OCCUPATION:
  case TEI_EL_ROLENAME:
  case TEI_EL_AFFILIATION:
    if (in_person) {
      e->hfield = H_ROLE;
      /* an office the document dates (the label's, on its date) */
      xmlFree(r->hwhen);
      r->hwhen = r->own ? get_attr(r, "when") : NULL;
    }
    break;
  case TEI_EL_LISTPERSON:
    /* ours: participants, or those only mentioned (docs/tei.md) */
    r->list_kind = !r->own || !type                  ? SCR_PARTICIPATION_UNKNOWN
                   : !strcmp(type, "participants") ? SCR_PARTICIPATION_PARTICIPANT
                   : !strcmp(type, "mentioned")    ? SCR_PARTICIPATION_MENTIONED
                                                   : SCR_PARTICIPATION_UNKNOWN;
    break;
  case TEI_EL_NATIONALITY:
    if (in_person) e->hfield = H_NATION;
    break;
  case TEI_EL_APPLICATION: {
    char *ident = get_attr(r, "ident");
    if (ident && !strcmp(ident, "scriptorium")) r->own = 1;
    xmlFree(ident);
    break;
  }
  case TEI_EL_MEASURE:
    if (parent == TEI_EL_EXTENT) {
      char *q = get_attr(r, "quantity");
      add_measure(r, q);
      xmlFree(q);
    }
    break;
  case TEI_EL_PERSON:
    if (parent == TEI_EL_LISTPERSON) {
      char *id = get_attr(r, "xml:id");
      r->person = id && *id ? scr_doc_person(r->doc, id, strlen(id)) : NULL;
      if (id && *id && !r->person) r->failed = 1;
      xmlFree(id);
      if (!r->person) { /* a corpus member's pointer at the corpus header's */
        char *same = get_attr(r, "sameAs");
        if (same && same[0] == '#' && same[1])
          r->person = scr_doc_find_person(r->doc, same + 1, strlen(same + 1));
        xmlFree(same);
      }
      if (r->person && r->list_kind != SCR_PARTICIPATION_UNKNOWN)
        scr_person_set_participation(r->person, (scr_participation)r->list_kind);
      char *role = r->person ? get_attr(r, "role") : NULL;
      if (role && *role && scr_person_set_event_role(r->doc, r->person, role, strlen(role)))
        r->failed = 1;
      xmlFree(role);
    }
    break;
  default:
    break;
  }
  if (e->hfield) e->what = E_HTEXT;
  xmlFree(type);
}

/* ---- the text ----------------------------------------------------------------- */

static void warn_unknown(rd *r, const xmlChar *name) {
  scr_diag_report(r->diag, SCR_WARNING, here(r), "tei-unknown",
                  "element <%s> is not modelled; its text is kept", (const char *)name);
}

/* A FIGURE with its number: the gallery counter ("1 of 4") rides in
 * BEFORE (after any layout), and gives the marker and the total. */
static void counted_figure(rd *r, scr_node *n, const char *num) {
  set_attr_z(r, n, SCR_ATTR_N, num);
  scr_str b = scr_node_attr(n, SCR_ATTR_BEFORE);
  while (b.len && (b.ptr[0] == ' ' || b.ptr[0] == '\t' || b.ptr[0] == '\n' || b.ptr[0] == '\r'))
    b.ptr++, b.len--;
  if (!num || !b.len) return;
  if (scr_node_set_attr(r->doc, n, SCR_ATTR_MARKER, b.ptr, b.len)) r->failed = 1;
  const char *of = strstr(b.ptr, " of ");
  if (of && of < b.ptr + b.len) {
    size_t k = 0;
    of += 4;
    while (of + k < b.ptr + b.len && of[k] >= '0' && of[k] <= '9') k++;
    if (k && scr_node_set_attr(r->doc, n, SCR_ATTR_TOTAL, of, k)) r->failed = 1;
  }
}

static scr_node *open_node(rd *r, el *e, scr_node_type type) {
  scr_node *n = add_node(r, type);
  e->what = E_NODE;
  e->node = n;
  return n;
}

static void text_start(rd *r, el *e) {
  el *pe = r->n >= 2 ? &r->st[r->n - 2] : NULL;
  tei_el tag = (tei_el)e->tag, parent_tag = pe ? (tei_el)pe->tag : TEI_EL_NONE;
  /* the node the table reads the element as, where its context does not decide */
  scr_node_type as = tei_elements[tag].node;
  e->known = 1;
  e->mixed = !tei_element_only(tag);
  char *type = get_attr(r, "type");
  char *resp = get_attr(r, "resp");
  int synthetic = resp && !strcmp(resp, "#scriptorium") && r->own;
  scr_node *n = NULL;
  scr_node_type parent_type = scr_node_get_type(tree_parent(r));

  switch (tag) {
  case TEI_EL_FW:
    if (type && (!strcmp(type, "before") || !strcmp(type, "after") || !strcmp(type, "text"))) {
      e->what = E_FW;
      e->fw = !strcmp(type, "before") ? 0 : !strcmp(type, "after") ? 1 : 2;
      e->mixed = 1;
      if (!(pe && pe->mixed)) resolve_ws(r, tree_parent(r), e->fw != 1);
    } else {
      goto unknown;
    }
    break;
  case TEI_EL_FRONT: r->in_front = 1; break;
  case TEI_EL_BACK: r->in_back = 1; break;
  case TEI_EL_BODY:
    if (r->in_corpus) open_node(r, e, SCR_NODE_SECTION), e->mixed = 0;
    break;
  case TEI_EL_DIV:
    if (r->in_front && type && !strcmp(type, "media") && r->own) {
      e->what = E_NODE, e->node = r->media;
    } else if (r->in_back && type && !strcmp(type, "footer") && r->own) {
      e->what = E_NODE, e->node = r->footer;
    } else if (!synthetic) {
      open_node(r, e, as);
    }
    break;
  case TEI_EL_ITEM:
    if (parent_type == SCR_NODE_DOCUMENT && tree_parent(r) == r->media)
      n = open_node(r, e, SCR_NODE_MEDIA);
    break; /* else transparent, as a list is (the media list too) */
  case TEI_EL_P:
    if (synthetic) {
      /* the writer's: a p for text at block level, or an empty one */
    } else if (pe && pe->lead) {
      open_node(r, e, SCR_NODE_LEAD);
    } else if (tree_parent(r) == r->footer) {
      open_node(r, e, SCR_NODE_FOOTER);
    } else {
      open_node(r, e, as);
    }
    break;
  case TEI_EL_ARGUMENT: e->lead = 1; break;
  case TEI_EL_HEAD:
    if (pe && pe->slide) {
      /* one caption of the slide: a FIGURE of the gallery */
      n = open_node(r, e, SCR_NODE_FIGURE);
      if (n && type && !strcmp(type, "repeat")) set_attr_z(r, n, SCR_ATTR_KIND, "repeat");
      else if (n) counted_figure(r, n, r->slide_n);
      r->slide_fig = n;
      if (n && r->slide_url) {
        set_attr_z(r, n, SCR_ATTR_URL, r->slide_url);
        xmlFree(r->slide_url);
        r->slide_url = NULL;
      }
    } else if (pe && pe->figure_head) {
      /* a FIGURE's caption: the FIGURE's own content */
    } else if (type && (!strcmp(type, "title") || !strcmp(type, "repeat"))) {
      n = open_node(r, e, SCR_NODE_TITLE);
      if (n && !strcmp(type, "repeat")) set_attr_z(r, n, SCR_ATTR_KIND, "repeat");
    } else {
      open_node(r, e, as);
    }
    break;
  case TEI_EL_DATELINE: open_node(r, e, as); break;
  case TEI_EL_SP:
  case TEI_EL_U: {
    if (tag == TEI_EL_U && r->pending_turn &&
        scr_node_last_child(tree_parent(r)) == r->pending_turn) {
      /* the u after its label (ParlaMint's note type="speaker") */
      e->what = E_NODE;
      e->node = n = r->pending_turn;
      r->pending_turn = NULL;
      char *who = get_attr(r, "who");
      set_attr_z(r, n, SCR_ATTR_WHO, pointer(who, 0));
      scr_node *label = scr_node_first_child(n);
      if (label && scr_node_get_type(label) == SCR_NODE_SPEAKER)
        set_attr_z(r, label, SCR_ATTR_WHO, pointer(who, 0));
      xmlFree(who);
      break;
    }
    n = open_node(r, e, as);
    char *who = get_attr(r, "who");
    if (n) set_attr_z(r, n, SCR_ATTR_WHO, pointer(who, 0));
    xmlFree(who);
    break;
  }
  case TEI_EL_LABEL:
    if (pe && pe->slide && type && !strcmp(type, "counter")) {
      /* the counter glued to the caption: the next FIGURE's BEFORE */
      e->what = E_FW;
      e->fw = 0;
      e->mixed = 1;
      resolve_ws(r, tree_parent(r), 1);
      break;
    }
    if (!(type && !strcmp(type, "speaker"))) {
      open_node(r, e, as);
      break;
    }
    /* fall through */
  case TEI_EL_SPEAKER: { /* or a label of type speaker */
    n = open_node(r, e, SCR_NODE_SPEAKER);
    scr_node *turn = scr_node_parent(n);
    if (n && turn && scr_node_get_type(turn) == SCR_NODE_TURN) {
      scr_str who = scr_node_attr(turn, SCR_ATTR_WHO);
      if (who.len && scr_node_set_attr(r->doc, n, SCR_ATTR_WHO, who.ptr, who.len)) r->failed = 1;
    }
    break;
  }
  case TEI_EL_SEG:
    /* a u's paragraph (or, typed, another block of the turn); the
     * writer's own seg around text is none */
    if (parent_type == SCR_NODE_TURN && !synthetic) open_node(r, e, tei_parla_seg_node(type));
    break; /* else transparent */
  case TEI_EL_AB: {
    scr_node_type ty = type ? scr_node_type_from_name(type, strlen(type)) : SCR_NODE_NONE;
    if (ty == SCR_NODE_NONE || ty == SCR_NODE_DOCUMENT || !scr_node_type_is_block(ty))
      ty = as;
    open_node(r, e, ty);
    break;
  }
  case TEI_EL_FIGURE:
    if (type && !strcmp(type, "gallery")) {
      n = open_node(r, e, SCR_NODE_GALLERY);
      char *num = get_attr(r, "n");
      if (n) set_attr_z(r, n, SCR_ATTR_TOTAL, num);
      xmlFree(num);
      e->mixed = 0;
    } else if (parent_type == SCR_NODE_GALLERY) {
      /* one slide: its heads are FIGUREs (the repeats and the caption) */
      xmlFree(r->slide_n);
      r->slide_n = get_attr(r, "n");
      r->slide_fig = NULL;
      e->slide = 1;
      e->mixed = 0;
    } else {
      n = open_node(r, e, as);
      char *num = get_attr(r, "n");
      if (n) counted_figure(r, n, num);
      xmlFree(num);
      e->figure_head = 1;
      e->mixed = 0;
    }
    break;
  case TEI_EL_MILESTONE: {
    n = open_node(r, e, as);
    char *rend = get_attr(r, "rend");
    if (n && rend && *rend) {
      scr_str c = scr_doc_strdup(r->doc, rend, strlen(rend));
      scr_node *t = c.ptr ? scr_node_new_text(r->doc, c.ptr, c.len, here(r)) : NULL;
      if (t) scr_node_append(n, t);
      else r->failed = 1;
    }
    xmlFree(rend);
    break;
  }
  case TEI_EL_NOTE: {
    char *place = get_attr(r, "place");
    char *subtype = get_attr(r, "subtype");
    scr_node_type parla_node = r->parla ? tei_parla_note_node(type, subtype) : SCR_NODE_NONE;
    if (type && !strcmp(type, "editorial") && place && !strcmp(place, "inline")) {
      open_node(r, e, SCR_NODE_INSERTION);
    } else if (type && !strcmp(type, "speaker") && !subtype && (!r->own || r->parla)) {
      /* a speaker's label (ParlaMint, Parla-CLARIN): in a turn, a label of
       * it; before a u, it starts the turn that u continues */
      if (parent_type == SCR_NODE_TURN) {
        n = open_node(r, e, SCR_NODE_SPEAKER);
        scr_str who = scr_node_attr(tree_parent_below(r), SCR_ATTR_WHO);
        if (n && who.len && scr_node_set_attr(r->doc, n, SCR_ATTR_WHO, who.ptr, who.len))
          r->failed = 1;
      } else {
        scr_node *turn = add_node(r, SCR_NODE_TURN);
        n = turn ? scr_node_new(r->doc, SCR_NODE_SPEAKER, here(r)) : NULL;
        if (n) scr_node_append(turn, n);
        else r->failed = 1;
        e->what = E_NODE;
        e->node = n;
        r->pending_turn = turn;
      }
    } else if (parla_node != SCR_NODE_NONE) {
      open_node(r, e, parla_node); /* a lead or a dateline */
    } else {
      n = open_node(r, e, as);
      if (n) set_attr_z(r, n, SCR_ATTR_KIND, type);
    }
    xmlFree(place);
    xmlFree(subtype);
    break;
  }
  case TEI_EL_SUPPLIED: open_node(r, e, as); break;
  case TEI_EL_CHOICE:
    open_node(r, e, as);
    e->mixed = 1; /* whitespace between sic and corr is not layout */
    break;
  case TEI_EL_SIC:
  case TEI_EL_ORIG:
  case TEI_EL_ABBR:
    if (parent_type != SCR_NODE_CORRECTION || parent_tag != TEI_EL_CHOICE) open_node(r, e, as);
    break;
  case TEI_EL_CORR:
  case TEI_EL_REG:
  case TEI_EL_EXPAN:
    if (parent_tag != TEI_EL_CHOICE) goto unknown;
    e->what = E_CORR;
    break;
  case TEI_EL_SAID:
  case TEI_EL_Q:
  case TEI_EL_QUOTE:
    n = open_node(r, e, as);
    if (n) {
      char *who = get_attr(r, "who"), *ana = get_attr(r, "ana"), *cert = get_attr(r, "cert");
      char *id = get_attr(r, "xml:id"), *next = get_attr(r, "next"), *prev = get_attr(r, "prev");
      char *rend = get_attr(r, "rend"), *direct = get_attr(r, "direct");
      set_attr_z(r, n, SCR_ATTR_WHO, pointer(who, 0));
      if (ana && !strncmp(ana, "#attribution.", 13)) set_attr_z(r, n, SCR_ATTR_METHOD, ana + 13);
      set_attr_z(r, n, SCR_ATTR_CERT, cert);
      if (id) set_attr_z(r, n, SCR_ATTR_ID, r->own ? pointer(id, 1) : id);
      set_attr_z(r, n, SCR_ATTR_NEXT, pointer(next, r->own));
      set_attr_z(r, n, SCR_ATTR_PREV, pointer(prev, r->own));
      if (rend && !strcmp(rend, "unclosed")) set_attr_z(r, n, SCR_ATTR_KIND, "unclosed");
      if (direct && !strcmp(direct, "false")) set_attr_z(r, n, SCR_ATTR_KIND, "indirect");
      char *qtype = get_attr(r, "type");
      if (qtype && !strcmp(qtype, "pull-quote")) set_attr_z(r, n, SCR_ATTR_KIND, "pull-quote");
      xmlFree(qtype);
      xmlFree(who), xmlFree(ana), xmlFree(cert), xmlFree(id), xmlFree(next), xmlFree(prev);
      xmlFree(rend), xmlFree(direct);
    }
    break;
  case TEI_EL_PERSNAME:
  case TEI_EL_NAME: {
    n = open_node(r, e, as);
    char *ref = get_attr(r, "ref");
    if (n) set_attr_z(r, n, SCR_ATTR_WHO, pointer(ref, 0));
    xmlFree(ref);
    break;
  }
  case TEI_EL_PLACENAME: {
    n = open_node(r, e, as);
    char *key = get_attr(r, "key");
    if (n) set_attr_z(r, n, SCR_ATTR_KEY, key);
    xmlFree(key);
    break;
  }
  case TEI_EL_DATE: {
    n = open_node(r, e, as);
    char *when = get_attr(r, "when"), *from = get_attr(r, "from"), *to = get_attr(r, "to");
    char *cert = get_attr(r, "cert");
    if (n) set_attr_z(r, n, SCR_ATTR_WHEN, when);
    if (n && !when && from && to) {
      /* a range: an ISO 8601 interval in the tree */
      scr_buf v = {0};
      if (scr_buf_puts(&v, from) || scr_buf_putc(&v, '/') || scr_buf_puts(&v, to) ||
          scr_node_set_attr(r->doc, n, SCR_ATTR_WHEN, v.data, v.len))
        r->failed = 1;
      scr_buf_free(&v);
    }
    if (n) set_attr_z(r, n, SCR_ATTR_CERT, cert);
    xmlFree(when), xmlFree(from), xmlFree(to), xmlFree(cert);
    break;
  }
  case TEI_EL_TIME: {
    n = open_node(r, e, as);
    char *when = get_attr(r, "when"), *dur = get_attr(r, "dur-iso");
    if (n && when) {
      size_t len = strlen(when);
      if (r->own && len == 8 && !strcmp(when + 5, ":00")) len = 5; /* 14:50:00 was 14:50 */
      if (scr_node_set_attr(r->doc, n, SCR_ATTR_WHEN, when, len)) r->failed = 1;
    }
    if (n) set_attr_z(r, n, SCR_ATTR_DURATION, dur);
    xmlFree(when), xmlFree(dur);
    break;
  }
  case TEI_EL_TEXT:
  case TEI_EL_LIST:
  case TEI_EL_GROUP:
  case TEI_EL_HI:
  case TEI_EL_EMPH:
  case TEI_EL_FOREIGN:
  case TEI_EL_TITLE:
  case TEI_EL_S:
  case TEI_EL_W:
  case TEI_EL_PC:
    /* transparent: their words are kept */
    break;
  case TEI_EL_GAP: {
    /* an omission the source marked ("<…>"), its mark in desc */
    char *reason = get_attr(r, "reason");
    if (reason && !strcmp(reason, "omitted")) {
      n = open_node(r, e, SCR_NODE_NOTE);
      if (n) set_attr_z(r, n, SCR_ATTR_KIND, "omission");
    }
    xmlFree(reason);
    break;
  }
  case TEI_EL_DESC:
    /* transparent: a gap's description is the omission's mark */
    break;
  case TEI_EL_MEDIA:
  case TEI_EL_GRAPHIC: {
    /* a figure's photo: the FIGURE whose caption it follows */
    scr_node *fig = pe && pe->slide ? r->slide_fig : pe && pe->figure_head ? pe->node : NULL;
    char *url = get_attr(r, "url");
    if (fig) {
      set_attr_z(r, fig, SCR_ATTR_URL, url);
    } else if (pe && pe->slide && url) {
      xmlFree(r->slide_url);
      r->slide_url = url;
      url = NULL;
    }
    xmlFree(url);
    break;
  }
  case TEI_EL_LB:
  case TEI_EL_PB:
  case TEI_EL_ANCHOR:
  case TEI_EL_KINESIC:
  case TEI_EL_VOCAL:
  case TEI_EL_INCIDENT:
    /* milestones and empty events: nothing to keep but their text, if any */
    break;
  default:
  unknown:
    e->known = 0;
    warn_unknown(r, e->name);
    break;
  }
  xmlFree(type);
  xmlFree(resp);
}

/* The marks around a quotation are TEXT nodes of their own: the first and
 * the last character when they are quotation marks. */
static int is_mark(const char *s, size_t len, size_t *n) {
  static const char *const marks[] = {"\"", "'", "\xE2\x80\x9C", "\xE2\x80\x9D",
                                      "\xE2\x80\x98", "\xE2\x80\x99", "\xC2\xAB",
                                      "\xC2\xBB", "\xE2\x80\x9E", "\xE2\x80\x9A",
                                      "\xE2\x80\xB9", "\xE2\x80\xBA", NULL};
  for (size_t i = 0; marks[i]; i++) {
    size_t m = strlen(marks[i]);
    if (len >= m && memcmp(s, marks[i], m) == 0) return *n = m, 1;
  }
  return 0;
}

static int is_mark_end(const char *s, size_t len, size_t *n) {
  static const size_t sizes[] = {1, 2, 3};
  for (size_t i = 0; i < 3; i++) {
    size_t m = sizes[i], k;
    if (len >= m && is_mark(s + len - m, m, &k) && k == m) return *n = m, 1;
  }
  return 0;
}

static void split_marks(rd *r, scr_node *q) {
  /* reported speech has no marks of its own: a mark at its start or end
   * is its text */
  scr_str ik = scr_node_attr(q, SCR_ATTR_KIND);
  if (ik.len == 8 && memcmp(ik.ptr, "indirect", 8) == 0) return;
  scr_node *first = scr_node_first_child(q);
  if (first && scr_node_get_type(first) == SCR_NODE_TEXT && !scr_node_attr(first, SCR_ATTR_BEFORE).len) {
    scr_str s = scr_node_text(first);
    size_t m;
    if (s.len > 0 && is_mark(s.ptr, s.len, &m) && m < s.len) {
      scr_node *t = scr_node_new_text(r->doc, s.ptr, m, scr_node_pos(first));
      if (!t) {
        r->failed = 1;
        return;
      }
      scr_node_set_text(first, s.ptr + m, s.len - m);
      scr_node_insert_before(first, t);
    }
  }
  scr_node *last = scr_node_last_child(q);
  if (last && scr_node_get_type(last) == SCR_NODE_TEXT && scr_node_prev(last) != NULL
          ? 1
          : last && scr_node_get_type(last) == SCR_NODE_TEXT) {
    scr_str s = scr_node_text(last);
    size_t m;
    if (scr_node_attr(last, SCR_ATTR_AFTER).len) return;
    /* A quotation continued in the next paragraph, or one the source leaves
     * unclosed, has no closing mark: a mark at its end is its text. */
    if (scr_node_attr(q, SCR_ATTR_NEXT).len) return;
    scr_str kind = scr_node_attr(q, SCR_ATTR_KIND);
    if (kind.len == 8 && memcmp(kind.ptr, "unclosed", 8) == 0) return;
    if (s.len > 0 && is_mark_end(s.ptr, s.len, &m) && m < s.len &&
        !(last == scr_node_first_child(q) && s.len == m)) {
      scr_node *t = scr_node_new_text(r->doc, s.ptr + s.len - m, m, scr_node_pos(last));
      if (!t) {
        r->failed = 1;
        return;
      }
      scr_node_set_text(last, s.ptr, s.len - m);
      scr_node_append(q, t);
    }
  }
}

static void element_end(rd *r) {
  el e = r->st[r->n - 1];
  if (e.what == E_HTEXT) {
    header_field(r, &e);
    if (e.hfield == H_DATE || e.hfield == H_SETDATE || e.hfield == H_ROLE) {
      xmlFree(r->hwhen);
      r->hwhen = NULL;
    }
  } else if (e.what == E_FW) {
    scr_str s = {r->text.data ? r->text.data + e.hstart : "", r->text.len - e.hstart};
    r->n--;
    scr_node *parent = tree_parent(r);
    if (r->n && name_is(r->st[r->n - 1].name, "text") && e.fw < 2) {
      /* the document's own layout (a byte order mark, leading blank lines) */
      if (add_layout(r, scr_doc_root(r->doc), e.fw ? SCR_ATTR_AFTER : SCR_ATTR_BEFORE,
                     s.ptr, s.len))
        r->failed = 1;
    } else if (e.fw == 0) {
      if (scr_buf_put(&r->before, s.ptr, s.len)) r->failed = 1;
    } else if (e.fw == 1) {
      scr_node *prev = scr_node_last_child(parent);
      if (prev && add_layout(r, prev, SCR_ATTR_AFTER, s.ptr, s.len)) r->failed = 1;
    } else {
      add_text(r, s.ptr, s.len);
    }
    r->text.len = e.hstart;
    return;
  } else if (e.what == E_CORR) {
    scr_str s = {r->text.data ? r->text.data + e.hstart : "", r->text.len - e.hstart};
    scr_node *c = tree_parent(r);
    if (scr_node_get_type(c) == SCR_NODE_CORRECTION &&
        scr_node_set_attr(r->doc, c, SCR_ATTR_CORRECTED, s.ptr, s.len))
      r->failed = 1;
    r->text.len = e.hstart;
  } else if (e.what == E_NODE) {
    if (!e.mixed) resolve_ws(r, e.node, 0);
    scr_buf_clear(&r->ws);
    if (scr_node_get_type(e.node) == SCR_NODE_QUOTE) split_marks(r, e.node);
    if (scr_node_get_type(e.node) == SCR_NODE_DATELINE) {
      /* a dateline's date is its first date's @when */
      for (scr_node *c = scr_node_first_child(e.node); c; c = scr_node_next(c)) {
        scr_str w = scr_node_attr(c, SCR_ATTR_WHEN);
        if (scr_node_get_type(c) != SCR_NODE_DATE || !w.len) continue;
        if (scr_node_set_attr(r->doc, e.node, SCR_ATTR_WHEN, w.ptr, w.len)) r->failed = 1;
        break;
      }
    }
  }
  if (e.slide) {
    xmlFree(r->slide_n);
    r->slide_n = NULL;
    r->slide_fig = NULL;
    xmlFree(r->slide_url); /* a graphic without a caption: no FIGURE to hold it */
    r->slide_url = NULL;
  }
  if (e.what == E_OTHER && !e.mixed && r->in_text && !name_is(e.name, "text")) {
    /* the end of body, text, list or a div the writer added: whitespace
     * here is the previous node's AFTER (a BEFORE is always followed by a
     * start tag, never by an end tag) */
    resolve_ws(r, tree_parent(r), 0);
  }
  if (name_is(e.name, "text")) scr_buf_clear(&r->ws); /* the header's indentation */
  r->n--;
}

static void char_data(rd *r, const char *s, size_t len) {
  if (!r->n) return;
  el *e = &r->st[r->n - 1];
  if (e->what == E_SKIP) return;
  if (e->what == E_HTEXT || e->what == E_FW || e->what == E_CORR) {
    if (scr_buf_put(&r->text, s, len)) r->failed = 1;
    return;
  }
  /* inside an fw/corr/header field further up: collect */
  for (size_t i = r->n; i > 0; i--) {
    unsigned char w = r->st[i - 1].what;
    if (w == E_HTEXT || w == E_FW || w == E_CORR) {
      if (scr_buf_put(&r->text, s, len)) r->failed = 1;
      return;
    }
    if (w == E_NODE) break;
  }
  if (r->in_header || !r->in_text) return;
  if (!e->mixed && is_ws(s, len)) {
    if (scr_buf_put(&r->ws, s, len)) r->failed = 1;
    return;
  }
  if (!r->own) { /* TEI from elsewhere: its pretty-printing is not text */
    scr_buf tmp = {0};
    int sp = 0;
    for (size_t i = 0; i < len; i++) {
      char c = s[i];
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
        sp = 1;
        continue;
      }
      if ((sp && scr_buf_putc(&tmp, ' ')) || scr_buf_putc(&tmp, c)) r->failed = 1;
      sp = 0;
    }
    if (sp && scr_buf_putc(&tmp, ' ')) r->failed = 1;
    if (tmp.len) add_text(r, tmp.data, tmp.len);
    scr_buf_free(&tmp);
    return;
  }
  add_text(r, s, len);
}

/* ---- the document ------------------------------------------------------------- */

static void on_error(void *user, xmlErrorPtr err) {
  rd *r = user;
  if (!err || r->errored || err->level < XML_ERR_ERROR) return;
  r->errored = 1;
  size_t len = err->message ? strlen(err->message) : 0;
  while (len && (err->message[len - 1] == '\n' || err->message[len - 1] == ' ')) len--;
  scr_diag_report(r->diag, SCR_ERROR, (scr_pos){err->line > 0 ? (uint32_t)err->line : 0, 0, 0},
                  "xml", "not well-formed XML: %.*s", (int)len, err->message ? err->message : "");
}

/* A DOCTYPE with an internal subset that declares entities (a billion
 * laughs, an external entity) is refused before libxml2 sees it. */
static int refuse_doctype(const char *s, size_t len, scr_diag *diag) {
  const char *end = s + len, *p = s;
  while (p < end) {
    const char *lt = memchr(p, '<', (size_t)(end - p));
    if (!lt || end - lt < 2) return 0;
    if (lt[1] == '?' || (end - lt >= 4 && !memcmp(lt, "<!--", 4))) {
      const char *close = NULL;
      for (const char *q = lt + 2; q + 1 < end; q++)
        if (*q == '>' && (lt[1] == '?' ? q[-1] == '?' : q - lt >= 5 && q[-1] == '-' && q[-2] == '-')) {
          close = q;
          break;
        }
      if (!close) return 0;
      p = close + 1;
      continue;
    }
    if (end - lt >= 9 && !memcmp(lt, "<!DOCTYPE", 9)) {
      for (const char *q = lt; q + 8 <= end; q++)
        if (!memcmp(q, "<!ENTITY", 8)) {
          int line = 1;
          for (const char *c = s; c < q; c++) line += *c == '\n';
          scr_diag_report(diag, SCR_ERROR, (scr_pos){(uint32_t)line, 0, 0}, "xml-entity",
                          "the DOCTYPE declares entities; refused (no entity is "
                          "expanded or loaded)");
          return 1;
        }
      return 0;
    }
    return 0; /* the root element: no DOCTYPE */
  }
  return 0;
}

static void place_holders(rd *r) {
  scr_node *root = scr_doc_root(r->doc);
  /* media lines stand after the leading titles, the footer at the end */
  scr_node *at = scr_node_first_child(root);
  while (at && scr_node_get_type(at) == SCR_NODE_TITLE) at = scr_node_next(at);
  size_t i = 0;
  for (scr_node *m = scr_node_first_child(r->media); m; i++) {
    scr_node *next = scr_node_next(m);
    scr_node_unlink(m);
    if (i < r->nmeasures && r->measures[i]) {
      const char *v = r->measures[i];
      if (v[0] == '~') set_attr_z(r, m, SCR_ATTR_DURATION, v + 1);
      else set_attr_z(r, m, SCR_ATTR_COUNT, v);
    }
    if (at) scr_node_insert_before(at, m);
    else scr_node_append(root, m);
    m = next;
  }
  for (scr_node *f = scr_node_first_child(r->footer); f;) {
    scr_node *next = scr_node_next(f);
    scr_node_unlink(f);
    scr_node_append(root, f);
    f = next;
  }
}

int tei_read(scr_doc *doc, const scr_input *in, const scr_options *opts, scr_diag *diag) {
  (void)opts;
  if (tei_init()) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    return -1;
  }
  if (in->len > (size_t)0x7fffffff) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "too-large",
                    "the TEI file is larger than 2 GiB");
    return -1;
  }
  if (refuse_doctype(in->data, in->len, diag)) return -1;
  rd r;
  memset(&r, 0, sizeof r);
  r.doc = doc;
  r.diag = diag;
  /* Scriptorium's own TEI is known before its header is read: fileDesc,
   * read exactly, comes before the appInfo that names the application */
  {
    static const char mark[] = "ident=\"scriptorium\"";
    r.own = memmem(in->data, in->len, mark, sizeof mark - 1) != NULL;
    r.parla = r.own && memmem(in->data, in->len, TEI_PARLA_MARK, sizeof TEI_PARLA_MARK - 1);
  }
  r.media = scr_node_new(doc, SCR_NODE_DOCUMENT, (scr_pos){0, 0, 0});
  r.footer = scr_node_new(doc, SCR_NODE_DOCUMENT, (scr_pos){0, 0, 0});
  if (!r.media || !r.footer) return -1;
  r.x = xmlReaderForMemory(in->data, (int)in->len, NULL, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOWARNING);
  if (!r.x) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "xml", "cannot start the XML reader");
    return -1;
  }
  xmlTextReaderSetStructuredErrorHandler(r.x, on_error, &r);
  /* Nothing is loaded (no DTD, no entity, no XInclude): the entity loader
   * refuses anything while this file is read, should libxml2 ask. */
  tei_io_scope scope = {.deny_all = "nothing is loaded while TEI is read", .diag = diag};
  tei_io_scope *prev_scope = tei_io_enter(&scope);
  int rc = 0, depth_error = 0;
  while (!r.failed && !r.errored && (rc = xmlTextReaderRead(r.x)) == 1) {
    int type = xmlTextReaderNodeType(r.x);
    if (type == XML_READER_TYPE_ELEMENT) {
      if (r.n >= MAX_DEPTH) {
        scr_diag_report(diag, SCR_ERROR, here(&r), "too-deep",
                        "elements nested deeper than %d; refused", MAX_DEPTH);
        depth_error = 1;
        break;
      }
      const xmlChar *name = xmlTextReaderConstLocalName(r.x);
      const xmlChar *ns = xmlTextReaderConstNamespaceUri(r.x);
      int empty = xmlTextReaderIsEmptyElement(r.x);
      /* NULL names: libxml2 could not enter them in its dictionary */
      xmlNodePtr cur = xmlTextReaderCurrentNode(r.x);
      if (!name || (!ns && cur && cur->ns && cur->ns->href)) {
        r.failed = 1;
        break;
      }
      el *e = push(&r);
      if (!e) break;
      e->name = name;
      e->tag = (unsigned char)tei_element_lookup((const char *)name);
      if (r.n == 1 && !name_is(name, "TEI") && !name_is(name, "teiCorpus")) {
        scr_diag_report(diag, SCR_ERROR, here(&r), "not-tei",
                        "the root element is <%s>, not <TEI> or <teiCorpus>: not a "
                        "TEI document", (const char *)name);
        r.errored = 1;
        break;
      }
      if (ns && name_is(ns, XI_NS)) {
        char *href = get_attr(&r, "href");
        scr_diag_report(diag, SCR_WARNING, here(&r), "tei-xinclude",
                        "the text of this corpus member is included from '%s', "
                        "which is not read: convert the member files themselves",
                        href ? href : "");
        xmlFree(href);
        e->what = E_SKIP;
      } else if (ns && !name_is(ns, TEI_NS)) {
        warn_unknown(&r, name);
      } else if (name_is(name, "teiCorpus")) {
        e->mixed = 0;
        r.in_corpus = 1;
      } else if (name_is(name, "TEI")) {
        r.saw_tei = 1;
        r.corpus_members++;
        e->mixed = 0;
        char *lang = get_attr(&r, "xml:lang");
        if (lang && *lang && r.corpus_members == 1)
          set_meta(&r, SCR_META_LANGUAGE, lang, strlen(lang));
        xmlFree(lang);
      } else if (name_is(name, "teiHeader")) {
        r.in_header = 1;
        e->mixed = 1;
      } else if (r.in_header) {
        header_start(&r, e);
      } else {
        if (name_is(name, "text")) r.in_text = 1;
        text_start(&r, e);
      }
      if (empty) element_end(&r);
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
      const xmlChar *name = xmlTextReaderConstLocalName(r.x);
      if (!name) {
        r.failed = 1;
        break;
      }
      if (r.n) element_end(&r);
      if (name_is(name, "teiHeader")) r.in_header = 0;
      else if (name_is(name, "text")) r.in_text = 0;
      else if (name_is(name, "front")) r.in_front = 0;
      else if (name_is(name, "back")) r.in_back = 0;
    } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
               type == XML_READER_TYPE_WHITESPACE ||
               type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
      const xmlChar *v = xmlTextReaderConstValue(r.x);
      if (v) char_data(&r, (const char *)v, strlen((const char *)v));
    } else if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
      scr_diag_report(diag, SCR_ERROR, here(&r), "xml-entity",
                      "entity reference '&%s;' refused", xmlTextReaderConstName(r.x));
      r.errored = 1;
    }
  }
  /* The reader stopped on an error it reported to no handler (libxml2 says
   * "out of memory" to standard error only): never taken for the end. */
  if (rc < 0 && !r.failed && !r.errored && !depth_error) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "xml",
                    "the XML reader failed (out of memory?)");
    r.errored = 1;
  }
  xmlFreeTextReader(r.x);
  tei_io_leave(prev_scope);
  int ok = !r.failed && !r.errored && !depth_error && !scope.refused;
  if (ok && !r.saw_tei) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){1, 0, 0}, "not-tei",
                    "no <TEI> or <teiCorpus> element: not a TEI document");
    ok = 0;
  }
  if (ok) place_holders(&r);
  if (r.failed)
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory reading TEI");
  if (ok && r.in_corpus)
    scr_diag_report(diag, SCR_NOTE, (scr_pos){0, 0, 0}, "tei-corpus",
                    "a teiCorpus of %d documents: read as one document, each "
                    "member's body a section",
                    r.corpus_members);
  for (size_t i = 0; i < r.nmeasures; i++) free(r.measures[i]);
  free(r.measures);
  xmlFree(r.term_type);
  xmlFree(r.idno_type);
  xmlFree(r.hwhen);
  xmlFree(r.hcert);
  xmlFree(r.slide_n);
  xmlFree(r.slide_url);
  xmlFree(r.term_ref);
  free(r.st);
  scr_buf_free(&r.ws);
  scr_buf_free(&r.before);
  scr_buf_free(&r.text);
  if (ok && !scr_doc_meta(doc, SCR_META_FORMAT).len) set_meta(&r, SCR_META_FORMAT, "tei", 3);
  if (ok && !scr_doc_meta(doc, SCR_META_SOURCE).len && in->path)
    set_meta(&r, SCR_META_SOURCE, in->path, strlen(in->path));
  if (ok && !r.have_id && in->path) {
    const char *b = strrchr(in->path, '/');
    b = b ? b + 1 : in->path;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
    if (n) set_meta(&r, SCR_META_ID, b, n);
  }
  return ok ? 0 : -1;
}
