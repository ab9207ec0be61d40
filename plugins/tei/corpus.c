/* corpus.c - the teiCorpus: a header that defines every person once and
 * lists every format read, and each document's TEI element, rendered on a
 * worker (prepare) or at once (add) and merged in input order; the host
 * writes HEAD, the members (BODY) and TAIL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

/* ---- corpora --------------------------------------------------------------------- */

/* What a corpus keeps between documents: the persons, the formats read and
 * the ids taken. The member TEI elements go to the host as they are written
 * (the corpus file's BODY), so memory does not grow with the corpus. */
typedef struct corpus {
  const scr_options *opts;
  tei_people ppl;
  tei_list formats;
  tei_set ids;
  size_t count;
} corpus;

void *tei_corpus_open(const scr_options *opts, scr_diag *diag) {
  corpus *c = calloc(1, sizeof *c);
  if (!c) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei", "out of memory");
    return NULL;
  }
  c->opts = opts;
  /* the corpus header's own ids: no document takes them */
  static const char *const fixed[] = {APP_ID, "attribution", "corpus", NULL};
  int err = 0;
  for (size_t i = 0; fixed[i]; i++) err |= tei_set_add(&c->ids, fixed[i], strlen(fixed[i])) < 0;
  for (size_t i = 0; tei_attribution_methods[i]; i++) {
    char id[64];
    snprintf(id, sizeof id, "attribution.%s", tei_attribution_methods[i]);
    err |= tei_set_add(&c->ids, id, strlen(id)) < 0;
  }
  if (err) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei", "out of memory");
    tei_set_free(&c->ids);
    free(c);
    return NULL;
  }
  return c;
}

/* A document's part of the corpus: its TEI element (header only when its
 * own file holds the text), rendered without the corpus, and what the
 * corpus header needs from it. Made on a worker thread (corpus_prepare) or
 * right away (corpus_add); merged in input order. */
/* One block: INFO, then the TEI element's bytes. INFO is what the corpus
 * header needs: the document id (empty: none could be made), the format
 * read, then the persons as tagged strings, each ended by a NUL: 'P' id,
 * then its 'N' names, 'R' offices, 'X' nationality and 'I' identifiers
 * (TYPE\tVALUE), in the order
 * tei_survey adds them. One block, because the member is made on a
 * worker and freed by the thread that merges: glibc's allocator locks the
 * worker's arena for each block freed from another thread. */
typedef struct member {
  size_t info_len, bytes_len;
  char data[];
} member;

static void member_free(member *m) { free(m); }

static int info_put(scr_buf *b, char tag, const char *s) {
  return scr_buf_putc(b, tag) || scr_buf_put(b, s, strlen(s) + 1);
}

static int info_people(scr_buf *b, const tei_people *p) {
  for (size_t i = 0; i < p->ids.count; i++) {
    const tei_person *r = &p->recs[i];
    if (info_put(b, 'P', p->ids.items[i])) return -1;
    for (size_t k = 0; k < r->names.count; k++)
      if (info_put(b, 'N', r->names.items[k])) return -1;
    for (size_t k = 0; k < r->roles.count; k++)
      if (info_put(b, 'R', r->roles.items[k])) return -1;
    if (r->nationality && info_put(b, 'X', r->nationality)) return -1;
    for (size_t k = 0; k < r->idnos.count; k++)
      if (info_put(b, 'I', r->idnos.items[k])) return -1;
  }
  return 0;
}

/* Adds the persons of a member's info (from `at`) to `into`, as
 * surveying the documents one after the other into `into` would. */
static int info_merge(tei_people *into, const char *at, const char *end) {
  tei_person *r = NULL;
  while (at < end) {
    char tag = *at++;
    size_t n = strlen(at);
    if (tag == 'P') {
      if (!(r = tei_people_get(into, (scr_str){at, n}))) return -1;
    } else if (r && tag == 'N') {
      if (tei_list_add(&r->names, at, n) < 0) return -1;
    } else if (r && tag == 'R') {
      if (tei_person_add_role(r, (scr_str){at, n}, SCR_STR_NULL)) return -1;
    } else if (r && tag == 'X' && !r->nationality) {
      if (!(r->nationality = strndup(at, n))) return -1;
    } else if (r && tag == 'I') {
      if (tei_list_add(&r->idnos, at, n) < 0) return -1;
    }
    at += n + 1;
  }
  return 0;
}

static member *member_render(const scr_doc *doc, const char *path, const scr_options *opts,
                             scr_diag *diag) {
  scr_buf bytes = {0}, info = {0}, docid = {0};
  tei_writer t;
  if (tei_writer_begin(&t, &bytes, opts, diag, 0)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei",
                    "could not start the XML writer");
    return NULL;
  }
  tei_people ppl = {0};
  tei_make_docid(&t, doc, &docid);
  scr_str from = scr_doc_meta(doc, SCR_META_FORMAT);
  /* written one level in, as a child of teiCorpus */
  t.e.base_level = 1;
  if (docid.data) tei_write_document(&t, doc, docid.data, &ppl, 1, path);
  if (scr_buf_put(&info, docid.data ? docid.data : "", docid.len + 1) ||
      scr_buf_put(&info, from.ptr ? from.ptr : "", from.len) || scr_buf_putc(&info, '\0') ||
      info_people(&info, &ppl))
    t.e.failed = 1;
  scr_buf_free(&docid);
  tei_people_free(&ppl);
  member *m = NULL;
  if (tei_writer_end(&t) == 0) {
    m = malloc(sizeof *m + info.len + bytes.len);
    if (m) {
      m->info_len = info.len;
      m->bytes_len = bytes.len;
      memcpy(m->data, info.data, info.len);
      if (bytes.len) memcpy(m->data + info.len, bytes.data, bytes.len);
    } else {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei", "out of memory");
    }
  }
  scr_buf_free(&bytes);
  scr_buf_free(&info);
  return m;
}

/* Adds a rendered member to the corpus, unless its id is taken. */
static int member_merge(corpus *c, const member *m, scr_buf *body, scr_diag *diag) {
  const char *docid = m->data, *end = m->data + m->info_len;
  size_t idlen = strlen(docid);
  const char *format = docid + idlen + 1;
  size_t flen = strlen(format);
  int added = idlen ? tei_set_add(&c->ids, docid, idlen) : 0;
  if (added < 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei", "out of memory");
    return -1;
  }
  if (!added) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "duplicate-id",
                    "the document id '%s' is already taken in the corpus; "
                    "the document is left out of it",
                    docid);
    return 0;
  }
  if ((flen && tei_list_add(&c->formats, format, flen) < 0) ||
      info_merge(&c->ppl, format + flen + 1, end) ||
      scr_buf_put(body, m->data + m->info_len, m->bytes_len)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei", "out of memory");
    return -1;
  }
  c->count++;
  return 0;
}

void *tei_corpus_prepare(const scr_doc *doc, const char *path, const scr_options *opts,
                         scr_diag *diag) {
  return member_render(doc, path, opts, diag);
}

int tei_corpus_merge(void *state, void *prepared, scr_buf *body, scr_diag *diag) {
  int rc = state && body ? member_merge(state, prepared, body, diag) : 0;
  member_free(prepared);
  return rc;
}

int tei_corpus_add(void *state, const scr_doc *doc, const char *path, scr_buf *body,
                   scr_diag *diag) {
  corpus *c = state;
  member *m = member_render(doc, path, c->opts, diag);
  if (!m) return -1;
  int rc = member_merge(c, m, body, diag);
  member_free(m);
  return rc;
}

static void corpus_free(corpus *c) {
  tei_people_free(&c->ppl);
  tei_list_free(&c->formats);
  tei_set_free(&c->ids);
  free(c);
}

/* HEAD is everything up to the end of the corpus header, TAIL the closing
 * of teiCorpus; the host puts the members (BODY) between them. */
int tei_corpus_close(void *state, scr_buf *head, scr_buf *tail, scr_diag *diag) {
  corpus *c = state;
  if (!head || !tail) {
    corpus_free(c);
    return 0;
  }
  tei_writer t;
  if (tei_writer_begin(&t, head, c->opts, diag, 1)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei", "could not start the XML writer");
    corpus_free(c);
    return -1;
  }
  for (size_t i = 0; i < c->ppl.ids.count; i++)
    if (tei_set_has(&c->ids, c->ppl.ids.items[i], strlen(c->ppl.ids.items[i])))
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "duplicate-id",
                      "person id '%s' is also a document id", c->ppl.ids.items[i]);
  open_el(&t, TEI_EL_TEICORPUS);
  attrz(&t, "xmlns", TEI_NS);
  attrz(&t, "xmlns:xi", "http://www.w3.org/2001/XInclude");
  attrz(&t, "xml:id", "corpus");
  open_el(&t, TEI_EL_TEIHEADER);
  open_el(&t, TEI_EL_FILEDESC);
  open_el(&t, TEI_EL_TITLESTMT);
  char title[96];
  snprintf(title, sizeof title, "A corpus of %zu transcript%s", c->count,
           c->count == 1 ? "" : "s");
  leafz(&t, TEI_EL_TITLE, title);
  close_el(&t);
  tei_write_publication(&t, NULL);
  open_el(&t, TEI_EL_SOURCEDESC);
  para(&t, "Each TEI document of the corpus describes its own source.");
  close_el(&t);
  close_el(&t); /* fileDesc */
  tei_write_encoding(&t, &c->formats);
  if (c->ppl.ids.count) {
    open_el(&t, TEI_EL_PROFILEDESC);
    open_el(&t, TEI_EL_PARTICDESC);
    tei_write_list_person(&t, &c->ppl, -1, 0);
    close_el(&t);
    close_el(&t);
  }
  close_el(&t); /* teiHeader */
  size_t split = head->len;
  if (t.e.nels) t.e.els[0].has_child = 1;
  close_el(&t); /* teiCorpus */
  tei_emit_raw(&t.e, "\n", 1);
  corpus_free(c);
  int rc = tei_writer_end(&t);
  if (rc == 0 && scr_buf_put(tail, head->data + split, head->len - split) == 0) {
    head->len = split;
    head->data[split] = '\0';
  } else if (rc == 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    rc = -1;
  }
  return rc;
}
