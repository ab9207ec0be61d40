/* writer.c - the TEI P5 writer: one TEI document per input, its TEI
 * element, and the start and end of writing one (state.h names the other
 * parts: the header, the body, the corpus, the emitter).
 *
 * The output is written by the emitter (emit.h) straight into the host's
 * scr_buf: no xmlDoc is built, and the tree is walked with scr_iter, so a
 * document that nests quotes 100,000 deep costs memory, not stack.
 * Pretty-printing is the emitter's: structure (header, divs, turns) is
 * indented, mixed content (p, head, said...) is written exactly as the
 * text has it, because whitespace added there would change the words. */
#include <stdlib.h>
#include <string.h>

#include "state.h"

/* ---- the document ------------------------------------------------------------------ */

/* A path as a URI reference: bytes outside the unreserved set and '/' are
 * percent-encoded. */
static void href_attr(tei_writer *t, const char *path) {
  scr_buf_clear(&t->ref);
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                (*p >= '0' && *p <= '9') || strchr("-._~/", *p);
    if (plain ? scr_buf_putc(&t->ref, (char)*p) : scr_buf_printf(&t->ref, "%%%02X", *p))
      t->e.failed = 1;
  }
  if (t->ref.data) attr(t, "href", t->ref.data, t->ref.len);
}

/* One TEI element. Standalone, it holds everything; in a corpus, the
 * corpus header holds the application, the taxonomy and the persons, the
 * document's header points at them, and its text is included from the
 * document's own file (`path`), or written here when there is none. The
 * document's persons are surveyed into `ppl` (empty; the caller frees it),
 * which a corpus member passes on to the corpus header. */
void tei_write_document(tei_writer *t, const scr_doc *doc, const char *docid, tei_people *ppl,
                           int in_corpus, const char *path) {
  t->doc = doc;
  tei_set_free(&t->quote_ids);
  scr_buf_clear(&t->prefix);
  if (scr_buf_puts(&t->prefix, docid) || scr_buf_putc(&t->prefix, '.')) t->e.failed = 1;
  tei_survey(t, doc, ppl);

  open_el(t, TEI_EL_TEI);
  if (!in_corpus) attrz(t, "xmlns", TEI_NS);
  attrz(t, "xml:id", docid);
  scr_str lang = scr_doc_meta(doc, SCR_META_LANGUAGE);
  if (is_language(lang)) attr(t, "xml:lang", lang.ptr, lang.len);

  tei_write_header(t, doc, docid, ppl, in_corpus);

  if (in_corpus && path) {
    /* the text element of the document's own file: TEI's second child */
    open_el(t, TEI_EL_XI_INCLUDE);
    href_attr(t, path);
    attrz(t, "xpointer", "element(/1/2)");
    close_el(t);
  } else {
    tei_write_text(t, doc);
  }
  close_el(t); /* TEI */
}

/* The document's id as an NCName without dots (a dot separates it from the
 * ids it prefixes). The same in a document's own file and in a corpus. */
void tei_make_docid(tei_writer *t, const scr_doc *doc, scr_buf *out) {
  scr_str id = scr_doc_meta(doc, SCR_META_ID);
  if (!id.len) {
    scr_str src = base_name(scr_doc_meta(doc, SCR_META_SOURCE));
    for (size_t i = src.len; i > 0; i--)
      if (src.ptr[i - 1] == '.') {
        src.len = i - 1;
        break;
      }
    id = src.len ? src : (scr_str){"doc", 3};
  }
  scr_buf_clear(out);
  if (tei_ncname(out, id.ptr, id.len, "d")) t->e.failed = 1;
  for (size_t i = 0; i < out->len; i++)
    if (out->data[i] == '.') out->data[i] = '_';
}

int tei_writer_begin(tei_writer *t, scr_buf *out, const scr_options *opts, scr_diag *diag,
                 int declaration) {
  memset(t, 0, sizeof *t);
  if (tei_init()) return -1;
  t->diag = diag;
  t->opts = opts;
  t->e.out = out;
  t->e.diag = diag;
  t->e.indent = (int)scr_options_get_int(opts, "indent", 2);
  t->timestamp = scr_options_get_bool(opts, "timestamp", 0);
  const char *profile = scr_options_get(opts, "profile");
  t->parla = profile && strcmp(profile, "parla-clarin") == 0;
  const char *src = scr_options_get(opts, "source");
  t->source_as_given = !(src && strcmp(src, "file-name") == 0);
  const char *b = scr_options_get(opts, "brackets");
  t->brackets = b && strcmp(b, "note") == 0       ? BRACKETS_NOTE
                : b && strcmp(b, "supplied") == 0 ? BRACKETS_SUPPLIED
                                                  : BRACKETS_AUTO;
  const char *c = scr_options_get(opts, "xml-chars");
  t->e.chars = c && strcmp(c, "drop") == 0    ? TEI_CHARS_DROP
               : c && strcmp(c, "error") == 0 ? TEI_CHARS_ERROR
                                              : TEI_CHARS_REPLACE;
  /* A fragment without the declaration (a corpus member) writes non-ASCII
   * in attribute values as character references, as libxml2's writer did
   * when no encoding was declared: the corpus file keeps its bytes. */
  t->e.attr_refs = !declaration;
  if (declaration) tei_emit_raw(&t->e, XML_DECLARATION, sizeof XML_DECLARATION - 1);
  return 0;
}

int tei_writer_end(tei_writer *t) {
  tei_emit_finish(&t->e);
  if (t->e.bad_chars > MAX_CHAR_REPORTS)
    scr_diag_report(t->diag, t->e.chars == TEI_CHARS_ERROR ? SCR_ERROR : SCR_WARNING,
                    (scr_pos){0, 0, 0}, "xml-char",
                    "%zu characters in all could not be written in XML 1.0",
                    t->e.bad_chars);
  if (t->e.failed)
    scr_diag_report(t->diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei",
                    "could not write the TEI document (out of memory?)");
  int rc = t->e.failed || t->e.char_error ? -1 : 0;
  scr_buf_free(&t->ref);
  scr_buf_free(&t->prefix);
  tei_set_free(&t->quote_ids);
  free(t->frames);
  return rc;
}

int tei_write(const scr_doc *doc, scr_buf *out, const scr_options *opts, scr_diag *diag) {
  tei_writer t;
  if (tei_writer_begin(&t, out, opts, diag, 1)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tei",
                    "could not start the XML writer");
    return -1;
  }
  scr_buf docid = {0};
  tei_make_docid(&t, doc, &docid);
  tei_people ppl = {0};
  tei_write_document(&t, doc, docid.data ? docid.data : "d", &ppl, 0, NULL);
  tei_people_free(&ppl);
  scr_buf_free(&docid);
  tei_emit_raw(&t.e, "\n", 1);
  return tei_writer_end(&t);
}

