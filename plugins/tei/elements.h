/* elements.h - the TEI elements the plugin writes and reads (private to
 * the plugin): one table, so that the writer and the reader cannot disagree
 * on an element's name, its content model, or the tree node it stands for.
 * Generated order: the names are sorted (tei_element_lookup bisects). */
#ifndef SCR_PLUGIN_TEI_ELEMENTS_H
#define SCR_PLUGIN_TEI_ELEMENTS_H

#include <stddef.h>

#include <scriptorium/tree.h>

typedef enum tei_el {
  TEI_EL_NONE = 0, /* not an element of the table */
  TEI_EL_TEI,
  TEI_EL_AB,
  TEI_EL_ABBR,
  TEI_EL_AFFILIATION,
  TEI_EL_ANCHOR,
  TEI_EL_APPINFO,
  TEI_EL_APPLICATION,
  TEI_EL_ARGUMENT,
  TEI_EL_AUTHORITY,
  TEI_EL_AVAILABILITY,
  TEI_EL_BACK,
  TEI_EL_BIBL,
  TEI_EL_BODY,
  TEI_EL_CATDESC,
  TEI_EL_CATEGORY,
  TEI_EL_CHOICE,
  TEI_EL_CLASSDECL,
  TEI_EL_CORR,
  TEI_EL_DATE,
  TEI_EL_DATELINE,
  TEI_EL_DESC,
  TEI_EL_DIV,
  TEI_EL_EMPH,
  TEI_EL_ENCODINGDESC,
  TEI_EL_EXPAN,
  TEI_EL_EXTENT,
  TEI_EL_FIGURE,
  TEI_EL_FILEDESC,
  TEI_EL_FOREIGN,
  TEI_EL_FRONT,
  TEI_EL_FW,
  TEI_EL_GAP,
  TEI_EL_GRAPHIC,
  TEI_EL_GROUP,
  TEI_EL_HEAD,
  TEI_EL_HI,
  TEI_EL_IDNO,
  TEI_EL_INCIDENT,
  TEI_EL_ITEM,
  TEI_EL_KEYWORDS,
  TEI_EL_KINESIC,
  TEI_EL_LABEL,
  TEI_EL_LANGUSAGE,
  TEI_EL_LANGUAGE,
  TEI_EL_LB,
  TEI_EL_LICENCE,
  TEI_EL_LIST,
  TEI_EL_LISTPERSON,
  TEI_EL_MEASURE,
  TEI_EL_MEDIA,
  TEI_EL_MILESTONE,
  TEI_EL_NAME,
  TEI_EL_NATIONALITY,
  TEI_EL_NOTE,
  TEI_EL_NOTESSTMT,
  TEI_EL_OCCUPATION,
  TEI_EL_ORGNAME,
  TEI_EL_ORIG,
  TEI_EL_P,
  TEI_EL_PARTICDESC,
  TEI_EL_PB,
  TEI_EL_PC,
  TEI_EL_PERSNAME,
  TEI_EL_PERSON,
  TEI_EL_PLACENAME,
  TEI_EL_PROFILEDESC,
  TEI_EL_PUBLICATIONSTMT,
  TEI_EL_PUBLISHER,
  TEI_EL_Q,
  TEI_EL_QUOTE,
  TEI_EL_REF,
  TEI_EL_REG,
  TEI_EL_RESP,
  TEI_EL_RESPSTMT,
  TEI_EL_ROLENAME,
  TEI_EL_S,
  TEI_EL_SAID,
  TEI_EL_SEG,
  TEI_EL_SETTING,
  TEI_EL_SETTINGDESC,
  TEI_EL_SIC,
  TEI_EL_SOURCEDESC,
  TEI_EL_SP,
  TEI_EL_SPEAKER,
  TEI_EL_SUPPLIED,
  TEI_EL_TAXONOMY,
  TEI_EL_TEICORPUS,
  TEI_EL_TEIHEADER,
  TEI_EL_TERM,
  TEI_EL_TEXT,
  TEI_EL_TEXTCLASS,
  TEI_EL_TIME,
  TEI_EL_TITLE,
  TEI_EL_TITLESTMT,
  TEI_EL_U,
  TEI_EL_VOCAL,
  TEI_EL_W,
  TEI_EL_XI_INCLUDE,
  TEI_EL_COUNT_
} tei_el;

/* What the reader and the writer know of an element. */
typedef struct tei_element {
  const char *name;  /* as written (xi:include with its prefix) */
  unsigned char mixed;  /* its content is text: whitespace in it is text, and
                           the writer indents nothing inside it (empty
                           elements count as mixed: nothing to indent) */
  unsigned char header; /* a teiHeader element: in the text, the reader does
                           not take it as element-only */
  scr_node_type node;   /* the tree node it is read as by default, or that
                           the writer writes it for (SCR_NODE_NONE: none) */
  unsigned char writes; /* the writer's element for `node` */
  unsigned char reads;  /* the reader makes `node` of it (in its context) */
} tei_element;

/* Indexed by tei_el; tei_elements[TEI_EL_NONE] is an unnamed mixed element. */
extern const tei_element tei_elements[TEI_EL_COUNT_];

/* Indexes the table (once, where the plugin initialises; not thread-safe). */
void tei_elements_setup(void);
/* The element of that (local) name, or TEI_EL_NONE. */
tei_el tei_element_lookup(const char *name);
/* The element the writer writes for a node of type `ty` where nothing else
 * (a container's content model, an attribute) decides, or TEI_EL_NONE. */
tei_el tei_element_for(scr_node_type ty);
/* Element-only content for the reader: its whitespace is layout. */
int tei_element_only(tei_el el);

#endif
