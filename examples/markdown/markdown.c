/* markdown.c - an example Scriptorium plugin, built outside the tree
 * against the installed SDK: a Markdown writer.
 *
 * It shows the whole contract in one file: the descriptor, a writer that
 * walks the tree with the iterator (never recursion), an option checked by
 * the host, errors reported through scr_diag, and output appended to the
 * host's buffer (the host writes the file atomically). */
#include <string.h>

#include <scriptorium/plugin.h>

/* Appends text, escaping the characters Markdown would read as markup at
 * the start of a line or around words. */
static int put_escaped(scr_buf *out, scr_str s) {
  for (size_t i = 0; i < s.len; i++) {
    char c = s.ptr[i];
    if (c == '*' || c == '_' || c == '`' || c == '\\' || c == '[' || c == ']')
      if (scr_buf_putc(out, '\\')) return -1;
    if (c == '\n') c = ' '; /* a paragraph stays on one line */
    if (scr_buf_putc(out, c)) return -1;
  }
  return 0;
}

static int write_markdown(const scr_doc *doc, scr_buf *out,
                          const scr_options *opts, scr_diag *diag) {
  int speakers_bold = scr_options_get_bool(opts, "bold-speakers", 1);
  int rc = 0;
  scr_iter it;
  scr_event ev;
  scr_iter_init(&it, scr_doc_root(doc));
  while (rc == 0 && (ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    const scr_node *n = scr_iter_node(&it);
    scr_node_type t = scr_node_get_type(n);
    int enter = ev == SCR_EVENT_ENTER;
    switch (t) {
    case SCR_NODE_TITLE:
      /* The title the scrape repeated is not printed twice. */
      if (scr_node_attr(n, SCR_ATTR_KIND).len) {
        if (enter) scr_iter_skip_children(&it);
        break;
      }
      rc = scr_buf_puts(out, enter ? "# " : "\n\n");
      break;
    case SCR_NODE_HEADING:
      rc = scr_buf_puts(out, enter ? "## " : "\n\n");
      break;
    case SCR_NODE_SPEAKER:
      /* a label may end in the no-break space it was printed with;
       * Markdown closes bold only right after a non-space */
      while (!enter && out->len &&
             (out->data[out->len - 1] == ' ' ||
              (out->len >= 2 && (unsigned char)out->data[out->len - 2] == 0xC2 &&
               (unsigned char)out->data[out->len - 1] == 0xA0)))
        out->len -= out->data[out->len - 1] == ' ' ? 1 : 2;
      if (speakers_bold) rc = scr_buf_puts(out, "**");
      if (!enter && rc == 0) rc = scr_buf_putc(out, ' ');
      break;
    case SCR_NODE_PARAGRAPH:
    case SCR_NODE_LEAD:
    case SCR_NODE_DATELINE:
    case SCR_NODE_FOOTER:
      if (!enter) rc = scr_buf_puts(out, "\n\n");
      break;
    case SCR_NODE_FIGURE:
      rc = scr_buf_puts(out, enter ? "*Photo:* " : "\n\n");
      break;
    case SCR_NODE_SEPARATOR:
      if (enter) {
        rc = scr_buf_puts(out, "---\n\n");
        scr_iter_skip_children(&it); /* its text is replaced by the rule */
      }
      break;
    case SCR_NODE_MEDIA:
      if (enter) scr_iter_skip_children(&it); /* not running text */
      break;
    case SCR_NODE_INSERTION:
      rc = scr_buf_putc(out, enter ? '[' : ']');
      break;
    case SCR_NODE_CORRECTION:
      if (enter) {
        rc = put_escaped(out, scr_node_attr(n, SCR_ATTR_CORRECTED));
        scr_iter_skip_children(&it); /* print the corrected form only */
      }
      break;
    case SCR_NODE_TEXT:
      if (enter) rc = put_escaped(out, scr_node_text(n));
      break;
    default:
      break;
    }
  }
  if (rc != 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    return -1;
  }
  return 0;
}

static const char *const extensions[] = {"md", NULL};

static const scr_option_spec options[] = {
    {.name = "bold-speakers",
     .type = SCR_OPT_BOOL,
     .default_value = "true",
     .help = "print speaker labels in bold"},
};

static const scr_writer writer = {
    .struct_size = sizeof(scr_writer),
    .format = "markdown",
    .description = "Markdown reading copy (example plugin)",
    .extensions = extensions,
    .media_type = "text/markdown",
    .options = options,
    .option_count = sizeof options / sizeof options[0],
    .write = write_markdown,
};

static const scr_writer *const writers[] = {&writer, NULL};

static const scr_plugin descriptor = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = "markdown",
    .version = "1.0.0",
    .description = "example: Markdown out",
    .writers = writers,
};

SCR_PLUGIN_DEFINE(descriptor)
