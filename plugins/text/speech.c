/* speech.c - the speech transform: the analysis of a transcript's text
 * over the tree the text reader built (docs/text-reader.md). It finds the
 * blocks and their TEXT, the source lines they came from, the persons
 * (the authority file beside the source, labels, "First Last said"), then
 * runs the inline analysis (inline.c) and attribution (attrib.c) block by
 * block, wrapping text runs in inline nodes without changing a character. */
#define _GNU_SOURCE /* memmem */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "label.h"
#include "persons.h"
#include "analysis.h"
#include "text.h"

/* ---- persons found in the text ----------------------------------------------------------------- */


static int name_word(const char *s, size_t i, size_t e) {
  if (e - i < 2 || !cp_is_upper(cp_at(s, i, e, NULL))) return 0;
  size_t n;
  cp_at(s, i, e, &n);
  for (size_t k = i + n; k < e;) {
    uint32_t c = cp_at(s, k, e, &n);
    if (c >= '0' && c <= '9') return 0;
    k += n;
  }
  return !(word_classes(s, i, e, NULL) & (W_TITLE | W_NOT_NAME | W_MONTH));
}

/* "First Last said": two name-like words before a speech verb.
 *
 * The words are maximal runs of word characters; the three must follow
 * each other with only ' ' between them (any other character in between
 * breaks the run). Both names start with a capital, so instead of reading
 * every word of the block this looks only at capitals that start a word
 * (upper_candidate skips the rest eight bytes at a time) and reads the two
 * words after each. Triples are met in text order, as a word-by-word scan
 * would meet them, so names are added in the same order. */
static size_t after_spaces(const char *s, size_t e, size_t end) {
  size_t q = e;
  while (q < end && s[q] == ' ') q++;
  /* at least one space, then a word character */
  if (q == e || q >= end || !cp_is_word(cp_at(s, q, end, NULL))) return 0;
  return q;
}

static int institution_word(const char *s, size_t i, size_t e);
static size_t word_before_at(const char *s, size_t a, size_t e, size_t *ws);
static size_t given_names_before(const char *s, size_t a, size_t fs);
static int nation_ending(const char *s, size_t a, size_t e, size_t *ns);
static int nation_word(const char *s, size_t i, size_t e);
static int nation_at(const char *s, size_t i, size_t end, size_t *e);

/* The one person whose name in full, of two words, begins with the word
 * w[0..n) and does not end with it ("Hu Jintao" for "Mr Hu"), or -1.
 * Asked only for an honorific or office before a single unknown name, so
 * a look over the entries costs little. */
static int first_word_person(const lexicon *lx, const char *w, size_t n) {
  int who = -1;
  for (size_t k = 0, nk = lexicon_size(lx); k < nk; k++) {
    const lex_entry *e = lexicon_entry(lx, (int)k);
    if (e->kind != LEX_NAME || e->person < 0 || e->learned || e->form.len <= n + 1 ||
        memcmp(e->form.ptr, w, n) != 0 || e->form.ptr[n] != ' ' ||
        memchr(e->form.ptr + n + 1, ' ', e->form.len - n - 1))
      continue;
    if (who >= 0 && who != e->person) return -1;
    who = e->person;
  }
  return who;
}

static int find_said_names(analysis *r, const blk *b) {
  const char *s = r->s;
  size_t end = b->text_end;
  for (size_t i = upper_candidate(s, b->text, end); i < end;
       i = upper_candidate(s, i + 1, end)) {
    if (!cp_is_upper(cp_at(s, i, end, NULL)) ||
        cp_is_word(cp_before(s, b->text, i, NULL)))
      continue; /* not a capital starting a word */
    /* Cheap tests first: a second capitalised word, then a word in
     * lower-case ASCII (speech verbs are), before the look-ups. */
    size_t e0 = word_end(s, i, end);
    size_t w1 = after_spaces(s, e0, end);
    if (!w1 || !cp_is_upper(cp_at(s, w1, end, NULL))) continue;
    size_t e1 = word_end(s, w1, end);
    size_t w2 = after_spaces(s, e1, end);
    if (!w2 || !(s[w2] >= 'a' && s[w2] <= 'z')) continue;
    size_t e2 = word_end(s, w2, end);
    /* a speech verb, or one whose subject is a person ("… visited") */
    int verb = word_in(s, w2, e2, W_SPEECH | W_PERSON_VERB);
    if (!verb && e2 - w2 == 2 && s[w2] == 'a' && s[w2 + 1] == 's') {
      /* "… quoted Vladimir Putin as saying: “…”" */
      size_t w3 = after_spaces(s, e2, end);
      verb = w3 && word_is(s, w3, word_end(s, w3, end), "saying");
    }
    if (!verb || !name_word(s, i, e0) || !name_word(s, w1, e1) ||
        institution_word(s, w1, e1) || nation_word(s, i, e0) >= 0)
      continue;
    /* Not "the Russian President said"; check the word before. */
    if (i >= 4 && (memcmp(s + i - 4, "the ", 4) == 0 || memcmp(s + i - 4, "his ", 4) == 0))
      continue;
    if (lexicon_add_found_name(&r->lx, r->doc, s + i, e1 - i) < 0) return -1;
  }
  return 0;
}

/* ---- what the document teaches: names after an office, and epithets ---------------- */

/* The start of the list of a sentence that says who took part ("Taking
 * part in the talks were A, B and C", "Attending the meeting were ...",
 * "The meeting was attended by ..."): the first byte after "were" or
 * "by", or 0 when the block does not start so. */
static size_t list_of_participants(const char *s, size_t a, size_t e) {
  static const char *const openings[] = {"Taking part", "Also taking part", "Attending",
                                         "Also attending", "Participating", "Present", NULL};
  size_t k = 0;
  for (; openings[k]; k++) {
    size_t n = strlen(openings[k]);
    if (e - a > n && memcmp(s + a, openings[k], n) == 0 && s[a + n] == ' ') break;
  }
  const char *verb = openings[k] ? " were " : " attended by ";
  if (!openings[k] && !(e - a > 12 && memcmp(s + a, "The ", 4) == 0)) return 0;
  /* the verb in the first 160 bytes, before any sentence end */
  size_t lim = e - a > 160 ? a + 160 : e, vn = strlen(verb);
  for (size_t i = a; i + vn <= lim; i++) {
    if (s[i] == '.' || s[i] == ':') return 0;
    if (memcmp(s + i, verb, vn) == 0) return i + vn;
  }
  return 0;
}

/* Whether s[ps, pe), right before a name of a list, says whose office it
 * is: an office ("Finance Minister X"), a body of the state ("Chief of
 * Staff of the Presidential Executive Office X", "Chairman of the Accounts
 * Chamber X") or a nation ("President of Kazakhstan X"); not a company
 * ("Bank FC Otkritie") or another capitalised word ("Red Wings
 * Airlines"). */
static int office_before_name(const char *s, size_t ps, size_t pe) {
  return word_in(s, ps, pe, W_TITLE | W_OFFICES | W_STATE_BODY) || nation_word(s, ps, pe) >= 0;
}

/* Whether s[i, e) holds an office word ("Governor of St Petersburg",
 * "Chairman of the Supervisory Board"). */
static int office_in(const char *s, size_t i, size_t e) {
  for (size_t k = i; k < e;) {
    size_t we = word_end(s, k, e);
    if (we == k) {
      k++;
      continue;
    }
    if (cp_is_upper(cp_at(s, k, e, NULL)) && word_in(s, k, we, W_TITLE | W_OFFICES))
      return 1;
    k = we;
  }
  return 0;
}

/* The length of " and " at s[j] (its last space a no-break one perhaps:
 * "and\u00A0Dmitry" in 63204), or 0. */
static size_t and_at(const char *s, size_t j, size_t e) {
  if (e - j < 6 || memcmp(s + j, " and", 4) != 0) return 0;
  if (s[j + 4] == ' ') return 5;
  return (unsigned char)s[j + 4] == 0xC2 && (unsigned char)s[j + 5] == 0xA0 ? 6 : 0;
}

/* "Taking part in the meeting were Prime Minister Mikhail Mishustin,
 * Deputy Prime Ministers Viktoria Abramchenko, Yury Borisov and Dmitry
 * Chernyshenko, …": the persons of such a list, each item (between
 * commas, semicolons and "and") ending with two name words, with up to two
 * given names before them; an item that does not ("Industry" of "Industry
 * and Trade Minister Denis Manturov", "the Foreign Ministry") names
 * nobody. The list ends with its sentence. */
static int find_listed_names(analysis *r, const blk *b) {
  const char *s = r->s;
  size_t a = b->text, e = b->text_end;
  size_t i = list_of_participants(s, a, e);
  if (!i) return 0;
  int prev_named = 1; /* the first item may be a bare name */
  while (i < e) {
    size_t j = i;
    /* the item: to ',', ';', " and " or the sentence's end */
    while (j < e && s[j] != ',' && s[j] != ';' && s[j] != '(' &&
           !(s[j] == '.' && (j + 1 == e || s[j + 1] == ' ' || s[j + 1] == '\n')) &&
           !and_at(s, j, e))
      j++;
    size_t ie = j;
    while (ie > i && s[ie - 1] == ' ') ie--;
    size_t w1s, w1e = word_before_at(s, i, ie, &w1s);
    size_t w0s, w0e = w1e && w1s >= i + 2 && s[w1s - 1] == ' '
                          ? word_before_at(s, i, w1s - 1, &w0s) : 0;
    int named = 0;
    if (w1e == ie && w0e && name_word(s, w0s, w0e) && name_word(s, w1s, w1e) &&
        !institution_word(s, w1s, w1e) && !institution_word(s, w0s, w0e) &&
        !word_in(s, w0s, w0e, W_PARTICLE)) {
      size_t fs = given_names_before(s, i, w0s);
      /* after an office or a capitalised word ("Finance Minister X",
       * "Chairman of the Accounts Chamber X"), never after a lower-case
       * one ("Governor of St Petersburg", "the Supervisory Board"); alone
       * only after an item that named someone ("Deputy Prime Ministers
       * X, Y and Z") */
      size_t ps, pe = fs >= i + 2 && s[fs - 1] == ' ' ? word_before_at(s, i, fs - 1, &ps) : 0;
      if (pe ? pe + 1 == fs && (office_before_name(s, ps, pe) ||
                                (cp_is_upper(cp_at(s, ps, pe, NULL)) && office_in(s, i, ps)))
             : fs == i && prev_named) {
        if (lexicon_add_found_name(&r->lx, r->doc, s + fs, ie - fs) < 0) return -1;
        named = 1;
      }
    }
    prev_named = named;
    if (j >= e || s[j] == '.' || s[j] == '(') break;
    i = j + (s[j] == ' ' ? and_at(s, j, e) : 1);
    while (i < e && s[i] == ' ') i++;
    if (i > 0 && s[i - 1] == ' ' && and_at(s, i - 1, e)) i += and_at(s, i - 1, e) - 1; /* ", and" */
  }
  return 0;
}

/* Countries and their adjectives, for "Belarusian President Alexander
 * Lukashenko", "Belarus President …", "President of Kazakhstan …". */
/* Each with its lengths, so that a look-up compares a length and a last
 * byte before any memcmp (nation_ending runs for every capitalised word a
 * rule asks about). */
typedef struct nation {
  const char *form[2]; /* the country, the adjective */
  unsigned char len[2];
} nation;
#define N(c, a) {{c, a}, {sizeof c - 1, sizeof a - 1}}
static const nation nations[] = {
    N("Russia", "Russian"), N("Belarus", "Belarusian"), N("Kazakhstan", "Kazakh"),
    N("Ukraine", "Ukrainian"), N("China", "Chinese"), N("France", "French"),
    N("Germany", "German"), N("Italy", "Italian"), N("Japan", "Japanese"), N("India", "Indian"),
    N("Turkey", "Turkish"), N("Finland", "Finnish"), N("Uzbekistan", "Uzbek"),
    N("Kyrgyzstan", "Kyrgyz"), N("Tajikistan", "Tajik"), N("Turkmenistan", "Turkmen"),
    N("Armenia", "Armenian"), N("Azerbaijan", "Azerbaijani"), N("Georgia", "Georgian"),
    N("Moldova", "Moldovan"), N("Mongolia", "Mongolian"), N("Iran", "Iranian"),
    N("Egypt", "Egyptian"), N("Brazil", "Brazilian"), N("Cuba", "Cuban"),
    N("Venezuela", "Venezuelan"), N("Serbia", "Serbian"), N("Bulgaria", "Bulgarian"),
    N("Poland", "Polish"), N("Israel", "Israeli"), N("Syria", "Syrian"),
    N("Austria", "Austrian"), N("Spain", "Spanish"), N("Korea", "Korean"),
    N("Vietnam", "Vietnamese"), N("Latvia", "Latvian"), N("Lithuania", "Lithuanian"),
    N("Estonia", "Estonian"), N("Peru", "Peruvian"), N("Argentina", "Argentine"),
    N("Mexico", "Mexican"), N("Greece", "Greek"), N("Cyprus", "Cypriot"),
    N("Hungary", "Hungarian"), N("Slovakia", "Slovak"), N("Afghanistan", "Afghan"),
    N("Pakistan", "Pakistani"), N("Indonesia", "Indonesian"), N("Iraq", "Iraqi"),
    N("Philippines", "Philippine"), N("South Africa", "South African"),
    N("the United States", "US"), N("Britain", "British"), N("Abkhazia", "Abkhazian"),
    N("Chile", "Chilean"), N("Tatarstan", "Tatar"), N("Chechnya", "Chechen"),
    N("Slovenia", "Slovenian"), N("Croatia", "Croatian"), N("Romania", "Romanian"),
    N("Norway", "Norwegian"), N("Sweden", "Swedish"), N("Denmark", "Danish"),
    N("Portugal", "Portuguese"), N("Belgium", "Belgian"), N("Thailand", "Thai"),
    N("Malaysia", "Malaysian"), N("Algeria", "Algerian"), N("Libya", "Libyan"),
    N("Jordan", "Jordanian"), N("Lebanon", "Lebanese"), N("Palestine", "Palestinian"),
    N("Nigeria", "Nigerian"), N("Angola", "Angolan"), N("Ecuador", "Ecuadorian"),
    N("Bolivia", "Bolivian"), N("Nicaragua", "Nicaraguan"), N("Colombia", "Colombian"),
    N("Canada", "Canadian"), N("Australia", "Australian"), N("Singapore", "Singaporean"),
    N("Mozambique", "Mozambican"), N("Tanzania", "Tanzanian"), N("Kenya", "Kenyan"),
    N("Ethiopia", "Ethiopian"), N("Ghana", "Ghanaian"), N("Senegal", "Senegalese"),
    N("Zimbabwe", "Zimbabwean"), N("Namibia", "Namibian"), N("Uganda", "Ugandan"),
    N("Sudan", "Sudanese"), N("Tunisia", "Tunisian"), N("Morocco", "Moroccan"),
    N("Saudi Arabia", "Saudi"), N("Qatar", "Qatari"), N("Kuwait", "Kuwaiti"),
    N("Bahrain", "Bahraini"), N("Oman", "Omani"), N("Yemen", "Yemeni"),
    N("Bangladesh", "Bangladeshi"), N("Sri Lanka", "Sri Lankan"), N("Nepal", "Nepalese"),
    N("Myanmar", "Myanmar"), N("Cambodia", "Cambodian"), N("Laos", "Lao"),
    N("Uruguay", "Uruguayan"), N("Paraguay", "Paraguayan"), N("Panama", "Panamanian"),
    N("Ireland", "Irish"), N("Iceland", "Icelandic"), N("Luxembourg", "Luxembourgish"),
    N("Switzerland", "Swiss"), N("Netherlands", "Dutch"), N("Montenegro", "Montenegrin"),
    N("Macedonia", "Macedonian"), N("Albania", "Albanian"),
    N("Bosnia and Herzegovina", "Bosnian"), N("Malta", "Maltese"), N("Congo", "Congolese"),
    N("Guinea", "Guinean"), N("Mali", "Malian"), N("Niger", "Nigerien"), N("Chad", "Chadian"),
    N("Cameroon", "Cameroonian"), N("Gabon", "Gabonese"), N("Rwanda", "Rwandan"),
    N("Zambia", "Zambian"), N("Botswana", "Botswanan"), N("Madagascar", "Malagasy"),
    N("Eritrea", "Eritrean"), N("Somalia", "Somali"), N("Djibouti", "Djiboutian"),
    N("Guatemala", "Guatemalan"), N("Honduras", "Honduran"), N("Costa Rica", "Costa Rican"),
    N("El Salvador", "Salvadoran"), N("Dominican Republic", "Dominican"), N("Haiti", "Haitian"),
    N("Jamaica", "Jamaican"), N("New Zealand", "New Zealand"),
    N("South Ossetia", "South Ossetian"), N("Transnistria", "Transnistrian"),
    N("Kosovo", "Kosovan"), N("Czech Republic", "Czech"), N("Benin", "Beninese"),
    N("Togo", "Togolese"), N("Burundi", "Burundian")};
#undef N
enum { NATIONS = sizeof nations / sizeof nations[0] };

/* Every country and adjective, sorted by length and bytes, for nation_word
 * (sorted once per process). */
typedef struct nation_form {
  const char *s;
  size_t len;
  int k;
} nation_form;
static nation_form nation_forms[2 * NATIONS];
static pthread_once_t nation_forms_once = PTHREAD_ONCE_INIT;

static int nation_form_cmp(const void *a, const void *b) {
  const nation_form *x = a, *y = b;
  if (x->len != y->len) return x->len < y->len ? -1 : 1;
  return memcmp(x->s, y->s, x->len);
}

static void sort_nation_forms(void) {
  for (int k = 0; k < NATIONS; k++)
    for (int f = 0; f < 2; f++)
      nation_forms[2 * k + f] = (nation_form){nations[k].form[f], nations[k].len[f], k};
  qsort(nation_forms, 2 * NATIONS, sizeof *nation_forms, nation_form_cmp);
}

/* The nation whose country or adjective is exactly s[i, e) (one word:
 * "Russia", "Belarusian"), or -1. */
static int nation_word(const char *s, size_t i, size_t e) {
  pthread_once(&nation_forms_once, sort_nation_forms);
  nation_form key = {s + i, e - i, -1};
  const nation_form *f = bsearch(&key, nation_forms, 2 * NATIONS, sizeof *nation_forms,
                                 nation_form_cmp);
  return f ? f->k : -1;
}

/* The nation whose country or adjective ends exactly at e (at a word
 * start), or -1; its start in *ns. */
static int nation_ending(const char *s, size_t a, size_t e, size_t *ns) {
  if (e <= a) return -1;
  char last = s[e - 1];
  for (int k = 0; k < NATIONS; k++)
    for (int f = 0; f < 2; f++) {
      size_t n = nations[k].len[f];
      if (e - a >= n && nations[k].form[f][n - 1] == last &&
          memcmp(s + e - n, nations[k].form[f], n) == 0 &&
          (e - n == a || s[e - n - 1] == ' ' || (unsigned char)s[e - n - 1] == 0xA0)) {
        *ns = e - n;
        return k;
      }
    }
  return -1;
}

/* The nation whose country starts at i ("Kazakhstan", "the Republic of
 * Belarus"), or -1; its end in *e. */
static int nation_at(const char *s, size_t i, size_t end, size_t *e) {
  static const char rep[] = "the Republic of ";
  if (end - i > sizeof rep - 1 && memcmp(s + i, rep, sizeof rep - 1) == 0) i += sizeof rep - 1;
  for (int k = 0; k < NATIONS; k++) {
    size_t n = nations[k].len[0];
    if (end - i >= n && s[i] == nations[k].form[0][0] && memcmp(s + i, nations[k].form[0], n) == 0 &&
        (i + n == end || !cp_is_word(cp_at(s, i + n, end, NULL)))) {
      *e = i + n;
      return k;
    }
  }
  return -1;
}

/* The word of letters that ends at e, its start in *ws; 0 if none. */
static size_t word_before_at(const char *s, size_t a, size_t e, size_t *ws) {
  size_t w = e;
  while (w > a && ((s[w - 1] >= 'a' && s[w - 1] <= 'z') || (s[w - 1] >= 'A' && s[w - 1] <= 'Z')))
    w--;
  *ws = w;
  return e > w ? e : 0;
}

static int learn_epithet(analysis *r, int person, const char *fmt, const char *x) {
  char buf[128];
  int n = snprintf(buf, sizeof buf, fmt, x);
  if (n <= 0 || (size_t)n >= sizeof buf) return 0;
  return lexicon_add_learned(&r->lx, r->doc, buf, (size_t)n, LEX_EPITHET, person);
}

/* "Belarusian President Alexander Lukashenko", "President of Kazakhstan
 * Nursultan Nazarbayev", "Prime Minister Mikhail Kasyanov": the name after
 * an office is a person's; with a nation, the document has also said who
 * "the Belarusian leader", "the Kazakh President" and "his Belarusian
 * counterpart" are. A bare "President X" is counted: when the document has
 * exactly one, "the President" and "the head of state" are X (without an
 * authority file only). Learned epithets are trusted less (medium). */
static int learn_nation(analysis *r, int person, int nat, int pm);

/* The first offset >= i where w (n bytes, starting with a space) stands
 * in s[i..e), or e. */
static size_t find_bytes(const char *s, size_t i, size_t e, const char *w, size_t n) {
  while (i + n <= e) {
    const char *p = memchr(s + i, w[1], e - i);
    if (!p) return e;
    size_t at = (size_t)(p - s);
    if (at >= i + 1 && at - 1 + n <= e && memcmp(s + at - 1, w, n) == 0) return at - 1;
    i = at + 1;
  }
  return e;
}

/* "his Russian counterpart Vladimir Putin", "Belarusian leader Aleksandr
 * Lukashenko": a known name after a nation and "counterpart" or "leader". */
static int learn_counterparts(analysis *r, const blk *b) {
  const char *s = r->s;
  static const char *const words[] = {" counterpart ", " leader ", NULL};
  for (size_t w = 0; words[w]; w++) {
    size_t n = strlen(words[w]);
    for (size_t at = find_bytes(s, b->text, b->text_end, words[w], n); at < b->text_end;
         at = find_bytes(s, at + n, b->text_end, words[w], n)) {
      size_t ns, k = at + n;
      int nat = nation_ending(s, b->text, at, &ns);
      lex_match m;
      if (nat < 0 || !lexicon_match(&r->lx, s, k, b->text_end, 1u << LEX_NAME, &m)) continue;
      int person = lexicon_entry(&r->lx, m.entry)->person;
      if (person >= 0 && after_spaces(s, word_end(s, k, b->text_end), b->text_end) < m.end &&
          learn_nation(r, person, nat, 0))
        return -1;
    }
  }
  return 0;
}

/* What learn_offices counts over the document: the persons called
 * "President X" without a nation (bare), the Presidents of the publisher's
 * own nation ("Belarus President Aleksandr Lukashenko" on
 * president.gov.by: home), and the persons the document calls President of
 * another nation than the publisher's ("President of Venezuela Hugo
 * Chavez" on kremlin.ru: foreign). A foreign President's bare "President
 * Hugo Chavez" does not make him the publisher's "the President" (17635,
 * 57330: "President Putin and President Macron … The Russian President
 * stressed"). Up to 64 of each are kept; one more makes the rules that
 * need a count stay unused. */
enum { SEEN_MAX = 64 };
typedef struct {
  int v[SEEN_MAX];
  size_t n; /* may exceed SEEN_MAX: then not all are kept */
} person_set;

typedef struct {
  person_set bare, home, foreign;
} offices_seen;

static void set_add(person_set *ps, int person) {
  for (size_t k = 0; k < ps->n && k < SEEN_MAX; k++)
    if (ps->v[k] == person) return;
  if (ps->n < SEEN_MAX) ps->v[ps->n] = person;
  ps->n++;
}

static int set_has(const person_set *ps, int person) {
  for (size_t k = 0; k < ps->n && k < SEEN_MAX; k++)
    if (ps->v[k] == person) return 1;
  return 0;
}

/* The one person of ps that foreign does not hold: -1 if none, -2 if
 * more than one (or not all kept). */
static int only_person(const person_set *ps, const person_set *foreign) {
  if (ps->n > SEEN_MAX || foreign->n > SEEN_MAX) return -2;
  int who = -1;
  for (size_t k = 0; k < ps->n; k++) {
    if (set_has(foreign, ps->v[k])) continue;
    if (who >= 0) return -2;
    who = ps->v[k];
  }
  return who;
}

static void count_bare(offices_seen *o, int person) { set_add(&o->bare, person); }

static void count_nation(const analysis *r, offices_seen *o, int person, int nat) {
  if (nat == r->pub_nation) set_add(&o->home, person);
  else if (r->pub_nation >= 0) set_add(&o->foreign, person);
}

/* The length of the space right before s[i] (a ' ' or a no-break space,
 * "and\u00A0Fernando" in 26952), or 0. */
static size_t space_before(const char *s, size_t a, size_t i) {
  if (i > a && s[i - 1] == ' ') return 1;
  return i >= a + 2 && (unsigned char)s[i - 2] == 0xC2 && (unsigned char)s[i - 1] == 0xA0 ? 2 : 0;
}

/* What may stand before a given name: an office ("Prime Minister Shinzo
 * Abe") or a country after "of" ("President of Mozambique Armando Emilio
 * Guebuza"); not a lower-case word ("Minister of Science and Education
 * Andrei Fursenko") nor a nation's adjective ("Russian Post Maxim
 * Akimov"). */
static int before_given_name(const char *s, size_t a, size_t ws) {
  size_t sp = space_before(s, a, ws);
  if (!sp || ws < a + sp + 1) return 0;
  size_t ps, pe = word_before_at(s, a, ws - sp, &ps);
  if (!pe || (ps > a && !space_before(s, a, ps))) return 0; /* not the "s" of "Children's" */
  if (word_in(s, ps, pe, W_TITLE | W_OFFICES)) return 1;
  size_t qp = space_before(s, a, ps);
  size_t qs, qe = qp && ps >= a + qp + 1 ? word_before_at(s, a, ps - qp, &qs) : 0;
  size_t ce;
  return qe && word_is(s, qs, qe, "of") && nation_at(s, ps, pe, &ce) >= 0 && ce == pe;
}

/* The start of a name whose second-to-last word starts at fs: up to two
 * more given names before it ("Armando Emilio" of "Armando Emilio
 * Guebuza", "Fernando" of "Fernando Henrique Cardoso"), each a name word
 * that is no office, particle, institution or nation, after what
 * before_given_name allows. */
static size_t given_names_before(const char *s, size_t a, size_t fs) {
  for (int more = 0; more < 2; more++) {
    size_t sp = space_before(s, a, fs);
    if (!sp || fs < a + sp + 1) break;
    size_t ws, we = word_before_at(s, a, fs - sp, &ws);
    if (!we || word_in(s, ws, we, W_OFFICES) || !name_word(s, ws, we) || institution_word(s, ws, we) ||
        word_in(s, ws, we, W_TITLE | W_PARTICLE | W_NOT_NAME) ||
        nation_word(s, ws, we) >= 0 || !before_given_name(s, a, ws))
      break;
    fs = ws;
  }
  return fs;
}

/* The full forms of the single name w (n bytes) in the document: every
 * name word right before it ("Adolf" of "Adolf Hitler"), with up to two
 * given names before that. With `add`, each
 * is added as a name found, which makes w its surname (two full forms make
 * w nobody's, lexicon_add_learned), and the number of forms is returned;
 * without, nothing is added and the result is 0 (no full form), 1 (one,
 * however often written) or 2 (more than one). -1 on OOM. */
static uint32_t word_hash(const char *w, size_t n) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)w[i]) * 16777619u;
  return h;
}

/* The index of full_forms: every word of the blocks that starts with a
 * capital, after a space or a no-break space, two bytes at least into its
 * block; the word is its run of word characters. A bucket's chain is in
 * document order. 0, -1 on OOM. */
static int build_caps(analysis *r, const blk *bs, size_t nb) {
  const char *s = r->s;
  r->caps_built = 1;
  for (size_t lj = 0; lj < nb; lj++) {
    const blk *c = &bs[lj];
    for (size_t k = c->text + 2; k < c->text_end; k++) {
      if (!(s[k - 1] == ' ' || (unsigned char)s[k - 1] == 0xA0)) continue;
      unsigned char b = (unsigned char)s[k];
      if (!((b >= 'A' && b <= 'Z') || b >= 0x80) || !cp_is_upper(cp_at(s, k, c->text_end, NULL)))
        continue;
      size_t e = k, l;
      while (e < c->text_end && cp_is_word(cp_at(s, e, c->text_end, &l))) e += l;
      cap_entry cw = {word_hash(s + k, e - k), (uint32_t)lj, k, 0};
      if (VEC_PUSH(r->caps, cw)) return -1;
      k = e;
    }
  }
  if (r->caps.len >= UINT32_MAX / 2) return 0; /* not indexed: full_forms finds none */
  size_t nbk = 16;
  while (nbk < 2 * r->caps.len) nbk *= 2;
  uint32_t *head = calloc(nbk, sizeof *head), *tail = calloc(nbk, sizeof *tail);
  if (!head || !tail) {
    free(head);
    free(tail);
    return -1;
  }
  for (size_t q = 0; q < r->caps.len; q++) {
    size_t bk = r->caps.v[q].hash & (nbk - 1);
    if (tail[bk]) r->caps.v[tail[bk] - 1].next = (uint32_t)q + 1;
    else head[bk] = (uint32_t)q + 1;
    tail[bk] = (uint32_t)q + 1;
  }
  free(tail);
  r->caps_head = head;
  r->caps_mask = nbk - 1;
  return 0;
}

static int full_forms(analysis *r, const blk *bs, size_t nb, const char *w, size_t n,
                      int add) {
  const char *s = r->s;
  int added = 0;
  size_t first = 0, first_len = 0;
  if (!n || !cp_is_upper(cp_at(w, 0, n, NULL)))
    return 0; /* names are capitalised: no full form of anything else */
  if (!r->caps_built && build_caps(r, bs, nb)) return -1;
  /* the occurrences of w (a run of word characters, or it is not found),
   * in document order */
  if (!r->caps_head) return 0;
  uint32_t h = word_hash(w, n);
  for (uint32_t q1 = r->caps_head[h & r->caps_mask]; q1; q1 = r->caps.v[q1 - 1].next) {
    size_t q = q1 - 1;
    if (r->caps.v[q].hash != h) continue;
    const blk *c = &bs[r->caps.v[q].blk];
    size_t k = r->caps.v[q].at;
    if (k + n > c->text_end || memcmp(s + k, w, n) != 0 ||
        (k + n < c->text_end && cp_is_word(cp_at(s, k + n, c->text_end, NULL))) ||
        k < c->text + 2 || !(s[k - 1] == ' ' || (unsigned char)s[k - 1] == 0xA0))
      continue;
    size_t fs, fe = word_before_at(s, c->text, k - (s[k - 1] == ' ' ? 1 : 2), &fs);
    if (!fe || !name_word(s, fs, fe) || institution_word(s, fs, fe) ||
        word_in(s, fs, fe, W_TITLE | W_PARTICLE | W_NOT_NAME) ||
        (fs > c->text && cp_is_word(cp_before(s, c->text, fs, NULL))))
      continue;
    if (nation_word(s, fs, fe) >= 0) continue;
    fs = given_names_before(s, c->text, fs);
    if (!add) {
      if (!first_len) {
        first = fs, first_len = k + n - fs;
      } else if (k + n - fs != first_len || memcmp(s + fs, s + first, first_len)) {
        return 2;
      }
      added = 1;
      continue;
    }
    if (lexicon_add_found_name(&r->lx, r->doc, s + fs, k + n - fs) < 0) return -1;
    added++;
  }
  return added;
}

static int learn_offices(analysis *r, const blk *bs, size_t nb, const blk *b, offices_seen *o) {
  const char *s = r->s;
  size_t end = b->text_end;
  for (size_t i = upper_candidate(s, b->text, end); i < end;
       i = upper_candidate(s, i + 1, end)) {
    /* the first two letters of the offices below, before any look-up */
    if (i + 1 >= end) continue;
    switch (s[i]) {
    case 'P': if (s[i + 1] != 'r' && s[i + 1] != 'a') continue; break;
    case 'M': if (s[i + 1] != 'i' && s[i + 1] != 'a' && s[i + 1] != 'r' && s[i + 1] != 's') continue; break;
    case 'C': if (s[i + 1] != 'h') continue; break;
    case 'A': if (s[i + 1] != 'm') continue; break;
    case 'S': if (s[i + 1] != 'e') continue; break;
    case 'G': if (s[i + 1] != 'o') continue; break;
    case 'D': if (s[i + 1] != 'r') continue; break;
    case 'K': if (s[i + 1] != 'i') continue; break;
    case 'Q': if (s[i + 1] != 'u') continue; break;
    case 'E': if (s[i + 1] != 'm') continue; break;
    default: continue;
    }
    if (cp_is_word(cp_before(s, b->text, i, NULL))) continue;
    size_t oe = word_end(s, i, end);
    int pm = 0;
    if (!word_in(s, i, oe, W_TITLE)) continue;
    size_t vs = 0, ve = i > b->text + 1 && s[i - 1] == ' ' ? word_before_at(s, b->text, i - 1, &vs) : 0;
    int verb_before = ve && s[vs] >= 'a' && s[vs] <= 'z' && word_in(s, vs, ve, W_SPEECH);
    if (word_is(s, i, oe, "Prime")) {
      if (!(end - oe > 9 && memcmp(s + oe, " Minister", 9) == 0)) continue;
      oe += 9, pm = 1;
    } else if (!word_is(s, i, oe, "President")) {
      /* Other offices and honorifics name a person, no epithet:
       * "Foreign Minister Jozef Beck", "Marshal Ferdinand Foch". */
      static const char *const persons_offices[] = {
          "Minister", "Marshal", "Chancellor", "Ambassador", "Senator", "Governor",
          "Mayor", "Patriarch", "Mr", "Mrs", "Ms", "Dr", "Professor", "Premier",
          "King", "Queen", "Prince", "Emperor", "Chairman", "Secretary", NULL};
      int known = 0;
      for (size_t k = 0; persons_offices[k] && !known; k++)
        known = word_is(s, i, oe, persons_offices[k]);
      if (!known) continue;
      if (oe < end && s[oe] == '.') oe++; /* "Mr." */
      size_t w0 = after_spaces(s, oe, end);
      if (!w0 || !name_word(s, w0, word_end(s, w0, end))) continue;
      size_t e0 = word_end(s, w0, end), w1 = after_spaces(s, e0, end);
      if (((w1 && s[w1] >= 'a' && s[w1] <= 'z' && word_in(s, w1, word_end(s, w1, end), W_SPEECH)) ||
           (verb_before && (!w1 || !cp_is_upper(cp_at(s, w1, end, NULL))))) &&
          !institution_word(s, w0, e0)) {
        /* "Mr Hu said", "President Putin said": one name only; the
         * person of "Hu Jintao" when the document wrote that (a surname
         * written first) */
        lex_match m;
        if (!lexicon_match_word(&r->lx, s, w0, e0, end, 1u << LEX_NAME, &m)) {
          int fw = first_word_person(&r->lx, s + w0, e0 - w0), full = 0;
          if (fw >= 0) {
            if (lexicon_add_learned(&r->lx, r->doc, s + w0, e0 - w0, LEX_NAME, fw)) return -1;
          } else if ((full = full_forms(r, bs, nb, s + w0, e0 - w0, 0)) < 0 ||
                     (full == 1 && full_forms(r, bs, nb, s + w0, e0 - w0, 1) < 0) ||
                     (full != 1 && lexicon_add_found_name(&r->lx, r->doc, s + w0, e0 - w0) < 0)) {
            /* "Mr Putin said" in a document that writes "Vladimir Putin"
             * (and no other "X Putin") elsewhere: that person, not a
             * person "Putin" */
            return -1;
          }
        }
        continue;
      }
      if (!w1 || !name_word(s, w1, word_end(s, w1, end))) continue;
      size_t ne = word_end(s, w1, end);
      if (ne - w1 < 2 || (ne < end && s[ne] == '.' && ne - w1 <= 2)) continue;
      if (ne + 1 < end && s[ne] == ' ' && cp_is_upper(cp_at(s, ne + 1, end, NULL)))
        continue; /* three capitalised words: not sure where the name ends */
      if (lexicon_add_found_name(&r->lx, r->doc, s + w0, ne - w0) < 0) return -1;
      continue;
    }
    /* "Aide to the President of Russia X", "Deputy Prime Minister X",
     * "former President X": the office is not X's, or not now. */
    size_t ps = 0, pe = i > b->text + 1 && s[i - 1] == ' ' ? word_before_at(s, b->text, i - 1, &ps) : 0;
    if (pe && (word_is(s, ps, pe, "the") || word_is(s, ps, pe, "former") ||
               word_is(s, ps, pe, "Former") || word_is(s, ps, pe, "ex")))
      continue;
    /* "Vice President of Venezuela Nicolas Maduro": X is a person, of
     * another office than this one: the name only */
    int not_his = pe && word_in(s, ps, pe, W_TITLE);
    size_t ns;
    int nat = i > b->text + 1 && s[i - 1] == ' ' ? nation_ending(s, b->text, i - 1, &ns) : -1;
    size_t k = oe;
    size_t of_len = end - k > 4 && memcmp(s + k, " of ", 4) == 0 ? 4
                    : end - k > 5 && memcmp(s + k, " of\xC2\xA0", 5) == 0 ? 5 /* "of China" */
                    : 0;
    if (nat < 0 && of_len) {
      size_t ce;
      nat = nation_at(s, k + of_len, end, &ce);
      if (nat < 0) continue;
      k = ce;
    }
    /* the name: a known one (misspelt perhaps: "Lukashe4nko"), or two or
     * three name words */
    size_t w0 = after_spaces(s, k, end);
    lex_match m;
    if (w0 && lexicon_match(&r->lx, s, w0, end, 1u << LEX_NAME, &m) &&
        lexicon_entry(&r->lx, m.entry)->person >= 0 &&
        (m.end >= end || !cp_is_word(cp_at(s, m.end, end, NULL))) &&
        after_spaces(s, word_end(s, w0, end), end) < m.end) {
      int person = lexicon_entry(&r->lx, m.entry)->person;
      if (not_his) continue;
      if (nat < 0 && !pm) count_bare(o, person);
      if (nat >= 0 && !pm) count_nation(r, o, person, nat);
      if (nat >= 0 && learn_nation(r, person, nat, pm)) return -1;
      continue;
    }
    if (!w0 || !name_word(s, w0, word_end(s, w0, end))) continue;
    size_t e0 = word_end(s, w0, end), w1 = after_spaces(s, e0, end);
    if (((w1 && s[w1] >= 'a' && s[w1] <= 'z' && word_in(s, w1, word_end(s, w1, end), W_SPEECH)) ||
         (verb_before && (!w1 || !cp_is_upper(cp_at(s, w1, end, NULL))))) &&
        !institution_word(s, w0, e0) && nat < 0 && k == oe) {
      /* "said President Putin", "President Putin said": one name only,
       * a bare President X too (29276: "the President said" is Putin);
       * the person of the one "X Putin" the document writes, if one */
      int full = full_forms(r, bs, nb, s + w0, e0 - w0, 0);
      if (full < 0 || (full == 1 && full_forms(r, bs, nb, s + w0, e0 - w0, 1) < 0)) return -1;
      int person = lexicon_add_found_name(&r->lx, r->doc, s + w0, e0 - w0);
      if (person < 0) return -1;
      if (!pm && !not_his) count_bare(o, person);
      continue;
    }
    if (!w1 || !name_word(s, w1, word_end(s, w1, end))) continue;
    size_t ne = word_end(s, w1, end), w2 = after_spaces(s, ne, end);
    if (w2 && name_word(s, w2, word_end(s, w2, end))) {
      ne = word_end(s, w2, end);
      size_t w3 = after_spaces(s, ne, end);
      if (w3 && name_word(s, w3, word_end(s, w3, end)))
        continue; /* four name words ("John Pombe Joseph Magufuli"): not sure where it ends */
    }
    if (ne - w1 < 2 || (ne < end && s[ne] == '.' && ne - w1 <= 2)) continue;
    int person = lexicon_add_found_name(&r->lx, r->doc, s + w0, ne - w0);
    if (person < 0) return -1;
    if (not_his) continue;
    if (pe && word_is(s, ps, pe, "Acting") &&
        learn_epithet(r, person, "the Acting %s", pm ? "Prime Minister" : "President"))
      return -1;
    /* "Acting President and Prime Minister Vladimir Putin" */
    if (pm && i >= b->text + 21 && memcmp(s + i - 21, "Acting President and ", 21) == 0 &&
        learn_epithet(r, person, "the Acting %s", "President"))
      return -1;
    if (nat < 0 && !pm) count_bare(o, person);
    if (nat < 0) continue;
    if (!pm) count_nation(r, o, person, nat);
    if (learn_nation(r, person, nat, pm)) return -1;
  }
  return 0;
}

static int learn_nation(analysis *r, int person, int nat, int pm) {
  {
    const char *adj = nations[nat].form[1], *country = nations[nat].form[0];
    if (pm) {
      if (learn_epithet(r, person, "the %s Prime Minister", adj) ||
          learn_epithet(r, person, "the %s prime minister", adj) ||
          learn_epithet(r, person, "the %s premier", adj) ||
          learn_epithet(r, person, "the Prime Minister of %s", country))
        return -1;
      return 0;
    }
    if (learn_epithet(r, person, "the %s leader", adj) ||
        learn_epithet(r, person, "the %s President", adj) ||
        learn_epithet(r, person, "the %s president", adj) ||
        learn_epithet(r, person, "the %s head of state", adj) ||
        learn_epithet(r, person, "the %s counterpart", adj) ||
        learn_epithet(r, person, "his %s counterpart", adj) ||
        learn_epithet(r, person, "the President of %s", country))
      return -1;
  }
  return 0;
}

static size_t skip_spaces(const char *s, size_t i, size_t e) {
  for (;;) {
    size_t n;
    if (i < e && cp_is_space(cp_at(s, i, e, &n))) i += n;
    else return i;
  }
}

/* "Acting President Vladimir Putin sent a message to …": the person a
 * title is about, when it opens with offices and a known name followed
 * by a verb. -1 if none, -2 when out of memory. */
static int title_subject(analysis *r, size_t a, size_t e) {
  const char *s = r->s;
  for (size_t i = a; i < e;) {
    size_t we = word_end(s, i, e);
    if (we == i) return -1;
    if (word_is(s, i, we, "and")) { /* "Acting President and Prime Minister" */
      i = skip_spaces(s, we, e);
      continue;
    }
    if (!cp_is_upper(cp_at(s, i, e, NULL))) return -1;
    lex_match m;
    if (lexicon_match_word(&r->lx, s, i, we, e, 1u << LEX_NAME, &m)) {
      int person = lexicon_entry(&r->lx, m.entry)->person;
      if (person < 0 || m.end + 2 > e || s[m.end] != ' ' ||
          !(s[m.end + 1] >= 'a' && s[m.end + 1] <= 'z'))
        return -1;
      return person;
    }
    if (name_word(s, i, we)) {
      /* "Vladimir Putin sent a message …": a name not met before */
      size_t w1 = after_spaces(s, we, e), e1 = w1 ? word_end(s, w1, e) : 0;
      size_t w2 = w1 && name_word(s, w1, e1) ? after_spaces(s, e1, e) : 0;
      size_t e2 = w2 ? word_end(s, w2, e) : 0;
      if (w2 && word_is(s, w2, e2, "has") && e2 < e && s[e2] == ' ')
        e2 = word_end(s, w2 = e2 + 1, e); /* "has sent" */
      if (w2 && (word_is(s, w2, e2, "sent") || word_is(s, w2, e2, "congratulated") ||
                 word_is(s, w2, e2, "forwarded") || word_is(s, w2, e2, "addressed") ||
                 word_is(s, w2, e2, "wrote") || word_is(s, w2, e2, "greeted") ||
                 word_is(s, w2, e2, "offered") || word_is(s, w2, e2, "expressed")))
      {
        int p = lexicon_add_found_name(&r->lx, r->doc, s + i, e1 - i);
        return p < 0 ? -2 : p; /* -2: out of memory */
      }
    }
    if (!word_in(s, i, we, W_TITLE)) {
      /* "Acting", "Russian": one capitalised word before an office */
      size_t w = skip_spaces(s, we, e), n = word_end(s, w, e);
      if (w == we || n == w || !word_in(s, w, n, W_TITLE)) return -1;
    }
    i = skip_spaces(s, we, e);
  }
  return -1;
}

/* A word that ends the name of an institution, not of a person ("European
 * Union", "State Duma", "Red Wings Airlines"; words.c), or a nation's. */
static int institution_word(const char *s, size_t i, size_t e) {
  return word_in(s, i, e, W_INSTITUTION) || nation_word(s, i, e) >= 0;
}

/* "Hitler said, “…”" in a document that also writes "Adolf Hitler": the
 * single name is that person's surname. Found only for names used as a
 * speaker's (a speech verb after them) and written in full elsewhere in
 * the same document; two full forms make the surname nobody's. */
static int find_surname_speakers(analysis *r, const blk *bs, size_t nb) {
  const char *s = r->s;
  int found = 0;
  for (size_t li = 0; li < nb && found < 16; li++) {
    const blk *b = &bs[li];
    size_t end = b->text_end;
    for (size_t i = upper_candidate(s, b->text, end); i < end && found < 16;
         i = upper_candidate(s, i + 1, end)) {
      if (!cp_is_upper(cp_at(s, i, end, NULL)) || cp_is_word(cp_before(s, b->text, i, NULL)))
        continue;
      size_t e0 = word_end(s, i, end), w1 = after_spaces(s, e0, end);
      if (!w1 || !(s[w1] >= 'a' && s[w1] <= 'z')) continue;
      if (!word_in(s, w1, word_end(s, w1, end), W_SPEECH) || e0 - i < 3 ||
          !name_word(s, i, e0) || institution_word(s, i, e0))
        continue;
      lex_match m;
      if (lexicon_match_word(&r->lx, s, i, e0, end, 1u << LEX_NAME, &m)) continue;
      /* not the second word of a name: "Adolf Hitler said" is found in full */
      size_t ps;
      if (i > b->text + 1 && word_before_at(s, b->text, i - 1, &ps) &&
          cp_is_upper(cp_at(s, ps, end, NULL)))
        continue;
      found++;
      if (full_forms(r, bs, nb, s + i, e0 - i, 1) < 0) return -1;
    }
  }
  return 0;
}


/* The SPEAKER sp, whose TEXT ends at sp_end: the label's name becomes a
 * PERSON; what follows the colon in the TEXT (a no-break space the reader
 * kept as printed) stays in the tail. */
static int speaker(analysis *r, scr_node *turn, scr_node *sp, const blk *b,
                   const label *lb, size_t sp_end) {
  const char *s = r->s;
  size_t after = lb->colon + 1 > sp_end ? lb->colon + 1 : sp_end;
  if (lb->name_start < lb->core_end) {
    int person = lb->person;
    if (person < 0)
      person = lexicon_add_found_name(&r->lx, r->doc, s + lb->name_start,
                                      lb->core_end - lb->name_start);
    if (person < 0) return -1;
    scr_person *p = lexicon_person(&r->lx, r->doc, person);
    if (!p) return -1;
    scr_str id = scr_person_id(p);
    /* "Vladmir Putin:" (63204), the surname known: the whole label is the
     * person's name misspelt, kept as a form of it (with a note), and no
     * office "Vladmir" */
    size_t ns = lb->name_start;
    if (ns > b->text) {
      scr_buf whole = {0};
      if (scr_person_name_id(s + b->text, lb->core_end - b->text, &whole)) return -1;
      int d = whole.len ? scr_person_id_typo(whole.data, whole.len, id.ptr, id.len) : 0;
      scr_buf_free(&whole);
      if (d) {
        scr_str form = scr_doc_strdup(r->doc, s + b->text, lb->core_end - b->text);
        if (!form.ptr || lexicon_add_misspelling(&r->lx, r->doc, form, person, d) ||
            scr_person_add_name(r->doc, p, form.ptr, form.len))
          return -1;
        ns = b->text;
      }
    }
    scr_node_unlink(scr_node_first_child(sp));
    if (ns > b->text) {
      scr_node *t = an_text(r, b->text, ns);
      if (!t) return -1;
      scr_node_append(sp, t);
    }
    scr_node *pn = an_node(r, SCR_NODE_PERSON, ns);
    scr_node *pt = an_text(r, ns, lb->core_end);
    scr_node *tail = an_text(r, lb->core_end, after);
    if (!pn || !pt || !tail) return -1;
    scr_node_append(sp, pn);
    scr_node_append(pn, pt);
    scr_node_append(sp, tail);
    if (scr_node_set_attr_ref(r->doc, pn, SCR_ATTR_WHO, id.ptr, id.len) ||
        scr_node_set_attr_ref(r->doc, sp, SCR_ATTR_WHO, id.ptr, id.len) ||
        scr_node_set_attr_ref(r->doc, turn, SCR_ATTR_WHO, id.ptr, id.len))
      return -1;
    /* The office before the name. */
    if (ns > b->text) {
      size_t oe = ns;
      while (oe > b->text && (s[oe - 1] == ' ')) oe--;
      if (oe >= b->text + 2 && (unsigned char)s[oe - 2] == 0xC2 &&
          (unsigned char)s[oe - 1] == 0xA0)
        oe -= 2;
      if (oe > b->text) {
        scr_buf role = {0};
        for (size_t k = b->text; k < oe; k++) {
          if ((unsigned char)s[k] == 0xC2 && k + 1 < oe && (unsigned char)s[k + 1] == 0xA0) {
            if (scr_buf_putc(&role, ' ')) return -1;
            k++;
          } else if (scr_buf_putc(&role, s[k])) {
            return -1;
          }
        }
        /* the office the label gives is the person's on the document's
         * date (an authority file's offices stay undated) */
        scr_str when = scr_doc_meta(r->doc, SCR_META_DATE);
        int rc = scr_iso_date(when.ptr, when.len)
                     ? scr_person_set_role_when(r->doc, p, role.data, role.len, when.ptr, when.len)
                     : scr_person_add_role(r->doc, p, role.data, role.len);
        scr_buf_free(&role);
        if (rc) return -1;
      }
    }
    r->topic = -1;
    return person;
  }
  return -2; /* no person */
}

static int quote_goes_on(analysis *r, blk *bs, size_t i, size_t nb) {
  const char *s = r->s;
  for (size_t k = i; k < nb && k < i + 20; k++) {
    blk *b = &bs[k];
    label lb;
    if (k > i && (blk_is_separator(s, b) || blk_is_omission(s, b) || blk_is_footer(s, b) ||
                  label_parse(&r->lx, r->s, b, &lb)))
      return 0;
    /* Quotes opened and closed inside the quoted text do not count. */
    int depth = 0;
    for (size_t j = b->text; j < b->text_end; j++) {
      unsigned char c = (unsigned char)s[j];
      int mark = c == '"' || (c == 0xE2 && j + 2 < b->text_end &&
                              (unsigned char)s[j + 1] == 0x80 &&
                              ((unsigned char)s[j + 2] == 0x9C ||
                               (unsigned char)s[j + 2] == 0x9D));
      if (!mark) continue;
      if (j == b->text && k == i) return 0; /* opens a new quote */
      uint32_t prev = cp_before(s, b->text, j, NULL);
      int closing = j > b->text && !cp_is_space(prev) && prev != '(' && prev != '[';
      if (!closing) depth++;
      else if (depth > 0) depth--;
      else return 1;
    }
  }
  return 0;
}

/* ---- the analysis: a pass over the tree the reader built ------------------ */

/* What the pass does with a block of the tree (in document order). */
enum { A_PLAIN, A_INLINE, A_LEAD, A_HEADING, A_SEPARATOR, A_NOTE, A_TURN,
       A_PARA, A_FOOTER };

typedef struct aitem {
  int role;
  scr_node *node; /* the block; A_TURN: the SPEAKER */
  scr_node *para; /* A_TURN: the paragraph on the label's line, or NULL */
  size_t a, e;    /* its TEXT, offsets in the source */
  size_t pa, pe;  /* A_TURN: the paragraph's TEXT */
  size_t blk;     /* its line in the list of lines */
  int body;       /* after the page header */
} aitem;

/* The one TEXT child of n, as offsets into the source: 1, or 0 if n holds
 * anything else or text from elsewhere. */
static int text_span(const analysis *r, const scr_node *n, size_t *a, size_t *e) {
  scr_node *t = scr_node_first_child(n);
  if (!t || t != scr_node_last_child(n) || scr_node_get_type(t) != SCR_NODE_TEXT)
    return 0;
  scr_str x = scr_node_text(t);
  uintptr_t p = (uintptr_t)x.ptr, s0 = (uintptr_t)r->s;
  if (!x.ptr || p < s0 || p - s0 > r->len || x.len > r->len - (p - s0)) return 0;
  *a = (size_t)(p - s0);
  *e = *a + x.len;
  return 1;
}

typedef struct walk {
  VEC(blk) lines;
  VEC(aitem) items;
} walk;

static int push_line(walk *w, size_t a, size_t e) {
  blk b = {.start = a, .text = a, .text_end = e, .end = e};
  return VEC_PUSH(w->lines, b);
}

/* The blocks of the tree, and the source lines they came from (a turn's
 * label and the paragraph after it on its line are one line). */
static int collect(analysis *r, walk *w) {
  scr_iter it;
  scr_event ev;
  scr_node *consumed = NULL;
  int body = 0;
  scr_iter_init(&it, scr_doc_root(r->doc));
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    if (ev != SCR_EVENT_ENTER) continue;
    scr_node *n = scr_iter_node(&it);
    scr_node_type t = scr_node_get_type(n);
    if (t == SCR_NODE_DOCUMENT || t == SCR_NODE_SECTION || t == SCR_NODE_TURN ||
        t == SCR_NODE_GALLERY)
      continue;
    scr_iter_skip_children(&it);
    if (n == consumed) continue;
    if (!(t == SCR_NODE_TITLE || t == SCR_NODE_MEDIA || t == SCR_NODE_LEAD ||
          t == SCR_NODE_DATELINE || t == SCR_NODE_FIGURE))
      body = 1;
    aitem item = {.role = A_PLAIN, .node = n, .body = body};
    if (t == SCR_NODE_DATELINE) {
      /* "Place,Date" is one line; date, time and place are three. */
      scr_node *c = scr_node_first_child(n);
      size_t a, e, a0 = 0;
      int inline_form = c && scr_node_get_type(c) == SCR_NODE_PLACE;
      for (; c; c = scr_node_next(c)) {
        if (!text_span(r, c, &a, &e)) continue;
        if (inline_form && scr_node_get_type(c) == SCR_NODE_PLACE) {
          a0 = a;
          continue;
        }
        if (push_line(w, inline_form ? a0 : a, e)) return -1;
      }
      continue;
    }
    if (!text_span(r, n, &item.a, &item.e)) continue;
    size_t line_a = item.a, line_e = item.e;
    switch (t) {
    case SCR_NODE_TITLE: item.role = A_INLINE; break;
    case SCR_NODE_FIGURE:
      item.role = A_INLINE;
      line_a -= scr_node_attr(n, SCR_ATTR_MARKER).len; /* the counter */
      break;
    case SCR_NODE_LEAD: item.role = A_LEAD; break;
    case SCR_NODE_HEADING: item.role = A_HEADING; break;
    case SCR_NODE_SEPARATOR: item.role = A_SEPARATOR; break;
    case SCR_NODE_NOTE: item.role = A_NOTE; break;
    case SCR_NODE_FOOTER: item.role = A_FOOTER; break;
    case SCR_NODE_PARAGRAPH: item.role = A_PARA; break;
    case SCR_NODE_SPEAKER: {
      item.role = A_TURN;
      scr_node *p = scr_node_next(n);
      if (p && scr_node_get_type(p) == SCR_NODE_PARAGRAPH &&
          !r->gathered && scr_node_pos(p).line == scr_node_pos(n).line &&
          text_span(r, p, &item.pa, &item.pe)) {
        item.para = consumed = p;
        line_e = item.pe;
      }
      break;
    }
    default: break;
    }
    item.blk = w->lines.len;
    if (push_line(w, line_a, line_e) || VEC_PUSH(w->items, item)) return -1;
  }
  return 0;
}

/* Replaces n's TEXT by the inline analysis of s[a..e). */
static int analyse_inline(analysis *r, scr_node *n, size_t a, size_t e,
                          unsigned flags) {
  scr_node_unlink(scr_node_first_child(n));
  return inline_build(r, n, a, e, flags);
}

static int analyse(analysis *r, walk *w) {
  const char *s = r->s;
  blk *bs = w->lines.v;
  size_t nb = w->lines.len;
  /* Persons named by the text itself: labels first (bare names before
   * those with an office, so that "Vladimir Putin:" names the person in
   * "President of Russia Vladimir Putin:"), then "First Last said". */
  for (int round = 0; round < 2; round++)
    for (size_t i = 1; i < nb; i++) {
      label lb;
      if (!label_parse(&r->lx, r->s, &bs[i], &lb) || lb.person >= 0 ||
          lb.name_start >= lb.core_end)
        continue;
      if (round == 0 && (lb.has_title || lb.name_start != bs[i].text)) continue;
      if (lexicon_add_found_name(&r->lx, r->doc, s + lb.name_start,
                                 lb.core_end - lb.name_start) < 0)
        return -1;
    }
  for (size_t i = 0; i < nb; i++)
    if (find_said_names(r, &bs[i]) || find_listed_names(r, &bs[i])) return -1;
  if (find_surname_speakers(r, bs, nb)) return -1;
  offices_seen o = {0};
  scr_str site = scr_doc_meta(r->doc, SCR_META_PUBLISHER);
  r->pub_nation = -1;
  if (site.ptr && site.len == 10 && memcmp(site.ptr, "kremlin.ru", 10) == 0) r->pub_nation = 0;
  if (site.ptr && site.len == 16 && memcmp(site.ptr, "president.gov.by", 16) == 0)
    r->pub_nation = 1;
  for (size_t i = 0; i < nb; i++)
    if (learn_offices(r, bs, nb, &bs[i], &o) ||
        learn_counterparts(r, &bs[i]))
      return -1;
  /* One bare "President X" who is not another nation's: "the President"
   * and "the head of state" are X, and on kremlin.ru (president.gov.by) he
   * is Russia's (Belarus's). */
  int bare_person = only_person(&o.bare, &o.foreign);
  if (bare_person >= 0 && !r->authority &&
      (learn_epithet(r, bare_person, "the %s", "President") ||
       learn_epithet(r, bare_person, "the %s", "head of state") ||
       (r->pub_nation >= 0 && learn_nation(r, bare_person, r->pub_nation, 0))))
    return -1;
  /* No bare one, and one President of the publisher's nation: the
   * publisher's "the President" is its own ("Belarus President Aleksandr
   * Lukashenko … the President said" on president.gov.by). */
  person_set none = {0};
  int home_person = only_person(&o.home, &none);
  if (bare_person == -1 && home_person >= 0 && !r->authority &&
      (learn_epithet(r, home_person, "the %s", "President") ||
       learn_epithet(r, home_person, "the %s", "head of state")))
    return -1;

  int turn_person = -1, in_body = 0;
  for (size_t k = 0; k < w->items.len; k++) {
    aitem *it = &w->items.v[k];
    if (it->body && !in_body) {
      /* Epithets scoped to a publisher count from the body on. */
      in_body = 1;
      scr_str pub = scr_doc_meta(r->doc, SCR_META_PUBLISHER);
      if (pub.ptr) r->lx.publisher = pub;
    }
    switch (it->role) {
    case A_INLINE:
      if (scr_node_get_type(it->node) == SCR_NODE_TITLE &&
          !scr_node_attr(it->node, SCR_ATTR_KIND).len) {
        /* A headline quoting someone ("“…,” said President Putin at …") is
         * attributed like narration; it sets no topic for what follows. */
        int topic = r->topic, narrated = r->narrated;
        if (analyse_inline(r, it->node, it->a, it->e, INL_NARRATION) ||
            attrib_paragraph(r, scr_node_parent(it->node), it->a, 0, -1) || attrib_flush(r))
          return -1;
        r->topic = topic, r->narrated = narrated, r->intro = -1;
      } else if (analyse_inline(r, it->node, it->a, it->e, 0)) {
        return -1;
      }
      if (r->sender < 0 && scr_node_get_type(it->node) == SCR_NODE_TITLE &&
          (r->sender = title_subject(r, it->a, it->e)) < -1)
        return -1;
      break;
    case A_LEAD:
      if (r->sender < 0 && !r->narrated && (r->sender = title_subject(r, it->a, it->e)) < -1)
        return -1;
      if (analyse_inline(r, it->node, it->a, it->e,
                         INL_NARRATION | INL_DATES | INL_PLACES) ||
          attrib_paragraph(r, scr_node_parent(it->node), it->a, 0, -1))
        return -1;
      break;
    case A_HEADING:
    case A_SEPARATOR:
      if (attrib_flush(r)) return -1;
      r->topic = -1;
      if (it->role == A_HEADING && analyse_inline(r, it->node, it->a, it->e, 0))
        return -1;
      break;
    case A_NOTE:
      if (attrib_flush(r)) return -1;
      break;
    case A_FOOTER:
      if (attrib_flush(r) || analyse_inline(r, it->node, it->a, it->e, 0)) return -1;
      break;
    case A_TURN: {
      if (attrib_flush(r)) return -1;
      label lb;
      if (!label_parse(&r->lx, r->s, &bs[it->blk], &lb)) break; /* not from this analysis */
      scr_node *turn = scr_node_parent(it->node);
      int person = speaker(r, turn, it->node, &bs[it->blk], &lb, it->e);
      if (person == -1) return -1;
      turn_person = person >= 0 ? person : -1;
      if (it->para &&
          (analyse_inline(r, it->para, it->pa, it->pe, INL_SPEECH | INL_NARRATION) ||
           attrib_paragraph(r, turn, it->pa, 1, turn_person)))
        return -1;
      break;
    }
    case A_PARA: {
      scr_node *parent = scr_node_parent(it->node);
      int narration = scr_node_get_type(parent) != SCR_NODE_TURN;
      unsigned flags = narration ? INL_NARRATION | INL_DATES | INL_PLACES
                                 : INL_SPEECH | INL_NARRATION;
      if (narration && r->sender < 0 && !r->narrated &&
          (r->sender = title_subject(r, it->a, it->e)) < -1)
        return -1;
      if (r->has_pending && quote_goes_on(r, bs, it->blk, nb)) flags |= INL_CONTINUED;
      if (analyse_inline(r, it->node, it->a, it->e, flags) ||
          attrib_paragraph(r, parent, it->a, !narration, turn_person))
        return -1;
      break;
    }
    default: break;
    }
  }
  if (attrib_flush(r)) return -1;
  scr_doc *doc = r->doc;
  if (!scr_doc_meta(doc, SCR_META_DATE).ptr && r->first_date_when.len &&
      scr_doc_set_meta(doc, SCR_META_DATE, r->first_date_when.ptr, r->first_date_when.len))
    return -1;
  if (dates_infer_years(r)) return -1;
  if (!scr_doc_meta(doc, SCR_META_PLACE).ptr && r->first_place.len &&
      scr_doc_set_meta(doc, SCR_META_PLACE, r->first_place.ptr, r->first_place.len))
    return -1;
  return r->oom ? -1 : 0;
}

/* The text to analyse: the document's source when every TEXT points into
 * it (the text reader's documents); otherwise (a TEI document's TEXT is its
 * reader's copies) every TEXT is laid out in one buffer of the document, a
 * line each, and the TEXT nodes point into it: the same characters, so
 * the analysis can work on offsets. 0, or -1 on OOM. */
static int gather_text(analysis *r, scr_str src) {
  scr_node *root = scr_doc_root(r->doc);
  scr_iter it;
  scr_event ev;
  size_t total = 0;
  int inside = 1;
  scr_iter_init(&it, root);
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    if (ev != SCR_EVENT_ENTER || scr_node_get_type(scr_iter_node(&it)) != SCR_NODE_TEXT) continue;
    scr_str x = scr_node_text(scr_iter_node(&it));
    uintptr_t p = (uintptr_t)x.ptr, s0 = (uintptr_t)src.ptr;
    if (x.len && (!src.ptr || p < s0 || p - s0 > src.len || x.len > src.len - (p - s0)))
      inside = 0;
    total += x.len + 1;
  }
  if (inside) {
    r->s = src.ptr ? src.ptr : "", r->len = src.len;
    return 0;
  }
  char *buf = scr_doc_alloc(r->doc, total + 1);
  size_t count = 0;
  scr_iter_init(&it, root);
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE)
    if (ev == SCR_EVENT_ENTER && scr_node_get_type(scr_iter_node(&it)) == SCR_NODE_TEXT) count++;
  r->seg_start = scr_doc_alloc(r->doc, (count ? count : 1) * sizeof *r->seg_start);
  r->seg_pos = scr_doc_alloc(r->doc, (count ? count : 1) * sizeof *r->seg_pos);
  if (!buf || !r->seg_start || !r->seg_pos) return -1;
  size_t off = 0;
  scr_iter_init(&it, root);
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
    if (ev != SCR_EVENT_ENTER || scr_node_get_type(scr_iter_node(&it)) != SCR_NODE_TEXT) continue;
    scr_str x = scr_node_text(scr_iter_node(&it));
    r->seg_start[r->nseg] = off;
    r->seg_pos[r->nseg++] = scr_node_pos(scr_iter_node(&it));
    if (x.len) memcpy(buf + off, x.ptr, x.len);
    scr_node_set_text(scr_iter_node(&it), buf + off, x.len);
    off += x.len;
    buf[off++] = '\n';
  }
  buf[off] = 0;
  r->s = buf, r->len = off, r->gathered = 1;
  return 0;
}

/* The analysis of a document whose tree the text reader built: persons,
 * quotations, attribution, names, dates and places. */
int text_speech_run(scr_doc *doc, const scr_options *opts, scr_diag *diag) {
  words_init_once();
  analysis r = {0};
  r.doc = doc, r.diag = diag, r.topic = -1, r.topic_male = -1, r.topic_female = -1, r.publisher = -1, r.intro = -1, r.sender = -1;
  walk w = {0};
  int rc = -1;
  char *beside = NULL;
  if (gather_text(&r, scr_doc_source(doc))) goto oom;
  r.lines = scr_linemap_new(r.s, r.len);
  if (!r.lines) goto oom;

  /* The authority file: the option, or persons.yaml beside the input. */
  const char *persons = scr_options_get(opts, "persons");
  scr_str path = scr_doc_meta(doc, SCR_META_SOURCE);
  /* beside a file, not beside a URI (a page of a web archive) */
  if (!persons && path.ptr && path.len && !memmem(path.ptr, path.len, "://", 3)) {
    size_t dl = path.len;
    while (dl > 0 && path.ptr[dl - 1] != '/') dl--;
    beside = malloc(dl + sizeof "persons.yaml");
    if (!beside) goto oom;
    memcpy(beside, path.ptr, dl);
    memcpy(beside + dl, "persons.yaml", sizeof "persons.yaml");
    /* Asked for every input (a stat of a file in a directory just read is
     * cheap): a persons.yaml that appears during a run, written by the run
     * itself say, is seen by every input read after it, as with -j 1. */
    struct stat st;
    if (stat(beside, &st) == 0 && S_ISREG(st.st_mode))
      persons = beside;
    else if (scr_doc_add_depend(doc, beside, -1)) /* its absence decides too */
      goto oom;
  }
  if (persons && lexicon_load_yaml(&r.lx, doc, persons, diag)) goto done;
  r.authority = persons != NULL;

  if (collect(&r, &w) || analyse(&r, &w)) goto oom;

  {
    size_t total = 0, who = 0, narrated = 0, narrated_who = 0, turns = 0, depth = 0, top = 0;
    size_t ind = 0, ind_who = 0;
    scr_iter it;
    scr_event ev;
    scr_iter_init(&it, scr_doc_root(doc));
    while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE) {
      scr_node_type ty = scr_node_get_type(scr_iter_node(&it));
      if (ty == SCR_NODE_TURN) {
        if (ev == SCR_EVENT_ENTER) turns++;
        else turns--;
      }
      if (ty == SCR_NODE_QUOTE) {
        /* reported speech is counted apart, and does not nest a quote */
        scr_str k = scr_node_attr(scr_iter_node(&it), SCR_ATTR_KIND);
        if (k.len == 8 && memcmp(k.ptr, "indirect", 8) == 0) {
          if (ev == SCR_EVENT_ENTER) {
            ind++;
            ind_who += scr_node_attr(scr_iter_node(&it), SCR_ATTR_WHO).ptr != NULL;
          }
          continue;
        }
      }
      if (ty == SCR_NODE_QUOTE && ev == SCR_EVENT_EXIT) depth--;
      if (ev == SCR_EVENT_ENTER && ty == SCR_NODE_QUOTE) {
        int has = scr_node_attr(scr_iter_node(&it), SCR_ATTR_WHO).ptr != NULL;
        total++;
        who += has;
        /* a nested quote is its outer one's, a continued one counts once */
        int own = !depth && !scr_node_attr(scr_iter_node(&it), SCR_ATTR_PREV).len;
        top += own;
        if (!turns && own) narrated++, narrated_who += has;
        depth++;
      }
    }
    /* A new user is told, once per document, when the attribution is
     * likely to be poor: a publisher whose conventions the reader does not
     * know, or narration whose quotations it mostly cannot attribute. */
    int unknown_pub = !scr_doc_meta(doc, SCR_META_PUBLISHER).ptr && top >= 3;
    int few = narrated >= 4 && narrated_who * 3 < narrated;
    if (unknown_pub || few)
      scr_diag_report(diag, SCR_WARNING, (scr_pos){0, 0, 0}, "attribution",
                      "%s: %zu of %zu quotations attributed; check who said what "
                      "(an authority file, --set persons=FILE, helps)",
                      unknown_pub ? "the publisher is not one the reader knows"
                                  : "few quotations of the narration are attributed",
                      who, total);
    char note[160];
    int n;
    /* The summary heads the notes (before the reader's). */
    if (total) {
      n = snprintf(note, sizeof note,
                   "%zu quotation%s: %zu attributed, %zu left unattributed",
                   total, total == 1 ? "" : "s", who, total - who);
      if (scr_doc_insert_note(doc, 0, note, (size_t)n)) goto oom;
    }
    if (ind) {
      n = snprintf(note, sizeof note, "%zu reported speech: %zu attributed, %zu left unattributed",
                   ind, ind_who, ind - ind_who);
      if (scr_doc_insert_note(doc, total ? 1 : 0, note, (size_t)n)) goto oom;
    }
    if (!persons) {
      n = snprintf(note, sizeof note,
                   "no authority file: persons come from labels and names in the text");
      if (scr_doc_add_note(doc, note, (size_t)n)) goto oom;
    }
  }
  rc = 0;
  goto done;
oom:
  scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
done:
  free(beside);
  VEC_FREE(w.lines);
  VEC_FREE(w.items);
  VEC_FREE(r.refs);
  VEC_FREE(r.quotes);
  VEC_FREE(r.indirect);
  VEC_FREE(r.brackets);
  VEC_FREE(r.bstack);
  VEC_FREE(r.chain);
  VEC_FREE(r.genders);
  VEC_FREE(r.dates);
  VEC_FREE(r.caps);
  free(r.caps_head);
  lexicon_free(&r.lx);
  scr_linemap_free(r.lines);
  return rc;
}

