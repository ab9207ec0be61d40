/* test_editions.c - the YAML edition and the text editions on a document
 * with every node type and attribute (tests/common/every-node.yaml):
 * the YAML validates (and is left in OUT_DIR for Python's checks), the
 * diplomatic edition is the contract's text, the reading edition is exactly
 * what it should be; a tree nested 100,000 deep is refused by the YAML
 * writer with a message and read through by the others; and the wrapping
 * keeps its promises over many widths and words.
 *
 *   test-editions PLUGIN_DIR OUT_DIR */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/check.h"
#include "../common/fixture.h"
#include "../common/tree_build.h"
#include <scriptorium/scriptorium.h>



static const char expected_reading[] =
    "Talks with the President of Belarus\n"
    "\n"
    "Date: September 14, 2020, 14:50\n"
    "Place: Sochi\n"
    "Participants: Vladimir Putin, Alexander\n"
    "Lukashenko\n"
    "Source:\n"
    "http://en.kremlin.ru/events/president/news/64000\n"
    "Publisher: kremlin.ru (inferred from the\n"
    "layout)\n"
    "Licence:\n"
    "https://creativecommons.org/licenses/by/4.0/\n"
    "Retrieved: 2026-12-01T09:30:00Z\n"
    "Citation: Meeting with President of\n"
    "Belarus Alexander Lukashenko, Sochi, 14\n"
    "September 2020\n"
    "\n"
    "Vladimir Putin met the President of\n"
    "Belarus in Sochi.\n"
    "\n"
    "Beginning of the meeting\n"
    "------------------------\n"
    "\n"
    "Vladimir Putin: Mr Lukashenko, you said:\n"
    "\xE2\x80\x9C" "Our [Union] State works. \xE2\x80\x98" "Agreed,\xE2\x80\x99" " said\n"
    "Lukashenko.\n"
    "\n"
    "\xE2\x80\x9C" "And \xE2\x80\x98" "the rest\xE2\x80\x99" " follows\n"
    "\n"
    "* * *\n"
    "\n"
    "Note: The talks went on behind closed\n"
    "doors.\n"
    "\n"
    "Footer of the source: * News Source\n"
    "Russian President official Website *\n";

static const scr_plugin *load(scr_registry *reg, const char *dir, const char *name,
                              scr_diag *diag) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.so", dir, name);
  if (scr_registry_load_file(reg, path, diag) < 0) return NULL;
  for (size_t i = 0; i < scr_registry_plugin_count(reg); i++)
    if (strcmp(scr_registry_plugin(reg, i)->name, name) == 0)
      return scr_registry_plugin(reg, i);
  return NULL;
}

static int write_with(const scr_writer *w, const scr_doc *doc, scr_buf *out,
                      const char *const *settings, scr_diag *diag) {
  scr_options *o = scr_options_new(w->options, w->option_count);
  for (size_t i = 0; settings && settings[i]; i += 2) {
    char err[256];
    int rc = scr_options_set(o, settings[i], settings[i + 1], err, sizeof err);
    CHECK(rc == 0, "option %s=%s: %s", settings[i], settings[i + 1], err);
  }
  int rc = w->write(doc, out, o, diag);
  scr_options_free(o);
  return rc;
}

static void save(const char *dir, const char *name, const scr_buf *b) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL, "cannot write %s", path);
  if (!f) return;
  fwrite(b->data ? b->data : "", 1, b->len, f);
  fclose(f);
}

static int validate(const scr_validator *v, const scr_buf *yaml, scr_diag *diag) {
  void *state = v->open(NULL, diag);
  CHECK(state != NULL, "the yaml validator did not open");
  if (!state) return -1;
  scr_input in = {sizeof in, "test.yaml", yaml->data, yaml->len};
  int rc = v->check(state, &in, diag);
  v->close(state);
  return rc;
}

static void print_diag(const scr_diagnostic *d, void *user) {
  (void)user;
  fprintf(stderr, "  diagnostic %u:%u: %s\n", d->line, d->column, d->message);
}

/* A chain of `depth` quotes, each holding a mark, the next quote and text. */
static scr_doc *deep(size_t depth) {
  scr_doc *d = scr_doc_new();
  scr_node *at = tb_node(d, scr_doc_root(d), SCR_NODE_PARAGRAPH);
  for (size_t i = 0; i < depth; i++) {
    scr_node *q = tb_node(d, at, SCR_NODE_QUOTE);
    tb_text(d, q, "\"");
    at = q;
  }
  tb_text(d, at, "deep");
  return d;
}

/* Wrapping: one paragraph of `words`, written at `width`. */
static void check_wrap(const scr_writer *tw, const char *para, size_t width, scr_diag *diag) {
  scr_doc *d = scr_doc_new();
  scr_node *p = tb_node(d, scr_doc_root(d), SCR_NODE_PARAGRAPH);
  tb_text(d, p, para);
  char w[32];
  snprintf(w, sizeof w, "%zu", width);
  const char *const settings[] = {"edition", "reading", "width", w, NULL};
  scr_buf out = {0};
  CHECK(write_with(tw, d, &out, settings, diag) == 0, "reading edition failed");
  /* Every line fits (a lone character wider than the line excepted), has
   * no space at its ends, and the non-space bytes are the input's; a
   * no-break space is written as a space (it held its words together). */
  scr_buf in_bytes = {0}, out_bytes = {0};
  for (const char *s = para; *s; s++)
    if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) s++;
    else if (*s != ' ') scr_buf_putc(&in_bytes, *s);
  const char *line = out.data ? out.data : "";
  while (*line) {
    const char *eol = strchr(line, '\n');
    CHECK(eol != NULL, "the last line has no line end");
    if (!eol) break;
    size_t len = (size_t)(eol - line);
    size_t cols = scr_utf8_width(line, len);
    uint32_t cp;
    size_t first = len ? scr_utf8_decode(line, len, &cp) : 0;
    /* ...or a URL alone on its line: never split */
    int url = memmem(line, len, "://", 3) && !memchr(line, ' ', len);
    CHECK(cols <= width || first == len || width == 0 || url,
          "width %zu: line of %zu columns: %.*s", width, cols, (int)len, line);
    CHECK(len > 0 && line[0] != ' ' && line[len - 1] != ' ',
          "width %zu: empty line or space at an end: '%.*s'", width, (int)len, line);
    for (size_t i = 0; i < len; i++)
      if (line[i] != ' ') scr_buf_putc(&out_bytes, line[i]);
    line = eol + 1;
  }
  CHECK(in_bytes.len == out_bytes.len &&
            memcmp(in_bytes.data, out_bytes.data, in_bytes.len) == 0,
        "width %zu: the text changed", width);
  /* A word no wider than the line is never split (words joined by a
   * no-break space, or by the space after "St.", are one). */
  char *copy = strdup(para);
  for (char *save = NULL, *word = strtok_r(copy, " ", &save); word;
       word = strtok_r(NULL, " ", &save)) {
    if (strcmp(word, "St.") == 0 && save && *save) word[3] = ' ', strtok_r(NULL, " ", &save);
    for (char *nb; (nb = strstr(word, "\xC2\xA0"));) memmove(nb, nb + 1, strlen(nb)), *nb = ' ';
    if (width && scr_utf8_width(word, strlen(word)) > width) continue;
    int found = 0;
    for (const char *at = out.data; at && (at = strstr(at, word)); at++) {
      size_t n = strlen(word);
      int starts = at == out.data || at[-1] == ' ' || at[-1] == '\n';
      int ends = at[n] == ' ' || at[n] == '\n' || at[n] == '\0';
      if (starts && ends) found = 1;
      if (found) break;
    }
    CHECK(found, "width %zu: the word '%s' was split", width, word);
  }
  free(copy);
  scr_buf_free(&in_bytes);
  scr_buf_free(&out_bytes);
  scr_buf_free(&out);
  scr_doc_free(d);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: test-editions PLUGIN_DIR OUT_DIR\n");
    return 2;
  }
  scr_registry *reg = scr_registry_new();
  scr_diag *diag = scr_diag_new("test", print_diag, NULL);
  const scr_plugin *text_plugin = load(reg, argv[1], "text", diag);
  const scr_plugin *yaml_plugin = load(reg, argv[1], "yaml", diag);
  if (!text_plugin || !yaml_plugin) {
    fprintf(stderr, "cannot load the text and yaml plugins from %s\n", argv[1]);
    return 1;
  }
  const scr_writer *tw = scr_registry_writer(reg, "text");
  const scr_writer *yw = scr_registry_writer(reg, "yaml");
  const scr_validator *yv = scr_registry_validator(reg, "yaml");

  /* Every node type and attribute, as a full reader would give them: the
   * fixture tests/common/every-node.yaml, read by the YAML reader. */
  scr_doc *doc = fixture_load(reg, "every-node.yaml");
  if (!doc) return 1;
  scr_buf missing = {0};
  fixture_missing(doc, &missing);
  CHECK(missing.len == 0, "every-node.yaml lacks:%s", missing.data);
  scr_buf_free(&missing);
  scr_buf yaml = {0}, dipl = {0}, reading = {0};
  CHECK(write_with(yw, doc, &yaml, NULL, diag) == 0, "yaml writer failed");
  CHECK(validate(yv, &yaml, diag) == 0, "the YAML of every node type is not valid");
  save(argv[2], "every-node.yaml", &yaml);
  const char *const dipl_set[] = {"edition", "diplomatic", NULL};
  CHECK(write_with(tw, doc, &dipl, dipl_set, diag) == 0, "diplomatic failed");
  save(argv[2], "every-node.txt", &dipl);
  scr_buf flat = {0};
  scr_node_flatten(scr_doc_root(doc), 1, &flat);
  CHECK(flat.len == dipl.len && memcmp(flat.data, dipl.data, flat.len) == 0,
        "the diplomatic edition is not the contract's text");
  scr_buf_free(&flat);
  const char *const read_set[] = {"edition", "reading", "width", "40", NULL};
  CHECK(write_with(tw, doc, &reading, read_set, diag) == 0, "reading failed");
  CHECK(reading.len == strlen(expected_reading) &&
            memcmp(reading.data, expected_reading, reading.len) == 0,
        "reading edition differs; got:\n%.*s", (int)reading.len,
        reading.data ? reading.data : "");
  scr_buf_free(&yaml);
  scr_buf_free(&dipl);
  scr_buf_free(&reading);
  scr_doc_free(doc);

  /* Deep trees: the deepest the YAML edition holds, then far deeper. */
  doc = deep(62); /* with its paragraph, 63 levels: the most the YAML edition holds */
  CHECK(write_with(yw, doc, &yaml, NULL, diag) == 0, "yaml writer failed at depth 63");
  CHECK(validate(yv, &yaml, diag) == 0, "the deepest YAML is not valid");
  save(argv[2], "deepest.yaml", &yaml);
  CHECK(write_with(tw, doc, &dipl, dipl_set, diag) == 0, "diplomatic failed");
  save(argv[2], "deepest.txt", &dipl);
  scr_buf_free(&yaml);
  scr_buf_free(&dipl);
  scr_doc_free(doc);
  doc = deep(100000);
  size_t errors = scr_diag_count(diag, SCR_ERROR);
  CHECK(write_with(yw, doc, &yaml, NULL, diag) != 0, "yaml writer accepted depth 100000");
  CHECK(scr_diag_count(diag, SCR_ERROR) == errors + 1, "no message for the refusal");
  CHECK(write_with(tw, doc, &reading, read_set, diag) == 0, "reading failed when deep");
  CHECK(write_with(tw, doc, &dipl, dipl_set, diag) == 0, "diplomatic failed when deep");
  CHECK(dipl.len == 100000 + 4, "diplomatic of the deep tree has %zu bytes", dipl.len);
  scr_buf_free(&yaml);
  scr_buf_free(&dipl);
  scr_buf_free(&reading);
  scr_doc_free(doc);

  /* Wrapping: wide characters, combining marks, long words, exact fits. */
  static const char *const paragraphs[] = {
      "the quick brown fox jumps over the lazy dog again and again",
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xE3\x81\xAE "
      "\xE6\x96\x87\xE7\xAB\xA0\xE3\x81\xAF\xE5\xB9\x85\xE3\x81\x8C "
      "\xE5\xBA\x83\xE3\x81\x84 wide and narrow \xE6\xBC\xA2\xE5\xAD\x97",
      "cafe\xCC\x81 de\xCC\x81ja\xCC\x80 vu na\xC3\xAFve "
      "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81"
      "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81",
      "short https://www.example.org/a/very/long/path/that/is/wider/than/a/line end",
      "abcd efgh ijkl mnop qrst",
      "talks in the palace in St. Petersburg on 13 July",
      "\xD0\x9B\xD1\x83\xD0\xBA\xD0\xB0\xD1\x88\xD0\xB5\xD0\xBD\xD0\xBA\xD0\xBE "
      "\xD0\xB8 \xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD\xC2\xA0\xD0\xB2 "
      "\xD0\xA1\xD0\xBE\xD1\x87\xD0\xB8",
  };
  for (size_t i = 0; i < sizeof paragraphs / sizeof paragraphs[0]; i++)
    for (size_t width = 0; width <= 45; width++) check_wrap(tw, paragraphs[i], width, diag);

  /* Width exactly reached: "abcd efgh" is 9 columns. */
  doc = scr_doc_new();
  tb_text(doc, tb_node(doc, scr_doc_root(doc), SCR_NODE_PARAGRAPH), "abcd efgh ijkl mnop qrst");
  const char *const w9[] = {"edition", "reading", "width", "9", NULL};
  CHECK(write_with(tw, doc, &reading, w9, diag) == 0, "reading failed");
  CHECK(reading.data && strcmp(reading.data, "abcd efgh\nijkl mnop\nqrst\n") == 0,
        "exact width: got '%s'", reading.data ? reading.data : "");
  scr_buf_free(&reading);
  scr_doc_free(doc);

  scr_diag_free(diag);
  scr_registry_free(reg);
  if (failures) fprintf(stderr, "%d checks failed\n", failures);
  else printf("test-editions: all checks passed\n");
  return failures ? 1 : 0;
}
