/* test_tei_writer.c - the TEI writer on a document with every node type and
 * attribute (the fixture tests/common/every-node-tei.yaml), read by the YAML
 * reader, and on faults built here that no reader lets through: the
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
#include "../common/fixture.h"
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

/* The faults the YAML reader refuses, which the writer must survive: a
 * dangling link (left out, warned), a date that is not W3C (@when left out,
 * warned) holding a quote (TEI has no said there). */
static scr_doc *faults(void) {
  scr_doc *d = scr_doc_new();
  tb_meta(d, SCR_META_ID, "faults");
  tb_meta(d, SCR_META_TITLE, "Faults");
  scr_node *n = tb_node(d, scr_doc_root(d), SCR_NODE_PARAGRAPH);
  scr_node *q = quote(d, n, NULL, NULL, NULL);
  tb_set(d, q, SCR_ATTR_NEXT, "nowhere");
  tb_text(d, q, "\"Thank you.\"");
  scr_node *p = tb_node(d, n, SCR_NODE_DATE);
  tb_set(d, p, SCR_ATTR_WHEN, "09-15");
  q = quote(d, p, NULL, NULL, NULL);
  tb_text(d, q, "15 September");
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
  /* the YAML plugin, beside the TEI plugin, reads the fixture */
  char yaml_plugin[4096];
  const char *plugin_dir_end = strrchr(TEI_PLUGIN, '/');
  snprintf(yaml_plugin, sizeof yaml_plugin, "%.*s/yaml.so",
           plugin_dir_end ? (int)(plugin_dir_end - TEI_PLUGIN) : 1,
           plugin_dir_end ? TEI_PLUGIN : ".");
  if (scr_registry_load_file(reg, yaml_plugin, diag) != 0) {
    fprintf(stderr, "cannot load %s: %s\n", yaml_plugin, last_message);
    return 1;
  }
  const scr_writer *w = scr_registry_writer(reg, "tei");
  CHECK(w && w->corpus_open, "no tei writer with corpus files");
  if (!w) return 1;
  xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(TEI_SCHEMA);
  xmlRelaxNGPtr schema = xmlRelaxNGParse(pc);
  xmlRelaxNGFreeParserCtxt(pc);
  CHECK(schema, "cannot compile %s", TEI_SCHEMA);
  scr_options *opts = scr_options_new(w->options, w->option_count);

  /* every node type and attribute: tests/common/every-node-tei.yaml */
  scr_doc *d = fixture_load(reg, "every-node-tei.yaml");
  if (!d) return 1;
  scr_buf out = {0};
  fixture_missing(d, &out);
  CHECK(out.len == 0 || strcmp(out.data, " @before @after") == 0,
        "every-node-tei.yaml lacks:%s", out.data);
  scr_buf_clear(&out);
  warnings = errors = 0;
  CHECK(w->write(d, &out, opts, diag) == 0, "write failed: %s", last_message);
  CHECK(errors == 0, "%zu errors (%s)", errors, last_message);
  CHECK(valid_xml(out.data, out.len, schema, "every-node"), "every-node TEI not valid against the project schema");
  static const char *const expected[] = {
      "<sp who=\"#putin\">", "<speaker>President of Russia <persName ref=\"#putin\">",
      "<said xml:id=\"d003_every_node.q1\" who=\"#lukashenko\" ana=\"#attribution.epithet\" "
      "resp=\"#scriptorium\" cert=\"medium\" next=\"#d003_every_node.q2\">",
      "prev=\"#d003_every_node.q1\" rend=\"unclosed\"",
      "<said who=\"#putin\" ana=\"#attribution.label\" cert=\"high\">Mr Lukashenko,</said>",
      "<choice><sic>Lukashe4nko</sic><corr resp=\"#scriptorium\">Lukashenko</corr></choice>",
      "<supplied reason=\"clarification\" resp=\"#d003_every_node.publisher\">with Russia</supplied>",
      "<note type=\"editorial\" place=\"inline\" resp=\"#d003_every_node.publisher\">the sides",
      "<respStmt xml:id=\"d003_every_node.publisher\">",
      "<licence target=\"https://creativecommons.org/licenses/by/4.0/\">https://creativecommons.org/licenses/by/4.0/</licence>",
      "<ref target=\"http://en.kremlin.ru/events/president/news/64000\">",
      "<idno type=\"URI\">http://en.kremlin.ru/events/president/news/64000</idno>",
      "<date type=\"retrieved\" when=\"2026-12-01T09:30:00Z\">",
      "<idno type=\"sha256\">8360fa6ada1692a3193cd972dc74df6e8fa84aba299e64c7e1d4a520e90fe854</idno>",
      "<note type=\"citation\">Meeting with President of Belarus",
      "<publisher resp=\"#scriptorium\" cert=\"medium\">kremlin.ru</publisher>",
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
  CHECK(write_file(argv[1], &out) == 0, "cannot write %s", argv[1]);

  /* the faults: reported, left out, and the output still valid */
  scr_doc *bad = faults();
  scr_buf fout = {0};
  warnings = errors = 0;
  CHECK(w->write(bad, &fout, opts, diag) == 0 && errors == 0, "faults: write failed: %s", last_message);
  CHECK(warnings >= 3, "the dangling link, bad date and quote in a date are reported (%zu)", warnings);
  CHECK(fout.data && !strstr(fout.data, "nowhere"), "a dangling @next was written");
  CHECK(fout.data && strstr(fout.data, "<date>15 September</date>"), "a bad @when was written");
  CHECK(valid_xml(fout.data, fout.len, schema, "faults"), "faults: TEI not valid against the project schema");
  scr_buf_free(&fout);
  scr_doc_free(bad);

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
