/*
 * scriptorium/plugin.h - the plugin ABI.
 *
 * A plugin is a shared object that exports one function,
 *
 *     const scr_plugin *scriptorium_plugin(void);
 *
 * returning a pointer to a `static const` descriptor. The host calls it
 * before running any other plugin code and checks the descriptor: ABI major
 * must equal the host's, ABI minor must be at most the host's, the required
 * fields must be set, and no two plugins may claim one format name in the
 * same direction. Use SCR_PLUGIN_DEFINE to write the entry function.
 *
 * ABI rules: a minor version may only add fields at the end of the
 * descriptors below that begin with their size (scr_plugin, scr_reader,
 * scr_transform, scr_writer, scr_validator: the host reads only what a
 * plugin built against an older minor provides), add functions to the
 * library, and add node types, attributes and metadata keys at the end of
 * their enums (loop to scr_attr_count() and the like, not to the SDK's
 * constants, and classify types with scr_node_type_is_block()).
 * scr_option_spec and scr_iter have no size field and never change within
 * a major. Removing or changing anything is a major version.
 *
 * Memory: descriptors are static and owned by the plugin. A reader fills the
 * scr_doc it is given (the host owns it). A transform enriches that document
 * in place, allocating from it. A writer appends to the scr_buf it is given
 * (the host owns it and writes it out atomically). Plugins never print: they
 * report through scr_diag.
 *
 * The pipeline: reader -> transforms (the reader's defaults, as the user
 * changed them) -> writers.
 */
#ifndef SCRIPTORIUM_PLUGIN_H
#define SCRIPTORIUM_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include "tree.h"
#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SCR_ABI_MAJOR 1
#define SCR_ABI_MINOR 8

/* ABI history:
 *   1.0  the first ABI.
 *   1.1  scr_plugin.init (a plugin built for 1.0 has a struct_size that ends
 *        before it, and is still accepted).
 *   1.2  scr_writer.corpus_prepare and corpus_merge (a writer built for 1.1
 *        ends before them; the host then calls corpus_add).
 *   1.3  transforms: scr_plugin.transforms and scr_reader.default_transforms
 *        (a descriptor built for 1.2 ends before them: no transforms).
 *   1.4  no descriptor changes: the library's counts of node types,
 *        attributes and metadata keys (scr_node_type_count, scr_attr_count,
 *        scr_meta_count), so that a plugin loops over what the running
 *        library knows, not what its SDK knew; scr_iter_node; the corpus
 *        API of scriptorium.h (scr_corpus_*), for hosts; and archives:
 *        scr_plugin.archives (a descriptor built for 1.3 ends before
 *        them: no archives).
 *   1.5  no descriptor changes: the provenance metadata keys (url, licence,
 *        retrieved, citation, sha256) at the end of scr_meta.
 *   1.6  no descriptor changes: a document's keywords (scr_doc_add_keyword
 *        and the accessors), the subject terms its source gives it; and
 *        scr_person_name_id and scr_person_id_typo, the one rule for the id
 *        of a person named in a text and for a misspelt one (util.h).
 *   1.7  no descriptor changes: a person's participation in the event
 *        (scr_person_set_participation: taking part or only mentioned), role
 *        in it (scr_person_set_event_role: host, guest, delegation), offices dated
 *        (scr_person_set_role_when)
 *        and external identifiers (scr_person_add_idno: wikidata, viaf,
 *        gnd, URL) (tree.h); metadata marked as inferred
 *        (scr_doc_set_meta_cert, scr_doc_meta_cert); scr_iso_date, the
 *        one check of a date's shape (util.h).
 *   1.8  no descriptor changes: SCR_ATTR_URL at the end of scr_attr (a
 *        FIGURE's photo). */

/** The name of the symbol every plugin exports. */
#define SCR_PLUGIN_ENTRY "scriptorium_plugin"

/* ---- options ---------------------------------------------------------------- */

typedef enum scr_option_type {
  SCR_OPT_STRING = 0,
  SCR_OPT_BOOL,   /* true/false, yes/no, 1/0 */
  SCR_OPT_INT,    /* decimal, within [min, max] */
  SCR_OPT_CHOICE, /* one of `choices` */
  SCR_OPT_PATH    /* a file path (checked when the plugin opens it) */
} scr_option_type;

/** One option a reader or writer accepts. The host checks --set KEY=VALUE
 * against this table before the plugin runs.
 *
 * Unlike the descriptors, this struct has no size field: plugins give an
 * array of it (`options`, `option_count`) and the host indexes it with its
 * own sizeof, so its size and layout are frozen for ABI major 1. No field
 * can be added to it in a minor version; a new kind of option needs a new
 * option type within these fields, or a new major. */
typedef struct scr_option_spec {
  const char *name;            /* "width" */
  scr_option_type type;
  const char *default_value;   /* as text; NULL: unset */
  const char *help;            /* one line */
  const char *const *choices;  /* SCR_OPT_CHOICE: NULL-terminated */
  long min, max;               /* SCR_OPT_INT */
} scr_option_spec;

/** The options a plugin is run with: the table's defaults overridden by the
 * user's values, already checked. Owned by the host. */
typedef struct scr_options scr_options;

/** The option's value as text (the default when the user set none; NULL if
 * it has neither). */
SCR_API const char *scr_options_get(const scr_options *o, const char *name);
/** The value as a boolean / integer (the caller passes a fallback). */
SCR_API int scr_options_get_bool(const scr_options *o, const char *name,
                                 int fallback);
SCR_API long scr_options_get_int(const scr_options *o, const char *name,
                                 long fallback);
/** The number of options and the i-th name and value, in table order
 * (writers record the options used in their output). */
SCR_API size_t scr_options_count(const scr_options *o);
SCR_API const char *scr_options_name(const scr_options *o, size_t i);
SCR_API const char *scr_options_value(const scr_options *o, size_t i);

/* ---- input ---------------------------------------------------------------- */

/** What a reader reads: the whole input in memory. */
typedef struct scr_input {
  size_t struct_size;
  const char *path;  /* as the user named it; "-" for stdin */
  const char *data;  /* the bytes (owned by the document, see below) */
  size_t len;
} scr_input;

/* ---- readers, writers, validators ----------------------------------------- */

/** A reader turns bytes into a tree.
 *
 * probe: pure, no side effects: how sure (0-100) the reader is that `data`
 *   (the first bytes of the input, at most 4096) is its format.
 * read:  fills `doc`, whose source (scr_doc_source) already holds the input
 *   bytes, so TEXT nodes may point into them. Returns 0, or -1 after
 *   reporting an error through `diag`. */
typedef struct scr_reader {
  size_t struct_size;
  const char *format;                 /* "text" */
  const char *description;            /* one line */
  const char *const *extensions;      /* NULL-terminated, without dot */
  const char *media_type;             /* "text/plain" */
  const scr_option_spec *options;
  size_t option_count;
  int (*probe)(const char *data, size_t len);
  int (*read)(scr_doc *doc, const scr_input *in, const scr_options *opts,
              scr_diag *diag);
  /* Since ABI 1.3; may be NULL. The transforms its documents get by
   * default, by name, in order (NULL-terminated); the user adds, drops and
   * reorders them (convert --transform, --no-transform). */
  const char *const *default_transforms;
} scr_reader;

/** A transform enriches a document tree (since ABI 1.3): who said what,
 * persons, names, dates, places.
 *
 * run: called on a worker thread after the reader (and after the
 *   transforms before it), with the document to change in place. It may only
 *   add structure: wrap runs of existing text in inline nodes (split a TEXT
 *   node, move the parts under a new node), set attributes, add persons,
 *   notes and dependencies (scr_doc_add_depend for every file it consults).
 *   It never adds, drops or changes a character of the text: the
 *   scr_node_flatten of every block is the same after as before, and the
 *   blocks are the same. Debug and sanitizer builds check this after every
 *   transform (and any build with SCRIPTORIUM_CHECK_TRANSFORMS=1), and fail
 *   the document naming the transform. Returns 0, or -1 after reporting an
 *   error through `diag` (the document then fails). Reentrant. */
typedef struct scr_transform {
  size_t struct_size;
  const char *name;                   /* "speech"; the key prefix of its options */
  const char *description;            /* one line */
  const scr_option_spec *options;
  size_t option_count;
  int (*run)(scr_doc *doc, const scr_options *opts, scr_diag *diag);
} scr_transform;

/** A writer turns a tree into bytes.
 *
 * write: appends one document to `out`. 0, or -1 after reporting an error.
 *
 * A writer may also write a corpus file that collects many documents (e.g. a
 * teiCorpus whose header defines every person once). It is streamed, so that
 * memory does not grow with the corpus (a corpus may hold 10,000 documents):
 * the file is HEAD + BODY + TAIL, where BODY is what corpus_add appends for
 * each document (the host moves it to disk after every call) and HEAD and
 * TAIL come from corpus_close, once every document has been seen (so a
 * header can list what all documents hold).
 * corpus_open: called once before the first document; returns a state, or
 *   NULL after reporting.
 * corpus_add:  called for each document, in input order, after the document's
 *   own file was written; `path` is that file's path relative to the
 *   directory of the corpus file (NULL if it was not written). Appends the
 *   document's part of the corpus to `body`. The document is freed after the
 *   call: keep only what the header needs (persons, ids), never the
 *   document. 0, or -1 after reporting.
 * corpus_close: appends the corpus file's beginning to `head` and its end to
 *   `tail`, and frees the state. Called once for every successful
 *   corpus_open, also after failures, then with `head` and `tail` NULL (free
 *   only). 0, or -1 after reporting.
 * The three are NULL for a writer without corpus files.
 *
 * Since ABI 1.2 a writer may split corpus_add in two, so that the costly
 * part runs on the worker threads beside `write` and the one thread that
 * assembles the corpus only merges (both set, or both NULL):
 * corpus_prepare: called on a worker thread, after the document's own file
 *   was written (`path` as for corpus_add); reentrant, sees no corpus state.
 *   Returns what corpus_merge needs, owned by the writer (the document is
 *   freed after the call: copy what you keep), or NULL after reporting an
 *   error (the document is then left out of the corpus).
 * corpus_merge: called instead of corpus_add, in input order, on one thread;
 *   appends the document's part to `body` and frees `prepared`. Called with
 *   `state`, `body` and `diag` NULL it only frees `prepared` (the corpus
 *   failed before the document reached it). 0, or -1 after reporting.
 *
 * Readers and writers must be reentrant: the host runs several documents at
 * once on worker threads (-j). */
typedef struct scr_writer {
  size_t struct_size;
  const char *format;                 /* "tei" */
  const char *description;
  const char *const *extensions;      /* first is the default output ext */
  const char *media_type;
  const scr_option_spec *options;
  size_t option_count;
  int (*write)(const scr_doc *doc, scr_buf *out, const scr_options *opts,
               scr_diag *diag);
  void *(*corpus_open)(const scr_options *opts, scr_diag *diag);
  int (*corpus_add)(void *state, const scr_doc *doc, const char *path,
                    scr_buf *body, scr_diag *diag);
  int (*corpus_close)(void *state, scr_buf *head, scr_buf *tail,
                      scr_diag *diag);
  /* Since ABI 1.2; optional (see above). */
  void *(*corpus_prepare)(const scr_doc *doc, const char *path,
                          const scr_options *opts, scr_diag *diag);
  int (*corpus_merge)(void *state, void *prepared, scr_buf *body,
                      scr_diag *diag);
} scr_writer;

/** Whether a descriptor built for an older minor ABI has `field` (its
 * struct_size reaches past it): read a field added after 1.0 only if so. */
#define SCR_HAS_FIELD(ptr, type, field)                                        \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof((ptr)->field))

/** A validator checks files of its format against a schema.
 *
 * open:  prepares (compiles a schema once); `schema` is a path or NULL for
 *   the plugin's default. Returns a state, or NULL after reporting.
 * check: checks one input; 0 valid, 1 invalid (problems reported), -1 error.
 * close: frees the state. */
typedef struct scr_validator {
  size_t struct_size;
  const char *format;
  const char *description;
  const char *const *extensions;
  int (*probe)(const char *data, size_t len);
  void *(*open)(const char *schema, scr_diag *diag);
  int (*check)(void *state, const scr_input *in, scr_diag *diag);
  void (*close)(void *state);
} scr_validator;

/** An archive holds many documents: a web archive (WARC) holds the pages
 * a crawler fetched. The host lists its members in order with `next`, then
 * has each loaded with `load` (on any thread, each with a state of its own
 * from `open`) and read by the reader that recognises it, as if it were a
 * file of its own named ARCHIVE#NAME.
 *
 * open: opens the file `path` for listing or loading; NULL after reporting.
 * next: the next member, in archive order, into *m (valid until the next
 *   call on the state): 1 a member, 0 the end, -1 when the rest of the
 *   archive cannot be read (reported; the members listed so far stand). A
 *   member that is there but cannot be converted (a damaged record) is
 *   listed with `error` set: the host reports it as that member's failure.
 *   Members that are not documents (a crawler's requests, images) are not
 *   listed; the archive says how many it passed over in a note.
 * load: the bytes of the member listed with `pos`, malloc'd (the host frees
 *   them) into *data and *len: 0, or -1 after reporting (a member whose
 *   digest does not match its record is such a failure). A state's loads
 *   come in increasing `pos` order when the host can manage it, which lets
 *   a stream be read forward.
 * close: frees a state. */
typedef struct scr_member {
  size_t struct_size;
  const char *name;         /* unique within the archive (e.g. the URI) */
  uint64_t pos[2];          /* where it is, for load (the archive's own) */
  uint64_t size;            /* its bytes, as far as known (for progress) */
  const char *format;       /* the reader to use, or NULL: detect */
  /* what the archive says of the document, as (name, value) pairs, NULL-
   * terminated: a name of scr_meta_name() sets that metadata key (such as
   * "source"); any other becomes a note of the document ("NAME: VALUE") */
  const char *const *meta;
  const char *error;        /* non-NULL: why this member cannot be read */
} scr_member;

typedef struct scr_archive {
  size_t struct_size;
  const char *format;               /* "warc" */
  const char *description;          /* one line */
  const char *const *extensions;    /* NULL-terminated, without dot ("warc.gz") */
  void *(*open)(const char *path, scr_diag *diag);
  int (*next)(void *state, scr_member *m, scr_diag *diag);
  int (*load)(void *state, const uint64_t pos[2], char **data, size_t *len,
              scr_diag *diag);
  void (*close)(void *state);
} scr_archive;

/** The descriptor. abi_major and abi_minor come first and never move, so a
 * host can check them before it trusts anything else. */
typedef struct scr_plugin {
  uint32_t abi_major;
  uint32_t abi_minor;
  size_t struct_size;
  const char *name;        /* "text" */
  const char *version;     /* "1.0.0" */
  const char *description; /* one line */
  const scr_reader *const *readers;       /* NULL-terminated, may be NULL */
  const scr_writer *const *writers;       /* NULL-terminated, may be NULL */
  const scr_validator *const *validators; /* NULL-terminated, may be NULL */
  /* Since ABI 1.1. Optional: called once, on the loading thread, after the host accepted
   * the plugin and before any reader or writer runs (initialise libraries
   * that are not thread-safe to initialise, such as libxml2). Non-zero
   * refuses the plugin. */
  int (*init)(void);
  /* Since ABI 1.3. NULL-terminated, may be NULL. */
  const scr_transform *const *transforms;
  /* Since ABI 1.4. NULL-terminated, may be NULL. */
  const scr_archive *const *archives;
} scr_plugin;

#if defined(__GNUC__)
#define SCR_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define SCR_PLUGIN_EXPORT
#endif

#ifdef __cplusplus
#define SCR_PLUGIN_EXTERN_C extern "C"
#else
#define SCR_PLUGIN_EXTERN_C
#endif

/** Defines the entry function returning `descriptor` (a static const
 * scr_plugin). */
#define SCR_PLUGIN_DEFINE(descriptor)                                          \
  SCR_PLUGIN_EXTERN_C SCR_PLUGIN_EXPORT const scr_plugin *scriptorium_plugin(  \
      void);                                                                   \
  SCR_PLUGIN_EXTERN_C SCR_PLUGIN_EXPORT const scr_plugin *scriptorium_plugin(  \
      void) {                                                                  \
    return &(descriptor);                                                      \
  }

/** The entry function's type. */
typedef const scr_plugin *(*scr_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif
#endif
