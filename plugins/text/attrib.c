/* attrib.c - who said each quotation.
 *
 * Within a paragraph, in one forward pass over the references to persons
 * that inline.c found in the narration (names, epithets, pronouns) and the
 * top-level quotes:
 *   - after the quote:   “…,” the Belarusian leader noted.  /  “…,” he said.
 *   - before, with ':':  Aleksandr Lukashenko said: “…”
 *   - at the sentence's end: … set “to analyze …" and decide …, the Russian
 *     head of state said.
 *   - an interrupted quote: “…,” he said. “…”  (the same speaker)
 *   - the paragraph's subject: Aleksandr Lukashenko noted that … “…”
 *   - in a labelled turn: the turn's speaker.
 * A pronoun means the person the narration is about: the last person that
 * was the subject of a narration sentence (`topic`, kept across
 * paragraphs). Nothing else is guessed: a quote without any of these stays
 * unattributed. Every look-ahead is bounded, so the pass is linear.
 *
 * Across paragraphs: a quote left open at a paragraph's end goes on in the
 * next paragraph if that one opens with a quotation mark and nothing
 * attributes it to someone else; the parts are linked with id/next/prev.
 * Otherwise it is an unclosed quote, reported with its line and column. */
#include <stdio.h>
#include <string.h>

#include "analysis.h"

static const char *const method_names[] = {NULL, "label", "name", "epithet",
                                           "pronoun", "context"};
static const char *const cert_names[] = {NULL, "low", "medium", "high"};

typedef struct cand {
  int who, method, cert;
} cand;

int person_gender(const analysis *r, int person) {
  if (person < 0) return 0;
  if ((size_t)person < r->genders.len && r->genders.v[person]) return r->genders.v[person];
  return lexicon_gender(&r->lx, person);
}

int note_gender(analysis *r, int person, int gender) {
  if (person < 0) return 0;
  while (r->genders.len <= (size_t)person)
    if (VEC_PUSH(r->genders, 0)) return -1;
  /* "Mr" and "Ms" for one person: the text does not say */
  unsigned char *g = &r->genders.v[person];
  *g = *g == 0 || *g == gender ? (unsigned char)gender : 3;
  return 0;
}

static cand resolve(const analysis *r, const ref *rf) {
  cand c = {-1, M_NONE, 0};
  switch (rf->kind) {
  case REF_NAME:
    c = (cand){rf->person, M_NAME, 3};
    break;
  case REF_EPITHET:
    c = (cand){rf->person, M_EPITHET, rf->cert_medium ? 2 : 3};
    break;
  case REF_PRONOUN: {
    /* "he" is not a woman's, "she" not a man's: when the topic is known
     * to be of the other gender, the last subject known to be of this one;
     * when it is not known, "she" names nobody (most persons of these
     * texts are men, which is no reason to guess). */
    int want = rf->female ? GENDER_FEMALE : GENDER_MALE;
    int t = r->topic, g = person_gender(r, t);
    if (t >= 0 && g && g != want) t = rf->female ? r->topic_female : r->topic_male;
    else if (t >= 0 && !g && rf->female) t = -1;
    if (t >= 0) c = (cand){t, M_PRONOUN, 2};
    break;
  }
  }
  return c;
}

static int write_attrs(analysis *r, const quote_rec *q) {
  if (q->who < 0) return 0;
  scr_person *p = lexicon_person(&r->lx, r->doc, q->who);
  if (!p) return -1;
  scr_str id = scr_person_id(p);
  const char *m = method_names[q->method], *c = cert_names[q->cert];
  if (scr_node_set_attr_ref(r->doc, q->node, SCR_ATTR_WHO, id.ptr, id.len) ||
      scr_node_set_attr_ref(r->doc, q->node, SCR_ATTR_METHOD, m, strlen(m)) ||
      scr_node_set_attr_ref(r->doc, q->node, SCR_ATTR_CERT, c, strlen(c)))
    return -1;
  return 0;
}

typedef struct pass {
  size_t ri, cur_sent;
  long cur_subj;
  cand para;
} pass;

/* The word that ends at e (after spaces), its start in *ws; 0 if none. */
static size_t word_before(const char *s, size_t a, size_t e, size_t *ws) {
  while (e > a && (s[e - 1] == ' ' || (unsigned char)s[e - 1] == 0xA0 ||
                   (unsigned char)s[e - 1] == 0xC2))
    e--;
  size_t w = e;
  while (w > a && ((s[w - 1] >= 'a' && s[w - 1] <= 'z') || (s[w - 1] >= 'A' && s[w - 1] <= 'Z')))
    w--;
  *ws = w;
  return e > w ? e : 0;
}

/* The text between references a and b joins them in a list: ", " or
 * " and ", perhaps with an honorific before b (", Mr Kuchma and Mr
 * Voronin"). */
static size_t skip_sp(const char *s, size_t i, size_t e) {
  for (;;) {
    if (i < e && s[i] == ' ') i++;
    else if (i + 1 < e && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) i += 2;
    else return i;
  }
}

static int joined(const analysis *r, size_t a, size_t b, int and_only) {
  if (b >= r->refs.len) return 0;
  const char *s = r->s;
  const ref *x = &r->refs.v[a], *y = &r->refs.v[b];
  if (x->sent != y->sent || y->start <= x->end || y->start - x->end > 16) return 0;
  size_t i = x->end, e = y->start;
  int comma = 0;
  if (s[i] == ',') i++, comma = 1;
  i = skip_sp(s, i, e);
  size_t we = word_end(s, i, e);
  if (word_is(s, i, we, "and")) i = skip_sp(s, we, e);
  else if (!comma || and_only) return 0;
  we = word_end(s, i, e);
  if (we > i && (word_is(s, i, we, "Mr") || word_is(s, i, we, "Ms") || word_is(s, i, we, "Mrs") ||
                 word_is(s, i, we, "President"))) {
    i = we;
    if (i < e && s[i] == '.') i++;
    i = skip_sp(s, i, e);
  }
  return i == e;
}

/* Reference k is one of a list of persons ("Mr Putin, Mr Kuchma and Mr
 * Voronin expressed their belief that …": "A and B", "A, B and C"), or
 * follows a preposition or "and" after a name the document did not teach
 * ("with Angela Merkel, Emmanuel Macron and Petro Poroshenko resulted in
 * …"). A list is no one person's subject. */
static int list_member(const analysis *r, size_t k) {
  const char *s = r->s;
  const ref *rf = &r->refs.v[k];
  if (joined(r, k, k + 1, 1) || (k > 0 && joined(r, k - 1, k, 1))) return 1;
  if (joined(r, k, k + 1, 0) && joined(r, k + 1, k + 2, 0)) return 1;
  if (k > 0 && joined(r, k - 1, k, 0) && joined(r, k, k + 1, 0)) return 1;
  size_t ws, we = word_before(s, rf->start > 40 ? rf->start - 40 : 0, rf->start, &ws);
  if (we && we < rf->start) {
    static const char *const preps[] = {"with", "to", "of", "by", "for", "from", NULL};
    for (size_t i = 0; preps[i]; i++)
      if (word_is(s, ws, we, preps[i])) return 1;
    if (word_is(s, ws, we, "and")) {
      /* "Emmanuel Macron and …", not "Archbishop of Kherson and Tauride
       * Innocent" */
      size_t ps, pe = word_before(s, ws > 40 ? ws - 40 : 0, ws, &ps), qs, qe;
      if (pe && cp_is_upper(cp_at(s, ps, pe, NULL)) &&
          (qe = word_before(s, ps > 40 ? ps - 40 : 0, ps, &qs)) && qe < ps &&
          cp_is_upper(cp_at(s, qs, qe, NULL)))
        return 1;
    }
  }
  return 0;
}

static void take_refs(analysis *r, pass *ps, size_t limit) {
  while (ps->ri < r->refs.len && r->refs.v[ps->ri].start < limit) {
    const ref *rf = &r->refs.v[ps->ri];
    if (rf->sent != ps->cur_sent) {
      ps->cur_sent = rf->sent;
      ps->cur_subj = -1;
    }
    if (ps->cur_subj < 0 &&
        (rf->verb_after || (rf->sent_start && rf->comma_after)) &&
        !list_member(r, ps->ri)) {
      ps->cur_subj = (long)ps->ri;
      cand c = resolve(r, rf);
      if (c.who >= 0) {
        if (rf->kind != REF_PRONOUN) {
          r->topic = c.who;
          int g = person_gender(r, c.who);
          if (g == GENDER_MALE) r->topic_male = c.who;
          if (g == GENDER_FEMALE) r->topic_female = c.who;
        }
        ps->para = c;
      }
    }
    ps->ri++;
  }
}

/* Spaces and honorifics or offices ("Mr", "Mr.", "President", "Prime
 * Minister") only: what may stand between a quote, or a speech verb, and
 * the name that attributes it ("…,” Mr Putin said", "said President Putin"). */
static int only_spaces_titles(const char *s, size_t a, size_t b) {
  while (a < b) {
    size_t n;
    uint32_t c = cp_at(s, a, b, &n);
    if (cp_is_space(c)) {
      a += n;
      continue;
    }
    size_t we = word_end(s, a, b);
    if (we == a || !cp_is_upper(c) ||
        !(word_in(s, a, we, W_TITLE) || word_is(s, a, we, "Acting")))
      return 0;
    a = we;
    if (a < b && s[a] == '.') a++;
  }
  return 1;
}

/* ", the new US President, " between a name and its verb: an
 * apposition of at most six words between two commas, with no other
 * punctuation ("Harry Truman, the new US President, wrote, “…”"). The
 * references in it, if any, were passed over by the caller. */
static int apposition(const char *s, size_t a, size_t b) {
  while (b > a && (s[b - 1] == ' ' || (unsigned char)s[b - 1] == 0xA0 ||
                   (unsigned char)s[b - 1] == 0xC2))
    b--;
  if (b - a < 4 || s[a] != ',' || s[b - 1] != ',') return 0;
  int words = 0;
  for (size_t i = a + 1; i + 1 < b; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ',' || c == '.' || c == ';' || c == ':' || c == '(' || c == ')' ||
        c == '"' || c == 0xE2)
      return 0;
    if (c == ' ' && s[i + 1] != ' ' && ++words > 6) return 0;
  }
  return 1;
}


static int speech_word(const char *s, size_t i, size_t e) {
  return word_in(s, i, e, W_SPEECH) || word_is(s, i, e, "wrote") ||
         word_is(s, i, e, "writes") || word_is(s, i, e, "saying") ||
         word_is(s, i, e, "asking") || word_is(s, i, e, "replying");
}

/* "Maxim Litvinov said, “…”", "… quoted Vladimir Putin as saying: “…”":
 * the reference right before a speech verb right before the quote's
 * opening mark (j: where the spaces before the mark begin, s[j - 1] is ','
 * or ':'). -1 if there is none. */
static long ref_before_verb(const analysis *r, const pass *ps, size_t j) {
  const char *s = r->s;
  size_t lim = j > 160 ? j - 160 : 0, ws = j - 1, we;
  /* the verb, perhaps followed by a few words without punctuation
   * ("Petr Stolypin said when addressing the State Duma, “…”") */
  int n = 0;
  size_t e0 = j - 1;
  if (e0 > lim && s[e0 - 1] == ')') {
    /* "Hitler says (Adolf Hitler’s words), “…”": an aside in brackets */
    size_t k = e0 - 1;
    while (k > lim && s[k - 1] != '(' && s[k - 1] != ')') k--;
    if (k > lim && s[k - 1] == '(') e0 = k - 1;
  }
  for (size_t e = e0; n < 8; n++, e = ws) {
    we = word_before(s, lim, e, &ws);
    if (!we) return -1;
    if (speech_word(s, ws, we)) break;
  }
  if (n == 8) return -1;
  size_t end = ws;
  if (word_is(s, ws, we, "saying")) {
    size_t as, ae = word_before(s, lim, ws, &as);
    if (ae && word_is(s, as, ae, "as")) end = as;
  } else {
    size_t as, ae = word_before(s, lim, ws, &as);
    if (ae && word_is(s, as, ae, "who")) end = as; /* "Vladimir Putin who said, “…”" */
  }
  for (size_t k = ps->ri; k-- > 0;) {
    const ref *rf = &r->refs.v[k];
    if (rf->end > end) continue;
    if (rf->kind == REF_PRONOUN) return -1;
    if (only_spaces_titles(s, rf->end, end)) return (long)k;
    return apposition(s, rf->end, end) ? (long)k : -1;
  }
  return -1;
}

/* "a similar saying: “…”", "the so-called “…”", "a film entitled “…”":
 * the quote names or cites a thing, it is nobody's speech. j: where the
 * spaces before the opening mark begin. */
static int named_thing_before(const char *s, size_t j) {
  size_t lim = j > 40 ? j - 40 : 0, e = j, ws, we;
  if (e > lim && s[e - 1] == ':') e--;
  else if (e > lim && s[e - 1] == ',') e--;
  if (!(we = word_before(s, lim, e, &ws))) return 0;
  static const char *const words[] = {
      "saying", "proverb", "phrase", "slogan", "motto", "expression", "called",
      "entitled", "titled", "dubbed", "named", "headlined", "word", "words",
      "term", "concept", "programme", "program", "project", "operation", NULL};
  for (size_t k = 0; words[k]; k++)
    if (word_is(s, ws, we, words[k])) {
      size_t as, ae = word_before(s, lim, ws, &as);
      /* "quoted him as saying:", "his words:" are speech */
      if (ae && (word_is(s, as, ae, "as") || word_is(s, as, ae, "his") ||
                 word_is(s, as, ae, "her")))
        return 0;
      return 1;
    }
  return 0;
}

/* Fewer than four words with no sentence punctuation at their end, or a
 * quote right after "the", "a", "so-called" or a capitalised word. */
static int scare_quote(const analysis *r, const quote_rec *q) {
  const char *s = r->s;
  size_t ws, we = word_before(s, q->open > 40 ? q->open - 40 : 0, q->open, &ws);
  if (we && we + 1 >= q->open - 1 && (word_is(s, ws, we, "the") || word_is(s, ws, we, "a") ||
             word_is(s, ws, we, "an") || word_is(s, ws, we, "called") ||
             word_is(s, ws, we, "The")))
    return 1;
  if (we && we == q->open - 1 && s[we] == ' ' && cp_is_upper(cp_at(s, ws, we, NULL)) &&
      !word_is(s, ws, we, "I") && ws > 0 && s[ws - 1] == ' ' &&
      !(ws >= 2 && (s[ws - 2] == '.' || s[ws - 2] == ':')))
    return 1;
  if (q->close == SIZE_MAX) return 0;
  size_t words = 0;
  for (size_t i = q->open_end; i < q->close; i++)
    if (s[i] == ' ' && i + 1 < q->close && s[i + 1] != ' ') words++;
  uint32_t last = cp_before(s, q->open_end, q->close, NULL);
  int punct = last == '.' || last == ',' || last == '!' || last == '?' || last == 0x2026 ||
              last == ';' || last == ':';
  if (words < 3 && !punct) return 1;
  /* "international conference “Germany and Russia in the Changing
   * World”": a title, its longer words all capitalised */
  if (punct || words > 12) return 0;
  for (size_t i = q->open_end; i < q->close;) {
    size_t n, te = word_end(s, i, q->close);
    if (te == i) {
      cp_at(s, i, q->close, &n);
      i += n ? n : 1;
      continue;
    }
    if (te - i >= 4 && !cp_is_upper(cp_at(s, i, te, NULL))) return 0;
    i = te;
  }
  return 1;
}

/* "Churchill’s statement: “…”", "Churchill’s speech made in the House of
 * Commons …: “…”": a name's speech, letter or words, in the sentence the
 * colon ends. The reference, or -1. */
static long possessive_before(const analysis *r, const pass *ps, const quote_rec *q,
                              size_t j) {
  const char *s = r->s;
  static const char *const nouns[] = {
      "speech", "statement", "words", "letter", "message", "address", "remarks",
      "telegram", "report", "reply", "answer", "note", "appeal", NULL};
  for (size_t k = ps->ri; k-- > 0;) {
    const ref *rf = &r->refs.v[k];
    if (rf->sent != q->sent_open || j - rf->end > 160) return -1;
    if (rf->kind == REF_PRONOUN) continue;
    size_t e = rf->end;
    if (e + 3 < j && s[e] == '\'' && s[e + 1] == 's') e += 2;
    else if (e + 5 < j && memcmp(s + e, "\xE2\x80\x99s", 4) == 0) e += 4;
    else continue;
    if (e >= j || s[e] != ' ') continue;
    size_t we = word_end(s, e + 1, j);
    for (size_t n = 0; nouns[n]; n++)
      if (word_is(s, e + 1, we, nouns[n])) return (long)k;
  }
  return -1;
}

/* ”…“ alone in its paragraph: kremlin.ru's pull quote, marks reversed
 * (asked in a turn only: narration of 2003 has messages quoted ”…“, one
 * paragraph after another, which are the message). */
static int pull_quote(const analysis *r, const quote_rec *q, size_t text_start) {
  const char *s = r->s;
  if (q->open != text_start || q->close == SIZE_MAX || q->open_end - q->open != 3 ||
      q->close_end - q->close != 3)
    return 0;
  if ((unsigned char)s[q->open + 2] != 0x9D || (unsigned char)s[q->close + 2] != 0x9C) return 0;
  size_t e = r->inl_end;
  while (e > q->close_end && (s[e - 1] == ' ' || s[e - 1] == '.')) e--;
  return e == q->close_end;
}

/* The quote at `open` begins its sentence: only spaces back to a full
 * stop ("“…,” said President Putin at a meeting with … . “…”"). */
static int opens_sentence(const char *s, size_t open) {
  size_t j = open, lim = open > 8 ? open - 8 : 0;
  while (j > lim && (s[j - 1] == ' ' || (unsigned char)s[j - 1] == 0xA0 ||
                     (unsigned char)s[j - 1] == 0xC2))
    j--;
  return j < open && j > 0 && (s[j - 1] == '.' || s[j - 1] == '!' || s[j - 1] == '?');
}

/* "…, I quote: “…”", "which, I quote, “…”": the speaker of a turn says
 * that what follows is someone else's words. */
static int i_quote_before(const char *s, size_t open) {
  size_t j = open, lim = open > 16 ? open - 16 : 0, ws, we, is, ie;
  while (j > lim && (s[j - 1] == ' ' || (unsigned char)s[j - 1] == 0xA0 ||
                     (unsigned char)s[j - 1] == 0xC2))
    j--;
  if (!(j > lim && (s[j - 1] == ',' || s[j - 1] == ':'))) return 0;
  if (!(we = word_before(s, lim, j - 1, &ws)) || !word_is(s, ws, we, "quote")) return 0;
  return (ie = word_before(s, lim, ws, &is)) && word_is(s, is, ie, "I");
}

/* The one person a name (not a pronoun) of the quote's sentence before it
 * refers to: "Marshal Ferdinand Foch, the French commander, spoke about …
 * and once uttered a famous prophecy, I quote: “…”". -1 when there is
 * none or more than one. refs below ri are those before the quote. */
static int sentence_named(const analysis *r, size_t ri, size_t sent) {
  int who = -1;
  for (size_t k = ri; k-- > 0;) {
    const ref *rf = &r->refs.v[k];
    if (rf->sent != sent) break;
    if (rf->kind != REF_NAME) continue;
    /* "Mr Trump’s son, …": the person is not the one speaking */
    if (rf->end < r->len && (r->s[rf->end] == '\'' || (unsigned char)r->s[rf->end] == 0xE2))
      return -1;
    if (who >= 0 && rf->person != who) return -1;
    who = rf->person;
  }
  return who;
}

/* Where an attribution came from: the words next to the quote (before it
 * with ':' or a speech verb, right after it), the end of its sentence, the
 * quote before it, or only the paragraph's subject. */
enum { SRC_NONE, SRC_NEAR, SRC_SENTENCE, SRC_CHAIN, SRC_PARAGRAPH };

static cand attribute(analysis *r, pass *ps, quote_rec *q, const quote_rec *prev,
                      int *post_ref, int *src) {
  const char *s = r->s;
  cand none = {-1, M_NONE, 0}, pre = none, post = none, send = none;
  *post_ref = -1;
  *src = SRC_NONE;
  take_refs(r, ps, q->open);
  /* Before, with a colon: the sentence's subject. */
  size_t j = q->open, lim = q->open > 8 ? q->open - 8 : 0;
  while (j > lim && (s[j - 1] == ' ' || (unsigned char)s[j - 1] == 0xA0 ||
                     (unsigned char)s[j - 1] == 0xC2))
    j--;
  if (j > 0 && (s[j - 1] == ':' || s[j - 1] == ',')) {
    long k = ref_before_verb(r, ps, j);
    if (k >= 0) pre = resolve(r, &r->refs.v[k]);
  }
  if (pre.who < 0 && j > 0 && s[j - 1] == ':') {
    long k = possessive_before(r, ps, q, j);
    if (k >= 0) pre = resolve(r, &r->refs.v[k]);
  }
  if (pre.who < 0 && named_thing_before(s, j)) return none; /* a saying, a title */
  if (pre.who < 0 && j > 0 && s[j - 1] == ':' && ps->cur_subj >= 0 &&
      r->refs.v[ps->cur_subj].sent == q->sent_open)
    pre = resolve(r, &r->refs.v[ps->cur_subj]);
  if (q->close != SIZE_MAX && ps->ri < r->refs.len) {
    const ref *rf = &r->refs.v[ps->ri];
    if (rf->start >= q->close_end && rf->sent == q->sent_close &&
        rf->start - q->close_end <= 40) {
      size_t g = q->close_end;
      if (g < rf->start && s[g] == ',' && !scare_quote(r, q)) g++; /* “…”, Mr Putin said */
      if (only_spaces_titles(s, g, rf->start) && rf->verb_after) {
        post = resolve(r, rf);
        *post_ref = (int)ps->ri;
      } else {
        /* “…,” said Vladimir Putin. */
        while (g < rf->start && s[g] == ' ') g++;
        size_t we = word_end(s, g, rf->start);
        if (we > g && s[g] >= 'a' && s[g] <= 'z' && word_in(s, g, we, W_SPEECH) &&
            only_spaces_titles(s, we, rf->start) &&
            (rf->end >= r->len || s[rf->end] == '.' || s[rf->end] == ',' ||
             (s[rf->end] == ' ' && rf->end + 1 < r->len && s[rf->end + 1] >= 'a' &&
              s[rf->end + 1] <= 'z'))) {
          post = resolve(r, rf);
          *post_ref = (int)ps->ri;
        }
      }
    }
    if (post.who < 0) {
      /* …, the Russian head of state said. (the end of the sentence) */
      for (size_t k = ps->ri; k < r->refs.len && k < ps->ri + 16; k++) {
        const ref *x = &r->refs.v[k];
        if (x->sent != q->sent_close) break;
        if (x->comma_before && x->verb_after && x->verb_then_stop) {
          send = resolve(r, x);
          if (send.cert > 2) send.cert = 2;
          break;
        }
      }
    }
  }
  cand best = post;
  if (pre.who >= 0 && pre.cert > best.cert) best = pre;
  if (best.who >= 0) *src = SRC_NEAR;
  /* Not next to a speech verb: a short phrase or one named like a thing
   * ("the “road map” principles", "Forum “The Arctic. Made in Russia”") is
   * a term, a title or a scare quote, not speech. */
  if (best.who < 0 && (scare_quote(r, q) || named_thing_before(s, j))) return none;
  if (best.who < 0 && send.who >= 0) best = send, *src = SRC_SENTENCE;
  if (best.who < 0 && prev && prev->who >= 0 && prev->post_ref >= 0 &&
      (size_t)prev->post_ref + 1 == ps->ri && q->sent_open > prev->sent_close &&
      (q->open - r->refs.v[prev->post_ref].end < 64 ||
       (q->open - r->refs.v[prev->post_ref].end < 240 &&
        q->sent_open == r->refs.v[prev->post_ref].sent + 1 && opens_sentence(s, q->open))))
    best = (cand){prev->who, M_CONTEXT, prev->cert}, *src = SRC_CHAIN;
  if (best.who < 0 && ps->para.who >= 0) {
    best = ps->para;
    best.cert = ps->para.method == M_PRONOUN ? 1 : 2;
    *src = SRC_PARAGRAPH;
  }
  return best;
}

/* "I always say, “…”", "I … said: “…”", "So the question is, “…”": the
 * turn's speaker quoting himself, said in the words just before the
 * quote (its clause, at most ten words back, ending in ',' or ':'). */
static int self_quote(const analysis *r, const quote_rec *q) {
  const char *s = r->s;
  size_t j = q->open, lim = q->open > 120 ? q->open - 120 : 0;
  while (j > lim && (s[j - 1] == ' ' || (unsigned char)s[j - 1] == 0xA0 ||
                     (unsigned char)s[j - 1] == 0xC2))
    j--;
  if (!(j > lim && (s[j - 1] == ',' || s[j - 1] == ':'))) return 0;
  size_t e = j - 1, ws, we;
  int verb = 0;
  for (int n = 0; n < 10 && (we = word_before(s, lim, e, &ws)); n++) {
    if (n == 0 && word_is(s, ws, we, "is")) {
      size_t qs, qe = word_before(s, lim, ws, &qs);
      return qe && word_is(s, qs, qe, "question");
    }
    if (n == 0 && (speech_word(s, ws, we) || word_is(s, ws, we, "say") ||
                   word_is(s, ws, we, "respond") || word_is(s, ws, we, "tell") ||
                   word_is(s, ws, we, "ask") || word_is(s, ws, we, "answer") ||
                   word_is(s, ws, we, "reply") || word_is(s, ws, we, "write")))
      verb = 1;
    if (word_is(s, ws, we, "I")) return verb;
    if (n == 0 && !verb) {
      /* "said to them:", "told him," */
      if (!(word_is(s, ws, we, "them") || word_is(s, ws, we, "him") ||
            word_is(s, ws, we, "her") || word_is(s, ws, we, "you") ||
            word_is(s, ws, we, "me") || word_is(s, ws, we, "us")))
        return 0;
      size_t vs, ve = word_before(s, lim, ws, &vs);
      if (!ve) return 0;
      if (word_is(s, vs, ve, "to")) ve = word_before(s, lim, vs, &vs);
      if (!ve || !(speech_word(s, vs, ve) || word_is(s, vs, ve, "tell"))) return 0;
      verb = 1;
      ws = vs;
    }
    e = ws;
  }
  return 0;
}

static void set_unclosed(analysis *r, quote_rec *q) {
  scr_pos p = an_pos(r, q->open);
  r->unclosed++;
  scr_node_set_attr_ref(r->doc, q->node, SCR_ATTR_KIND, "unclosed", 8);
  scr_diag_report(r->diag, SCR_WARNING, p, "unclosed-quote",
                  "the quotation opened at line %u, column %u is not closed; "
                  "it ends at the end of its paragraph",
                  (unsigned)p.line, (unsigned)p.column);
}

static int finish_chain(analysis *r) {
  if (r->chain.len < 2) {
    r->chain.len = 0;
    return 0;
  }
  cand best = {-1, M_NONE, 0};
  for (size_t i = 0; i < r->chain.len; i++)
    if (r->chain.v[i].who >= 0 && r->chain.v[i].cert > best.cert)
      best = (cand){r->chain.v[i].who, r->chain.v[i].method, r->chain.v[i].cert};
  char id[32], other[32];
  for (size_t i = 0; i < r->chain.len; i++) {
    quote_rec *q = &r->chain.v[i];
    if (q->who < 0 && best.who >= 0) {
      q->who = best.who;
      q->method = M_CONTEXT;
      q->cert = best.cert;
      if (write_attrs(r, q)) return -1;
    }
    int n = snprintf(id, sizeof id, "q%zu", q->ordinal);
    if (an_set_attr(r, q->node, SCR_ATTR_ID, id, (size_t)n)) return -1;
    if (i + 1 < r->chain.len) {
      n = snprintf(other, sizeof other, "q%zu", r->chain.v[i + 1].ordinal);
      if (an_set_attr(r, q->node, SCR_ATTR_NEXT, other, (size_t)n)) return -1;
    }
    if (i > 0) {
      n = snprintf(other, sizeof other, "q%zu", r->chain.v[i - 1].ordinal);
      if (an_set_attr(r, q->node, SCR_ATTR_PREV, other, (size_t)n)) return -1;
    }
  }
  r->linked += r->chain.len;
  r->chain.len = 0;
  return 0;
}

int attrib_flush(analysis *r) {
  r->intro = -1;
  if (r->has_pending) {
    set_unclosed(r, &r->pending);
    r->has_pending = 0;
  }
  return finish_chain(r);
}

static int message_word(const char *s, size_t i, size_t e) {
  static const char *const words[] = {
      "message", "messages", "telegram", "letter", "greeting", "greetings",
      "address", "statement", "condolences", "congratulations", "appeal",
      "note", "text", NULL};
  for (size_t k = 0; words[k]; k++)
    if (word_is(s, i, e, words[k])) return 1;
  return 0;
}

/* A paragraph that ends with ':' introduces the block quotation after it:
 * "Vladimir Putin said, in particular:" (its last sentence's subject), or
 * "The message says, in part:" (a message: the title's sender). Sets
 * r->intro (-1: none). */
static void set_intro(analysis *r, const pass *ps, size_t text_start) {
  const char *s = r->s;
  size_t e = r->inl_end;
  r->intro = -1;
  while (e > text_start && (s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
  /* "The message says, in part," ends with a comma as often as a colon */
  if (e == text_start || (s[e - 1] != ':' && s[e - 1] != ',')) return;
  const quote_rec *last = r->quotes.len ? &r->quotes.v[r->quotes.len - 1] : NULL;
  if (last && (last->close == SIZE_MAX || last->close_end >= e - 1)) return;
  if (ps->cur_subj >= 0 && r->refs.v[ps->cur_subj].sent == r->inl_sent) {
    cand c = resolve(r, &r->refs.v[ps->cur_subj]);
    if (c.who >= 0) {
      r->intro = c.who;
      r->intro_cert = c.method == M_PRONOUN ? 1 : 2;
      return;
    }
  }
  if (r->sender < 0) return;
  /* the last sentence: back to a full stop */
  size_t a = e - 1;
  while (a > text_start && !(s[a - 1] == '.' && a < e && s[a] == ' ')) a--;
  for (size_t i = a; i < e;) {
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) {
      i++;
      continue;
    }
    size_t we = word_end(s, i, e);
    if (we == i) we = i + 1;
    if (message_word(s, i, we)) {
      r->intro = r->sender;
      r->intro_cert = 1;
      return;
    }
    i = we;
  }
}

/* Reported speech ("Mr Putin said that …", inline.c): the reference
 * before its verb says who, as for a quote after a name; in a turn only a
 * name or an epithet (a third party), never a pronoun. A list of persons
 * ("Mr Putin and Mr Bush said that") is nobody's in particular. */
static int attrib_indirect(analysis *r, pass *ps, quote_rec *q, int in_turn, int label) {
  if (q->post_ref == -2) {
    /* "I have said many times that": the turn's speaker, by his label */
    q->post_ref = -1;
    if (!in_turn || label < 0) return 0;
    q->who = label;
    q->method = M_LABEL;
    q->cert = 2;
    r->indirect_attributed++;
    return write_attrs(r, q);
  }
  const ref *rf = &r->refs.v[q->post_ref];
  cand c = {-1, M_NONE, 0};
  if (in_turn) {
    if (rf->kind != REF_PRONOUN) c = resolve(r, rf);
    if (c.cert > 2) c.cert = 2;
  } else {
    take_refs(r, ps, rf->start);
    c = resolve(r, rf);
    /* "he said" means the topic only if the last person named before it
     * in the paragraph is the topic ("… Georgian President Eduard
     * Shevardnadze de facto acknowledged …. He said he had to …" is not
     * Putin's, whoever the topic was) */
    if (rf->kind == REF_PRONOUN && c.who >= 0)
      for (size_t k = (size_t)q->post_ref; k-- > 0;) {
        const ref *x = &r->refs.v[k];
        if (x->kind == REF_PRONOUN) continue;
        if (x->person != c.who) c.who = -1;
        break;
      }
  }
  if (c.who >= 0 && list_member(r, (size_t)q->post_ref)) c.who = -1;
  q->post_ref = -1;
  if (c.who < 0) return 0;
  q->who = c.who;
  q->method = c.method;
  q->cert = c.cert;
  r->indirect_attributed++;
  return write_attrs(r, q);
}

int attrib_paragraph(analysis *r, scr_node *container, size_t text_start,
                     int in_turn, int label) {
  int intro = in_turn ? -1 : r->intro;
  r->intro = -1;
  pass ps = {0, SIZE_MAX, -1, {-1, M_NONE, 0}};
  const quote_rec *said_before = NULL; /* the last quote a name or verb next to it attributed */
  size_t ii = 0; /* the next reported clause */
  for (size_t i = 0; i < r->quotes.len; i++) {
    quote_rec *q = &r->quotes.v[i];
    for (; ii < r->indirect.len && r->indirect.v[ii].open < q->open; ii++)
      if (attrib_indirect(r, &ps, &r->indirect.v[ii], in_turn, label)) return -1;
    if (in_turn) {
      /* A turn's speaker quotes others far more often than himself: a
       * name or epithet next to the quote says whose words they are; the
       * speaker's own only when he says so ("I always say, “…”"); the
       * rest (unnamed others, proverbs, titles, scare quotes, pull
       * quotes) is nobody's in particular. Pronouns and the topic of the
       * narration do not reach into a turn. */
      int post_ref, src, topic = r->topic;
      cand c = attribute(r, &ps, q, NULL, &post_ref, &src);
      r->topic = topic;
      q->who = -1;
      q->method = M_NONE;
      q->cert = 0;
      q->post_ref = -1;
      if (c.who >= 0 && src == SRC_NEAR && (c.method == M_NAME || c.method == M_EPITHET)) {
        q->who = c.who;
        q->method = c.method;
        q->cert = 2;
      } else if (i_quote_before(r->s, q->open) &&
                 (c.who = sentence_named(r, ps.ri, q->sent_open)) >= 0 &&
                 c.who != label) {
        q->who = c.who;
        q->method = M_NAME;
        q->cert = 2;
      } else if (label >= 0 && self_quote(r, q)) {
        q->who = label;
        q->method = M_LABEL;
        q->cert = 2;
      }
    } else {
      int post_ref, src;
      cand c = attribute(r, &ps, q, said_before, &post_ref, &src);
      q->who = c.who;
      q->method = c.method;
      q->cert = c.cert;
      if (i == 0 && intro >= 0 && q->open == text_start &&
          (c.who < 0 || src == SRC_PARAGRAPH)) {
        /* the block quotation a paragraph ending in ':' introduced */
        q->who = intro;
        q->method = M_CONTEXT;
        q->cert = r->intro_cert;
        src = SRC_NEAR;
      }
      q->post_ref = c.who >= 0 && post_ref >= 0 && c.method != M_CONTEXT &&
                            c.who == resolve(r, &r->refs.v[post_ref]).who
                        ? post_ref
                        : -1;
      /* a quote nobody said (“Moscow”) does not end the chain */
      if (q->who >= 0) said_before = q;
    }
    if (in_turn && pull_quote(r, q, text_start)) {
      /* the site's display copy of a sentence of the turn: nobody's
       * second utterance (TEI q type="pull-quote") */
      q->who = -1;
      q->post_ref = -1;
      if (an_set_attr(r, q->node, SCR_ATTR_KIND, "pull-quote", 10)) return -1;
    }
    if (write_attrs(r, q)) return -1;
  }
  for (; ii < r->indirect.len; ii++)
    if (attrib_indirect(r, &ps, &r->indirect.v[ii], in_turn, label)) return -1;
  if (!in_turn) {
    take_refs(r, &ps, SIZE_MAX);
    /* "Vladimir Putin congratulated …" opening the narration: the sender
     * of the message it may quote (when the title did not say). */
    if (r->sender < 0 && !r->narrated && r->refs.len) {
      const ref *f = &r->refs.v[0];
      if (f->kind == REF_NAME && f->sent == 0 && f->sent_start && f->verb_after)
        r->sender = f->person;
    }
    r->narrated = 1;
    /* A block quotation goes on over paragraphs that are only quotation
     * ("“…" to the end, or "“…”" and nothing else). */
    const quote_rec *q0 = r->quotes.len ? &r->quotes.v[0] : NULL;
    const quote_rec *ql = r->quotes.len ? &r->quotes.v[r->quotes.len - 1] : NULL;
    size_t e = r->inl_end;
    while (e > text_start && r->s[e - 1] == ' ') e--;
    if (intro >= 0 && r->quotes.len == 1 && q0->open == text_start &&
        (ql->close == SIZE_MAX || ql->close_end >= e)) {
      r->intro = intro;
    } else {
      set_intro(r, &ps, text_start);
    }
  }

  /* A quote left open by the last paragraph. */
  if (r->has_pending) {
    quote_rec *q0 = r->quotes.len ? &r->quotes.v[0] : NULL;
    int go_on = q0 && q0->open == text_start && r->pending_container == container &&
                !(r->pending.who >= 0 && q0->who >= 0 && q0->who != r->pending.who);
    if (go_on) {
      if (r->chain.len == 0 && VEC_PUSH(r->chain, r->pending)) return -1;
      if (VEC_PUSH(r->chain, *q0)) return -1;
    } else {
      set_unclosed(r, &r->pending);
      if (finish_chain(r)) return -1;
    }
    r->has_pending = 0;
  }
  quote_rec *last = r->quotes.len ? &r->quotes.v[r->quotes.len - 1] : NULL;
  if (last && last->close == SIZE_MAX) {
    if (r->chain.len && r->chain.v[r->chain.len - 1].node != last->node &&
        finish_chain(r))
      return -1;
    r->pending = *last;
    r->has_pending = 1;
    r->pending_container = container;
  } else if (r->chain.len && finish_chain(r)) {
    return -1;
  }
  return 0;
}
