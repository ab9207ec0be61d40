/* test_tei_writer.c - the TEI writer on trees built by hand, with every node
 * type the tree has (the text reader does not make them all yet): the
 * output must be well-formed and valid against the project schema (and, by
 * the next ctest test, against tei_all with jing). Also: 100,000 nested
 * quotes, characters XML 1.0 cannot carry, and a corpus.
 *
 *   test-tei-writer OUT.xml   writes OUT.xml and OUT-corpus.xml beside it */
#define _GNU_SOURCE /* memmem */
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/check.h"
#include "../common/tree_build.h"
#include <scriptorium/scriptorium.h>


static size_t warnings, errors;
static char last_message[512];
static void count_diag(const scr_diagnostic *d, void *user) {
  (void)user;
  if (d->severity == SCR_WARNING) warnings++;
  if (d->severity == SCR_ERROR) errors++;
  snprintf(last_message, sizeof last_message, "%s", d->message);
}


/* Builders: a node with text, attributes as "key", "value" pairs. */
static void person(scr_doc *d, const char *id, const char *const *names, const char *role,
                   const char *nationality) {
  scr_person *p = scr_doc_person(d, id, strlen(id));
  for (size_t i = 0; names[i]; i++) scr_person_add_name(d, p, names[i], strlen(names[i]));
  if (role) scr_person_add_role(d, p, role, strlen(role));
  if (nationality) scr_person_set_nationality(d, p, nationality, strlen(nationality));
}

static scr_node *quote(scr_doc *d, scr_node *parent, const char *who, const char *method,
                       const char *cert) {
  scr_node *q = tb_node(d, parent, SCR_NODE_QUOTE);
  if (who) tb_set(d, q, SCR_ATTR_WHO, who);
  if (method) tb_set(d, q, SCR_ATTR_METHOD, method);
  if (cert) tb_set(d, q, SCR_ATTR_CERT, cert);
  return q;
}

/* Every node type, in the places the readers put them, and a few they
 * should not (a heading after text, a paragraph after a section, a quote in
 * a date) that the writer must still turn into valid TEI. */
static scr_doc *every_node(void) {
  scr_doc *d = scr_doc_new();
  tb_meta(d, SCR_META_ID, "003_every node");
  tb_meta(d, SCR_META_SOURCE, "/somewhere/else/003_every node.txt");
  tb_meta(d, SCR_META_TITLE, "Talks with President of Belarus Alexander Lukashenko");
  tb_meta(d, SCR_META_PUBLISHER, "kremlin.ru");
  tb_meta(d, SCR_META_DATE, "2020-09-14");
  tb_meta(d, SCR_META_TIME, "14:50");
  tb_meta(d, SCR_META_PLACE, "Sochi");
  tb_meta(d, SCR_META_LANGUAGE, "en");
  tb_meta(d, SCR_META_FOOTER, "* News Source Russian President official Website *");
  tb_meta(d, SCR_META_FORMAT, "text");
  static const char *const putin[] = {"Vladimir Putin", "Vladimir Vladimirovich", NULL};
  static const char *const luka[] = {"Alexander Lukashenko", "Aleksandr Lukashenko", NULL};
  person(d, "putin", putin, "President of Russia", "Russian");
  person(d, "lukashenko", luka, "President of Belarus", "Belarusian");

  scr_node *root = scr_doc_root(d), *n, *p, *q, *q2;
  tb_text(d, tb_node(d, root, SCR_NODE_TITLE), "Talks with President of Belarus Alexander Lukashenko");
  n = tb_node(d, root, SCR_NODE_TITLE);
  tb_set(d, n, SCR_ATTR_KIND, "repeat");
  tb_text(d, n, "Talks with President of Belarus Alexander Lukashenko");
  n = tb_node(d, root, SCR_NODE_MEDIA);
  tb_set(d, n, SCR_ATTR_COUNT, "6");
  tb_text(d, n, "  \xE2\x80\xA2 6");
  n = tb_node(d, root, SCR_NODE_MEDIA);
  tb_set(d, n, SCR_ATTR_DURATION, "PT6M46S");
  tb_text(d, n, "- 6:46");

  n = tb_node(d, root, SCR_NODE_LEAD);
  p = tb_node(d, n, SCR_NODE_PERSON);
  tb_set(d, p, SCR_ATTR_WHO, "putin");
  tb_text(d, p, "Vladimir Putin");
  tb_text(d, n, " met with President of Belarus Alexander Lukashenko in ");
  p = tb_node(d, n, SCR_NODE_PLACE);
  tb_set(d, p, SCR_ATTR_KEY, "Sochi");
  tb_text(d, p, "Sochi");
  tb_text(d, n, ".");

  n = tb_node(d, root, SCR_NODE_DATELINE);
  tb_set(d, n, SCR_ATTR_WHEN, "2020-09-14");
  p = tb_node(d, n, SCR_NODE_PLACE);
  tb_text(d, p, "Sochi");
  tb_text(d, n, ",");
  p = tb_node(d, n, SCR_NODE_DATE);
  tb_set(d, p, SCR_ATTR_WHEN, "2020-09-14");
  tb_text(d, p, "September 14, 2020");
  tb_text(d, n, " ");
  p = tb_node(d, n, SCR_NODE_TIME);
  tb_set(d, p, SCR_ATTR_WHEN, "14:50");
  tb_text(d, p, "14:50");

  scr_node *gallery = tb_node(d, root, SCR_NODE_GALLERY);
  tb_set(d, gallery, SCR_ATTR_TOTAL, "2");
  for (int i = 1; i <= 2; i++) {
    n = tb_node(d, gallery, SCR_NODE_FIGURE);
    tb_set(d, n, SCR_ATTR_N, i == 1 ? "1" : "2");
    tb_set(d, n, SCR_ATTR_TOTAL, "2");
    if (i == 1) tb_set(d, n, SCR_ATTR_MARKER, "1 of 2");
    tb_text(d, n, "With President of Belarus ");
    p = tb_node(d, n, SCR_NODE_PERSON);
    tb_set(d, p, SCR_ATTR_WHO, "lukashenko");
    tb_text(d, p, "Alexander Lukashenko");
    tb_text(d, n, ".");
  }

  /* narration with reported speech: a correction, an insertion, a nested
   * quote, a partial date, a quote continued in the next paragraph */
  n = tb_node(d, root, SCR_NODE_PARAGRAPH);
  p = tb_node(d, n, SCR_NODE_PERSON);
  tb_set(d, p, SCR_ATTR_WHO, "lukashenko");
  tb_text(d, p, "Aleksandr ");
  scr_node *c = tb_node(d, p, SCR_NODE_CORRECTION);
  tb_set(d, c, SCR_ATTR_CORRECTED, "Lukashenko");
  tb_text(d, c, "Lukashe4nko");
  tb_text(d, n, " met Vladimir Putin on ");
  p = tb_node(d, n, SCR_NODE_DATE);
  tb_set(d, p, SCR_ATTR_WHEN, "--09-15");
  tb_text(d, p, "15 September");
  tb_text(d, n, ". ");
  q = quote(d, n, "lukashenko", SCR_METHOD_EPITHET, SCR_CERT_MEDIUM);
  tb_set(d, q, SCR_ATTR_ID, "q1");
  tb_set(d, q, SCR_ATTR_NEXT, "q2");
  tb_text(d, q, "\xE2\x80\x9C");
  tb_text(d, q, "We cope with all these issues, and cooperation ");
  p = tb_node(d, q, SCR_NODE_INSERTION);
  tb_text(d, p, "with Russia");
  tb_text(d, q, " matters. As you said, ");
  q2 = quote(d, q, "putin", SCR_METHOD_CONTEXT, SCR_CERT_LOW);
  tb_text(d, q2, "\xE2\x80\x98");
  tb_text(d, q2, "everything is stable");
  tb_text(d, q2, "\xE2\x80\x99");
  tb_text(d, q, ".");
  tb_text(d, n, " the Belarusian leader noted");
  p = tb_node(d, n, SCR_NODE_NOTE);
  tb_set(d, p, SCR_ATTR_KIND, "conversion");
  tb_text(d, p, "attributed by the epithet");
  tb_text(d, n, ".");

  n = tb_node(d, root, SCR_NODE_PARAGRAPH);
  q = quote(d, n, "lukashenko", SCR_METHOD_CONTEXT, SCR_CERT_MEDIUM);
  tb_set(d, q, SCR_ATTR_ID, "q2");
  tb_set(d, q, SCR_ATTR_PREV, "q1");
  tb_set(d, q, SCR_ATTR_KIND, "unclosed");
  tb_text(d, q, "\xE2\x80\x9C");
  tb_text(d, q, "We appreciate the vaccine ");
  p = tb_node(d, q, SCR_NODE_INSERTION);
  tb_text(d, p, "the sides previously agreed that Belarus will be the first country to receive it");
  tb_text(d, q, ". ");
  p = tb_node(d, q, SCR_NODE_TIME);
  tb_set(d, p, SCR_ATTR_DURATION, "PT6M46S");
  tb_text(d, p, "six minutes");
  q2 = quote(d, n, NULL, NULL, NULL); /* unattributed: no @who */
  tb_text(d, q2, "\"Nobody said this.\"");
  q2 = quote(d, n, "putin", SCR_METHOD_NAME, SCR_CERT_HIGH);
  tb_set(d, q2, SCR_ATTR_NEXT, "nowhere"); /* a dangling link: left out, warned */
  tb_text(d, q2, "\"Thank you.\"");
  p = tb_node(d, n, SCR_NODE_DATE); /* a quote inside a date: TEI has no said there */
  tb_set(d, p, SCR_ATTR_WHEN, "09-15"); /* not W3C: @when left out, warned */
  q2 = quote(d, p, "putin", SCR_METHOD_NAME, SCR_CERT_HIGH);
  tb_text(d, q2, "15 September");

  n = tb_node(d, root, SCR_NODE_SEPARATOR);
  tb_text(d, n, "* * *");

  scr_node *sec = tb_node(d, root, SCR_NODE_SECTION);
  tb_text(d, tb_node(d, sec, SCR_NODE_HEADING), "Beginning of the talks");
  scr_node *turn = tb_node(d, sec, SCR_NODE_TURN);
  tb_set(d, turn, SCR_ATTR_WHO, "putin");
  n = tb_node(d, turn, SCR_NODE_SPEAKER);
  tb_set(d, n, SCR_ATTR_WHO, "putin");
  tb_text(d, n, "President of Russia ");
  p = tb_node(d, n, SCR_NODE_PERSON);
  tb_set(d, p, SCR_ATTR_WHO, "putin");
  tb_text(d, p, "Vladimir Putin");
  tb_text(d, n, ":");
  n = tb_node(d, turn, SCR_NODE_PARAGRAPH);
  q = quote(d, n, "putin", SCR_METHOD_LABEL, SCR_CERT_HIGH);
  tb_text(d, q, "Mr Lukashenko,");
  tb_text(d, tb_node(d, turn, SCR_NODE_PARAGRAPH), "I am pleased to see you.");
  n = tb_node(d, turn, SCR_NODE_FIGURE);
  tb_text(d, n, "A photo within the turn.");
  turn = tb_node(d, sec, SCR_NODE_TURN); /* a label and nothing after it */
  tb_set(d, turn, SCR_ATTR_WHO, "lukashenko");
  n = tb_node(d, turn, SCR_NODE_SPEAKER);
  tb_text(d, n, "President of Belarus Alexander Lukashenko:");
  scr_node *sub = tb_node(d, sec, SCR_NODE_SECTION);
  tb_text(d, tb_node(d, sub, SCR_NODE_HEADING), "A subsection");
  tb_text(d, tb_node(d, sub, SCR_NODE_PARAGRAPH), "Text of the subsection.");

  /* shapes TEI's div model does not take as they are */
  tb_text(d, tb_node(d, root, SCR_NODE_PARAGRAPH), "A paragraph after a section.");
  tb_text(d, tb_node(d, root, SCR_NODE_HEADING), "A heading without a section");
  tb_text(d, root, "Text straight under the document.");
  n = tb_node(d, root, SCR_NODE_NOTE);
  tb_text(d, n, "A note between blocks.");
  n = tb_node(d, root, SCR_NODE_SPEAKER);
  tb_text(d, n, "A label without its turn:");
  n = tb_node(d, root, SCR_NODE_DATELINE);
  tb_text(d, n, "Moscow, at the end");
  n = tb_node(d, root, SCR_NODE_FOOTER);
  tb_text(d, n, "* News Source Russian President official Website *");
  return d;
}

static int valid_xml(const char *data, size_t len, xmlRelaxNGPtr schema, const char *what) {
  xmlDocPtr doc = xmlReadMemory(data, (int)len, what, NULL, XML_PARSE_NONET);
  if (!doc) return 0;
  int ok = 1;
  if (schema) {
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
    ok = xmlRelaxNGValidateDoc(vc, doc) == 0;
    xmlRelaxNGFreeValidCtxt(vc);
  }
  xmlFreeDoc(doc);
  return ok;
}

static size_t count(const char *hay, size_t len, const char *needle) {
  size_t n = 0, m = strlen(needle);
  for (const char *p = hay; (p = memmem(p, len - (size_t)(p - hay), needle, m)); p += m) n++;
  return n;
}

static int write_file(const char *path, const scr_buf *b) {
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  size_t w = fwrite(b->data, 1, b->len, f);
  return fclose(f) == 0 && w == b->len ? 0 : -1;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test-tei-writer OUT.xml\n");
    return 2;
  }
  scr_registry *reg = scr_registry_new();
  scr_diag *diag = scr_diag_new("test", count_diag, NULL);
  if (scr_registry_load_file(reg, TEI_PLUGIN, diag) != 0) {
    fprintf(stderr, "cannot load %s: %s\n", TEI_PLUGIN, last_message);
    return 1;
  }
  const scr_plugin *plugin = scr_registry_plugin(reg, 0);
  if (plugin->init) plugin->init();
  const scr_writer *w = scr_registry_writer(reg, "tei");
  CHECK(w && w->corpus_open, "no tei writer with corpus files");
  if (!w) return 1;
  xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(TEI_SCHEMA);
  xmlRelaxNGPtr schema = xmlRelaxNGParse(pc);
  xmlRelaxNGFreeParserCtxt(pc);
  CHECK(schema, "cannot compile %s", TEI_SCHEMA);
  scr_options *opts = scr_options_new(w->options, w->option_count);

  /* every node type */
  scr_doc *d = every_node();
  scr_buf out = {0};
  warnings = errors = 0;
  CHECK(w->write(d, &out, opts, diag) == 0, "write failed: %s", last_message);
  CHECK(errors == 0, "%zu errors (%s)", errors, last_message);
  CHECK(warnings >= 3, "the dangling link, bad date and quote in a date are reported (%zu)", warnings);
  CHECK(valid_xml(out.data, out.len, schema, "every-node"), "every-node TEI not valid against the project schema");
  static const char *const expected[] = {
      "<sp who=\"#putin\">", "<speaker>President of Russia <persName ref=\"#putin\">",
      "<said xml:id=\"d003_every_node.q1\" who=\"#lukashenko\" ana=\"#attribution.epithet\" "
      "resp=\"#scriptorium\" cert=\"medium\" next=\"#d003_every_node.q2\">",
      "prev=\"#d003_every_node.q1\" rend=\"unclosed\"",
      "<said who=\"#putin\" ana=\"#attribution.label\" cert=\"high\">Mr Lukashenko,</said>",
      "<choice><sic>Lukashe4nko</sic><corr resp=\"#scriptorium\">Lukashenko</corr></choice>",
      "<supplied reason=\"clarification\">with Russia</supplied>",
      "<note type=\"editorial\" place=\"inline\">the sides",
      "<date when=\"--09-15\">15 September</date>", "<time when=\"14:50:00\">14:50</time>",
      "<time dur-iso=\"PT6M46S\">six minutes</time>", "<placeName key=\"Sochi\">Sochi</placeName>",
      "<figure type=\"gallery\" n=\"2\">", "<figure n=\"1\">", "<milestone unit=\"section\" rend=\"* * *\"/>",
      "<head type=\"repeat\">", "<argument>", "<dateline><placeName>Sochi</placeName>,",
      "<head>Beginning of the talks</head>", "<measure type=\"media\" quantity=\"6\">6</measure>",
      "<time dur-iso=\"PT6M46S\">6:46</time>", "<persName>Aleksandr Lukashenko</persName>",
      "<occupation>President of Russia</occupation>", "<nationality>Belarusian</nationality>",
      "<setting>", "<back>", "<idno type=\"file\">/somewhere/else/003_every node.txt</idno>",
      "<said>\"Nobody said this.\"</said>", "<date>15 September</date>",
      "<quotation marks=\"all\">", "<application xml:id=\"scriptorium\" ident=\"scriptorium\"",
      NULL};
  for (size_t i = 0; expected[i]; i++)
    CHECK(out.data && strstr(out.data, expected[i]), "missing: %s", expected[i]);
  CHECK(!strstr(out.data, "nowhere"), "a dangling @next was written");
  CHECK(write_file(argv[1], &out) == 0, "cannot write %s", argv[1]);

  /* the same bytes every time */
  scr_buf again = {0};
  w->write(d, &again, opts, diag);
  CHECK(again.len == out.len && memcmp(again.data, out.data, out.len) == 0, "output not deterministic");
  scr_buf_free(&again);

  /* a corpus: the document above from its file, and one written in place */
  scr_doc *other = scr_doc_new();
  tb_meta(other, SCR_META_ID, "004 other");
  tb_meta(other, SCR_META_TITLE, "Another meeting");
  tb_meta(other, SCR_META_FORMAT, "text");
  static const char *const putin2[] = {"V. Putin", NULL};
  person(other, "putin", putin2, NULL, NULL);
  person(other, "mishustin", (const char *const[]){"Mikhail Mishustin", NULL}, NULL, NULL);
  scr_node *para = tb_node(other, scr_doc_root(other), SCR_NODE_PARAGRAPH);
  scr_node *oq = quote(other, para, "putin", SCR_METHOD_NAME, SCR_CERT_HIGH);
  tb_set(other, oq, SCR_ATTR_ID, "q1"); /* the same local id as in the first document */
  tb_text(other, oq, "\"Hello.\"");
  void *corpus = w->corpus_open(opts, diag);
  CHECK(corpus, "corpus_open failed");
  const char *slash = strrchr(argv[1], '/');
  /* The corpus file is HEAD + BODY + TAIL, as the host assembles it. */
  scr_buf body = {0}, cout = {0}, tail = {0};
  CHECK(w->corpus_add(corpus, d, slash ? slash + 1 : argv[1], &body, diag) == 0, "corpus_add");
  CHECK(w->corpus_add(corpus, other, NULL, &body, diag) == 0, "corpus_add");
  size_t errs = errors, body_len = body.len;
  CHECK(w->corpus_add(corpus, other, NULL, &body, diag) == 0 && errors == errs + 1 &&
            body.len == body_len,
        "a second document with the same id is refused with an error");
  CHECK(w->corpus_close(corpus, &cout, &tail, diag) == 0, "corpus_close");
  CHECK(strstr(tail.data, "</teiCorpus>") && !strstr(cout.data, "</teiCorpus>"),
        "the tail closes the corpus, the head does not");
  /* ABI 1.2: prepared on a worker and merged in order, the same corpus */
  CHECK(SCR_HAS_FIELD(w, scr_writer, corpus_merge) && w->corpus_prepare && w->corpus_merge,
        "the tei writer has no corpus_prepare/corpus_merge");
  void *parts[3] = {w->corpus_prepare(d, slash ? slash + 1 : argv[1], opts, diag),
                    w->corpus_prepare(other, NULL, opts, diag),
                    w->corpus_prepare(other, NULL, opts, diag)};
  CHECK(parts[0] && parts[1] && parts[2], "corpus_prepare failed");
  corpus = w->corpus_open(opts, diag);
  scr_buf body2 = {0}, head2 = {0}, tail2 = {0};
  errs = errors;
  for (int i = 0; i < 3; i++)
    CHECK(w->corpus_merge(corpus, parts[i], &body2, diag) == 0, "corpus_merge %d", i);
  CHECK(errors == errs + 1, "prepared: the second document with the same id is refused");
  CHECK(w->corpus_close(corpus, &head2, &tail2, diag) == 0, "corpus_close after merges");
  CHECK(head2.len == cout.len && memcmp(head2.data, cout.data, cout.len) == 0 &&
            body2.len == body.len && memcmp(body2.data, body.data, body.len) == 0 &&
            tail2.len == tail.len && memcmp(tail2.data, tail.data, tail.len) == 0,
        "corpus_prepare + corpus_merge differ from corpus_add");
  scr_buf_free(&head2);
  scr_buf_free(&body2);
  scr_buf_free(&tail2);
  /* a prepared part whose corpus failed is only freed (ASan: no leak) */
  CHECK(w->corpus_merge(NULL, w->corpus_prepare(other, NULL, opts, diag), NULL, NULL) == 0,
        "corpus_merge(NULL) frees");
  scr_buf_put(&cout, body.data, body.len);
  scr_buf_put(&cout, tail.data, tail.len);
  scr_buf_free(&body);
  scr_buf_free(&tail);
  CHECK(count(cout.data, cout.len, "<person xml:id=\"putin\">") == 1, "putin defined once");
  CHECK(strstr(cout.data, "<persName>V. Putin</persName>"), "name forms of every document merged");
  CHECK(strstr(cout.data, "<person sameAs=\"#mishustin\"/>"), "members point at the corpus's persons");
  CHECK(strstr(cout.data, "xpointer=\"element(/1/2)\""), "the first document's text is included");
  CHECK(strstr(cout.data, "xml:id=\"d004_other.q1\""), "ids prefixed by the document id");
  CHECK(count(cout.data, cout.len, "<TEI ") == 2, "two documents in the corpus");
  CHECK(valid_xml(cout.data, cout.len, schema, "corpus"), "corpus not valid against the project schema");
  char cpath[4096];
  snprintf(cpath, sizeof cpath, "%.*s-corpus.xml", (int)(strlen(argv[1]) - 4), argv[1]);
  CHECK(write_file(cpath, &cout) == 0, "cannot write %s", cpath);
  scr_buf_free(&cout);
  /* a corpus abandoned: freed without output */
  corpus = w->corpus_open(opts, diag);
  scr_buf scratch = {0};
  w->corpus_add(corpus, other, NULL, &scratch, diag);
  scr_buf_free(&scratch);
  CHECK(w->corpus_close(corpus, NULL, NULL, diag) == 0, "corpus_close(NULL)");
  scr_doc_free(other);
  scr_buf_free(&out);
  scr_doc_free(d);

  /* 100,000 nested quotes: no recursion, every element closed */
  d = scr_doc_new();
  scr_node *at = tb_node(d, scr_doc_root(d), SCR_NODE_PARAGRAPH);
  for (int i = 0; i < 100000; i++) {
    at = quote(d, at, NULL, NULL, NULL);
    tb_text(d, at, "\"");
  }
  warnings = errors = 0;
  CHECK(w->write(d, &out, opts, diag) == 0 && errors == 0, "deep write failed");
  CHECK(count(out.data, out.len, "<said>") == 100000 && count(out.data, out.len, "</said>") == 100000,
        "100,000 said opened and closed");
  scr_buf_free(&out);
  scr_doc_free(d);

  /* characters XML 1.0 cannot carry: reported, never written */
  d = scr_doc_new();
  tb_meta(d, SCR_META_TITLE, "Characters");
  at = tb_node(d, scr_doc_root(d), SCR_NODE_PARAGRAPH);
  tb_text(d, at, "bell\x07 and \xEF\xBF\xBE (U+FFFE) and form\x0C feed");
  warnings = errors = 0;
  CHECK(w->write(d, &out, opts, diag) == 0, "write with bad characters failed");
  CHECK(warnings == 3, "3 characters reported, not %zu", warnings);
  CHECK(!memchr(out.data, '\x07', out.len) && !memchr(out.data, '\x0C', out.len) &&
            !strstr(out.data, "\xEF\xBF\xBE"),
        "a bad character was written");
  CHECK(strstr(out.data, "bell\xEF\xBF\xBD and"), "replaced by U+FFFD");
  CHECK(valid_xml(out.data, out.len, schema, "chars"), "output with replaced characters invalid");
  scr_buf_free(&out);
  char err[128];
  scr_options_set(opts, "xml-chars", "error", err, sizeof err);
  errors = 0;
  CHECK(w->write(d, &out, opts, diag) == -1 && errors > 0, "xml-chars=error fails the document");
  scr_buf_free(&out);
  scr_options_set(opts, "xml-chars", "drop", err, sizeof err);
  CHECK(w->write(d, &out, opts, diag) == 0 && strstr(out.data, "bell and"), "xml-chars=drop");
  scr_buf_free(&out);
  scr_doc_free(d);

  scr_options_free(opts);
  xmlRelaxNGFree(schema);
  scr_diag_free(diag);
  scr_registry_free(reg);
  if (failures) fprintf(stderr, "%d checks failed\n", failures);
  else printf("ok: every node type, corpus, 100,000 nested quotes, bad characters\n");
  return failures ? 1 : 0;
}
