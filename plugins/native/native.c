/* native.c - the `native` writer: a readable, deterministic dump of the
 * tree, one node per line, indented by depth. It is the golden-test format
 * for readers: a reviewer can check every node against the source.
 *
 *   document
 *     meta title "Negotiations with ..."
 *     meta licence "https://…" inferred=medium   (a value the converter inferred)
 *     person lukashenko
 *       name "Aleksandr Lukashenko"
 *     paragraph @4:1
 *       text "Belarus and "
 *       quote who=lukashenko method=name cert=high
 *
 * Strings are quoted with C-like escapes for control characters, quotes and
 * backslashes; other UTF-8 is written as is. BEFORE/AFTER are left out
 * unless the option `layout` is true; positions only with `positions`.
 * The walk uses scr_iter: no recursion, whatever the depth. Indentation is
 * capped so that a pathologically deep tree still gives linear output. */
#include <string.h>

#include <scriptorium/plugin.h>

#define MAX_INDENT 40

static int put_quoted(scr_buf *out, scr_str s) {
  if (scr_buf_putc(out, '"')) return -1;
  size_t run = 0;
  for (size_t i = 0; i < s.len; i++) {
    unsigned char c = (unsigned char)s.ptr[i];
    const char *esc = NULL;
    char hex[8];
    switch (c) {
    case '"': esc = "\\\""; break;
    case '\\': esc = "\\\\"; break;
    case '\n': esc = "\\n"; break;
    case '\r': esc = "\\r"; break;
    case '\t': esc = "\\t"; break;
    default:
      if (c < 0x20 || c == 0x7f) {
        static const char digits[] = "0123456789abcdef";
        hex[0] = '\\', hex[1] = 'x', hex[2] = digits[c >> 4],
        hex[3] = digits[c & 15], hex[4] = 0;
        esc = hex;
      }
    }
    if (!esc) continue;
    if (scr_buf_put(out, s.ptr + run, i - run) || scr_buf_puts(out, esc))
      return -1;
    run = i + 1;
  }
  if (scr_buf_put(out, s.ptr + run, s.len - run)) return -1;
  return scr_buf_putc(out, '"');
}

static int indent(scr_buf *out, size_t depth) {
  size_t n = depth < MAX_INDENT ? depth : MAX_INDENT;
  for (size_t i = 0; i < n; i++)
    if (scr_buf_put(out, "  ", 2)) return -1;
  if (depth > MAX_INDENT && scr_buf_printf(out, "<%zu> ", depth)) return -1;
  return 0;
}

/* An attribute value is written bare when it is a simple token, quoted
 * otherwise, so that the dump stays readable and unambiguous. */
static int put_value(scr_buf *out, scr_str v) {
  int bare = v.len > 0;
  for (size_t i = 0; i < v.len && bare; i++) {
    unsigned char c = (unsigned char)v.ptr[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
          c == ':'))
      bare = 0;
  }
  return bare ? scr_buf_put(out, v.ptr, v.len) : put_quoted(out, v);
}

static int write_header(const scr_doc *doc, scr_buf *out) {
  if (scr_buf_puts(out, "document\n")) return -1;
  for (int k = 0; k < (int)scr_meta_count(); k++) {
    scr_str v = scr_doc_meta(doc, (scr_meta)k);
    if (!v.ptr) continue;
    /* The path as given depends on where the converter ran; its last
     * component does not, and golden files must not either. */
    if (k == SCR_META_SOURCE)
      for (size_t i = v.len; i > 0; i--)
        if (v.ptr[i - 1] == '/') {
          v.ptr += i, v.len -= i;
          break;
        }
    scr_str cert = scr_doc_meta_cert(doc, (scr_meta)k);
    if (scr_buf_printf(out, "  meta %s ", scr_meta_name((scr_meta)k)) || put_quoted(out, v) ||
        (cert.len && scr_buf_printf(out, " inferred=%.*s", (int)cert.len, cert.ptr)) ||
        scr_buf_putc(out, '\n'))
      return -1;
  }
  /* persons as TEI lists them: those taking part (or not said not to),
   * then those only mentioned; each group in the tree's order */
  for (int mentioned = 0; mentioned < 2; mentioned++)
    for (size_t i = 0; i < scr_doc_person_count(doc); i++) {
      const scr_person *p = scr_doc_person_at(doc, i);
      scr_participation pa = scr_person_participation(p);
      if ((pa == SCR_PARTICIPATION_MENTIONED) != mentioned) continue;
      scr_str id = scr_person_id(p), er = scr_person_event_role(p);
      if (scr_buf_puts(out, "  person ") || scr_buf_put(out, id.ptr, id.len) ||
          (pa == SCR_PARTICIPATION_PARTICIPANT && scr_buf_puts(out, " participant")) ||
          (pa == SCR_PARTICIPATION_MENTIONED && scr_buf_puts(out, " mentioned")) ||
          (er.len && (scr_buf_puts(out, " role=") || put_quoted(out, er))) ||
          scr_buf_putc(out, '\n'))
        return -1;
      for (size_t j = 0; j < scr_person_name_count(p); j++)
        if (scr_buf_puts(out, "    name ") || put_quoted(out, scr_person_name(p, j)) ||
            scr_buf_putc(out, '\n'))
          return -1;
      for (size_t j = 0; j < scr_person_role_count(p); j++) {
        scr_str when = scr_person_role_when(p, j);
        if (scr_buf_puts(out, "    role ") || put_quoted(out, scr_person_role(p, j)) ||
            (when.len && (scr_buf_puts(out, " when=") || put_quoted(out, when))) ||
            scr_buf_putc(out, '\n'))
          return -1;
      }
      scr_str nat = scr_person_nationality(p);
      if (nat.ptr && (scr_buf_puts(out, "    nationality ") || put_quoted(out, nat) ||
                      scr_buf_putc(out, '\n')))
        return -1;
      for (size_t j = 0; j < scr_person_idno_count(p); j++)
        if (scr_buf_puts(out, "    idno ") || put_quoted(out, scr_person_idno_type(p, j)) ||
            scr_buf_putc(out, ' ') || put_quoted(out, scr_person_idno_value(p, j)) ||
            scr_buf_putc(out, '\n'))
          return -1;
    }
  for (size_t i = 0; i < scr_doc_keyword_count(doc); i++) {
    scr_str scheme = scr_doc_keyword_scheme(doc, i), ref = scr_doc_keyword_ref(doc, i);
    if (scr_buf_puts(out, "  keyword ") || put_quoted(out, scr_doc_keyword_term(doc, i)) ||
        (scheme.len && (scr_buf_puts(out, " scheme=") || put_quoted(out, scheme))) ||
        (ref.len && (scr_buf_puts(out, " ref=") || put_quoted(out, ref))) ||
        scr_buf_putc(out, '\n'))
      return -1;
  }
  for (size_t i = 0; i < scr_doc_note_count(doc); i++)
    if (scr_buf_puts(out, "  note ") || put_quoted(out, scr_doc_note(doc, i)) ||
        scr_buf_putc(out, '\n'))
      return -1;
  return 0;
}

static int write_node(const scr_node *n, size_t depth, int layout,
                      int positions, scr_buf *out) {
  scr_node_type t = scr_node_get_type(n);
  if (indent(out, depth) || scr_buf_puts(out, scr_node_type_name(t)))
    return -1;
  if (positions) {
    scr_pos pos = scr_node_pos(n);
    if (pos.line && scr_buf_printf(out, " @%u:%u", (unsigned)pos.line,
                                   (unsigned)pos.column))
      return -1;
  }
  for (int k = 0; k < (int)scr_attr_count(); k++) {
    if (!layout && (k == SCR_ATTR_BEFORE || k == SCR_ATTR_AFTER)) continue;
    scr_str v = scr_node_attr(n, (scr_attr)k);
    if (!v.ptr) continue;
    if (scr_buf_printf(out, " %s=", scr_attr_name((scr_attr)k)) ||
        put_value(out, v))
      return -1;
  }
  if (t == SCR_NODE_TEXT &&
      (scr_buf_putc(out, ' ') || put_quoted(out, scr_node_text(n))))
    return -1;
  return scr_buf_putc(out, '\n');
}

static int native_write(const scr_doc *doc, scr_buf *out,
                        const scr_options *opts, scr_diag *diag) {
  int layout = scr_options_get_bool(opts, "layout", 0);
  int positions = scr_options_get_bool(opts, "positions", 0);
  if (write_header(doc, out)) goto oom;
  scr_node *root = scr_doc_root(doc);
  scr_iter it;
  scr_event ev;
  size_t depth = 0;
  scr_iter_init(&it, root);
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    if (ev == SCR_EVENT_EXIT) {
      if (scr_iter_node(&it) != root) depth--;
      continue;
    }
    if (scr_iter_node(&it) == root) {
      /* The root's own layout (a byte order mark, leading blank lines). */
      if (layout) {
        for (int k = SCR_ATTR_BEFORE; k <= SCR_ATTR_AFTER; k++) {
          scr_str v = scr_node_attr(root, (scr_attr)k);
          if (v.ptr && (scr_buf_printf(out, "  root-%s ",
                                       scr_attr_name((scr_attr)k)) ||
                        put_quoted(out, v) || scr_buf_putc(out, '\n')))
            goto oom;
        }
      }
      continue;
    }
    depth++;
    if (write_node(scr_iter_node(&it), depth, layout, positions, out)) goto oom;
  }
  return 0;
oom:
  scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
  return -1;
}

static const char *const extensions[] = {"tree", NULL};

static const scr_option_spec options[] = {
    {.name = "layout",
     .type = SCR_OPT_BOOL,
     .default_value = "false",
     .help = "also dump the before/after layout attributes"},
    {.name = "positions",
     .type = SCR_OPT_BOOL,
     .default_value = "false",
     .help = "also dump each node's source line and column"},
};

static const scr_writer writer = {
    .struct_size = sizeof(scr_writer),
    .format = "native",
    .description = "readable indented dump of the tree (golden tests)",
    .extensions = extensions,
    .media_type = "text/plain",
    .options = options,
    .option_count = sizeof options / sizeof options[0],
    .write = native_write,
};

static const scr_writer *const writers[] = {&writer, NULL};

static const scr_plugin descriptor = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = "native",
    .version = "0.1.0",
    .description = "the tree as a readable dump",
    .readers = NULL,
    .writers = writers,
    .validators = NULL,
};

SCR_PLUGIN_DEFINE(descriptor)
