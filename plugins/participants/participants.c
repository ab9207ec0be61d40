/* participants.c - the participants transform: which persons of a document
 * take part in the event it reports and which are only mentioned, and the
 * role in the event where the text says it (docs/persons.md,
 * "Participants"). It reads only the tree (speakers, attributed
 * quotations, the persons named in the title, lead, dateline, captions and
 * narration), so it runs the same over a tree from any reader, after the
 * transform that finds the persons (speech).
 *
 * Taking part:
 *   - the speaker of a labelled turn;
 *   - the person a quotation of the narration is attributed to (a
 *     quotation inside a turn is the speaker's quoting someone, who need
 *     not be there);
 *   - a person named in the dateline;
 *   - a person named in a sentence of the title, lead or a caption that
 *     says people meet, talk, write or are given something ("talks with
 *     X", "X and Y held a meeting", "telephone conversation with X",
 *     "message to X", "presented X with"), outside a possessive ("the
 *     anniversary of X's birth" is not X taking part) and after "the
 *     death of", "in memory of" ... (the one a condolence is about);
 *   - a person named in a sentence of the narration that says who took
 *     part ("Taking part in the talks were ...", "Attending the meeting
 *     were ...", "The meeting was attended by ..."): a delegation member
 *     when it names a side or delegation.
 * A guest: named before "'s ... visit" ("X's state visit"), or after
 * "with" in a sentence of a visit that says "who" ("talks with X, who is
 * in Russia on an official visit"), the one named before "with" being the
 * host; in a title that says "visit to" a place, the one named after
 * "with" in a later sentence is the host ("Working visit to the Russian
 * Federation. Talks with Vladimir Putin"). When two persons take part and
 * one is the host (the guest), the other is the guest (the host).
 * Everyone else is mentioned: named only in what people say, or in
 * narration that does not say they take part. A person whose participation
 * a reader already gave keeps it. */
#define _GNU_SOURCE /* memmem */
#include <scriptorium/plugin.h>
#include <scriptorium/scriptorium.h>

#include <stdlib.h>
#include <string.h>

typedef struct named {
  size_t at, end; /* in the block's flat text */
  scr_str who;    /* the PERSON node's ids */
} named;

typedef struct partic {
  scr_doc *doc;
  scr_buf flat;
  named *v;
  size_t len, cap;
  int oom;
} partic;

/* The next id of a WHO value (ids separated by spaces) from *i; empty at
 * the end. */
static scr_str next_id(scr_str who, size_t *i) {
  if (!who.ptr) return (scr_str){NULL, 0}; /* no WHO: no id (and no NULL + 0) */
  while (*i < who.len && who.ptr[*i] == ' ') (*i)++;
  size_t s = *i;
  while (*i < who.len && who.ptr[*i] != ' ') (*i)++;
  return (scr_str){who.ptr + s, *i - s};
}

/* Every person `who` names takes part, unless a reader said otherwise. */
static void take(partic *P, scr_str who) {
  size_t i = 0;
  for (scr_str id = next_id(who, &i); id.len; id = next_id(who, &i)) {
    scr_person *p = scr_doc_find_person(P->doc, id.ptr, id.len);
    if (p && scr_person_participation(p) == SCR_PARTICIPATION_UNKNOWN)
      scr_person_set_participation(p, SCR_PARTICIPATION_PARTICIPANT);
  }
}

/* Sets the event role of every person `who` names that has none. */
static void set_role(partic *P, scr_str who, const char *role) {
  size_t i = 0;
  for (scr_str id = next_id(who, &i); id.len; id = next_id(who, &i)) {
    scr_person *p = scr_doc_find_person(P->doc, id.ptr, id.len);
    if (p && !scr_person_event_role(p).len &&
        scr_person_set_event_role(P->doc, p, role, strlen(role)))
      P->oom = 1;
  }
}

/* Appends s to b in lower case (ASCII), a no-break space (U+00A0,
 * U+202F) as ' ': the words below are looked for between plain spaces
 * ("had a\u00A0meeting" in 28074). 0, or -1 on OOM. */
static int put_spaced(scr_buf *b, scr_str s) {
  size_t from = 0, start = b->len;
  for (size_t i = 0; i < s.len; i++) {
    size_t n = (unsigned char)s.ptr[i] == 0xC2 && i + 1 < s.len &&
                       (unsigned char)s.ptr[i + 1] == 0xA0
                   ? 2
               : (unsigned char)s.ptr[i] == 0xE2 && i + 2 < s.len &&
                       (unsigned char)s.ptr[i + 1] == 0x80 && (unsigned char)s.ptr[i + 2] == 0xAF
                   ? 3
                   : 0;
    if (!n) continue;
    if ((i > from && scr_buf_put(b, s.ptr + from, i - from)) || scr_buf_put(b, " ", 1)) return -1;
    from = i + n;
    i += n - 1;
  }
  if (s.len > from && scr_buf_put(b, s.ptr + from, s.len - from)) return -1;
  for (size_t i = start; i < b->len; i++)
    if (b->data[i] >= 'A' && b->data[i] <= 'Z') b->data[i] = (char)(b->data[i] - 'A' + 'a');
  return 0;
}

/* The block's text (TEXT nodes) in lower case, no-break spaces as spaces,
 * and the persons named in it. */
static int names_someone(scr_node *block) {
  scr_iter it;
  scr_event ev;
  scr_iter_init(&it, block);
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    scr_node *n = scr_iter_node(&it);
    if (scr_node_get_type(n) == SCR_NODE_PERSON && scr_node_attr(n, SCR_ATTR_WHO).len) return 1;
  }
  return 0;
}

static void flatten(partic *P, scr_node *block) {
  scr_buf_clear(&P->flat);
  P->len = 0;
  if (!names_someone(block)) return; /* most paragraphs: nothing to copy */
  scr_iter it;
  scr_event ev;
  scr_iter_init(&it, block);
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    scr_node *n = scr_iter_node(&it);
    scr_node_type ty = scr_node_get_type(n);
    if (ty == SCR_NODE_TEXT && ev == SCR_EVENT_ENTER) {
      if (put_spaced(&P->flat, scr_node_text(n))) P->oom = 1;
    } else if (ty == SCR_NODE_PERSON && scr_node_attr(n, SCR_ATTR_WHO).len) {
      if (ev == SCR_EVENT_EXIT) {
        if (P->len) P->v[P->len - 1].end = P->flat.len;
        continue;
      }
      if (P->len == P->cap) {
        size_t cap = P->cap ? 2 * P->cap : 16;
        named *g = realloc(P->v, cap * sizeof *g);
        if (!g) {
          P->oom = 1;
          return;
        }
        P->v = g;
        P->cap = cap;
      }
      P->v[P->len++] = (named){P->flat.len, P->flat.len, scr_node_attr(n, SCR_ATTR_WHO)};
    }
  }
}

static int is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c >= 0x80;
}

/* The first place in s[from, to) (the block's text in lower case) of the
 * word or phrase w (ASCII, lower case; a trailing '*' matches any ending:
 * "congratulat*"), at word boundaries; `to` if none. */
static size_t find_word(const char *s, size_t from, size_t to, const char *w) {
  size_t n = strlen(w);
  int prefix = n && w[n - 1] == '*';
  if (prefix) n--;
  for (size_t i = from; i + n <= to; i++) {
    const char *p = memmem(s + i, to - i, w, n);
    if (!p) break;
    i = (size_t)(p - s);
    if ((i == from || !is_word_byte((unsigned char)s[i - 1])) &&
        (prefix || i + n == to || !is_word_byte((unsigned char)s[i + n])))
      return i;
  }
  return to;
}

static int has_any(const char *s, size_t from, size_t to, const char *const *words) {
  for (size_t i = 0; words[i]; i++)
    if (find_word(s, from, to, words[i]) < to) return 1;
  return 0;
}

/* Words of a title, lead or caption sentence that says people meet, talk,
 * write to each other or are given something. */
static const char *const meeting_words[] = {
    "meeting", "meetings", "meet", "meets", "met", "talks", "negotiations",
    "conversation", "conversations", "held", "holds", "hold", "visit", "visits",
    "visited", "taking part", "took part", "take part", "takes part", "participants",
    "participated", "attended", "received", "receives", "message", "messages",
    "telegram", "letter", "greetings", "congratulat*", "condolence*", "sent",
    "presented", "awarded", "handed", NULL};
static const char *const visit_words[] = {"visit", "visits", NULL};
static const char *const side_words[] = {"side", "delegation", "delegations", NULL};

/* The sentence around offset `at` of s (n bytes): its end, its start in
 * *start. A sentence ends at '.', '!' or '?' before a space, and at a line
 * end. */
static size_t sentence(const char *s, size_t n, size_t at, size_t *start) {
  size_t b = at;
  while (b > 0 && !(s[b - 1] == '\n' ||
                    (s[b - 1] == ' ' && b >= 2 &&
                     (s[b - 2] == '.' || s[b - 2] == '!' || s[b - 2] == '?'))))
    b--;
  size_t e = at;
  while (e < n && s[e] != '\n' &&
         !((s[e] == '.' || s[e] == '!' || s[e] == '?') && (e + 1 == n || s[e + 1] == ' ')))
    e++;
  *start = b;
  return e;
}

/* Whether the sentence [b, e) says who took part: it begins "Taking part",
 * "Participating", "Attending" (each perhaps after "Also") or "Present ...
 * were", or says "attended by" or "took part". */
static int who_took_part(const char *s, size_t b, size_t e) {
  while (b < e && (s[b] == ' ' || s[b] == '\t')) b++;
  size_t w = b;
  if (find_word(s, w, e, "also") == w) w += 5;
  return find_word(s, w, e, "taking part") == w || find_word(s, w, e, "participating") == w ||
         find_word(s, w, e, "attending") == w ||
         (find_word(s, w, e, "present") == w && find_word(s, w, e, "were") < e) ||
         find_word(s, b, e, "attended by") < e || find_word(s, b, e, "took part") < e;
}

/* The apostrophe of a possessive right at s[k] ("'s", "’s"): its length
 * with the s, or 0. */
static size_t possessive(const char *s, size_t n, size_t k) {
  if (k + 1 < n && s[k] == '\'' && s[k + 1] == 's') return 2;
  if (k + 3 < n && !memcmp(s + k, "\xE2\x80\x99", 3) && s[k + 3] == 's') return 4;
  return 0;
}

/* Whether person i of the block is named after "the death of", "the
 * passing of", "in memory of" ... of its sentence (from b) with no other
 * person between: the one a message of condolence or a commemoration is
 * about, who takes no part in it. */
static int in_memory_of(const partic *P, const char *s, size_t b, size_t i) {
  static const char *const phrases[] = {"death of", "passing of", "memory of", "funeral of",
                                        "murder of", "killing of", "loss of", NULL};
  size_t at = P->v[i].at, from = i ? P->v[i - 1].end : 0;
  if (from < b) from = b;
  for (size_t k = 0; phrases[k]; k++)
    if (find_word(s, from, at, phrases[k]) < at) return 1;
  return 0;
}

enum { NARRATION, HEAD, DATELINE };

static void block_persons(partic *P, scr_node *block, int kind) {
  flatten(P, block);
  const char *s = P->flat.data ? P->flat.data : "";
  size_t n = P->flat.len;
  size_t sb = 1, se = 0; /* the last sentence asked about, and its answer */
  int took = 0;
  for (size_t i = 0; i < P->len; i++) {
    named *m = &P->v[i];
    if (kind == DATELINE) {
      take(P, m->who);
      continue;
    }
    size_t b, e = sentence(s, n, m->at, &b);
    if (b != sb || e != se) took = who_took_part(s, b, e), sb = b, se = e;
    if (took) {
      take(P, m->who);
      if (has_any(s, b, e, side_words)) set_role(P, m->who, "delegation");
      continue;
    }
    if (kind != HEAD || !has_any(s, b, e, meeting_words)) continue;
    size_t ps = possessive(s, n, m->end);
    if (ps && find_word(s, m->end + ps, e, "visit") < m->end + ps + 32) {
      take(P, m->who); /* "X's state visit": X is the guest */
      set_role(P, m->who, "guest");
      continue;
    }
    if (ps) continue; /* "the anniversary of X's birth" */
    if (in_memory_of(P, s, b, i)) continue; /* "condolences following the passing of X" */
    take(P, m->who);
    /* "Working visit to the Russian Federation. Talks with Vladimir
     * Putin" (a title of two sentences): the one the visitor has talks
     * with is the host */
    size_t to = find_word(s, 0, n, "visit to");
    if (to < b) {
      size_t with = find_word(s, b, m->at, "with");
      if (with < m->at && !has_any(s, b, e, visit_words)) {
        set_role(P, m->who, "host");
        continue;
      }
    }
    if (!has_any(s, b, e, visit_words)) continue;
    /* "talks with X, who is ... on a visit": X the guest, who met X the host */
    size_t with = find_word(s, b, e, "with");
    if (with < e && find_word(s, with, e, "who") < e)
      set_role(P, m->who, m->at > with ? "guest" : "host");
  }
}

static int participants_run(scr_doc *doc, const scr_options *opts, scr_diag *diag) {
  (void)opts;
  partic P = {.doc = doc};
  if (!scr_doc_person_count(doc)) return 0;
  size_t in_turn = 0;
  scr_iter it;
  scr_event ev;
  scr_iter_init(&it, scr_doc_root(doc));
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE && !P.oom) {
    scr_node *n = scr_iter_node(&it);
    scr_node_type ty = scr_node_get_type(n);
    if (ty == SCR_NODE_TURN) {
      if (ev == SCR_EVENT_ENTER) {
        in_turn++;
        take(&P, scr_node_attr(n, SCR_ATTR_WHO));
      } else {
        in_turn--;
      }
      continue;
    }
    if (ev != SCR_EVENT_ENTER) continue;
    switch (ty) {
    case SCR_NODE_SPEAKER: take(&P, scr_node_attr(n, SCR_ATTR_WHO)); break;
    case SCR_NODE_QUOTE:
      if (!in_turn) take(&P, scr_node_attr(n, SCR_ATTR_WHO));
      break;
    case SCR_NODE_TITLE:
    case SCR_NODE_LEAD:
    case SCR_NODE_FIGURE:
      block_persons(&P, n, HEAD);
      scr_iter_skip_children(&it);
      break;
    case SCR_NODE_DATELINE:
      block_persons(&P, n, DATELINE);
      scr_iter_skip_children(&it);
      break;
    case SCR_NODE_PARAGRAPH:
      if (!in_turn) block_persons(&P, n, NARRATION);
      break; /* its quotations are walked too */
    default: break;
    }
  }
  scr_person *part[2];
  size_t nparts = 0;
  for (size_t i = 0; i < scr_doc_person_count(doc) && !P.oom; i++) {
    scr_person *p = scr_doc_person_at(doc, i);
    if (scr_person_participation(p) == SCR_PARTICIPATION_UNKNOWN) /* no one said it takes part */
      scr_person_set_participation(p, SCR_PARTICIPATION_MENTIONED);
    if (scr_person_participation(p) == SCR_PARTICIPATION_PARTICIPANT && nparts++ < 2)
      part[nparts - 1] = p;
  }
  /* A meeting of two, one of them the host (the guest): the other is the
   * guest (the host). */
  if (nparts == 2 && !P.oom) {
    for (int k = 0; k < 2; k++) {
      scr_str a = scr_person_event_role(part[k]), o = scr_person_event_role(part[1 - k]);
      if (o.len || !a.len) continue;
      const char *other = a.len == 4 && !memcmp(a.ptr, "host", 4)    ? "guest"
                          : a.len == 5 && !memcmp(a.ptr, "guest", 5) ? "host"
                                                                       : NULL;
      if (other && scr_person_set_event_role(doc, part[1 - k], other, strlen(other))) P.oom = 1;
    }
  }
  int failed = P.oom;
  scr_buf_free(&P.flat);
  free(P.v);
  if (failed) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    return -1;
  }
  return 0;
}

static const scr_transform participants = {
    .struct_size = sizeof(scr_transform),
    .name = "participants",
    .description = "which persons take part in the event (speakers, the people the "
                   "title and lead say meet) and which are only mentioned, and their "
                   "role in it (host, guest, delegation)",
    .run = participants_run,
};

static const scr_transform *const transforms[] = {&participants, NULL};

static const scr_plugin descriptor = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = "participants",
    .version = "0.1.0",
    .description = "participants and mentioned persons of a document, and their roles in the event",
    .transforms = transforms,
};

SCR_PLUGIN_DEFINE(descriptor)
