/* tables.c - the `tsv` and `csv` writers: one table of the document's
 * turns and quotations, a row each, for pandas, R and spreadsheets
 * (docs/tables.md says the columns).
 *
 * One table with a `kind` column (turn or quote) rather than two: a corpus
 * is then one file per format, a quotation's row sits after the turn that
 * holds it, and a user filters on one column. Rows are in document order
 * of their start. Offsets are into the diplomatic edition, which by the
 * losslessness contract (tree.h) is the concatenation of BEFORE, text (and
 * an insertion's brackets) and AFTER in document order, so one walk
 * counts them: `start`/`end` in code points (Python's and R's string
 * indices), `byte_start`/`byte_end` in UTF-8 bytes; a row's `text` is
 * exactly that slice. The walk is scr_iter's: no recursion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scriptorium/plugin.h>

typedef enum style { TSV, CSV } style;

static const char *const columns[] = {
    "document", "date",        "place",       "kind",        "n",         "block",
    "paragraph", "speaker_id", "speaker_name", "attribution", "certainty", "quote_id",
    "next",     "prev",        "start",       "end",         "byte_start", "byte_end",
    "text",     NULL};

typedef struct row {
  const scr_node *node;
  scr_node_type block; /* the innermost block holding the row's start */
  size_t n, paragraph;
  uint64_t start, end, byte_start, byte_end;
} row;

typedef struct out {
  scr_buf *buf;
  style st;
  int failed;
  int first; /* no separator before the row's first field */
} out;

static void put(out *o, const char *s, size_t len) {
  if (!o->failed && scr_buf_put(o->buf, s, len)) o->failed = 1;
}

/* One field: TSV escapes backslash, tab, line feed and carriage return as
 * \\ \t \n \r (fields never hold a raw separator); CSV quotes a field
 * holding a comma, a quote or a line end, doubling quotes (RFC 4180). */
static void field(out *o, const char *s, size_t len) {
  if (!o->first) put(o, o->st == TSV ? "\t" : ",", 1);
  o->first = 0;
  if (!len) return; /* also s NULL: no pointer arithmetic on NULL */
  if (o->st == TSV) {
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
      const char *e = NULL;
      switch (s[i]) {
      case '\\': e = "\\\\"; break;
      case '\t': e = "\\t"; break;
      case '\n': e = "\\n"; break;
      case '\r': e = "\\r"; break;
      default: continue;
      }
      put(o, s + run, i - run);
      put(o, e, 2);
      run = i + 1;
    }
    put(o, s + run, len - run);
    return;
  }
  int quote = 0;
  for (size_t i = 0; i < len && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote) {
    put(o, s, len);
    return;
  }
  put(o, "\"", 1);
  size_t run = 0;
  for (size_t i = 0; i < len; i++)
    if (s[i] == '"') {
      put(o, s + run, i + 1 - run);
      put(o, "\"", 1);
      run = i + 1;
    }
  put(o, s + run, len - run);
  put(o, "\"", 1);
}
static void fstr(out *o, scr_str s) { field(o, s.ptr ? s.ptr : "", s.len); }
static void fnum(out *o, uint64_t v) {
  char b[24];
  int n = snprintf(b, sizeof b, "%llu", (unsigned long long)v);
  field(o, b, (size_t)n);
}
static void endrow(out *o) {
  put(o, o->st == TSV ? "\n" : "\r\n", o->st == TSV ? 1 : 2);
  o->first = 1;
}

static void header_line(out *o) {
  for (size_t i = 0; columns[i]; i++) field(o, columns[i], strlen(columns[i]));
  endrow(o);
}

/* Code points in s: the bytes that do not continue a UTF-8 sequence. */
/* Reported speech ("Mr Putin said that …"): a QUOTE of kind indirect,
 * rows of kind "reported", numbered on their own. */
static int indirect(const scr_node *n) {
  scr_str k = scr_node_attr(n, SCR_ATTR_KIND);
  return k.len == 8 && memcmp(k.ptr, "indirect", 8) == 0;
}

static uint64_t code_points(scr_str s) {
  uint64_t n = 0;
  for (size_t i = 0; i < s.len; i++) n += ((unsigned char)s.ptr[i] & 0xC0) != 0x80;
  return n;
}

/* The names of the persons a WHO value names, joined with "; ". */
static void names(out *o, const scr_doc *doc, scr_str who, scr_buf *scratch) {
  scratch->len = 0;
  size_t i = 0;
  while (i < who.len) {
    while (i < who.len && who.ptr[i] == ' ') i++;
    size_t start = i;
    while (i < who.len && who.ptr[i] != ' ') i++;
    if (i == start) break;
    const scr_person *p = scr_doc_find_person(doc, who.ptr + start, i - start);
    scr_str name =
        p && scr_person_name_count(p) ? scr_person_name(p, 0) : (scr_str){who.ptr + start, i - start};
    if ((scratch->len && scr_buf_put(scratch, "; ", 2)) || scr_buf_put(scratch, name.ptr, name.len))
      o->failed = 1;
  }
  field(o, scratch->data ? scratch->data : "", scratch->len);
}

/* Finds the rows (one walk) and writes them, without the header line. */
static int rows(const scr_doc *doc, style st, scr_buf *buf, scr_diag *diag) {
  out o = {.buf = buf, .st = st, .first = 1};
  scr_buf dip = {0}, scratch = {0};
  row *rs = NULL;
  size_t nrows = 0, cap = 0, *open = NULL, nopen = 0, opencap = 0;
  if (scr_node_flatten(scr_doc_root(doc), 1, &dip)) o.failed = 1;
  uint64_t cp = 0, bytes = 0;
  size_t paragraphs = 0, cur_para = 0, turns = 0, quotes = 0, reported = 0;
  scr_node_type block = SCR_NODE_DOCUMENT;
  scr_iter it;
  scr_iter_init(&it, scr_doc_root(doc));
  scr_event ev;
  while (!o.failed && (ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    const scr_node *n = scr_iter_node(&it);
    scr_node_type t = scr_node_get_type(n);
    if (ev == SCR_EVENT_ENTER) {
      scr_str before = scr_node_attr(n, SCR_ATTR_BEFORE);
      cp += code_points(before), bytes += before.len;
      if (t == SCR_NODE_TURN || t == SCR_NODE_QUOTE) {
        if (nrows == cap) {
          size_t ncap = cap ? 2 * cap : 64;
          row *grown = realloc(rs, ncap * sizeof *grown);
          if (!grown) {
            o.failed = 1;
            break;
          }
          rs = grown, cap = ncap;
        }
        if (nopen == opencap) {
          size_t ncap = opencap ? 2 * opencap : 16;
          size_t *grown = realloc(open, ncap * sizeof *grown);
          if (!grown) {
            o.failed = 1;
            break;
          }
          open = grown, opencap = ncap;
        }
        rs[nrows] = (row){.node = n,
                          .block = t == SCR_NODE_TURN ? t : block,
                          .n = t == SCR_NODE_TURN ? ++turns
                               : indirect(n)       ? ++reported
                                                   : ++quotes,
                          .paragraph = cur_para,
                          .start = cp,
                          .byte_start = bytes};
        open[nopen++] = nrows++;
      }
      if (t == SCR_NODE_PARAGRAPH) {
        cur_para = ++paragraphs;
        /* a turn's paragraph is the first one it holds */
        for (size_t k = nopen; k-- > 0;)
          if (scr_node_get_type(rs[open[k]].node) == SCR_NODE_TURN) {
            if (!rs[open[k]].paragraph) rs[open[k]].paragraph = cur_para;
            break;
          }
      }
      if (scr_node_type_is_block(t) && t != SCR_NODE_DOCUMENT) block = t;
      if (t == SCR_NODE_TEXT) {
        scr_str s = scr_node_text(n);
        cp += code_points(s), bytes += s.len;
      }
      if (t == SCR_NODE_INSERTION) cp++, bytes++;
    } else {
      if (t == SCR_NODE_INSERTION) cp++, bytes++;
      if (nopen && rs[open[nopen - 1]].node == n) {
        row *r = &rs[open[--nopen]];
        r->end = cp, r->byte_end = bytes;
      }
      if (t == SCR_NODE_PARAGRAPH) cur_para = 0;
      if (scr_node_type_is_block(t) && t != SCR_NODE_DOCUMENT) {
        /* a block's parent is a block: the one the walk is back in */
        const scr_node *p = scr_node_parent(n);
        block = p ? scr_node_get_type(p) : SCR_NODE_DOCUMENT;
      }
      scr_str after = scr_node_attr(n, SCR_ATTR_AFTER);
      cp += code_points(after), bytes += after.len;
    }
  }
  if (!o.failed && bytes != dip.len) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tables",
                    "internal error: the offsets walked (%llu bytes) do not end at the "
                    "diplomatic edition's length (%zu)",
                    (unsigned long long)bytes, dip.len);
    free(rs), free(open), scr_buf_free(&dip), scr_buf_free(&scratch);
    return -1;
  }
  scr_str id = scr_doc_meta(doc, SCR_META_ID);
  if (!id.len) id = scr_doc_meta(doc, SCR_META_SOURCE);
  scr_str date = scr_doc_meta(doc, SCR_META_DATE), place = scr_doc_meta(doc, SCR_META_PLACE);
  for (size_t i = 0; i < nrows && !o.failed; i++) {
    const row *r = &rs[i];
    const scr_node *n = r->node;
    int turn = scr_node_get_type(n) == SCR_NODE_TURN;
    scr_str who = scr_node_attr(n, SCR_ATTR_WHO);
    fstr(&o, id);
    fstr(&o, date);
    fstr(&o, place);
    if (!turn && indirect(n)) field(&o, "reported", 8); /* "Mr Putin said that …" */
    else field(&o, turn ? "turn" : "quote", turn ? 4 : 5);
    fnum(&o, r->n);
    const char *bn = scr_node_type_name(r->block);
    field(&o, bn ? bn : "", bn ? strlen(bn) : 0);
    if (r->paragraph) fnum(&o, r->paragraph);
    else field(&o, "", 0);
    fstr(&o, who);
    names(&o, doc, who, &scratch);
    fstr(&o, scr_node_attr(n, SCR_ATTR_METHOD));
    fstr(&o, scr_node_attr(n, SCR_ATTR_CERT));
    fstr(&o, scr_node_attr(n, SCR_ATTR_ID));
    fstr(&o, scr_node_attr(n, SCR_ATTR_NEXT));
    fstr(&o, scr_node_attr(n, SCR_ATTR_PREV));
    fnum(&o, r->start);
    fnum(&o, r->end);
    fnum(&o, r->byte_start);
    fnum(&o, r->byte_end);
    field(&o, dip.data + r->byte_start, (size_t)(r->byte_end - r->byte_start));
    endrow(&o);
  }
  free(rs);
  free(open);
  scr_buf_free(&dip);
  scr_buf_free(&scratch);
  if (o.failed) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tables", "out of memory");
    return -1;
  }
  return 0;
}

static int write_table(const scr_doc *doc, scr_buf *buf, style st, scr_diag *diag) {
  out o = {.buf = buf, .st = st, .first = 1};
  header_line(&o);
  if (o.failed) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tables", "out of memory");
    return -1;
  }
  return rows(doc, st, buf, diag);
}

static int tsv_write(const scr_doc *doc, scr_buf *buf, const scr_options *opts, scr_diag *diag) {
  (void)opts;
  return write_table(doc, buf, TSV, diag);
}
static int csv_write(const scr_doc *doc, scr_buf *buf, const scr_options *opts, scr_diag *diag) {
  (void)opts;
  return write_table(doc, buf, CSV, diag);
}

/* ---- corpus: one table for all documents -----------------------------------
 * HEAD is the header line, BODY every document's rows (rendered on the
 * worker, one block), TAIL empty. The state is only the style. */

typedef struct part {
  size_t len;
  char bytes[];
} part;

static part *prepare(const scr_doc *doc, style st, scr_diag *diag) {
  scr_buf b = {0};
  if (rows(doc, st, &b, diag)) {
    scr_buf_free(&b);
    return NULL;
  }
  part *p = malloc(sizeof *p + b.len);
  if (!p) {
    scr_buf_free(&b);
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tables", "out of memory");
    return NULL;
  }
  p->len = b.len;
  if (b.len) memcpy(p->bytes, b.data, b.len);
  scr_buf_free(&b);
  return p;
}

static void *tsv_prepare(const scr_doc *doc, const char *path, const scr_options *opts,
                         scr_diag *diag) {
  (void)path, (void)opts;
  return prepare(doc, TSV, diag);
}
static void *csv_prepare(const scr_doc *doc, const char *path, const scr_options *opts,
                         scr_diag *diag) {
  (void)path, (void)opts;
  return prepare(doc, CSV, diag);
}

static int merge(void *state, void *prepared, scr_buf *body, scr_diag *diag) {
  part *p = prepared;
  int rc = 0;
  if (state && body && scr_buf_put(body, p->bytes, p->len)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tables", "out of memory");
    rc = -1;
  }
  free(p);
  return rc;
}

static style styles[2] = {TSV, CSV};
static void *tsv_open(const scr_options *opts, scr_diag *diag) {
  (void)opts, (void)diag;
  return &styles[0];
}
static void *csv_open(const scr_options *opts, scr_diag *diag) {
  (void)opts, (void)diag;
  return &styles[1];
}
static int add(void *state, const scr_doc *doc, const char *path, scr_buf *body, scr_diag *diag) {
  (void)path;
  part *p = prepare(doc, *(style *)state, diag);
  return p ? merge(state, p, body, diag) : -1;
}
static int close_(void *state, scr_buf *head, scr_buf *tail, scr_diag *diag) {
  (void)tail;
  if (!head) return 0;
  out o = {.buf = head, .st = *(style *)state, .first = 1};
  header_line(&o);
  if (o.failed) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "tables", "out of memory");
    return -1;
  }
  return 0;
}

static const char *const tsv_ext[] = {"tsv", NULL};
static const char *const csv_ext[] = {"csv", NULL};

static const scr_writer tsv = {
    .struct_size = sizeof(scr_writer),
    .format = "tsv",
    .description = "a table of turns and quotations, tab-separated (\\t \\n \\r \\\\ escaped), "
                   "offsets into the diplomatic edition; one table for a corpus",
    .extensions = tsv_ext,
    .media_type = "text/tab-separated-values",
    .write = tsv_write,
    .corpus_open = tsv_open,
    .corpus_add = add,
    .corpus_close = close_,
    .corpus_prepare = tsv_prepare,
    .corpus_merge = merge,
};

static const scr_writer csv = {
    .struct_size = sizeof(scr_writer),
    .format = "csv",
    .description = "the same table as tsv, comma-separated with RFC 4180 quoting and CRLF",
    .extensions = csv_ext,
    .media_type = "text/csv",
    .write = csv_write,
    .corpus_open = csv_open,
    .corpus_add = add,
    .corpus_close = close_,
    .corpus_prepare = csv_prepare,
    .corpus_merge = merge,
};

static const scr_writer *const writers[] = {&tsv, &csv, NULL};

static const scr_plugin descriptor = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = "tables",
    .version = "0.1.0",
    .description = "tables of turns and quotations (TSV, CSV) for pandas, R and spreadsheets",
    .writers = writers,
};

SCR_PLUGIN_DEFINE(descriptor)
