/* elements.c - the table of elements (elements.h). */
#include "elements.h"

#include <string.h>

#define E(name, mixed, header, node, writes, reads) \
  {name, mixed, header, SCR_NODE_##node, writes, reads}

const tei_element tei_elements[TEI_EL_COUNT_] = {
    [TEI_EL_NONE] = E(NULL, 1, 0, NONE, 0, 0),
    [TEI_EL_TEI] = E("TEI", 0, 0, NONE, 0, 0),
    [TEI_EL_AB] = E("ab", 1, 0, PARAGRAPH, 0, 0),
    [TEI_EL_ABBR] = E("abbr", 1, 0, CORRECTION, 0, 1),
    [TEI_EL_AFFILIATION] = E("affiliation", 1, 0, NONE, 0, 0),
    [TEI_EL_ANCHOR] = E("anchor", 1, 0, NONE, 0, 0),
    [TEI_EL_APPINFO] = E("appInfo", 0, 1, NONE, 0, 0),
    [TEI_EL_APPLICATION] = E("application", 0, 1, NONE, 0, 0),
    [TEI_EL_ARGUMENT] = E("argument", 0, 0, LEAD, 1, 0),
    [TEI_EL_AUTHORITY] = E("authority", 1, 0, NONE, 0, 0),
    [TEI_EL_AVAILABILITY] = E("availability", 0, 1, NONE, 0, 0),
    [TEI_EL_BACK] = E("back", 0, 0, NONE, 0, 0),
    [TEI_EL_BIBL] = E("bibl", 0, 1, NONE, 0, 0),
    [TEI_EL_BODY] = E("body", 0, 0, NONE, 0, 0),
    [TEI_EL_CATDESC] = E("catDesc", 1, 0, NONE, 0, 0),
    [TEI_EL_CATEGORY] = E("category", 0, 1, NONE, 0, 0),
    [TEI_EL_CHOICE] = E("choice", 0, 0, CORRECTION, 1, 0),
    [TEI_EL_CLASSDECL] = E("classDecl", 0, 1, NONE, 0, 0),
    [TEI_EL_CORR] = E("corr", 1, 0, NONE, 0, 0),
    [TEI_EL_DATE] = E("date", 1, 0, DATE, 1, 1),
    [TEI_EL_DATELINE] = E("dateline", 1, 0, DATELINE, 1, 1),
    [TEI_EL_DESC] = E("desc", 1, 0, NONE, 0, 0),
    [TEI_EL_DIV] = E("div", 0, 0, SECTION, 1, 1),
    [TEI_EL_EMPH] = E("emph", 1, 0, NONE, 0, 0),
    [TEI_EL_ENCODINGDESC] = E("encodingDesc", 0, 1, NONE, 0, 0),
    [TEI_EL_EXPAN] = E("expan", 1, 0, NONE, 0, 0),
    [TEI_EL_EXTENT] = E("extent", 0, 1, NONE, 0, 0),
    [TEI_EL_FIGURE] = E("figure", 0, 0, FIGURE, 1, 1),
    [TEI_EL_FILEDESC] = E("fileDesc", 0, 1, NONE, 0, 0),
    [TEI_EL_FOREIGN] = E("foreign", 1, 0, NONE, 0, 0),
    [TEI_EL_FRONT] = E("front", 0, 0, NONE, 0, 0),
    [TEI_EL_FW] = E("fw", 1, 0, NONE, 0, 0),
    [TEI_EL_GAP] = E("gap", 1, 0, NONE, 0, 0),
    [TEI_EL_GRAPHIC] = E("graphic", 0, 0, NONE, 0, 0),
    [TEI_EL_GROUP] = E("group", 0, 0, NONE, 0, 0),
    [TEI_EL_HEAD] = E("head", 1, 0, HEADING, 1, 1),
    [TEI_EL_HI] = E("hi", 1, 0, NONE, 0, 0),
    [TEI_EL_IDNO] = E("idno", 1, 0, NONE, 0, 0),
    [TEI_EL_INCIDENT] = E("incident", 1, 0, NONE, 0, 0),
    [TEI_EL_ITEM] = E("item", 1, 0, MEDIA, 1, 0),
    [TEI_EL_KEYWORDS] = E("keywords", 0, 1, NONE, 0, 0),
    [TEI_EL_KINESIC] = E("kinesic", 1, 0, NONE, 0, 0),
    [TEI_EL_LABEL] = E("label", 1, 0, HEADING, 0, 1),
    [TEI_EL_LANGUSAGE] = E("langUsage", 0, 1, NONE, 0, 0),
    [TEI_EL_LANGUAGE] = E("language", 1, 0, NONE, 0, 0),
    [TEI_EL_LB] = E("lb", 1, 0, NONE, 0, 0),
    [TEI_EL_LICENCE] = E("licence", 1, 0, NONE, 0, 0),
    [TEI_EL_LIST] = E("list", 0, 0, NONE, 0, 0),
    [TEI_EL_LISTPERSON] = E("listPerson", 0, 0, NONE, 0, 0),
    [TEI_EL_MEASURE] = E("measure", 1, 0, NONE, 0, 0),
    [TEI_EL_MEDIA] = E("media", 0, 0, NONE, 0, 0),
    [TEI_EL_MILESTONE] = E("milestone", 1, 0, SEPARATOR, 1, 1),
    [TEI_EL_NAME] = E("name", 1, 0, PERSON, 0, 1),
    [TEI_EL_NATIONALITY] = E("nationality", 1, 0, NONE, 0, 0),
    [TEI_EL_NOTE] = E("note", 1, 0, NOTE, 1, 1),
    [TEI_EL_NOTESSTMT] = E("notesStmt", 0, 1, NONE, 0, 0),
    [TEI_EL_OCCUPATION] = E("occupation", 1, 0, NONE, 0, 0),
    [TEI_EL_ORGNAME] = E("orgName", 1, 0, NONE, 0, 0),
    [TEI_EL_ORIG] = E("orig", 1, 0, CORRECTION, 0, 1),
    [TEI_EL_P] = E("p", 1, 0, PARAGRAPH, 1, 1),
    [TEI_EL_PARTICDESC] = E("particDesc", 0, 1, NONE, 0, 0),
    [TEI_EL_PB] = E("pb", 1, 0, NONE, 0, 0),
    [TEI_EL_PC] = E("pc", 1, 0, NONE, 0, 0),
    [TEI_EL_PERSNAME] = E("persName", 1, 0, PERSON, 1, 1),
    [TEI_EL_PERSON] = E("person", 0, 1, NONE, 0, 0),
    [TEI_EL_PLACENAME] = E("placeName", 1, 0, PLACE, 1, 1),
    [TEI_EL_PROFILEDESC] = E("profileDesc", 0, 1, NONE, 0, 0),
    [TEI_EL_PUBLICATIONSTMT] = E("publicationStmt", 0, 1, NONE, 0, 0),
    [TEI_EL_PUBLISHER] = E("publisher", 1, 0, NONE, 0, 0),
    [TEI_EL_Q] = E("q", 1, 0, QUOTE, 0, 1),
    [TEI_EL_QUOTE] = E("quote", 1, 0, QUOTE, 0, 1),
    [TEI_EL_REF] = E("ref", 1, 0, NONE, 0, 0),
    [TEI_EL_REG] = E("reg", 1, 0, NONE, 0, 0),
    [TEI_EL_RESP] = E("resp", 1, 0, NONE, 0, 0),
    [TEI_EL_RESPSTMT] = E("respStmt", 0, 1, NONE, 0, 0),
    [TEI_EL_ROLENAME] = E("roleName", 1, 0, NONE, 0, 0),
    [TEI_EL_S] = E("s", 1, 0, NONE, 0, 0),
    [TEI_EL_SAID] = E("said", 1, 0, QUOTE, 1, 1),
    [TEI_EL_SEG] = E("seg", 1, 0, NONE, 0, 0),
    [TEI_EL_SETTING] = E("setting", 0, 1, NONE, 0, 0),
    [TEI_EL_SETTINGDESC] = E("settingDesc", 0, 1, NONE, 0, 0),
    [TEI_EL_SIC] = E("sic", 1, 0, CORRECTION, 0, 1),
    [TEI_EL_SOURCEDESC] = E("sourceDesc", 0, 1, NONE, 0, 0),
    [TEI_EL_SP] = E("sp", 0, 0, TURN, 1, 1),
    [TEI_EL_SPEAKER] = E("speaker", 1, 0, SPEAKER, 1, 1),
    [TEI_EL_SUPPLIED] = E("supplied", 1, 0, INSERTION, 1, 1),
    [TEI_EL_TAXONOMY] = E("taxonomy", 0, 1, NONE, 0, 0),
    [TEI_EL_TEICORPUS] = E("teiCorpus", 0, 0, NONE, 0, 0),
    [TEI_EL_TEIHEADER] = E("teiHeader", 0, 1, NONE, 0, 0),
    [TEI_EL_TERM] = E("term", 1, 0, NONE, 0, 0),
    [TEI_EL_TEXT] = E("text", 0, 0, NONE, 0, 0),
    [TEI_EL_TEXTCLASS] = E("textClass", 0, 1, NONE, 0, 0),
    [TEI_EL_TIME] = E("time", 1, 0, TIME, 1, 1),
    [TEI_EL_TITLE] = E("title", 1, 0, NONE, 0, 0),
    [TEI_EL_TITLESTMT] = E("titleStmt", 0, 1, NONE, 0, 0),
    [TEI_EL_U] = E("u", 0, 0, TURN, 0, 1),
    [TEI_EL_VOCAL] = E("vocal", 1, 0, NONE, 0, 0),
    [TEI_EL_W] = E("w", 1, 0, NONE, 0, 0),
    [TEI_EL_XI_INCLUDE] = E("xi:include", 1, 0, NONE, 0, 0),
};

tei_el tei_element_lookup(const char *name) {
  size_t lo = 1, hi = TEI_EL_COUNT_;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int cmp = strcmp(name, tei_elements[mid].name);
    if (cmp == 0) return (tei_el)mid;
    if (cmp < 0) hi = mid;
    else lo = mid + 1;
  }
  return TEI_EL_NONE;
}

static tei_el node_element[64]; /* by node type: tei_elements_setup */

void tei_elements_setup(void) {
  for (size_t i = 1; i < TEI_EL_COUNT_; i++)
    if (tei_elements[i].writes && (size_t)tei_elements[i].node < 64)
      node_element[tei_elements[i].node] = (tei_el)i;
}

tei_el tei_element_for(scr_node_type ty) {
  /* a node type the table does not know (a newer core's) has none */
  return (size_t)ty < 64 ? node_element[ty] : TEI_EL_NONE;
}

int tei_element_only(tei_el el) {
  return !tei_elements[el].mixed && !tei_elements[el].header;
}
