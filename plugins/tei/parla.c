/* parla.c - the Parla-CLARIN profile of the TEI writer, and what the reader
 * knows of it (parla.h).
 *
 * Parla-CLARIN (the customisation ParlaMint's corpora are made with) has
 * no sp, argument or dateline: a speech is a u with @who, its paragraphs
 * are segs, and the speaker's label is a note type="speaker" before it, as
 * ParlaMint writes it; what the narrator or the publisher says (a lead, a
 * dateline) is a note. Everything else the default writes is allowed and
 * kept, so that the words, the layout (fw) and the markup of every node
 * are still there and the reader takes them back into the same tree. */
#include <stdlib.h>
#include <string.h>

#include "parla.h"

/* ---- the writer ---------------------------------------------------------------- */

int tei_option_recorded(const char *name, const char *value) {
  return !(name && value && strcmp(name, TEI_PROFILE_OPTION) == 0 &&
           strcmp(value, TEI_PROFILE_DEFAULT) == 0);
}

void tei_parla_turn(tei_writer *t, const scr_node *n, frame *f) {
  /* The label goes before the u: the turn opens no element yet, and its
   * layout stands before whatever comes first (the reader gives it back to
   * the turn the label starts). */
  if (t->pend_before.len) tei_layout_before_due(t);
  t->parla_turn = n;
  f->nclose = 0;
  f->ctx = CTX_BLOCK;
  f->kind = K_SP;
  f->u = TEI_U_PENDING;
}

void tei_parla_open_u(tei_writer *t, frame *c) {
  if (c->u != TEI_U_PENDING) return;
  c->u = TEI_U_OPEN;
  open_el(t, TEI_EL_U);
  scr_str who = t->parla_turn ? scr_node_attr(t->parla_turn, SCR_ATTR_WHO) : SCR_STR_NULL;
  if (who.len) tei_attr_ref(t, "who", NULL, who);
  c->nclose++;
}

void tei_parla_speaker(tei_writer *t, frame *f, frame *c) {
  if (c->u == TEI_U_PENDING && !c->speaker && !c->state) {
    /* ParlaMint's shape: <note type="speaker">…</note><u who="…"> */
    c->speaker = 1;
    f->uafter = 1;
  } else { /* a second label, or one after the turn's first block */
    tei_parla_open_u(t, c);
    c->speaker = 1;
    c->state = 1;
  }
  open_el(t, TEI_EL_NOTE);
  attrz(t, "type", "speaker");
  f->nclose = 1;
}

void tei_parla_seg(tei_writer *t, scr_node_type ty, int synthetic) {
  open_el(t, TEI_EL_SEG);
  if (synthetic) attrz(t, "resp", "#" APP_ID);
  else if (ty != SCR_NODE_PARAGRAPH) attrz(t, "type", scr_node_type_name(ty));
}

void tei_parla_note_for(tei_writer *t, scr_node_type ty) {
  open_el(t, TEI_EL_NOTE);
  attrz(t, "type", ty == SCR_NODE_LEAD ? "lead" : "dateline");
}

/* The note types the profile gives nodes of their own. */
static int reserved_kind(const char *s, size_t len) {
  static const char *const kinds[] = {"lead", "dateline", "speaker", NULL};
  for (size_t i = 0; kinds[i]; i++)
    if (len == strlen(kinds[i]) && memcmp(s, kinds[i], len) == 0) return 1;
  return 0;
}

void tei_parla_note_kind(tei_writer *t, scr_str kind) {
  if (kind.len && reserved_kind(kind.ptr, kind.len)) attrz(t, "subtype", "note");
}

/* Countries an office may be of: "President of Russia", "President of the
 * Republic of Belarus", "Prime Minister of the Russian Federation". */
static const char *const countries[] = {
    "Russia", "Belarus", "Kazakhstan", "Ukraine", "China", "France", "Germany", "Italy",
    "Japan", "India", "Turkey", "Finland", "Uzbekistan", "Kyrgyzstan", "Tajikistan",
    "Turkmenistan", "Armenia", "Azerbaijan", "Georgia", "Moldova", "Mongolia", "Iran",
    "Egypt", "Brazil", "Cuba", "Venezuela", "Serbia", "Bulgaria", "Poland", "Israel",
    "Syria", "Austria", "Spain", "Korea", "Vietnam", "Latvia", "Lithuania", "Estonia",
    "Peru", "Argentina", "Mexico", "Greece", "Cyprus", "Hungary", "Slovakia",
    "Afghanistan", "Pakistan", "Indonesia", "Iraq", "Philippines", "South Africa",
    "Britain", "Abkhazia", "South Ossetia", "Chile", "Slovenia", "Croatia", "Romania",
    "Norway", "Sweden", "Denmark", "Portugal", "Belgium", "Thailand", "Malaysia",
    "Algeria", "Libya", "Jordan", "Lebanon", "Palestine", "Nigeria", "Angola", "Ecuador",
    "Bolivia", "Nicaragua", "Colombia", "Canada", "Australia", "Singapore", "Laos",
    "Cambodia", "Myanmar", "Bangladesh", "Sri Lanka", "Nepal", "Qatar", "Kuwait",
    "Bahrain", "Oman", "Saudi Arabia", "Tunisia", "Morocco", "Sudan", "Ethiopia", "Kenya",
    "Tanzania", "Uganda", "Zimbabwe", "Mozambique", "Namibia", "Ghana", "Senegal",
    "Guinea", "Mali", "Chad", "Niger", "Congo", "Rwanda", "Uruguay", "Paraguay",
    "Switzerland", "the Netherlands", "Luxembourg", "Ireland", "Iceland", "Montenegro",
    "North Macedonia", "Macedonia", "Albania", "Bosnia and Herzegovina", "Malta",
    "New Zealand", "the United States", "the United States of America",
    "the United Kingdom", "the United Arab Emirates", "the Russian Federation",
    "the Kyrgyz Republic", "the Czech Republic", "the Slovak Republic", "the Philippines",
    "the Republic of Korea", NULL};

static int is_country(const char *s, size_t len) {
  for (size_t i = 0; countries[i]; i++)
    if (len == strlen(countries[i]) && memcmp(s, countries[i], len) == 0) return 1;
  /* "the Republic of Belarus", "the Islamic Republic of Iran", "the
   * People’s Republic of China": a state's name that ends "of COUNTRY" */
  if (len > 4 && memcmp(s, "the ", 4) == 0)
    for (size_t i = len; i > 4; i--)
      if (i + 3 < len && memcmp(s + i - 1, " of ", 4) == 0)
        return is_country(s + i + 3, len - i - 3);
  return 0;
}

int tei_parla_affiliation(tei_writer *t, const char *office, const char *when) {
  size_t len = strlen(office);
  for (const char *of = strstr(office, " of "); of; of = strstr(of + 1, " of ")) {
    size_t role_len = (size_t)(of - office);
    const char *country = of + 4;
    size_t clen = len - (size_t)(country - office);
    if (!role_len || !is_country(country, clen)) continue;
    /* @role: the office as a token ("Prime Minister" -> primeMinister) */
    char role[96];
    size_t k = 0;
    int up = 0;
    for (size_t i = 0; i < role_len && k + 1 < sizeof role; i++) {
      char c = office[i];
      int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!alpha) {
        up = k > 0;
        continue;
      }
      if (k == 0 && c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
      else if (up && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
      role[k++] = c;
      up = 0;
    }
    role[k] = '\0';
    open_el(t, TEI_EL_AFFILIATION);
    if (k) attrz(t, "role", role);
    if (when) attrz(t, "when", when);
    put_text(t, office, role_len + 4);
    open_el(t, TEI_EL_ORGNAME);
    attrz(t, "type", "country");
    put_text(t, country, clen);
    close_el(t);
    close_el(t);
    return 1;
  }
  return 0;
}

/* ---- the reader ------------------------------------------------------------------ */

scr_node_type tei_parla_note_node(const char *type, const char *subtype) {
  if (!type || (subtype && strcmp(subtype, "note") == 0)) return SCR_NODE_NONE;
  if (strcmp(type, "lead") == 0) return SCR_NODE_LEAD;
  if (strcmp(type, "dateline") == 0) return SCR_NODE_DATELINE;
  return SCR_NODE_NONE;
}

scr_node_type tei_parla_seg_node(const char *type) {
  scr_node_type ty = type ? scr_node_type_from_name(type, strlen(type)) : SCR_NODE_NONE;
  if (ty == SCR_NODE_NONE || ty == SCR_NODE_DOCUMENT || !scr_node_type_is_block(ty))
    return SCR_NODE_PARAGRAPH;
  return ty;
}
