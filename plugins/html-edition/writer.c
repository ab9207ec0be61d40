/* writer.c - the `html` writer: a reading edition of one document as one
 * self-contained HTML5 page (inline CSS, no script, no network resource),
 * and, for a corpus, an index page linking the documents' pages
 * (docs/html-edition.md says the markup).
 *
 * Every character of the document's text is on the page: TEXT nodes as
 * they are, the publisher's insertions with their brackets, a correction's
 * original form (the corrected one in its title and data-corrected), and
 * layout bytes that are not white space (a figure's "1 of 4") in a span of
 * their own. Each quotation is a focusable span carrying who said it, how
 * that was found and how surely as data-* attributes, shown as a tooltip
 * on hover and focus by CSS alone. One switch over node types, one loop
 * over the iterator: no recursion over the input's depth. */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include <scriptorium/plugin.h>

typedef struct ctx {
  scr_buf *out;
  const scr_doc *doc;
  size_t replaced; /* characters HTML cannot carry, written as U+FFFD */
  int failed;      /* out of memory */
  int file_name;   /* option source=file-name: the source's file name only */
} ctx;

static void put(ctx *c, const char *s, size_t len) {
  if (!c->failed && scr_buf_put(c->out, s, len)) c->failed = 1;
}
static void puts_(ctx *c, const char *s) { put(c, s, strlen(s)); }

/* Escapes text (attr: also the double quote, for attribute values). HTML's
 * parse errors are avoided too: control characters but white space, C1
 * controls, noncharacters of the BMP and invalid UTF-8 become U+FFFD (and
 * are counted for one warning). */
static void esc(ctx *c, const char *s, size_t len, int attr) {
  size_t run = 0, i = 0;
  if (!len) return; /* also s NULL: an empty string (no pointer arithmetic on NULL) */
  while (i < len) {
    unsigned char b = (unsigned char)s[i];
    const char *rep = NULL;
    size_t adv = 1;
    if (b < 0x80) {
      if (b == '&') rep = "&amp;";
      else if (b == '<') rep = "&lt;";
      else if (b == '>') rep = "&gt;";
      else if (b == '"' && attr) rep = "&quot;";
      else if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7f)
        rep = "\xEF\xBF\xBD";
      else {
        i++;
        continue;
      }
    } else {
      uint32_t cp;
      adv = scr_utf8_decode(s + i, len - i, &cp);
      int bad = (cp == 0xFFFD && adv == 1) || (cp >= 0x80 && cp <= 0x9F) ||
                (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
      if (cp == 0xFFFD && adv == 3) bad = 0; /* a real U+FFFD */
      if (!bad) {
        i += adv;
        continue;
      }
      rep = "\xEF\xBF\xBD";
    }
    put(c, s + run, i - run);
    puts_(c, rep);
    if (rep[0] == '\xEF') c->replaced++;
    i += adv;
    run = i;
  }
  put(c, s + run, len - run);
}
static void text(ctx *c, scr_str s) { esc(c, s.ptr, s.len, 0); }
static void attrval(ctx *c, scr_str s) { esc(c, s.ptr, s.len, 1); }

static int blank(scr_str s) {
  for (size_t i = 0; i < s.len; i++)
    if (s.ptr[i] != ' ' && s.ptr[i] != '\t' && s.ptr[i] != '\n' && s.ptr[i] != '\r' &&
        s.ptr[i] != '\f')
      return 0;
  return 1;
}

/* A FIGURE's gallery counter ("1 of 4"), when it ends its BEFORE: the
 * figure's own label, not layout. */
static scr_str figure_counter(const scr_node *n) {
  scr_str m = scr_node_attr(n, SCR_ATTR_MARKER), b = scr_node_attr(n, SCR_ATTR_BEFORE);
  if (scr_node_get_type(n) != SCR_NODE_FIGURE || !m.len || b.len < m.len ||
      memcmp(b.ptr + b.len - m.len, m.ptr, m.len))
    return SCR_STR_NULL;
  return m;
}

static int figure_repeat(const scr_node *n) {
  scr_str k = scr_node_attr(n, SCR_ATTR_KIND);
  return k.len == 6 && !memcmp(k.ptr, "repeat", 6);
}

/* Layout bytes that are text (a marker such as "1 of 4"): kept visible. */
static void layout(ctx *c, const scr_node *n, scr_attr which) {
  scr_str s = scr_node_attr(n, which);
  if (which == SCR_ATTR_BEFORE) s.len -= figure_counter(n).len;
  if (!s.len || blank(s)) return;
  puts_(c, which == SCR_ATTR_BEFORE ? "<span class=\"layout before\">"
                                    : "<span class=\"layout after\">");
  text(c, s);
  puts_(c, "</span>");
}

/* A data-NAME="value" attribute when the node has the attribute. */
static void data_attr(ctx *c, const scr_node *n, scr_attr key, const char *name) {
  scr_str v = scr_node_attr(n, key);
  if (!v.ptr) return;
  puts_(c, " data-");
  puts_(c, name);
  puts_(c, "=\"");
  attrval(c, v);
  puts_(c, "\"");
}

/* The names of the persons a WHO value names (space-separated ids), joined
 * with ", "; an id without a person is written as the id. */
static void who_names(ctx *c, scr_str who, int attr) {
  size_t i = 0, written = 0;
  while (i < who.len) {
    while (i < who.len && who.ptr[i] == ' ') i++;
    size_t start = i;
    while (i < who.len && who.ptr[i] != ' ') i++;
    if (i == start) break;
    const char *id = who.ptr + start;
    size_t idlen = i - start;
    if (idlen && id[0] == '#') id++, idlen--;
    const scr_person *p = scr_doc_find_person(c->doc, id, idlen);
    scr_str name = p && scr_person_name_count(p) ? scr_person_name(p, 0) : (scr_str){id, idlen};
    if (written++) puts_(c, ", ");
    esc(c, name.ptr, name.len, attr);
  }
}

static int has_speaker(const scr_node *turn) {
  for (const scr_node *k = scr_node_first_child(turn); k; k = scr_node_next(k))
    if (scr_node_get_type(k) == SCR_NODE_SPEAKER) return 1;
  return 0;
}

static const char *method_words(scr_str m) {
  static const struct {
    const char *method, *words;
  } table[] = {
      {SCR_METHOD_LABEL, "by the speaker label"},
      {SCR_METHOD_NAME, "by a name nearby"},
      {SCR_METHOD_EPITHET, "by an epithet"},
      {SCR_METHOD_PRONOUN, "by a pronoun"},
      {SCR_METHOD_CONTEXT, "from the context"},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (m.len == strlen(table[i].method) && memcmp(m.ptr, table[i].method, m.len) == 0)
      return table[i].words;
  return NULL;
}

/* The quotation's label: "Said by NAME, attributed by a name nearby,
 * medium certainty" (what the tooltip and the title show). */
static void quote_label(ctx *c, const scr_node *q) {
  scr_str who = scr_node_attr(q, SCR_ATTR_WHO), m = scr_node_attr(q, SCR_ATTR_METHOD),
          cert = scr_node_attr(q, SCR_ATTR_CERT);
  if (!who.len) {
    puts_(c, "Speaker not identified");
    return;
  }
  puts_(c, "Said by ");
  who_names(c, who, 1);
  if (m.len) {
    const char *w = method_words(m);
    puts_(c, ", attributed ");
    if (w) puts_(c, w);
    else {
      puts_(c, "by ");
      attrval(c, m);
    }
  }
  if (cert.len) {
    puts_(c, ", ");
    attrval(c, cert);
    puts_(c, " certainty");
  }
}

/* YYYY, YYYY-MM or YYYY-MM-DD: what <time datetime> takes of ours */
static int is_iso_date(scr_str s) { return scr_iso_date(s.ptr, s.len) > 0; }

static const char style[] =
    "<style>\n"
    ":root{color-scheme:light;--ink:#1b1b1b;--muted:#555;--accent:#7a4b00;--said:#fff4cc}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0 auto;max-width:44rem;padding:0 1rem 3rem;font:1.05rem/1.6 Georgia,'DejaVu "
    "Serif',serif;color:var(--ink);background:#fffdf8;overflow-wrap:anywhere}\n"
    "a{color:#00509e}a:focus,.said:focus{outline:3px solid #005fcc;outline-offset:2px}\n"
    ".skip{position:absolute;left:-999rem}.skip:focus{position:static}\n"
    "header.edition{border-bottom:1px solid #ccc;margin-bottom:1rem}\n"
    "h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.3rem}h3,h4,h5,h6{font-size:1.1rem}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem "
    "1rem;font-size:.9rem}dl.meta dt{font-weight:bold;color:var(--muted)}dl.meta "
    "dd{margin:0}\n"
    ".title.repeat,.caption.repeat,.media,.layout{color:var(--muted);font-size:.9rem}\n"
    ".counter{margin-right:.5em;color:var(--muted)}\n"
    ".lead{font-style:italic}.dateline{font-variant:small-caps}\n"
    ".turn{border-left:3px solid #d9c7a7;padding-left:.8rem;margin:1rem 0}\n"
    ".speaker{font-weight:bold;margin-bottom:.3rem}\n"
    ".said{background:var(--said);border-bottom:1px dotted var(--accent)}\n"
    ".said:not([data-who]){background:#eee}\n"
    /* the label shows inline after the quotation, so that it is never
     * cut off at the edge of a narrow screen */
    ".said:hover::after,.said:focus::after{content:' \\2014  ' attr(data-label);"
    "background:#222;color:#fff;font:.8rem/1.3 sans-serif;padding:0 .3rem;border-radius:3px}\n"
    ".insertion{color:var(--accent)}\n"
    ".correction{text-decoration:underline wavy #b00}\n"
    "figure{margin:1rem 0;padding:.5rem;border:1px solid #ddd}figcaption{font-size:.9rem}\n"
    ".gallery{margin:1rem 0}\n"
    ".block{display:block}\n"
    ".note,.source-footer,.separator{font-size:.9rem;color:var(--muted)}\n"
    ".separator{text-align:center}\n"
    "footer.edition{border-top:1px solid #ccc;margin-top:2rem;font-size:.9rem}\n"
    ".table{overflow-x:auto}table{border-collapse:collapse;font-size:.9rem;min-width:40rem;overflow-wrap:normal}th,td{border:1px "
    "solid #ccc;padding:.2rem .4rem;vertical-align:top;text-align:left}td.n{text-align:right}\n"
    "@media (max-width:30rem){body{font-size:1rem;padding:0 .5rem}}\n"
    "</style>\n";

static void page_begin(ctx *c, scr_str lang, scr_str title) {
  puts_(c, "<!DOCTYPE html>\n<html lang=\"");
  if (lang.len) attrval(c, lang);
  else puts_(c, "und");
  puts_(c, "\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"generator\" content=\"Scriptorium\">\n"
           /* no favicon request: the page asks nothing of any server */
           "<link rel=\"icon\" href=\"data:,\">\n<title>");
  text(c, title);
  puts_(c, "</title>\n");
  puts_(c, style);
  puts_(c, "</head>\n<body>\n<a class=\"skip\" href=\"#text\">Skip to the text</a>\n");
}

/* What the header and the index say of a document. */
typedef struct stats {
  size_t turns, quotes, attributed, paragraphs, figures, titles;
  int has_footer;
} stats;

static void survey(const scr_doc *doc, stats *s) {
  memset(s, 0, sizeof *s);
  scr_iter it;
  scr_iter_init(&it, scr_doc_root(doc));
  scr_event ev;
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    if (ev != SCR_EVENT_ENTER) continue;
    const scr_node *n = scr_iter_node(&it);
    switch (scr_node_get_type(n)) {
    case SCR_NODE_TURN: s->turns++; break;
    case SCR_NODE_QUOTE: {
      /* reported speech ("Mr Putin said that …") is not a quotation */
      scr_str k = scr_node_attr(n, SCR_ATTR_KIND);
      if (k.len == 8 && memcmp(k.ptr, "indirect", 8) == 0) break;
      s->quotes++;
      if (scr_node_attr(n, SCR_ATTR_WHO).len) s->attributed++;
      break;
    }
    case SCR_NODE_PARAGRAPH: s->paragraphs++; break;
    case SCR_NODE_FIGURE: s->figures += !figure_repeat(n); break; /* slides */
    case SCR_NODE_TITLE: {
      /* a title the page's h1 can be: not a repeat, not inside a paragraph */
      scr_node *p = scr_node_parent(n);
      scr_node_type pt = p ? scr_node_get_type(p) : SCR_NODE_NONE;
      if (!scr_node_attr(n, SCR_ATTR_KIND).len && (pt == SCR_NODE_DOCUMENT || pt == SCR_NODE_SECTION))
        s->titles++;
      break;
    }
    case SCR_NODE_FOOTER: s->has_footer = 1; break;
    default: break;
    }
  }
}

static void meta_row(ctx *c, const char *label, scr_str v) {
  if (!v.len) return;
  puts_(c, "<dt>");
  puts_(c, label);
  puts_(c, "</dt><dd>");
  text(c, v);
  puts_(c, "</dd>\n");
}

/* A row of a value the converter may have inferred: said so after it. */
static void meta_row_inferred(ctx *c, const char *label, scr_meta key, const char *said) {
  scr_str v = scr_doc_meta(c->doc, key);
  if (!v.len) return;
  puts_(c, "<dt>");
  puts_(c, label);
  puts_(c, "</dt><dd>");
  text(c, v);
  if (scr_doc_meta_cert(c->doc, key).len) {
    puts_(c, " <small class=\"inferred\">(");
    puts_(c, said);
    puts_(c, ")</small>");
  }
  puts_(c, "</dd>\n");
}

static scr_str doc_title(const scr_doc *doc) {
  scr_str t = scr_doc_meta(doc, SCR_META_TITLE);
  if (!t.len) t = scr_doc_meta(doc, SCR_META_ID);
  if (!t.len) t = (scr_str){"Untitled document", 17};
  return t;
}

static void header(ctx *c, const stats *s) {
  const scr_doc *d = c->doc;
  puts_(c, "<header class=\"edition\">\n");
  if (!s->titles) {
    /* the text has no title of its own: the page's h1 is the metadata's */
    puts_(c, "<h1>");
    text(c, doc_title(d));
    puts_(c, "</h1>\n");
  }
  puts_(c, "<dl class=\"meta\" aria-label=\"About this document\">\n");
  meta_row(c, "Publisher", scr_doc_meta(d, SCR_META_PUBLISHER));
  scr_str date = scr_doc_meta(d, SCR_META_DATE), time = scr_doc_meta(d, SCR_META_TIME);
  if (date.len) {
    puts_(c, "<dt>Date</dt><dd>");
    if (is_iso_date(date)) {
      puts_(c, "<time datetime=\"");
      attrval(c, date);
      puts_(c, "\">");
      text(c, date);
      puts_(c, "</time>");
    } else {
      text(c, date);
    }
    if (time.len) {
      puts_(c, " ");
      text(c, time);
    }
    puts_(c, "</dd>\n");
  }
  meta_row(c, "Place", scr_doc_meta(d, SCR_META_PLACE));
  scr_str src = scr_doc_meta(d, SCR_META_SOURCE);
  if (c->file_name && src.len && !memmem(src.ptr, src.len, "://", 3)) {
    size_t k = src.len;
    while (k && src.ptr[k - 1] != '/') k--;
    src.ptr += k, src.len -= k;
  }
  meta_row(c, "Source", src);
  meta_row_inferred(c, "Address", SCR_META_URL, "derived from the file name");
  meta_row_inferred(c, "Licence", SCR_META_LICENCE, "what the publisher's site states, not the text");
  meta_row(c, "Retrieved", scr_doc_meta(d, SCR_META_RETRIEVED));
  meta_row(c, "Read from", scr_doc_meta(d, SCR_META_FORMAT));
  if (!s->has_footer) meta_row(c, "Source footer", scr_doc_meta(d, SCR_META_FOOTER));
  scr_buf_printf(c->out, "<dt>Contents</dt><dd>%zu turns, %zu quotations (%zu attributed), "
                         "%zu paragraphs, %zu figures</dd>\n",
                 s->turns, s->quotes, s->attributed, s->paragraphs, s->figures);
  puts_(c, "</dl>\n</header>\n");
}

/* The end of the page: the persons (anchors for data-who) and the
 * conversion's notes, where a licence from the source is recorded. */
static void footer(ctx *c) {
  const scr_doc *d = c->doc;
  size_t np = scr_doc_person_count(d), nn = scr_doc_note_count(d);
  if (!np && !nn) return;
  puts_(c, "<footer class=\"edition\">\n");
  if (np) {
    puts_(c, "<section aria-labelledby=\"persons\">\n<h2 id=\"persons\">Persons</h2>\n<dl>\n");
    for (size_t i = 0; i < np; i++) {
      const scr_person *p = scr_doc_person_at(d, i);
      scr_str id = scr_person_id(p);
      puts_(c, "<dt id=\"person-");
      attrval(c, id);
      puts_(c, "\">");
      if (scr_person_name_count(p)) text(c, scr_person_name(p, 0));
      else text(c, id);
      puts_(c, "</dt><dd>");
      size_t parts = 0;
      for (size_t k = 1; k < scr_person_name_count(p); k++) {
        puts_(c, parts++ ? ", " : "also called ");
        text(c, scr_person_name(p, k));
      }
      for (size_t k = 0; k < scr_person_role_count(p); k++) {
        if (parts++) puts_(c, "; ");
        text(c, scr_person_role(p, k));
      }
      scr_str nat = scr_person_nationality(p);
      if (nat.len) {
        if (parts++) puts_(c, "; ");
        text(c, nat);
      }
      if (!parts) puts_(c, "id ");
      if (!parts) text(c, id);
      puts_(c, "</dd>\n");
    }
    puts_(c, "</dl>\n</section>\n");
  }
  if (nn) {
    puts_(c, "<section aria-labelledby=\"notes\">\n<h2 id=\"notes\">Notes</h2>\n<ul>\n");
    for (size_t i = 0; i < nn; i++) {
      puts_(c, "<li>");
      text(c, scr_doc_note(d, i));
      puts_(c, "</li>\n");
    }
    puts_(c, "</ul>\n</section>\n");
  }
  puts_(c, "</footer>\n");
}

/* The elements of one node, opening (enter) or closing. */
static void render(ctx *c, const scr_node *n, int enter, int *titled, size_t *depth) {
  scr_node_type t = scr_node_get_type(n);
  if (enter) layout(c, n, SCR_ATTR_BEFORE);
  switch (t) {
  case SCR_NODE_DOCUMENT: break;
  case SCR_NODE_TEXT:
    if (enter) text(c, scr_node_text(n));
    break;
  case SCR_NODE_TITLE:
    /* the page's h1 is the first title that is not a repeat (the loop in
     * html_write closes it alike) */
    if (enter) {
      int repeat = scr_node_attr(n, SCR_ATTR_KIND).len != 0, first = !repeat && !*titled;
      if (first) *titled = 1;
      puts_(c, first    ? "<h1 class=\"title\">"
               : repeat ? "<p class=\"title repeat\">"
                        : "<p class=\"title\">");
    }
    break;
  case SCR_NODE_MEDIA: puts_(c, enter ? "<p class=\"media\">" : "</p>\n"); break;
  case SCR_NODE_LEAD: puts_(c, enter ? "<p class=\"lead\">" : "</p>\n"); break;
  case SCR_NODE_DATELINE: puts_(c, enter ? "<p class=\"dateline\">" : "</p>\n"); break;
  case SCR_NODE_SECTION:
    if (enter) (*depth)++;
    else if (*depth) (*depth)--;
    puts_(c, enter ? "<section>\n" : "</section>\n");
    break;
  case SCR_NODE_HEADING: {
    size_t level = *depth + 1 < 2 ? 2 : *depth + 1 > 6 ? 6 : *depth + 1;
    scr_buf_printf(c->out, enter ? "<h%zu>" : "</h%zu>\n", level);
    break;
  }
  case SCR_NODE_PARAGRAPH: puts_(c, enter ? "<p>" : "</p>\n"); break;
  case SCR_NODE_TURN:
    if (enter) {
      scr_str who = scr_node_attr(n, SCR_ATTR_WHO);
      puts_(c, "<div class=\"turn\"");
      data_attr(c, n, SCR_ATTR_WHO, "who");
      if (who.len) {
        puts_(c, " data-speaker=\"");
        who_names(c, who, 1);
        puts_(c, "\"");
      }
      puts_(c, ">\n");
      if (who.len && !has_speaker(n)) {
        /* a turn without a label (a Parla-CLARIN u with only @who) still
         * shows who speaks */
        puts_(c, "<p class=\"speaker supplied\" title=\"the source prints no label here: the "
                 "speaker of its markup\">");
        who_names(c, who, 0);
        puts_(c, ":</p>\n");
      }
    } else {
      puts_(c, "</div>\n");
    }
    break;
  case SCR_NODE_SPEAKER:
    if (enter) {
      scr_str who = scr_node_attr(n, SCR_ATTR_WHO);
      puts_(c, "<p class=\"speaker\"");
      data_attr(c, n, SCR_ATTR_WHO, "who");
      if (who.len) {
        puts_(c, " title=\"");
        who_names(c, who, 1);
        puts_(c, "\"");
      }
      puts_(c, ">");
    } else {
      puts_(c, "</p>\n");
    }
    break;
  case SCR_NODE_GALLERY:
    if (enter) {
      puts_(c, "<div class=\"gallery\"");
      data_attr(c, n, SCR_ATTR_TOTAL, "total");
      puts_(c, ">\n");
    } else {
      puts_(c, "</div>\n");
    }
    break;
  case SCR_NODE_FIGURE:
    /* the caption is the figure's text, the counter ("1 of 4") its label;
     * a caption the scrape repeated is the same slide again: no figure */
    if (figure_repeat(n)) {
      puts_(c, enter ? "<p class=\"caption repeat\">" : "</p>\n");
    } else if (enter) {
      puts_(c, "<figure");
      data_attr(c, n, SCR_ATTR_N, "n");
      data_attr(c, n, SCR_ATTR_URL, "url"); /* the photo: named, not loaded */
      puts_(c, "><figcaption>");
      scr_str counter = figure_counter(n);
      if (counter.len) {
        puts_(c, "<span class=\"counter\">");
        text(c, counter);
        puts_(c, "</span>");
      }
    } else {
      puts_(c, "</figcaption></figure>\n");
    }
    break;
  case SCR_NODE_NOTE:
    if (enter) {
      puts_(c, "<p class=\"note\"");
      data_attr(c, n, SCR_ATTR_KIND, "kind");
      puts_(c, ">");
    } else {
      puts_(c, "</p>\n");
    }
    break;
  case SCR_NODE_SEPARATOR: puts_(c, enter ? "<p class=\"separator\">" : "</p>\n"); break;
  case SCR_NODE_FOOTER: puts_(c, enter ? "<p class=\"source-footer\">" : "</p>\n"); break;
  case SCR_NODE_QUOTE:
    if (enter) {
      scr_str id = scr_node_attr(n, SCR_ATTR_ID);
      puts_(c, "<span class=\"said\" tabindex=\"0\"");
      if (id.len) {
        puts_(c, " id=\"q-");
        attrval(c, id);
        puts_(c, "\"");
      }
      data_attr(c, n, SCR_ATTR_WHO, "who");
      if (scr_node_attr(n, SCR_ATTR_WHO).len) {
        puts_(c, " data-speaker=\"");
        who_names(c, scr_node_attr(n, SCR_ATTR_WHO), 1);
        puts_(c, "\"");
      }
      data_attr(c, n, SCR_ATTR_METHOD, "method");
      data_attr(c, n, SCR_ATTR_CERT, "cert");
      data_attr(c, n, SCR_ATTR_NEXT, "next");
      data_attr(c, n, SCR_ATTR_PREV, "prev");
      data_attr(c, n, SCR_ATTR_KIND, "kind");
      puts_(c, " data-label=\"");
      quote_label(c, n);
      puts_(c, "\" title=\"");
      quote_label(c, n);
      puts_(c, "\">");
    } else {
      puts_(c, "</span>");
    }
    break;
  case SCR_NODE_INSERTION:
    puts_(c, enter ? "<span class=\"insertion\" title=\"the publisher's insertion\">[" : "]</span>");
    break;
  case SCR_NODE_CORRECTION:
    if (enter) {
      scr_str corr = scr_node_attr(n, SCR_ATTR_CORRECTED);
      puts_(c, "<span class=\"correction\"");
      data_attr(c, n, SCR_ATTR_CORRECTED, "corrected");
      if (corr.ptr) {
        puts_(c, " title=\"corrected: ");
        attrval(c, corr);
        puts_(c, "\"");
      }
      puts_(c, ">");
    } else {
      puts_(c, "</span>");
    }
    break;
  case SCR_NODE_PERSON:
    if (enter) {
      puts_(c, "<span class=\"person\"");
      data_attr(c, n, SCR_ATTR_WHO, "who");
      puts_(c, ">");
    } else {
      puts_(c, "</span>");
    }
    break;
  case SCR_NODE_PLACE:
    if (enter) {
      puts_(c, "<span class=\"place\"");
      data_attr(c, n, SCR_ATTR_KEY, "key");
      puts_(c, ">");
    } else {
      puts_(c, "</span>");
    }
    break;
  case SCR_NODE_DATE: {
    scr_str when = scr_node_attr(n, SCR_ATTR_WHEN);
    int iso = is_iso_date(when);
    if (enter) {
      if (iso) {
        puts_(c, "<time class=\"date\" datetime=\"");
        attrval(c, when);
        puts_(c, "\">");
      } else {
        puts_(c, "<span class=\"date\"");
        data_attr(c, n, SCR_ATTR_WHEN, "when");
        puts_(c, ">");
      }
    } else {
      puts_(c, iso ? "</time>" : "</span>");
    }
    break;
  }
  case SCR_NODE_TIME:
    if (enter) {
      puts_(c, "<span class=\"time\"");
      data_attr(c, n, SCR_ATTR_WHEN, "when");
      data_attr(c, n, SCR_ATTR_DURATION, "duration");
      puts_(c, ">");
    } else {
      puts_(c, "</span>");
    }
    break;
  default:
    /* a type this SDK has no name for: its text still shows */
    if (scr_node_type_is_block(t)) puts_(c, enter ? "<div>" : "</div>\n");
    else puts_(c, enter ? "<span>" : "</span>");
    break;
  }
  if (!enter) layout(c, n, SCR_ATTR_AFTER);
}

static int file_name_only(const scr_options *opts) {
  const char *v = opts ? scr_options_get(opts, "source") : NULL;
  return v && !strcmp(v, "file-name");
}

static int html_write(const scr_doc *doc, scr_buf *out, const scr_options *opts, scr_diag *diag) {
  ctx c = {.out = out, .doc = doc, .file_name = file_name_only(opts)};
  stats s;
  survey(doc, &s);
  page_begin(&c, scr_doc_meta(doc, SCR_META_LANGUAGE), doc_title(doc));
  header(&c, &s);
  puts_(&c, "<main id=\"text\">\n");
  scr_iter it;
  scr_iter_init(&it, scr_doc_root(doc));
  scr_event ev;
  int titled = 0;
  size_t depth = 0;
  /* which TITLE node is the page's h1: the first that is not a repeat */
  const scr_node *h1 = NULL;
  /* phrasing: how many open elements take only phrasing content (p, h1,
   * span...). A block inside one (a note inside a paragraph) is written as
   * a span, so that no <p> is ever closed by HTML's parser behind our back.
   * A container (section, turn, gallery) takes flow content and adds none;
   * one inside phrasing is a span and adds one. */
  size_t phrasing = 0;
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    const scr_node *n = scr_iter_node(&it);
    scr_node_type t = scr_node_get_type(n);
    int enter = ev == SCR_EVENT_ENTER;
    int block = scr_node_type_is_block(t) && t != SCR_NODE_DOCUMENT;
    int contain = t == SCR_NODE_DOCUMENT || t == SCR_NODE_SECTION || t == SCR_NODE_TURN ||
                  t == SCR_NODE_GALLERY;
    if (block && (enter ? phrasing > 0 : contain ? phrasing > 0 : phrasing > 1)) {
      const char *name = scr_node_type_name(t);
      if (enter) {
        layout(&c, n, SCR_ATTR_BEFORE);
        puts_(&c, "<span class=\"block ");
        puts_(&c, name ? name : "unknown");
        puts_(&c, "\">");
        phrasing++;
      } else {
        puts_(&c, "</span>");
        layout(&c, n, SCR_ATTR_AFTER);
        phrasing--;
      }
      continue;
    }
    if (t == SCR_NODE_TITLE) {
      /* the closing tag must match the opening one */
      if (enter && !h1 && !scr_node_attr(n, SCR_ATTR_KIND).len) h1 = n;
      if (!enter) {
        puts_(&c, n == h1 ? "</h1>\n" : "</p>\n");
        layout(&c, n, SCR_ATTR_AFTER);
        phrasing--;
        continue;
      }
    }
    render(&c, n, enter, &titled, &depth);
    if (!contain) phrasing += enter ? 1 : (size_t)-1;
  }
  puts_(&c, "</main>\n");
  footer(&c);
  puts_(&c, "</body>\n</html>\n");
  if (c.failed) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "html", "out of memory");
    return -1;
  }
  if (c.replaced)
    scr_diag_report(diag, SCR_WARNING, (scr_pos){0, 0, 0}, "html-chars",
                    "%zu characters HTML cannot carry (control characters, noncharacters, "
                    "invalid UTF-8) were written as U+FFFD",
                    c.replaced);
  return 0;
}

/* ---- the corpus index ------------------------------------------------------
 * HEAD: the page's beginning and the table's head; BODY: a row per
 * document (rendered on the worker, corpus_prepare); TAIL: the table's end
 * and the totals. The state keeps only counts. */

typedef struct corpus {
  size_t docs, turns, quotes, attributed;
} corpus;

typedef struct member {
  size_t turns, quotes, attributed, len;
  char row[];
} member;

static int cmp_str(const void *a, const void *b) {
  const scr_str *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int r = memcmp(x->ptr, y->ptr, n);
  return r ? r : (x->len > y->len) - (x->len < y->len);
}

/* The speakers of a document (of turns and of quotations), by name, in the
 * order the persons were created; ids are gathered, sorted and looked up,
 * so that a document with many speakers costs n log n. */
static void speakers(ctx *c) {
  size_t cap = 0, count = 0;
  scr_str *ids = NULL;
  scr_iter it;
  scr_iter_init(&it, scr_doc_root(c->doc));
  scr_event ev;
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    const scr_node *n = scr_iter_node(&it);
    scr_node_type t = scr_node_get_type(n);
    if (ev != SCR_EVENT_ENTER || (t != SCR_NODE_TURN && t != SCR_NODE_QUOTE)) continue;
    scr_str who = scr_node_attr(n, SCR_ATTR_WHO);
    for (size_t i = 0; i < who.len;) {
      while (i < who.len && who.ptr[i] == ' ') i++;
      size_t start = i;
      while (i < who.len && who.ptr[i] != ' ') i++;
      if (i == start) break;
      if (count == cap) {
        size_t ncap = cap ? 2 * cap : 16;
        scr_str *grown = realloc(ids, ncap * sizeof *grown);
        if (!grown) {
          c->failed = 1;
          free(ids);
          return;
        }
        ids = grown, cap = ncap;
      }
      ids[count++] = (scr_str){who.ptr + start, i - start};
    }
  }
  if (count) qsort(ids, count, sizeof *ids, cmp_str);
  size_t written = 0;
  for (size_t i = 0; i < scr_doc_person_count(c->doc); i++) {
    const scr_person *p = scr_doc_person_at(c->doc, i);
    scr_str id = scr_person_id(p);
    if (!count || !bsearch(&id, ids, count, sizeof *ids, cmp_str)) continue;
    if (written++) puts_(c, ", ");
    text(c, scr_person_name_count(p) ? scr_person_name(p, 0) : id);
  }
  free(ids);
}

static void cell(ctx *c, scr_str v) {
  puts_(c, "<td>");
  text(c, v);
  puts_(c, "</td>");
}

static void *html_corpus_prepare(const scr_doc *doc, const char *path, const scr_options *opts,
                                 scr_diag *diag) {
  (void)opts;
  scr_buf row = {0};
  ctx c = {.out = &row, .doc = doc};
  stats s;
  survey(doc, &s);
  puts_(&c, "<tr>");
  scr_str date = scr_doc_meta(doc, SCR_META_DATE);
  puts_(&c, "<td>");
  if (is_iso_date(date)) {
    puts_(&c, "<time datetime=\"");
    attrval(&c, date);
    puts_(&c, "\">");
    text(&c, date);
    puts_(&c, "</time>");
  } else {
    text(&c, date);
  }
  puts_(&c, "</td>");
  cell(&c, scr_doc_meta(doc, SCR_META_PLACE));
  puts_(&c, "<td>");
  if (path) {
    /* a relative path: escaped, with what a URL takes apart percent-encoded */
    puts_(&c, "<a href=\"");
    for (const char *p = path; *p; p++) {
      unsigned char b = (unsigned char)*p;
      if (b <= 0x20 || b == '%' || b == '#' || b == '?' || b == '"' || b == '<' || b == '>' ||
          b == '\\' || b == '&' || b >= 0x7f)
        scr_buf_printf(&row, "%%%02X", b);
      else
        put(&c, p, 1);
    }
    puts_(&c, "\">");
  }
  text(&c, doc_title(doc));
  if (path) puts_(&c, "</a>");
  puts_(&c, "</td><td>");
  speakers(&c);
  scr_buf_printf(&row, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td "
                       "class=\"n\">%zu</td><td class=\"n\">%zu</td></tr>\n",
                 s.turns, s.attributed, s.quotes, s.paragraphs);
  member *m = c.failed ? NULL : malloc(sizeof *m + row.len);
  if (!m) {
    scr_buf_free(&row);
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "html", "out of memory");
    return NULL;
  }
  m->turns = s.turns, m->quotes = s.quotes, m->attributed = s.attributed, m->len = row.len;
  memcpy(m->row, row.data, row.len);
  scr_buf_free(&row);
  return m;
}

static int html_corpus_merge(void *state, void *prepared, scr_buf *body, scr_diag *diag) {
  member *m = prepared;
  int rc = 0;
  if (state && body) {
    corpus *k = state;
    if (scr_buf_put(body, m->row, m->len)) {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "html", "out of memory");
      rc = -1;
    } else {
      k->docs++, k->turns += m->turns, k->quotes += m->quotes, k->attributed += m->attributed;
    }
  }
  free(m);
  return rc;
}

static void *html_corpus_open(const scr_options *opts, scr_diag *diag) {
  (void)opts;
  corpus *k = calloc(1, sizeof *k);
  if (!k) scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "html", "out of memory");
  return k;
}

static int html_corpus_add(void *state, const scr_doc *doc, const char *path, scr_buf *body,
                           scr_diag *diag) {
  void *m = html_corpus_prepare(doc, path, NULL, diag);
  return m ? html_corpus_merge(state, m, body, diag) : -1;
}

static int html_corpus_close(void *state, scr_buf *head, scr_buf *tail, scr_diag *diag) {
  corpus *k = state;
  if (!head || !tail) {
    free(k);
    return 0;
  }
  ctx c = {.out = head};
  page_begin(&c, (scr_str){"en", 2}, (scr_str){"Corpus index", 12});
  puts_(&c, "<header class=\"edition\">\n<h1>Corpus index</h1>\n");
  scr_buf_printf(head, "<p>%zu documents, %zu turns, %zu quotations with a speaker.</p>\n",
                 k->docs, k->turns, k->attributed);
  puts_(&c, "</header>\n<main id=\"text\">\n"
            "<div class=\"table\" role=\"region\" aria-labelledby=\"documents\" tabindex=\"0\">\n"
            "<table>\n<caption id=\"documents\">Documents</caption>\n<thead><tr><th "
            "scope=\"col\">Date</th><th scope=\"col\">Place</th><th scope=\"col\">Title</th><th "
            "scope=\"col\">Speakers</th><th scope=\"col\">Turns</th><th scope=\"col\">Quotations "
            "with a speaker</th><th scope=\"col\">Quotations</th><th "
            "scope=\"col\">Paragraphs</th></tr></thead>\n<tbody>\n");
  ctx t = {.out = tail};
  puts_(&t, "</tbody>\n</table>\n</div>\n</main>\n</body>\n</html>\n");
  free(k);
  if (c.failed || t.failed) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "html", "out of memory");
    return -1;
  }
  return 0;
}

static const char *const extensions[] = {"html", "htm", NULL};

static const char *const source_choices[] = {"as-given", "file-name", NULL};
static const scr_option_spec options[] = {
    {.name = "source",
     .type = SCR_OPT_CHOICE,
     .default_value = "as-given",
     .help = "the Source line: the input path as given (as the TEI and YAML editions do), or "
             "only its file name",
     .choices = source_choices},
};

static const scr_writer writer = {
    .struct_size = sizeof(scr_writer),
    .format = "html",
    .options = options,
    .option_count = sizeof options / sizeof options[0],
    .description = "HTML5 reading edition: a page per document, who said each quotation on hover "
                   "and focus; an index page for a corpus",
    .extensions = extensions,
    .media_type = "text/html",
    .write = html_write,
    .corpus_open = html_corpus_open,
    .corpus_add = html_corpus_add,
    .corpus_close = html_corpus_close,
    .corpus_prepare = html_corpus_prepare,
    .corpus_merge = html_corpus_merge,
};

static const scr_writer *const writers[] = {&writer, NULL};

static const scr_plugin descriptor = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = "html-edition",
    .version = "0.1.0",
    .description = "HTML reading editions out (the html reader is plugins/html)",
    .writers = writers,
};

SCR_PLUGIN_DEFINE(descriptor)
