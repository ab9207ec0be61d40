/* reader.c - reads a news-site transcript into the tree.
 *
 * Every byte of the source lands in the tree: text in TEXT nodes pointing
 * into the source, layout (line ends, blank lines, a byte order mark) in the
 * BEFORE/AFTER attributes of the blocks. */
#include <string.h>

#include "text.h"

int text_probe(const char *data, size_t len) {
  if (len == 0) return 0;
  size_t i = 0;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
  /* XML, YAML documents and binary data are not transcripts. */
  while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                     data[i] == '\n'))
    i++;
  if (i < len && (data[i] == '<' || data[i] == '{')) return 0;
  if (len - i >= 3 && memcmp(data + i, "---", 3) == 0) return 5;
  int bad = 0;
  size_t checked = scr_utf8_check(data, len, &bad);
  if (bad && checked + 4 < len) return 0; /* allow a cut character at the end */
  /* A title line followed by a blank line or by media counts is the shape of
   * both publishers' pages. */
  const char *nl = memchr(data + i, '\n', len - i);
  if (nl && nl + 1 < data + len && (nl[1] == '\n' || nl[1] == '-' ||
                                    nl[1] == ' ' || nl[1] == '\r'))
    return 60;
  return 30;
}

int text_read(scr_doc *doc, const scr_input *in, const scr_options *opts,
              scr_diag *diag) {
  (void)opts;
  const char *s = in->data, *end = in->data + in->len;
  if (in->len == 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "empty",
                    "the input is empty");
    return -1;
  }
  int bad = 0;
  size_t at = scr_utf8_check(s, in->len, &bad);
  scr_linemap *lines = scr_linemap_new(s, in->len);
  if (!lines) return -1;
  if (bad) {
    scr_diag_report(diag, SCR_ERROR, scr_linemap_pos(lines, at), "encoding",
                    "%s at byte offset %zu",
                    s[at] ? "invalid UTF-8" : "a NUL byte", at);
    scr_linemap_free(lines);
    return -1;
  }
  scr_node *root = scr_doc_root(doc);
  const char *p = s;
  if (in->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
  /* Leading blank lines and the BOM ride on the root. */
  const char *q = p;
  while (q < end && (*q == '\n' || *q == '\r' || *q == ' ' || *q == '\t')) q++;
  while (q > p && q[-1] != '\n') q--;
  if (q > s) scr_node_set_attr_ref(doc, root, SCR_ATTR_BEFORE, s, (size_t)(q - s));
  p = q;
  int first = 1;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *line_end = eol ? eol : end;
    const char *text_end = line_end;
    if (text_end > p && text_end[-1] == '\r') text_end--;
    /* The line's terminator and the blank lines after it. */
    const char *next = eol ? eol + 1 : end;
    for (;;) {
      const char *r = next;
      while (r < end && (*r == ' ' || *r == '\t' || *r == '\r')) r++;
      if (r < end && *r == '\n') next = r + 1;
      else if (r == end) { next = end; break; }
      else break;
    }
    scr_pos pos = scr_linemap_pos(lines, (uint64_t)(p - s));
    scr_node *block = scr_node_new(doc, first ? SCR_NODE_TITLE : SCR_NODE_PARAGRAPH, pos);
    scr_node *text = scr_node_new_text(doc, p, (size_t)(text_end - p), pos);
    if (!block || !text) goto oom;
    scr_node_append(block, text);
    if (next > text_end &&
        scr_node_set_attr_ref(doc, block, SCR_ATTR_AFTER, text_end, (size_t)(next - text_end)))
      goto oom;
    scr_node_append(root, block);
    if (first) scr_doc_set_meta(doc, SCR_META_TITLE, p, (size_t)(text_end - p));
    first = 0;
    p = next;
  }
  scr_linemap_free(lines);
  return 0;
oom:
  scr_linemap_free(lines);
  scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
  return -1;
}
