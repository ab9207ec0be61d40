/* provenance.c - the provenance transform: what a known publisher's site
 * says of where a text came from, for a document whose user said nothing
 * of it (no URL, no licence on the command line or in sources.tsv;
 * docs/provenance.md):
 *   - the page's address, the site's prefix and the document id, when the
 *     id (from the file name: 13679.txt) is a page number;
 *   - the licence the site states for its content, with the site's words
 *     as a conversion note.
 * Each is marked as inferred (scr_doc_set_meta_cert), so every writer says
 * so: derived from the file name, stated by the site, not the text's own
 * word. The publisher itself is what the reader judged (from the layout,
 * for a transcript); a value the user gave is never replaced. */
#include <scriptorium/plugin.h>
#include <scriptorium/scriptorium.h>

#include <stdio.h>
#include <string.h>

/* What a site states of its own content. */
static const struct {
  const char *publisher;
  const char *licence;    /* the licence's address */
  const char *statement;  /* the site's words, as a note */
  const char *page_prefix; /* a page's address is this and its number */
} sites[] = {
    {"kremlin.ru", "https://creativecommons.org/licenses/by/4.0/",
     "licence: kremlin.ru states that the content of its site is licensed under Creative "
     "Commons Attribution 4.0 International (CC BY 4.0), except the photographs of RIA "
     "Novosti and TASS; the site's statement, not the text's, attributed to this text "
     "through its publisher",
     "http://en.kremlin.ru/events/president/news/"},
};

static int site_of(scr_str publisher) {
  for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++)
    if (publisher.len == strlen(sites[i].publisher) &&
        !memcmp(publisher.ptr, sites[i].publisher, publisher.len))
      return (int)i;
  return -1;
}

static int is_number(scr_str s) {
  if (!s.len || s.len > 12) return 0;
  for (size_t i = 0; i < s.len; i++)
    if (s.ptr[i] < '0' || s.ptr[i] > '9') return 0;
  return 1;
}

/* How sure: the publisher of a transcript is judged from its layout
 * (medium); a page names its site (high). */
static const char *cert_of(const scr_doc *doc) {
  scr_str f = scr_doc_meta(doc, SCR_META_FORMAT);
  return f.len == 4 && !memcmp(f.ptr, "text", 4) ? SCR_CERT_MEDIUM : SCR_CERT_HIGH;
}

static int provenance_run(scr_doc *doc, const scr_options *opts, scr_diag *diag) {
  (void)opts;
  int k = site_of(scr_doc_meta(doc, SCR_META_PUBLISHER));
  if (k < 0) return 0;
  const char *cert = cert_of(doc);
  int oom = 0;
  scr_str id = scr_doc_meta(doc, SCR_META_ID);
  if (!scr_doc_meta(doc, SCR_META_URL).len && sites[k].page_prefix && is_number(id)) {
    char url[128];
    int n = snprintf(url, sizeof url, "%s%.*s", sites[k].page_prefix, (int)id.len, id.ptr);
    /* derived from the file name: medium, whatever the publisher's */
    if (n > 0 && (size_t)n < sizeof url &&
        (scr_doc_set_meta(doc, SCR_META_URL, url, (size_t)n) ||
         scr_doc_set_meta_cert(doc, SCR_META_URL, SCR_CERT_MEDIUM, strlen(SCR_CERT_MEDIUM))))
      oom = 1;
  }
  if (!oom && !scr_doc_meta(doc, SCR_META_LICENCE).len &&
      (scr_doc_set_meta(doc, SCR_META_LICENCE, sites[k].licence, strlen(sites[k].licence)) ||
       scr_doc_set_meta_cert(doc, SCR_META_LICENCE, cert, strlen(cert)) ||
       scr_doc_add_note(doc, sites[k].statement, strlen(sites[k].statement))))
    oom = 1;
  if (oom) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    return -1;
  }
  return 0;
}

static const scr_transform provenance = {
    .struct_size = sizeof(scr_transform),
    .name = "provenance",
    .description = "a known site's page address and licence, where the user gave none, "
                   "marked as inferred",
    .run = provenance_run,
};

static const scr_transform *const transforms[] = {&provenance, NULL};

static const scr_plugin descriptor = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = "provenance",
    .version = "0.1.0",
    .description = "where a text came from, when the user did not say: a known site's "
                   "page address and licence",
    .transforms = transforms,
};

SCR_PLUGIN_DEFINE(descriptor)
