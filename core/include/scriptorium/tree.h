/*
 * scriptorium/tree.h - the intermediate tree every reader builds and every
 * writer reads.
 *
 * A document (scr_doc) owns one arena. Every node, attribute, person and
 * string of the document lives in that arena and is freed by one call,
 * scr_doc_free(). Nothing in this header hands out memory the caller must
 * free, except scr_doc_new().
 *
 * Strings are scr_str: a pointer and a length, never assumed NUL-terminated
 * (though every string the arena copies is NUL-terminated as a courtesy).
 *
 * The tree:
 *
 *   DOCUMENT
 *     blocks:  SECTION, HEADING, PARAGRAPH, TURN, SPEAKER, FIGURE, GALLERY,
 *              NOTE, SEPARATOR, DATELINE, MEDIA, FOOTER, TITLE, LEAD
 *     inlines: TEXT, QUOTE, INSERTION, CORRECTION, PERSON, PLACE, DATE, TIME
 *
 * Losslessness contract (what lets the diplomatic edition reproduce a
 * source byte for byte): the source is the concatenation, in document
 * order, of
 *   - for every node: its SCR_ATTR_BEFORE attribute,
 *   - for a TEXT node: its text;
 *     for an INSERTION: "[" + its children + "]";
 *     for a CORRECTION: its children (the original form; the corrected form
 *       is the SCR_ATTR_CORRECTED attribute);
 *     for every other node: its children,
 *   - for every node: its SCR_ATTR_AFTER attribute.
 * Quotation marks stay inside TEXT nodes, as the first and last child of
 * their QUOTE. Layout (blank lines, line ends, indentation, a byte order
 * mark) is carried by BEFORE/AFTER, so that writers which do not care about
 * layout can ignore it.
 */
#ifndef SCRIPTORIUM_TREE_H
#define SCRIPTORIUM_TREE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(SCR_STATIC)
#define SCR_API __attribute__((visibility("default")))
#else
#define SCR_API
#endif

#if defined(__GNUC__)
#define SCR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SCR_PRINTF(f, a)
#endif

/** A string with its length. It does not own its bytes. */
typedef struct scr_str {
  const char *ptr;
  size_t len;
} scr_str;

#define SCR_STR_NULL ((scr_str){NULL, 0})

/** Where a node came from in its source: 1-based line and column (column
 * counts bytes), 0-based byte offset. Line 0 means "unknown". */
typedef struct scr_pos {
  uint32_t line;
  uint32_t column;
  uint64_t offset;
} scr_pos;

typedef enum scr_node_type {
  SCR_NODE_NONE = 0,
  SCR_NODE_DOCUMENT,
  /* blocks */
  SCR_NODE_TITLE,     /* the page title; repeats carry SCR_ATTR_KIND "repeat" */
  SCR_NODE_MEDIA,     /* a media-count line; ATTR_COUNT or ATTR_DURATION */
  SCR_NODE_LEAD,      /* the lead paragraph (inlines) */
  SCR_NODE_DATELINE,  /* date/time/place of the event (inlines) */
  SCR_NODE_SECTION,   /* a run of blocks under a heading or separator */
  SCR_NODE_HEADING,   /* a section heading (inlines) */
  SCR_NODE_PARAGRAPH, /* narration or speech (inlines) */
  SCR_NODE_TURN,      /* a labelled speaker turn: SPEAKER then blocks */
  SCR_NODE_SPEAKER,   /* the label of a TURN (inlines), ATTR_WHO */
  SCR_NODE_GALLERY,   /* photos: FIGUREs; ATTR_TOTAL when the page says */
  SCR_NODE_FIGURE,    /* a photo caption (inlines); ATTR_N in a gallery; KIND "repeat": the slide again; ATTR_URL the photo */
  SCR_NODE_NOTE,      /* a note (inlines); ATTR_KIND says what kind */
  SCR_NODE_SEPARATOR, /* "* * *" and the like; its text is a TEXT child */
  SCR_NODE_FOOTER,    /* the source footer (inlines) */
  /* inlines */
  SCR_NODE_TEXT,       /* literal text */
  SCR_NODE_QUOTE,      /* direct speech; ATTR_WHO, METHOD, CERT, ID, NEXT, PREV */
  SCR_NODE_INSERTION,  /* the publisher's [bracketed] insertion */
  SCR_NODE_CORRECTION, /* children: original; ATTR_CORRECTED: corrected */
  SCR_NODE_PERSON,     /* a person's name; ATTR_WHO */
  SCR_NODE_PLACE,      /* a place name; ATTR_KEY: normalised name */
  SCR_NODE_DATE,       /* a date; ATTR_WHEN: ISO 8601, maybe --MM-DD */
  SCR_NODE_TIME,       /* a time of day or duration; ATTR_WHEN or ATTR_DURATION */
  SCR_NODE_TYPE_COUNT /* of this SDK; the library's may be larger: scr_node_type_count() */
} scr_node_type;

/** Attributes a node may carry. Values are strings; the allowed values of
 * the enumerated ones are the SCR_METHOD_* and SCR_CERT_* constants. */
typedef enum scr_attr {
  SCR_ATTR_BEFORE = 0, /* layout bytes before the node (see contract) */
  SCR_ATTR_AFTER,      /* layout bytes after the node */
  SCR_ATTR_ID,         /* document-local id (quotes that are linked) */
  SCR_ATTR_WHO,        /* a person id (scr_person_id) */
  SCR_ATTR_METHOD,     /* how a QUOTE was attributed: SCR_METHOD_* */
  SCR_ATTR_CERT,       /* how certain an attribution (QUOTE) or an inferred value (DATE) is: SCR_CERT_* */
  SCR_ATTR_NEXT,       /* id of the QUOTE that continues this one */
  SCR_ATTR_PREV,       /* id of the QUOTE this one continues */
  SCR_ATTR_WHEN,       /* ISO 8601 date or time, possibly partial */
  SCR_ATTR_DURATION,   /* ISO 8601 duration, e.g. PT6M46S */
  SCR_ATTR_COUNT,      /* a count, in decimal */
  SCR_ATTR_N,          /* position in a sequence, in decimal */
  SCR_ATTR_TOTAL,      /* size of the sequence, in decimal */
  SCR_ATTR_CORRECTED,  /* the corrected form of a CORRECTION */
  SCR_ATTR_KEY,        /* a normalised key (place name, ...) */
  SCR_ATTR_KIND,       /* a subtype, free text (e.g. "repeat", "unclosed") */
  SCR_ATTR_MARKER,     /* verbatim marker bytes (e.g. "1 of 4", "• ") */
  SCR_ATTR_URL,        /* a resource's address: a FIGURE's photo (since ABI 1.8) */
  SCR_ATTR_COUNT_ /* of this SDK; the library's may be larger: scr_attr_count() */
} scr_attr;

#define SCR_METHOD_LABEL "label"     /* the turn's speaker label */
#define SCR_METHOD_NAME "name"       /* a name in the sentence/paragraph */
#define SCR_METHOD_EPITHET "epithet" /* "the Belarusian leader" */
#define SCR_METHOD_PRONOUN "pronoun" /* "he said" */
#define SCR_METHOD_CONTEXT "context" /* continuation or surrounding text */

#define SCR_CERT_HIGH "high"
#define SCR_CERT_MEDIUM "medium"
#define SCR_CERT_LOW "low"

/** Document metadata keys. Values are strings. */
typedef enum scr_meta {
  SCR_META_ID = 0,    /* a stable document id (from the file name) */
  SCR_META_SOURCE,    /* where it came from: path or URL */
  SCR_META_TITLE,     /* the title */
  SCR_META_PUBLISHER, /* e.g. "kremlin.ru", "president.gov.by" */
  SCR_META_DATE,      /* ISO 8601, possibly partial (--09-15) */
  SCR_META_TIME,      /* hh:mm */
  SCR_META_PLACE,     /* where the event took place */
  SCR_META_LANGUAGE,  /* BCP 47, e.g. "en" */
  SCR_META_FOOTER,    /* the source footer, verbatim */
  SCR_META_FORMAT,    /* the format it was read from */
  /* provenance (since ABI 1.5): what an archive records of the source */
  SCR_META_URL,       /* the source's URL, where it was published */
  SCR_META_LICENCE,   /* its licence: a URL (CC BY 4.0's) or free text */
  SCR_META_RETRIEVED, /* when it was retrieved: ISO 8601 date or date-time */
  SCR_META_CITATION,  /* a free citation of the source, as the user gives it */
  SCR_META_SHA256,    /* the SHA-256 of the input bytes, 64 lower-case hex */
  SCR_META_COUNT_ /* of this SDK; the library's may be larger: scr_meta_count() */
} scr_meta;

typedef struct scr_doc scr_doc;
typedef struct scr_node scr_node;
typedef struct scr_person scr_person;

/* ---- documents ---------------------------------------------------------- */

/** A new empty document with its DOCUMENT root. NULL on out of memory.
 * The caller owns it and frees it with scr_doc_free(). */
SCR_API scr_doc *scr_doc_new(void);
/** Frees the document, its arena and everything in it. NULL is allowed. */
SCR_API void scr_doc_free(scr_doc *doc);
/** The DOCUMENT node. Owned by the document. */
SCR_API scr_node *scr_doc_root(const scr_doc *doc);

/** Copies `len` bytes into the document's arena (NUL-terminated). The result
 * lives as long as the document. {NULL,0} on out of memory. */
SCR_API scr_str scr_doc_strdup(scr_doc *doc, const char *s, size_t len);
/** Allocates `size` zeroed bytes, 16-aligned, from the arena. NULL on OOM. */
SCR_API void *scr_doc_alloc(scr_doc *doc, size_t size);
/** Bytes the arena holds (for memory accounting). */
SCR_API size_t scr_doc_memory(const scr_doc *doc);

/** Sets metadata: the value is copied into the arena. 0 or -1 on OOM. */
SCR_API int scr_doc_set_meta(scr_doc *doc, scr_meta key, const char *value,
                             size_t len);
/** Metadata value, {NULL,0} when unset. */
SCR_API scr_str scr_doc_meta(const scr_doc *doc, scr_meta key);
/** Marks metadata `key` as inferred by the converter, not given by the
 * source or the user (since ABI 1.7): `cert` is how sure (SCR_CERT_HIGH,
 * _MEDIUM, _LOW; copied); an empty one clears the mark. Setting the value
 * again (scr_doc_set_meta) clears it too, so a value the user gives later
 * is never marked. 0, or -1 on OOM or a key out of range. */
SCR_API int scr_doc_set_meta_cert(scr_doc *doc, scr_meta key, const char *cert, size_t len);
/** The mark of scr_doc_set_meta_cert; {NULL,0} for a value given by the
 * source or the user, or none. Writers say such a value is inferred
 * (TEI @resp/@cert, YAML `inferred:`, "(derived …)" in the editions). */
SCR_API scr_str scr_doc_meta_cert(const scr_doc *doc, scr_meta key);
/** Stable name of a metadata key ("title", ...), NULL if out of range. */
SCR_API const char *scr_meta_name(scr_meta key);

/** Adds a conversion note ("3 quotes left unattributed"), copied. */
SCR_API int scr_doc_add_note(scr_doc *doc, const char *text, size_t len);
/** Inserts a note before note i (at the end if i >= the count): a
 * transform's summary can head the notes the reader made. 0 or -1 (OOM). */
SCR_API int scr_doc_insert_note(scr_doc *doc, size_t i, const char *text,
                                size_t len);
SCR_API size_t scr_doc_note_count(const scr_doc *doc);
SCR_API scr_str scr_doc_note(const scr_doc *doc, size_t i);

/** Records that reading the document consulted the file `path` besides its
 * input (an authority file, a sidecar table), so that a host deciding
 * whether the outputs are up to date looks at that file too, by content.
 * `fd` is the file as the reader opened it (the call reads it with pread,
 * leaving its offset alone, once per version of the file per process), or
 * -1 when the file was looked for and is absent. 0, or -1 on OOM. */
SCR_API int scr_doc_add_depend(scr_doc *doc, const char *path, int fd);
SCR_API size_t scr_doc_depend_count(const scr_doc *doc);
/** The i-th file recorded: its path, and its content's SHA-256 in hex; the
 * hash is "-" for a file that was absent and "?" for one that is not a
 * regular file or changed while it was hashed (never up to date). */
SCR_API scr_str scr_doc_depend_path(const scr_doc *doc, size_t i);
SCR_API scr_str scr_doc_depend_sha256(const scr_doc *doc, size_t i);

/** Records a subject keyword the source gives the document (a page's tag):
 * its `term`, the source's vocabulary it belongs to (`scheme`, "Topics";
 * may be empty) and the term's URI at the source (`ref`; may be empty),
 * all copied, in the order given; the same three again are ignored, and so
 * is an empty term. 0, or -1 on OOM. Since ABI 1.6. */
SCR_API int scr_doc_add_keyword(scr_doc *doc, const char *scheme, size_t scheme_len,
                                const char *term, size_t term_len, const char *ref,
                                size_t ref_len);
SCR_API size_t scr_doc_keyword_count(const scr_doc *doc);
/** The i-th keyword's parts ("" where none was given; {NULL,0} for an i
 * out of range). */
SCR_API scr_str scr_doc_keyword_scheme(const scr_doc *doc, size_t i);
SCR_API scr_str scr_doc_keyword_term(const scr_doc *doc, size_t i);
SCR_API scr_str scr_doc_keyword_ref(const scr_doc *doc, size_t i);

/* ---- persons ------------------------------------------------------------ */

/** The person with this id, created if absent (the id is copied). Ids are
 * XML NCNames such as "lukashenko". NULL on OOM. */
SCR_API scr_person *scr_doc_person(scr_doc *doc, const char *id, size_t len);
/** Looks a person up by id; NULL if absent. */
SCR_API scr_person *scr_doc_find_person(const scr_doc *doc, const char *id,
                                        size_t len);
/** Persons in the order they were created. */
SCR_API size_t scr_doc_person_count(const scr_doc *doc);
SCR_API scr_person *scr_doc_person_at(const scr_doc *doc, size_t i);

SCR_API scr_str scr_person_id(const scr_person *p);
/** Records a name form seen for the person; duplicates are ignored. */
SCR_API int scr_person_add_name(scr_doc *doc, scr_person *p, const char *name,
                                size_t len);
SCR_API size_t scr_person_name_count(const scr_person *p);
SCR_API scr_str scr_person_name(const scr_person *p, size_t i);
/** Records a role or office ("President of Russia"); duplicates ignored. */
SCR_API int scr_person_add_role(scr_doc *doc, scr_person *p, const char *role,
                                size_t len);
SCR_API size_t scr_person_role_count(const scr_person *p);
SCR_API scr_str scr_person_role(const scr_person *p, size_t i);
/** Records that the document says the person held `role` on `when` (an ISO
 * 8601 date, copied; the role is added if it is not yet one): the office a
 * speaker label gives, dated by the document's date, as opposed to the
 * undated offices an authority file lists. An empty `when` clears the date.
 * 0, or -1 on OOM. Since ABI 1.7. */
SCR_API int scr_person_set_role_when(scr_doc *doc, scr_person *p, const char *role,
                                     size_t len, const char *when, size_t when_len);
/** The date of the i-th role; {NULL,0} when undated. Since ABI 1.7. */
SCR_API scr_str scr_person_role_when(const scr_person *p, size_t i);
/** Nationality, free text ("Belarusian"); copied. */
SCR_API int scr_person_set_nationality(scr_doc *doc, scr_person *p,
                                       const char *s, size_t len);
SCR_API scr_str scr_person_nationality(const scr_person *p);

/** Whether a person takes part in the event the document reports (a
 * speaker, or someone the title, lead or dateline says takes part: "talks
 * with X", "Taking part in the talks were ...") or is only mentioned.
 * UNKNOWN is what a reader that does not tell says (every tree before ABI
 * 1.7): writers list such a person among the participants, as they did. */
typedef enum scr_participation {
  SCR_PARTICIPATION_UNKNOWN = 0,
  SCR_PARTICIPATION_PARTICIPANT,
  SCR_PARTICIPATION_MENTIONED
} scr_participation;
/** Sets it; 0, or -1 for a value not of the enum. Since ABI 1.7. */
SCR_API int scr_person_set_participation(scr_person *p, scr_participation v);
SCR_API scr_participation scr_person_participation(const scr_person *p);
/** The person's role in the event where the text says it ("host",
 * "guest", "delegation": one word, as TEI's person/@role), copied; an empty one clears it. {NULL,0}
 * when none was said. 0, or -1 on OOM. Since ABI 1.7. */
SCR_API int scr_person_set_event_role(scr_doc *doc, scr_person *p, const char *role,
                                      size_t len);
SCR_API scr_str scr_person_event_role(const scr_person *p);
/** Records an external identifier of the person: its `type` ("wikidata",
 * "viaf", "gnd", "URL") and `value` ("Q7747"), both copied, in the order
 * given; the same pair again, or an empty type or value, is ignored. 0, or
 * -1 on OOM. Since ABI 1.7. */
SCR_API int scr_person_add_idno(scr_doc *doc, scr_person *p, const char *type,
                                size_t type_len, const char *value, size_t value_len);
SCR_API size_t scr_person_idno_count(const scr_person *p);
/** The i-th identifier's type and value; {NULL,0} for an i out of range. */
SCR_API scr_str scr_person_idno_type(const scr_person *p, size_t i);
SCR_API scr_str scr_person_idno_value(const scr_person *p, size_t i);

/* ---- nodes -------------------------------------------------------------- */

/** A new detached node of `type`, allocated in the arena. NULL on OOM. */
SCR_API scr_node *scr_node_new(scr_doc *doc, scr_node_type type, scr_pos pos);
/** A new TEXT node whose text points at `text` without copying: the bytes
 * must outlive the document (use scr_doc_source() or scr_doc_strdup()). */
SCR_API scr_node *scr_node_new_text(scr_doc *doc, const char *text, size_t len,
                                    scr_pos pos);
/** Appends `child` (detached) as the last child of `parent`. */
SCR_API void scr_node_append(scr_node *parent, scr_node *child);
/** Inserts detached `node` before `sibling`. */
SCR_API void scr_node_insert_before(scr_node *sibling, scr_node *node);
/** Detaches `node` (and its subtree) from its parent. */
SCR_API void scr_node_unlink(scr_node *node);

SCR_API scr_node_type scr_node_get_type(const scr_node *node);
/** Stable lower-case name of a type ("paragraph"), NULL if out of range. */
SCR_API const char *scr_node_type_name(scr_node_type type);
/** Type by its stable name, SCR_NODE_NONE if unknown. */
SCR_API scr_node_type scr_node_type_from_name(const char *name, size_t len);
/** Non-zero for the block types (and DOCUMENT), zero for inlines and for a
 * type out of range. Ask this rather than comparing with the enum: a type
 * added at the end of the enum may be either. */
SCR_API int scr_node_type_is_block(scr_node_type type);

/** The number of node types, attributes and metadata keys this library
 * knows (since ABI 1.4). SCR_NODE_TYPE_COUNT, SCR_ATTR_COUNT_ and
 * SCR_META_COUNT_ are those of the SDK a plugin was built with: a minor
 * version may add types, attributes and keys at the end of their enums, so
 * a loop over all of them (a writer listing every attribute) goes to these,
 * and an unknown value (scr_attr_from_name's) is compared with these. */
SCR_API size_t scr_node_type_count(void);
SCR_API size_t scr_attr_count(void);
SCR_API size_t scr_meta_count(void);
SCR_API scr_pos scr_node_pos(const scr_node *node);
SCR_API void scr_node_set_pos(scr_node *node, scr_pos pos);

SCR_API scr_node *scr_node_parent(const scr_node *node);
SCR_API scr_node *scr_node_first_child(const scr_node *node);
SCR_API scr_node *scr_node_last_child(const scr_node *node);
SCR_API scr_node *scr_node_next(const scr_node *node);
SCR_API scr_node *scr_node_prev(const scr_node *node);

/** The text of a TEXT node ({NULL,0} for other types). */
SCR_API scr_str scr_node_text(const scr_node *node);
/** Replaces a TEXT node's text without copying (same rule as new_text). */
SCR_API void scr_node_set_text(scr_node *node, const char *text, size_t len);

/** Sets an attribute; the value is copied into the arena. 0, or -1 on OOM
 * or a bad key. */
SCR_API int scr_node_set_attr(scr_doc *doc, scr_node *node, scr_attr key,
                              const char *value, size_t len);
/** Sets an attribute without copying: `value` must outlive the document. */
SCR_API int scr_node_set_attr_ref(scr_doc *doc, scr_node *node, scr_attr key,
                                  const char *value, size_t len);
/** An attribute's value, {NULL,0} when unset. */
SCR_API scr_str scr_node_attr(const scr_node *node, scr_attr key);
/** Stable name of an attribute ("who"), NULL if out of range. */
SCR_API const char *scr_attr_name(scr_attr key);
/** Attribute by its stable name; scr_attr_count() if unknown (which is
 * SCR_ATTR_COUNT_ only for a plugin built with this library's SDK). */
SCR_API scr_attr scr_attr_from_name(const char *name, size_t len);

/* ---- traversal ---------------------------------------------------------- */

typedef enum scr_event {
  SCR_EVENT_NONE = 0,
  SCR_EVENT_DONE,
  SCR_EVENT_ENTER,
  SCR_EVENT_EXIT
} scr_event;

/** An ENTER/EXIT iterator over the subtree at `root`; constant memory, no
 * recursion. Leaf nodes (TEXT, SEPARATOR without children...) give ENTER and
 * EXIT too, so that writers can treat every node alike. The tree must not
 * change during iteration except that the current node's attributes may.
 *
 * Its fields are private: read the current node with scr_iter_node() (since
 * ABI 1.4). The struct is declared here only so that it can live on the
 * caller's stack without an allocation; its size and layout are frozen for
 * ABI major 1 (plugins built against 1.x allocate exactly this much), and a
 * new major will make it opaque. Reading `cur` directly, as plugins built
 * before 1.4 do, keeps working through major 1. */
typedef struct scr_iter {
  scr_node *root; /* private */
  scr_node *cur;  /* private: use scr_iter_node() */
  scr_event ev;   /* private: the last event, as scr_iter_next returned it */
  int skip;       /* private: set by scr_iter_skip_children */
} scr_iter;

/** Initialises `it` to walk `root`. */
SCR_API void scr_iter_init(scr_iter *it, scr_node *root);
/** The next event; scr_iter_node() is its node. DONE at the end. */
SCR_API scr_event scr_iter_next(scr_iter *it);
/** After an ENTER: skip the current node's children; the next event is the
 * current node's EXIT. */
SCR_API void scr_iter_skip_children(scr_iter *it);
/** The node of the last event (ENTER or EXIT), NULL before the first and
 * after DONE. Owned by the document. Since ABI 1.4. */
SCR_API scr_node *scr_iter_node(const scr_iter *it);

/* ---- the source ---------------------------------------------------------- */

/** Gives the document its source bytes. The document takes ownership of
 * `data` (malloc'd) and frees it; TEXT nodes may point into it. */
SCR_API void scr_doc_take_source(scr_doc *doc, char *data, size_t len);
/** The source bytes, if the document holds them. */
SCR_API scr_str scr_doc_source(const scr_doc *doc);

/** Appends to `out` the text content of `node` by the losslessness contract
 * (with layout when `with_layout` is non-zero). Returns 0 or -1 on OOM. */
struct scr_buf;
SCR_API int scr_node_flatten(const scr_node *node, int with_layout,
                             struct scr_buf *out);

#ifdef __cplusplus
}
#endif
#endif
