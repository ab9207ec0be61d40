/* header.c - teiHeader: a document's (titleStmt, publicationStmt, the
 * reader's notes, sourceDesc, encodingDesc, profileDesc) and the persons it
 * lists, which a corpus gathers from every document. encodingDesc's
 * constant prose is encoding.xml, compiled in (cmake/ScriptoriumEmbed.cmake). */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parla.h"
#include "state.h"

/* encoding.xml (cmake/ScriptoriumEmbed.cmake) */
extern const char tei_encoding_data[];
extern const size_t tei_encoding_size;

const char *const tei_attribution_methods[] = {
    SCR_METHOD_LABEL, SCR_METHOD_NAME, SCR_METHOD_EPITHET, SCR_METHOD_PRONOUN,
    SCR_METHOD_CONTEXT, NULL};

/* ---- persons ---------------------------------------------------------------- */

tei_person *tei_people_get(tei_people *p, scr_str id) {
  size_t i;
  if (tei_set_get(&p->index, id.ptr, id.len, &i)) return &p->recs[i];
  if (p->ids.count == p->cap) {
    size_t cap = p->cap ? 2 * p->cap : 16;
    tei_person *grown = realloc(p->recs, cap * sizeof *grown);
    if (!grown) return NULL;
    p->recs = grown;
    p->cap = cap;
  }
  i = p->ids.count;
  /* zeroed first: when the id was listed but not indexed (out of memory),
   * tei_people_free still frees every listed id's record */
  memset(&p->recs[i], 0, sizeof p->recs[i]);
  if (tei_list_add(&p->ids, id.ptr, id.len) != 1 ||
      tei_set_put(&p->index, id.ptr, id.len, i) != 1)
    return NULL;
  return &p->recs[i];
}

void tei_people_free(tei_people *p) {
  for (size_t i = 0; i < p->ids.count; i++) {
    tei_list_free(&p->recs[i].names);
    for (size_t k = 0; p->recs[i].role_when && k < p->recs[i].roles.count; k++)
      free(p->recs[i].role_when[k]);
    free(p->recs[i].role_when);
    tei_list_free(&p->recs[i].roles);
    tei_list_free(&p->recs[i].idnos);
    free(p->recs[i].nationality);
    free(p->recs[i].event_role);
  }
  free(p->recs);
  tei_list_free(&p->ids);
  tei_set_free(&p->index);
  memset(p, 0, sizeof *p);
}

int tei_person_add_role(tei_person *r, scr_str role, scr_str when) {
  int added = tei_list_add(&r->roles, role.ptr, role.len);
  if (added < 0) return -1;
  if (added) { /* role_when grows with roles, one for one */
    char **g = realloc(r->role_when, r->roles.count * sizeof *g);
    if (!g) {
      tei_list_free(&r->roles); /* not one for one any more: drop both */
      free(r->role_when);
      r->role_when = NULL;
      return -1;
    }
    r->role_when = g;
    g[r->roles.count - 1] = NULL;
  }
  if (!when.len) return 0;
  size_t i = 0;
  while (strlen(r->roles.items[i]) != role.len || memcmp(r->roles.items[i], role.ptr, role.len))
    i++;
  if (!r->role_when[i] && !(r->role_when[i] = strndup(when.ptr, when.len))) return -1;
  return 0;
}

int tei_person_add_idno(tei_person *r, scr_str type, scr_str value) {
  if (!type.len || !value.len) return 0;
  char *both = malloc(type.len + value.len + 2);
  if (!both) return -1;
  memcpy(both, type.ptr, type.len);
  both[type.len] = '\t';
  memcpy(both + type.len + 1, value.ptr, value.len);
  int rc = tei_list_add(&r->idnos, both, type.len + value.len + 1);
  free(both);
  return rc < 0 ? -1 : 0;
}

/* Looks at the whole tree once: the quote ids it defines, and every person
 * it describes or refers to (added to `ppl`). */
void tei_survey(tei_writer *t, const scr_doc *doc, tei_people *ppl) {
  for (size_t i = 0; i < scr_doc_person_count(doc); i++) {
    const scr_person *sp = scr_doc_person_at(doc, i);
    tei_person *r = tei_people_get(ppl, scr_person_id(sp));
    if (!r) {
      t->e.failed = 1;
      continue;
    }
    for (size_t k = 0; k < scr_person_name_count(sp); k++) {
      scr_str s = scr_person_name(sp, k);
      if (tei_list_add(&r->names, s.ptr, s.len) < 0) t->e.failed = 1;
    }
    for (size_t k = 0; k < scr_person_role_count(sp); k++) {
      scr_str s = scr_person_role(sp, k), when = scr_person_role_when(sp, k);
      if (tei_person_add_role(r, s, when)) t->e.failed = 1;
    }
    for (size_t k = 0; k < scr_person_idno_count(sp); k++)
      if (tei_person_add_idno(r, scr_person_idno_type(sp, k), scr_person_idno_value(sp, k)))
        t->e.failed = 1;
    scr_str nat = scr_person_nationality(sp);
    if (nat.len && !r->nationality && !(r->nationality = strndup(nat.ptr, nat.len)))
      t->e.failed = 1;
    r->participation = (int)scr_person_participation(sp);
    scr_str er = scr_person_event_role(sp);
    if (er.len && !r->event_role && !(r->event_role = strndup(er.ptr, er.len)))
      t->e.failed = 1;
  }
  scr_iter it;
  scr_event ev;
  size_t nosaid = 0; /* open dates, times and datelines: no said there */
  scr_iter_init(&it, scr_doc_root(doc));
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    scr_node_type ty = scr_node_get_type(scr_iter_node(&it));
    int blocks_said = ty == SCR_NODE_DATE || ty == SCR_NODE_TIME || ty == SCR_NODE_DATELINE;
    if (ev != SCR_EVENT_ENTER) {
      if (blocks_said) nosaid--;
      continue;
    }
    if (blocks_said) nosaid++;
    if (ty == SCR_NODE_QUOTE && !nosaid) {
      scr_str id = scr_node_attr(scr_iter_node(&it), SCR_ATTR_ID);
      if (id.len && tei_set_add(&t->quote_ids, id.ptr, id.len) < 0) t->e.failed = 1;
    }
    scr_str who = scr_node_attr(scr_iter_node(&it), SCR_ATTR_WHO);
    if (who.len && !tei_people_get(ppl, who)) t->e.failed = 1;
  }
}

/* Whether r belongs in the list `which` (tei_write_list_person). */
static int listed(const tei_person *r, int which) {
  if (which < 0) return 1;
  int mentioned = r->participation == SCR_PARTICIPATION_MENTIONED;
  return which == SCR_PARTICIPATION_MENTIONED ? mentioned : !mentioned;
}

/* The offices of r: in a document (which >= 0) dated where the document
 * gives them a date (the office a speaker label gives, on the document's
 * date); in a corpus header undated, the offices of every document. With
 * `dated_only`, only the dated ones (a corpus member's: the undated are
 * the corpus header's). */
static void write_offices(tei_writer *t, const tei_person *r, int which, int dated_only) {
  for (size_t k = 0; k < r->roles.count; k++) {
    const char *when = which >= 0 && r->role_when ? r->role_when[k] : NULL;
    if (dated_only && !when) continue;
    if (t->parla && tei_parla_affiliation(t, r->roles.items[k], when)) continue;
    open_el(t, TEI_EL_OCCUPATION);
    if (when) attrz(t, "when", when);
    put_text(t, r->roles.items[k], strlen(r->roles.items[k]));
    close_el(t);
  }
}

void tei_write_list_person(tei_writer *t, const tei_people *p, int which, int refs) {
  size_t n = 0;
  for (size_t i = 0; i < p->ids.count; i++) n += listed(&p->recs[i], which);
  if (!n) return;
  /* type="participants" only when each was said to take part (a tree no
   * participants transform ran over says nothing: the list is untyped) */
  size_t said = 0;
  for (size_t i = 0; i < p->ids.count; i++)
    said += which == SCR_PARTICIPATION_PARTICIPANT &&
            p->recs[i].participation == SCR_PARTICIPATION_PARTICIPANT;
  open_el(t, TEI_EL_LISTPERSON);
  if (which == SCR_PARTICIPATION_MENTIONED) attrz(t, "type", "mentioned");
  else if (which == SCR_PARTICIPATION_PARTICIPANT && said == n) attrz(t, "type", "participants");
  for (size_t i = 0; i < p->ids.count; i++) {
    const tei_person *r = &p->recs[i];
    if (!listed(r, which)) continue;
    scr_str id = {p->ids.items[i], strlen(p->ids.items[i])};
    open_el(t, TEI_EL_PERSON);
    if (refs) {
      tei_attr_ref(t, "sameAs", NULL, id);
    } else {
      tei_attr_id(t, NULL, id);
    }
    if (which >= 0 && r->event_role) attrz(t, "role", r->event_role);
    if (refs) {
      write_offices(t, r, which, 1);
      close_el(t);
      continue;
    }
    for (size_t k = 0; k < r->names.count; k++) leafz(t, TEI_EL_PERSNAME, r->names.items[k]);
    write_offices(t, r, which, 0);
    if (r->nationality) leafz(t, TEI_EL_NATIONALITY, r->nationality);
    for (size_t k = 0; k < r->idnos.count; k++) {
      const char *both = r->idnos.items[k], *tab = strchr(both, '\t');
      open_el(t, TEI_EL_IDNO);
      attr(t, "type", both, (size_t)(tab - both));
      put_text(t, tab + 1, strlen(tab + 1));
      close_el(t);
    }
    close_el(t);
    if (!r->names.count)
      scr_diag_report(t->diag, SCR_WARNING, (scr_pos){0, 0, 0}, "unknown-person",
                      "person '%s' is referred to but no name of theirs is known; "
                      "listed without one",
                      id.ptr);
  }
  close_el(t);
}

/* The title as it shows: the metadata's, else the first title node's; its
 * ends trimmed of what is not written (see tei_emit_visible). */
static scr_str doc_title(const tei_writer *t, const scr_doc *doc, scr_buf *tmp) {
  scr_str title = tei_emit_visible(&t->e, scr_doc_meta(doc, SCR_META_TITLE));
  if (title.len) return title;
  for (scr_node *n = scr_node_first_child(scr_doc_root(doc)); n; n = scr_node_next(n))
    if (scr_node_get_type(n) == SCR_NODE_TITLE) {
      scr_buf_clear(tmp);
      if (scr_node_flatten(n, 0, tmp) == 0 && tmp->data) {
        title = tei_emit_visible(&t->e, (scr_str){tmp->data, tmp->len});
        if (title.len) return title;
      }
      break;
    }
  return SCR_STR_NULL;
}

static void write_timestamp(tei_writer *t) {
  const char *epoch = getenv("SOURCE_DATE_EPOCH");
  time_t now = epoch && *epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
  struct tm tm;
  char when[32];
  if (!gmtime_r(&now, &tm) || !strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm))
    return;
  open_el(t, TEI_EL_DATE);
  attrz(t, "when", when);
  attrz(t, "type", "conversion");
  put_text(t, when, strlen(when));
  close_el(t);
}

/* Whether the document was read from a transcript, whose reader judges
 * the publisher and the setting rather than reading them. */
static int is_from_text(const scr_doc *doc) {
  scr_str f = scr_doc_meta(doc, SCR_META_FORMAT);
  return f.len == 4 && !memcmp(f.ptr, "text", 4);
}

/* An inference of the converter's, said to be one. */
static void inferred(tei_writer *t, const char *cert) {
  attrz(t, "resp", "#" APP_ID);
  attrz(t, "cert", cert);
}

/* A value the converter inferred (scr_doc_meta_cert): said so, with how
 * sure, never as the source's word. */
static void inferred_meta(tei_writer *t, const scr_doc *doc, scr_meta key) {
  scr_str cert = scr_doc_meta_cert(doc, key);
  if (!cert.len) return;
  attrz(t, "resp", "#" APP_ID);
  attr(t, "cert", cert.ptr, cert.len);
}

void tei_write_publication(tei_writer *t, const scr_doc *doc) {
  open_el(t, TEI_EL_PUBLICATIONSTMT);
  leafz(t, TEI_EL_AUTHORITY, "Scriptorium");
  if (t->timestamp) write_timestamp(t);
  open_el(t, TEI_EL_AVAILABILITY);
  /* the source's licence as the user gave it, verbatim (read back); one
   * the converter inferred (the site's, for a known publisher: the
   * provenance transform) is said to be the site's statement */
  scr_str licence = doc ? scr_doc_meta(doc, SCR_META_LICENCE) : SCR_STR_NULL;
  if (licence.len) {
    open_el(t, TEI_EL_LICENCE);
    if (tei_is_uri(licence)) attr(t, "target", licence.ptr, licence.len);
    inferred_meta(t, doc, SCR_META_LICENCE);
    if (scr_doc_meta_cert(doc, SCR_META_LICENCE).len) {
      leafz(t, TEI_EL_P, "The licence the site of its publisher states for its content (see "
                         "the conversion notes): the site's statement, not this file's grant.");
    } else {
      texts(t, licence);
    }
    close_el(t);
  }
  leafz(t, TEI_EL_P, "A conversion, not a publication: the rights in the text are "
               "those of its source (see sourceDesc).");
  close_el(t);
  close_el(t);
}

/* The count or duration of a media line, as in "  • 6" or "- 6:46". */
static scr_str media_value(const scr_node *m, scr_buf *tmp) {
  scr_buf_clear(tmp);
  if (scr_node_flatten(m, 0, tmp) || !tmp->data) return SCR_STR_NULL;
  scr_str s = {tmp->data, tmp->len};
  for (;;) {
    s = trim(s);
    if (s.len >= 3 && memcmp(s.ptr, "\xE2\x80\xA2", 3) == 0) s.ptr += 3, s.len -= 3;
    else if (s.len && (s.ptr[0] == '-' || s.ptr[0] == '*')) s.ptr++, s.len--;
    else break;
  }
  return s;
}

/* The publisher's editorial marks in the text, whose @resp is the
 * publisher's respStmt: 1 [insertions], 2 omissions (<…>), or both. */
enum { MARK_INSERTION = 1, MARK_OMISSION = 2 };
static int publisher_marks(const scr_doc *doc) {
  scr_iter it;
  scr_event ev;
  int marks = 0;
  scr_iter_init(&it, scr_doc_root(doc));
  while (marks != (MARK_INSERTION | MARK_OMISSION) && (ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    if (ev != SCR_EVENT_ENTER) continue;
    const scr_node *n = scr_iter_node(&it);
    scr_node_type ty = scr_node_get_type(n);
    scr_str kind = ty == SCR_NODE_NOTE ? scr_node_attr(n, SCR_ATTR_KIND) : SCR_STR_NULL;
    if (ty == SCR_NODE_INSERTION) marks |= MARK_INSERTION;
    else if (kind.len == 8 && memcmp(kind.ptr, "omission", 8) == 0) marks |= MARK_OMISSION;
  }
  return marks;
}

/* What the dateline says: whether it holds a date, and the place's name.
 * A setting it does not give was found in the running text (seed 001's
 * "Russia", from "a budget process is nearing completion in Russia"). */
static void dateline_gives(tei_writer *t, const scr_doc *doc, scr_str place, int *has_place,
                           int *has_date) {
  scr_buf tmp = {0};
  scr_iter it;
  scr_event ev;
  *has_place = *has_date = 0;
  scr_iter_init(&it, scr_doc_root(doc));
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    scr_node *n = scr_iter_node(&it);
    if (ev != SCR_EVENT_ENTER) continue;
    scr_node_type ty = scr_node_get_type(n);
    /* a dateline is a block of the document or of a section: nothing
     * else is looked into */
    if (ty != SCR_NODE_DATELINE) {
      if (ty != SCR_NODE_DOCUMENT && ty != SCR_NODE_SECTION) scr_iter_skip_children(&it);
      continue;
    }
    scr_buf_clear(&tmp);
    /* out of memory fails the document rather than mark a printed place
     * as inferred */
    if (place.len && scr_node_flatten(n, 0, &tmp) != 0) t->e.failed = 1;
    else if (place.len && tmp.data && memmem(tmp.data, tmp.len, place.ptr, place.len))
      *has_place = 1;
    for (scr_node *c = scr_node_first_child(n); c; c = scr_node_next(c))
      if (scr_node_get_type(c) == SCR_NODE_DATE) *has_date = 1;
    scr_iter_skip_children(&it);
  }
  scr_buf_free(&tmp);
}

/* The words the text prints for the document's date: the first DATE of
 * its value ("December 14, 2012" of the dateline, seed 001's "15
 * September"), as it shows; empty when none (or the date is no W3C date,
 * which is written as it is). Looked for once per header, in `words`. */
static scr_str doc_date_words(tei_writer *t, const scr_doc *doc, scr_buf *words) {
  scr_str date = scr_doc_meta(doc, SCR_META_DATE);
  if (!date.len || !tei_is_w3c_temporal(date.ptr, date.len)) return SCR_STR_NULL;
  scr_iter it;
  scr_event ev;
  scr_iter_init(&it, scr_doc_root(doc));
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    scr_node *n = scr_iter_node(&it);
    if (ev != SCR_EVENT_ENTER || scr_node_get_type(n) != SCR_NODE_DATE) continue;
    scr_str w = scr_node_attr(n, SCR_ATTR_WHEN);
    if (w.len != date.len || memcmp(w.ptr, date.ptr, w.len) != 0) continue;
    if (scr_node_flatten(n, 0, words) != 0) t->e.failed = 1;
    break;
  }
  return tei_emit_visible(&t->e, (scr_str){words->data, words->len});
}

/* The document's date: @when, and as content the words printed for it
 * where there are some, else the value. A value that is no W3C date is the
 * content as it is (read back from the content; our own @when is read back
 * instead of the words). */
static void put_doc_date(tei_writer *t, scr_str date, scr_str words) {
  if (tei_is_w3c_temporal(date.ptr, date.len)) attr(t, "when", date.ptr, date.len);
  texts(t, words.len ? words : date);
}

/* sourceDesc: the bibl of the source, and the persons it only mentions
 * (docs/tei.md, "Persons"). */
static void write_source(tei_writer *t, const scr_doc *doc, scr_str date_words,
                         const tei_people *ppl, int in_corpus) {
  scr_buf tmp = {0};
  open_el(t, TEI_EL_SOURCEDESC);
  open_el(t, TEI_EL_BIBL);
  scr_str meta_title = scr_doc_meta(doc, SCR_META_TITLE);
  if (tei_emit_visible(&t->e, meta_title).len)
    leaf(t, TEI_EL_TITLE, meta_title.ptr, meta_title.len);
  scr_str publisher = scr_doc_meta(doc, SCR_META_PUBLISHER);
  if (publisher.len) {
    /* A transcript does not name its publisher: the text reader judges it
     * from the layout's conventions. Said so, never as the source's word. */
    open_el(t, TEI_EL_PUBLISHER);
    if (is_from_text(doc)) inferred(t, "medium");
    texts(t, publisher);
    close_el(t);
  }
  scr_str date = scr_doc_meta(doc, SCR_META_DATE);
  if (date.len) {
    int has_place, date_printed = 1;
    if (is_from_text(doc)) dateline_gives(t, doc, SCR_STR_NULL, &has_place, &date_printed);
    open_el(t, TEI_EL_DATE);
    if (!date_printed) inferred(t, "medium");
    put_doc_date(t, date, date_words);
    close_el(t);
  }
  scr_str source = scr_doc_meta(doc, SCR_META_SOURCE);
  if (!t->source_as_given) source = base_name(source);
  if (source.len) {
    open_el(t, TEI_EL_IDNO);
    attrz(t, "type", "file");
    put_text(t, source.ptr, source.len);
    close_el(t);
  }
  scr_str id = scr_doc_meta(doc, SCR_META_ID);
  if (id.len) {
    open_el(t, TEI_EL_IDNO);
    attrz(t, "type", "id");
    put_text(t, id.ptr, id.len);
    close_el(t);
  }
  scr_str url = scr_doc_meta(doc, SCR_META_URL);
  if (url.len) {
    /* a link only to an address the user or the source gave, not to one
     * the converter derived */
    if (tei_is_uri(url) && !scr_doc_meta_cert(doc, SCR_META_URL).len) {
      open_el(t, TEI_EL_REF);
      attr(t, "target", url.ptr, url.len);
      texts(t, url);
      close_el(t);
    }
    open_el(t, TEI_EL_IDNO);
    attrz(t, "type", "URI");
    inferred_meta(t, doc, SCR_META_URL);
    texts(t, url);
    close_el(t);
  }
  scr_str retrieved = scr_doc_meta(doc, SCR_META_RETRIEVED);
  if (retrieved.len) {
    open_el(t, TEI_EL_DATE);
    attrz(t, "type", "retrieved");
    if (tei_is_w3c_temporal(retrieved.ptr, retrieved.len))
      attr(t, "when", retrieved.ptr, retrieved.len);
    texts(t, retrieved);
    close_el(t);
  }
  scr_str sha = scr_doc_meta(doc, SCR_META_SHA256);
  if (sha.len) {
    open_el(t, TEI_EL_IDNO);
    attrz(t, "type", "sha256");
    texts(t, sha);
    close_el(t);
  }
  int extent = 0;
  for (scr_node *m = scr_node_first_child(scr_doc_root(doc)); m; m = scr_node_next(m)) {
    if (scr_node_get_type(m) != SCR_NODE_MEDIA) continue;
    if (!extent++) open_el(t, TEI_EL_EXTENT);
    scr_str count = scr_node_attr(m, SCR_ATTR_COUNT);
    scr_str dur = scr_node_attr(m, SCR_ATTR_DURATION);
    scr_str shown = media_value(m, &tmp);
    open_el(t, TEI_EL_MEASURE);
    attrz(t, "type", "media");
    if (is_digits(count)) {
      attr(t, "quantity", count.ptr, count.len);
      put_text(t, shown.len ? shown.ptr : count.ptr, shown.len ? shown.len : count.len);
    } else if (dur.len && tei_is_duration(dur.ptr, dur.len)) {
      open_el(t, TEI_EL_TIME);
      attr(t, "dur-iso", dur.ptr, dur.len);
      texts(t, shown);
      close_el(t);
    } else {
      texts(t, shown);
    }
    close_el(t);
  }
  if (extent) close_el(t);
  scr_str citation = scr_doc_meta(doc, SCR_META_CITATION);
  if (citation.len) {
    open_el(t, TEI_EL_NOTE);
    attrz(t, "type", "citation");
    texts(t, citation);
    close_el(t);
  }
  scr_str footer = scr_doc_meta(doc, SCR_META_FOOTER);
  if (footer.len) {
    open_el(t, TEI_EL_NOTE);
    attrz(t, "type", "footer");
    texts(t, footer);
    close_el(t);
  }
  close_el(t); /* bibl */
  tei_write_list_person(t, ppl, SCR_PARTICIPATION_MENTIONED, in_corpus);
  close_el(t); /* sourceDesc */
  scr_buf_free(&tmp);
}

/* The reader's conversion notes. */
static void write_notes(tei_writer *t, const scr_doc *doc) {
  size_t n = scr_doc_note_count(doc);
  if (!n) return;
  open_el(t, TEI_EL_NOTESSTMT);
  for (size_t i = 0; i < n; i++) {
    scr_str s = scr_doc_note(doc, i);
    open_el(t, TEI_EL_NOTE);
    attrz(t, "type", "conversion");
    texts(t, s);
    close_el(t);
  }
  close_el(t);
}

/* encodingDesc: what the conversion did, the same for every document
 * written with the same options. */
void tei_write_encoding(tei_writer *t, const tei_list *formats) {
  open_el(t, TEI_EL_ENCODINGDESC);
  open_el(t, TEI_EL_APPINFO);
  open_el(t, TEI_EL_APPLICATION);
  attrz(t, "xml:id", APP_ID);
  attrz(t, "ident", "scriptorium");
  attrz(t, "version", TEI_PLUGIN_VERSION);
  leafz(t, TEI_EL_LABEL, "Scriptorium");
  open_el(t, TEI_EL_P);
  put_text(t, "Converted with these options: ", 30);
  open_el(t, TEI_EL_LIST);
  attrz(t, "type", "options");
  for (size_t i = 0; i < scr_options_count(t->opts); i++) {
    const char *name = scr_options_name(t->opts, i);
    const char *value = scr_options_value(t->opts, i);
    if (!tei_option_recorded(name, value)) continue;
    open_el(t, TEI_EL_ITEM);
    attrz(t, "n", name);
    if (value) put_text(t, value, strlen(value));
    close_el(t);
  }
  close_el(t);
  close_el(t);
  for (size_t i = 0; i < formats->count; i++) {
    open_el(t, TEI_EL_P);
    put_text(t, "Read from the format ", 21);
    put_text(t, formats->items[i], strlen(formats->items[i]));
    put_text(t, ".", 1);
    close_el(t);
  }
  close_el(t); /* application */
  close_el(t); /* appInfo */

  /* editorialDecl and classDecl: the same in every document */
  tei_emit_fragment(&t->e, tei_encoding_data, tei_encoding_size);
  close_el(t); /* encodingDesc */
}

/* The source's subject terms (a page's tags): textClass/keywords/term,
 * the source's vocabulary as @type, the term's URI as @ref. */
static void write_keywords(tei_writer *t, const scr_doc *doc) {
  size_t n = scr_doc_keyword_count(doc);
  if (!n) return;
  open_el(t, TEI_EL_TEXTCLASS);
  open_el(t, TEI_EL_KEYWORDS);
  for (size_t i = 0; i < n; i++) {
    scr_str scheme = scr_doc_keyword_scheme(doc, i), term = scr_doc_keyword_term(doc, i),
            ref = scr_doc_keyword_ref(doc, i);
    open_el(t, TEI_EL_TERM);
    if (scheme.len) attr(t, "type", scheme.ptr, scheme.len);
    if (ref.len && tei_is_uri(ref)) attr(t, "ref", ref.ptr, ref.len);
    texts(t, term);
    close_el(t);
  }
  close_el(t);
  close_el(t);
}

static void write_setting(tei_writer *t, const scr_doc *doc, scr_str date_words) {
  scr_str place = scr_doc_meta(doc, SCR_META_PLACE);
  scr_str date = scr_doc_meta(doc, SCR_META_DATE);
  scr_str time_of_day = scr_doc_meta(doc, SCR_META_TIME);
  if (!tei_emit_keeps(&t->e, place)) place.len = 0; /* all dropped: reads back as none */
  if (!place.len && !date.len && !time_of_day.len) return;
  int place_printed = 1, date_printed = 1;
  if (is_from_text(doc)) dateline_gives(t, doc, place, &place_printed, &date_printed);
  open_el(t, TEI_EL_SETTINGDESC);
  open_el(t, TEI_EL_SETTING);
  if (place.len) {
    open_el(t, TEI_EL_PLACENAME);
    if (!place_printed) inferred(t, "low");
    texts(t, place);
    close_el(t);
  }
  if (date.len) {
    open_el(t, TEI_EL_DATE);
    if (!date_printed) inferred(t, "medium");
    put_doc_date(t, date, date_words);
    close_el(t);
  }
  if (time_of_day.len) {
    char when[16];
    open_el(t, TEI_EL_TIME);
    if (time_of_day.len == 5 && time_of_day.ptr[2] == ':') {
      snprintf(when, sizeof when, "%.5s:00", time_of_day.ptr);
      if (tei_is_w3c_temporal(when, 8)) attrz(t, "when", when);
    }
    texts(t, time_of_day);
    close_el(t);
  }
  close_el(t);
  close_el(t);
}

static void write_language(tei_writer *t, const scr_doc *doc) {
  scr_str lang = scr_doc_meta(doc, SCR_META_LANGUAGE);
  if (!is_language(lang)) lang = (scr_str){"en", 2};
  open_el(t, TEI_EL_LANGUSAGE);
  open_el(t, TEI_EL_LANGUAGE);
  attr(t, "ident", lang.ptr, lang.len);
  const char *name = tei_language_name(lang.ptr, lang.len);
  if (name) put_text(t, name, strlen(name));
  else texts(t, lang);
  close_el(t);
  close_el(t);
}


/* A document's teiHeader. Standalone, it holds encodingDesc and its
 * persons; in a corpus, the corpus header holds them and this one points at
 * them. */
void tei_write_header(tei_writer *t, const scr_doc *doc, const char *docid,
                      const tei_people *ppl, int in_corpus) {
  scr_buf tmp = {0}, date_buf = {0};
  scr_str title = doc_title(t, doc, &tmp);
  scr_str date_words = doc_date_words(t, doc, &date_buf);
  open_el(t, TEI_EL_TEIHEADER);
  open_el(t, TEI_EL_FILEDESC);
  open_el(t, TEI_EL_TITLESTMT);
  if (title.len) {
    leaf(t, TEI_EL_TITLE, title.ptr, title.len);
  } else {
    scr_diag_report(t->diag, SCR_WARNING, (scr_pos){0, 0, 0}, "no-title",
                    "the document has no title; its id stands in");
    leafz(t, TEI_EL_TITLE, docid);
  }
  int marks = publisher_marks(doc);
  if (marks) {
    /* whom the [insertions] and omissions are attributed to (their @resp) */
    scr_str pub = scr_doc_meta(doc, SCR_META_PUBLISHER);
    open_el(t, TEI_EL_RESPSTMT);
    tei_attr_id(t, t->prefix.data, (scr_str){TEI_PUBLISHER_ID, strlen(TEI_PUBLISHER_ID)});
    leafz(t, TEI_EL_RESP,
          marks == MARK_INSERTION ? "the insertions in square brackets, by the source's editors"
          : marks == MARK_OMISSION
              ? "the omissions marked <\xE2\x80\xA6>, by the source's editors"
              : "the insertions in square brackets and the omissions marked "
                "<\xE2\x80\xA6>, by the source's editors");
    open_el(t, TEI_EL_NAME);
    if (pub.len) {
      put_text(t, "the publisher of the source, ", 29);
      texts(t, pub);
    } else {
      put_text(t, "the publisher of the source", 27);
    }
    close_el(t);
    close_el(t);
  }
  close_el(t);
  tei_write_publication(t, doc);
  write_notes(t, doc);
  write_source(t, doc, date_words, ppl, in_corpus);
  close_el(t); /* fileDesc */
  if (!in_corpus) {
    tei_list formats = {0};
    scr_str from = scr_doc_meta(doc, SCR_META_FORMAT);
    if (from.len && tei_list_add(&formats, from.ptr, from.len) < 0) t->e.failed = 1;
    tei_write_encoding(t, &formats);
    tei_list_free(&formats);
  }
  open_el(t, TEI_EL_PROFILEDESC);
  write_language(t, doc);
  /* those taking part (or not known not to); in a corpus defined once, in
   * the corpus header, and pointed at */
  size_t taking = 0;
  for (size_t i = 0; i < ppl->ids.count; i++)
    taking += ppl->recs[i].participation != SCR_PARTICIPATION_MENTIONED;
  if (taking) {
    open_el(t, TEI_EL_PARTICDESC);
    tei_write_list_person(t, ppl, SCR_PARTICIPATION_PARTICIPANT, in_corpus);
    close_el(t);
  }
  write_setting(t, doc, date_words);
  write_keywords(t, doc);
  close_el(t); /* profileDesc */
  close_el(t); /* teiHeader */
  scr_buf_free(&tmp);
  scr_buf_free(&date_buf);
}
