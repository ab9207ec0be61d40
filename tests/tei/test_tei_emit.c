/* test_tei_emit.c - the TEI plugin's XML emitter (plugins/tei/emit.c) and its
 * table of elements (elements.c), on their own: the bytes libxml2's
 * xmlTextWriter wrote for the same calls, which the TEI goldens and the
 * corpus digests rely on. Compiled with the plugin's sources. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elements.h"
#include "emit.h"

static int failures;

static void expect(const char *what, const scr_buf *got, const char *want) {
  const char *g = got->data ? got->data : "";
  if (got->len == strlen(want) && memcmp(g, want, got->len) == 0) return;
  fprintf(stderr, "FAIL %s:\n  got  [%.*s]\n  want [%s]\n", what, (int)got->len, g, want);
  failures++;
}

static void start(tei_emit *e, scr_buf *out, int indent) {
  memset(e, 0, sizeof *e);
  scr_buf_clear(out);
  e->out = out;
  e->indent = indent;
}

int main(void) {
  tei_emit_setup();
  tei_elements_setup();
  scr_buf out = {0};
  tei_emit e;

  /* an element without content is <name/>; text that leaves no byte (all
   * dropped) does not close the start tag */
  start(&e, &out, 2);
  e.chars = TEI_CHARS_DROP;
  e.quiet = 1;
  tei_emit_start(&e, "div", 0);
  tei_emit_start(&e, "p", 1);
  tei_emit_attrz(&e, "resp", "#x");
  tei_emit_end(&e);
  tei_emit_start(&e, "p", 1);
  tei_emit_text(&e, "\x01", 1);
  tei_emit_end(&e);
  tei_emit_start(&e, "p", 1);
  tei_emit_text(&e, "a<b>&c\"d\r", 9);
  tei_emit_start(&e, "hi", 0); /* in mixed content: no indentation */
  tei_emit_text(&e, "x", 1);
  tei_emit_end(&e);
  tei_emit_end(&e);
  tei_emit_finish(&e);
  expect("empty elements, text, mixed content", &out,
         "<div>\n  <p resp=\"#x\"/>\n  <p/>\n  <p>a&lt;b&gt;&amp;c\"d&#13;<hi>x</hi></p>\n</div>");
  if (e.bad_chars != 1) fprintf(stderr, "FAIL bad_chars %zu\n", e.bad_chars), failures++;

  /* attribute values as xmlTextWriterWriteAttribute escapes them; with
   * attr_refs, non-ASCII as character references */
  start(&e, &out, 0);
  e.attr_refs = 1;
  tei_emit_start(&e, "a", 1);
  tei_emit_attrz(&e, "n", "\t\n\r\"&<>\xC3\xA9");
  tei_emit_finish(&e);
  expect("attribute escaping", &out, "<a n=\"&#9;&#10;&#13;&quot;&amp;&lt;&gt;&#xE9;\"/>");

  /* a fragment is re-indented where it stands; comment lines are not written */
  static const char frag[] = "<!-- a comment -->\n<x>\n  <y>t</y>\n</x>\n";
  for (int indent = 0; indent <= 2; indent += 2) {
    start(&e, &out, indent);
    e.base_level = 1;
    tei_emit_start(&e, "r", 0);
    tei_emit_fragment(&e, frag, sizeof frag - 1);
    tei_emit_end(&e);
    tei_emit_finish(&e);
    expect(indent ? "fragment, indent 2" : "fragment, indent 0", &out,
           indent ? "\n  <r>\n    <x>\n      <y>t</y>\n    </x>\n  </r>" : "<r><x><y>t</y></x></r>");
  }

  /* the table: sorted, found by name, one element written per node type */
  for (size_t i = 2; i < TEI_EL_COUNT_; i++)
    if (strcmp(tei_elements[i - 1].name, tei_elements[i].name) >= 0)
      fprintf(stderr, "FAIL table order at %s\n", tei_elements[i].name), failures++;
  for (size_t i = 1; i < TEI_EL_COUNT_; i++)
    if (tei_element_lookup(tei_elements[i].name) != (tei_el)i)
      fprintf(stderr, "FAIL lookup %s\n", tei_elements[i].name), failures++;
  if (tei_element_lookup("nosuch") != TEI_EL_NONE) fprintf(stderr, "FAIL nosuch\n"), failures++;
  for (size_t i = 1; i < TEI_EL_COUNT_; i++)
    for (size_t k = i + 1; k < TEI_EL_COUNT_; k++)
      if (tei_elements[i].writes && tei_elements[k].writes &&
          tei_elements[i].node == tei_elements[k].node)
        fprintf(stderr, "FAIL two elements written for one node: %s, %s\n",
                tei_elements[i].name, tei_elements[k].name), failures++;
  if (tei_element_for(SCR_NODE_QUOTE) != TEI_EL_SAID) fprintf(stderr, "FAIL quote\n"), failures++;

  scr_buf_free(&out);
  if (!failures) printf("test-tei-emit: all passed\n");
  return failures ? 1 : 0;
}
