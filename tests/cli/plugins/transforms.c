/* transforms.c - a plugin with transforms (ABI 1.3), for tests/cli/transforms.sh:
 * a reader of "TX" files (one paragraph per line) whose documents get the
 * transform "mark" by default, a reader "ty" that wants a transform no
 * plugin has, and transforms that keep the contract (mark, note) and that
 * break it (upper changes a character, drop removes a block). */
#include <stdlib.h>
#include <string.h>

#include <scriptorium/plugin.h>

static int probe_tx(const char *data, size_t len) {
  return len >= 3 && memcmp(data, "TX\n", 3) == 0 ? 90 : 0;
}

static int probe_ty(const char *data, size_t len) {
  return len >= 3 && memcmp(data, "TY\n", 3) == 0 ? 90 : 0;
}

/* Every line after the first is a paragraph. */
static int read_lines(scr_doc *doc, const scr_input *in, const scr_options *o, scr_diag *diag) {
  (void)o, (void)diag;
  const char *p = memchr(in->data, '\n', in->len);
  const char *end = in->data + in->len;
  unsigned line = 2;
  for (p = p ? p + 1 : end; p < end; line++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    scr_pos pos = {line, 1, (uint64_t)(p - in->data)};
    scr_node *para = scr_node_new(doc, SCR_NODE_PARAGRAPH, pos);
    scr_node *text = scr_node_new_text(doc, p, len, pos);
    if (!para || !text) return -1;
    scr_node_append(para, text);
    scr_node_append(scr_doc_root(doc), para);
    p += len + 1;
  }
  return 0;
}

/* The first paragraph's first word becomes a PERSON: structure only. */
static int mark(scr_doc *doc, const scr_options *o, scr_diag *diag) {
  (void)o, (void)diag;
  scr_node *para = scr_node_first_child(scr_doc_root(doc));
  scr_node *text = para ? scr_node_first_child(para) : NULL;
  if (!text || scr_node_get_type(text) != SCR_NODE_TEXT) return 0;
  scr_str s = scr_node_text(text);
  size_t w = 0;
  while (w < s.len && s.ptr[w] != ' ') w++;
  if (w == 0) return 0;
  scr_node *person = scr_node_new(doc, SCR_NODE_PERSON, scr_node_pos(text));
  scr_node *word = scr_node_new_text(doc, s.ptr, w, scr_node_pos(text));
  if (!person || !word) return -1;
  scr_node_append(person, word);
  scr_node_insert_before(text, person);
  scr_node_set_text(text, s.ptr + w, s.len - w);
  return scr_node_set_attr(doc, person, SCR_ATTR_WHO, "first", 5);
}

/* Adds a document note (the option's text): not text of a block. */
static int note(scr_doc *doc, const scr_options *o, scr_diag *diag) {
  (void)diag;
  const char *t = scr_options_get(o, "text");
  return scr_doc_add_note(doc, t, strlen(t));
}

/* Breaks the contract: changes the first character of the last paragraph. */
static int upper(scr_doc *doc, const scr_options *o, scr_diag *diag) {
  (void)o, (void)diag;
  scr_node *para = scr_node_last_child(scr_doc_root(doc));
  scr_node *text = para ? scr_node_first_child(para) : NULL;
  if (!text || scr_node_get_type(text) != SCR_NODE_TEXT) return 0;
  scr_str s = scr_node_text(text);
  scr_str copy = scr_doc_strdup(doc, s.ptr, s.len);
  if (!copy.ptr) return -1;
  if (copy.len && copy.ptr[0] >= 'a' && copy.ptr[0] <= 'z') ((char *)copy.ptr)[0] -= 32;
  scr_node_set_text(text, copy.ptr, copy.len);
  return 0;
}

/* Breaks the contract: removes the last paragraph. */
static int drop(scr_doc *doc, const scr_options *o, scr_diag *diag) {
  (void)o, (void)diag;
  scr_node *para = scr_node_last_child(scr_doc_root(doc));
  if (para) scr_node_unlink(para);
  return 0;
}

/* Fails, as a transform that found a problem does. */
static int refuse(scr_doc *doc, const scr_options *o, scr_diag *diag) {
  (void)doc, (void)o;
  scr_diag_report(diag, SCR_ERROR, (scr_pos){2, 1, 0}, "refuse", "refused by the transform");
  return -1;
}

static const char *const tx_ext[] = {"tx", NULL};
static const char *const ty_ext[] = {"ty", NULL};
static const char *const tx_defaults[] = {"mark", NULL};
static const char *const ty_defaults[] = {"absent", NULL};

static const scr_reader tx = {
    .struct_size = sizeof(scr_reader),
    .format = "tx",
    .description = "test lines, marked by default",
    .extensions = tx_ext,
    .probe = probe_tx,
    .read = read_lines,
    .default_transforms = tx_defaults,
};

static const scr_reader ty = {
    .struct_size = sizeof(scr_reader),
    .format = "ty",
    .description = "test lines that want a transform nobody has",
    .extensions = ty_ext,
    .probe = probe_ty,
    .read = read_lines,
    .default_transforms = ty_defaults,
};

static const scr_option_spec note_options[] = {
    {.name = "text", .type = SCR_OPT_STRING, .default_value = "noted", .help = "the note"},
};

#define TRANSFORM(var, nm, fn, desc, ...) \
  static const scr_transform var = {.struct_size = sizeof(scr_transform), .name = nm, \
                                    .description = desc, .run = fn, __VA_ARGS__}
TRANSFORM(t_mark, "mark", mark, "marks the first word as a person", .option_count = 0);
TRANSFORM(t_note, "note", note, "adds a note", .options = note_options, .option_count = 1);
TRANSFORM(t_upper, "upper", upper, "breaks the contract: changes a letter", .option_count = 0);
TRANSFORM(t_drop, "drop", drop, "breaks the contract: drops a block", .option_count = 0);
TRANSFORM(t_refuse, "refuse", refuse, "fails", .option_count = 0);

static const scr_reader *const readers[] = {&tx, &ty, NULL};
static const scr_transform *const transforms[] = {&t_mark, &t_note, &t_upper, &t_drop,
                                                  &t_refuse, NULL};

static const scr_plugin descriptor = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = "transforms-test",
    .version = "1.0.0",
    .description = "transforms for the tests",
    .readers = readers,
    .transforms = transforms,
};

SCR_PLUGIN_DEFINE(descriptor)
