/* emit.h - the TEI plugin's XML emitter (private to the plugin): start and
 * end tags, attributes and escaped text written straight into an scr_buf,
 * the way cmark's xml.c renders, with the pretty-printing of element-only
 * content. It knows nothing of TEI or of the tree.
 *
 * The bytes are exactly those libxml2's xmlTextWriter wrote for the same
 * calls (without indentation of its own): a start tag stays open until
 * content follows, so an element with none is written <name/>; attribute
 * values are escaped as xmlTextWriterWriteAttribute escapes them. */
#ifndef SCR_PLUGIN_TEI_EMIT_H
#define SCR_PLUGIN_TEI_EMIT_H

#include <stddef.h>

#include <scriptorium/plugin.h>

/* What happens to a character XML 1.0 cannot carry. */
enum { TEI_CHARS_REPLACE, TEI_CHARS_DROP, TEI_CHARS_ERROR };

/* One open element. */
typedef struct tei_xel {
  const char *name;       /* not owned: a string constant */
  unsigned char mixed;    /* its content is text (p, head, said...) */
  unsigned char in_mixed; /* it stands inside mixed content */
  unsigned char has_child;
} tei_xel;

/* Zero-initialise, then set out, diag and the options; free the stack with
 * tei_emit_finish. Fields other than the options are the emitter's. */
typedef struct tei_emit {
  scr_buf *out;      /* not owned: bytes are appended */
  scr_diag *diag;    /* not owned: where characters XML cannot carry are reported */
  scr_pos pos;       /* where the text being written comes from, for reports */
  int indent;        /* spaces per level of element-only content; 0: none */
  size_t base_level; /* indentation of the outermost element written */
  int in_text;       /* inside xml:space="preserve": no indentation */
  int chars;         /* TEI_CHARS_* */
  int attr_refs;     /* non-ASCII in attribute values as character references */
  int quiet;         /* count characters XML cannot carry, do not report them */
  int failed;        /* memory ran out: the output is to be thrown away */
  int char_error;    /* chars == TEI_CHARS_ERROR and one was met */
  size_t bad_chars;  /* characters XML cannot carry, met so far */
  int open;          /* a start tag awaits its '>' */
  tei_xel *els;
  size_t nels, cap;
} tei_emit;

/* Sets up the escaping tables (once per process; not thread-safe: call it
 * where the plugin initialises). */
void tei_emit_setup(void);

void tei_emit_start(tei_emit *e, const char *name, int mixed);
/* An attribute of the start tag just written; `v` is escaped. */
void tei_emit_attr(tei_emit *e, const char *name, const char *v, size_t len);
void tei_emit_attrz(tei_emit *e, const char *name, const char *v);
void tei_emit_end(tei_emit *e);
/* Character data, escaped. */
void tei_emit_text(tei_emit *e, const char *s, size_t len);
/* The part of s that shows when written as character data: s without the
 * XML white space and (with xml-chars=drop) the characters XML cannot carry
 * at either end. Empty if nothing shows: with xml-chars=drop, a title made
 * only of such characters is no title (its id stands in, as it would on
 * reading the output back), and a title is written as it reads back. */
scr_str tei_emit_visible(const tei_emit *e, scr_str s);
/* Whether anything of s is written (xml-chars=drop may drop all of it). */
int tei_emit_keeps(const tei_emit *e, scr_str s);
/* Bytes written as they are (the XML declaration, a final line end). */
void tei_emit_raw(tei_emit *e, const char *s, size_t len);
/* A balanced, already escaped fragment of element-only markup, one element
 * per line, each line indented by two spaces per level below the element
 * now open: written as if its elements were emitted one by one here. A
 * line that starts with "<!--" is a comment of the file's, not written. */
void tei_emit_fragment(tei_emit *e, const char *s, size_t len);
/* Closes every open element, NUL-terminates the output, frees the stack. */
void tei_emit_finish(tei_emit *e);

#endif
