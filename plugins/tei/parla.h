/* parla.h - the Parla-CLARIN profile of the TEI writer (tei.profile=
 * parla-clarin) and what the reader knows of it (private to the plugin).
 * The writer's parts (body.c, header.c) call these hooks where the
 * profile writes other elements than the default; docs/tei.md ("The
 * Parla-CLARIN profile") says what each node becomes and why. */
#ifndef SCR_PLUGIN_TEI_PARLA_H
#define SCR_PLUGIN_TEI_PARLA_H

#include "state.h"

#define TEI_PROFILE_OPTION "profile"
#define TEI_PROFILE_DEFAULT "tei"
#define TEI_PROFILE_PARLA "parla-clarin"
/* how a Parla-CLARIN file of ours says so, in appInfo's list of options */
#define TEI_PARLA_MARK "<item n=\"profile\">parla-clarin</item>"

/* frame.u of a turn written as u */
enum { TEI_U_NONE = 0, TEI_U_PENDING, TEI_U_OPEN };

/* ---- the writer ---------------------------------------------------------------- */

/* Whether appInfo records option `name` with `value`: every option but the
 * profile at its default, so that the default profile's bytes stay as they
 * were before there was a profile. */
int tei_option_recorded(const char *name, const char *value);

/* A TURN (frame f, already placed in its division): its u is due. Writes
 * the turn's layout before, which no start tag of its own takes now. */
void tei_parla_turn(tei_writer *t, const scr_node *n, frame *f);
/* Opens the u of turn frame `c` if it is due (the turn's first block, or
 * its end, or the end of its speaker label). */
void tei_parla_open_u(tei_writer *t, frame *c);
/* A SPEAKER in turn frame `c`: before the u, note type="speaker" (its u
 * opens when the label ends, f->uafter); in it, the same note. */
void tei_parla_speaker(tei_writer *t, frame *f, frame *c);
/* The element a block of a u is: seg (typed with the node's type unless a
 * paragraph), opened; `synthetic` for the writer's own (resp). */
void tei_parla_seg(tei_writer *t, scr_node_type ty, int synthetic);
/* LEAD and DATELINE in a division: note type="lead" / "dateline". */
void tei_parla_note_for(tei_writer *t, scr_node_type ty);
/* A NOTE's @type: a kind the profile uses for a node of its own gets
 * subtype="note" beside it, so that the reader tells them apart. */
void tei_parla_note_kind(tei_writer *t, scr_str kind);
/* An office of a person's in listPerson: "President of Russia" is an
 * affiliation (role, and the country as orgName); 1 if written so, 0 if it
 * is no office of a country (the caller writes occupation). `when`: the
 * date the document gives it, or NULL. */
int tei_parla_affiliation(tei_writer *t, const char *office, const char *when);

/* ---- the reader ------------------------------------------------------------------ */

/* The tree node a note of @type `type` (and @subtype) is in one of our
 * Parla-CLARIN files: SCR_NODE_LEAD, SCR_NODE_DATELINE, or SCR_NODE_NONE
 * (a note). */
scr_node_type tei_parla_note_node(const char *type, const char *subtype);
/* The tree node a seg in a turn is: its @type when that names a block
 * node, else a paragraph. */
scr_node_type tei_parla_seg_node(const char *type);

#endif
