/* gloss.c - which of the publisher's [insertions] is a gloss (TEI note
 * type="editorial"): an aside about the word before it, a reader skips it
 * ("Astana [the capital of Kazakhstan]", "rubles [$300]", "Mr Shmakov
 * [President of …]", "Kasha [porridge]", "GECF [Gas Exporting Countries
 * Forum]"), and which is supplied text (TEI supplied): words a reader reads
 * in the flow of the sentence ("the [US] authorities", "40 billion
 * [rubles]", "[Sergei] Lavrov", "prohibiting [the negotiations with
 * Russia]"). The rules look at the insertion and the words around it;
 * tests/insertions holds the gold (two samples of the corpus read by hand)
 * and docs/tei.md the figures. */
#include <string.h>

#include "state.h"
#include "tei.h"

#define CONTEXT 96 /* bytes of the block's text kept before and after */
#define MAX_NODES 256 /* nodes looked at on each side: a block of a million
                       * insertions costs each of them no more */
#define MAX_INS 4096  /* bytes of the insertion read */

typedef struct ctx {
  char before[CONTEXT]; /* the last bytes before the insertion */
  size_t nbefore;
  scr_buf ins; /* the insertion's words */
  char after[CONTEXT]; /* the first bytes after it */
  size_t nafter;
} ctx;

static const scr_node *deepest_last(const scr_node *n) {
  for (const scr_node *c; (c = scr_node_last_child(n));) n = c;
  return n;
}

static const scr_node *deepest_first(const scr_node *n) {
  for (const scr_node *c; (c = scr_node_first_child(n));) n = c;
  return n;
}

/* The node before n in document order (leaves first), inside `block`. */
static const scr_node *before_in(const scr_node *n, const scr_node *block) {
  for (; n && n != block; n = scr_node_parent(n)) {
    const scr_node *p = scr_node_prev(n);
    if (p) return deepest_last(p);
  }
  return NULL;
}

/* The leaf after n's subtree in document order, inside `block`. */
static const scr_node *after_in(const scr_node *n, const scr_node *block) {
  for (; n && n != block; n = scr_node_parent(n)) {
    const scr_node *x = scr_node_next(n);
    if (x) return deepest_first(x);
  }
  return NULL;
}

/* The words around the insertion, in its block: walked outward from it,
 * so that the cost does not grow with the block. */
static int gather(const scr_node *ins, ctx *c) {
  const scr_node *block = scr_node_parent(ins);
  while (block && !scr_node_type_is_block(scr_node_get_type(block))) block = scr_node_parent(block);
  if (!block) return -1;
  /* before: leaves backwards, filling the buffer from its end */
  char rev[CONTEXT];
  size_t have = 0, k = 0;
  for (const scr_node *n = before_in(ins, block); n && have < CONTEXT && k < MAX_NODES;
       n = before_in(n, block), k++) {
    scr_str s = scr_node_text(n);
    size_t take = s.len < CONTEXT - have ? s.len : CONTEXT - have;
    if (!take) continue; /* not a TEXT, or an empty one */
    memcpy(rev + CONTEXT - have - take, s.ptr + s.len - take, take);
    have += take;
  }
  if (have) memcpy(c->before, rev + CONTEXT - have, have);
  c->nbefore = have;
  /* its own text */
  scr_iter it;
  scr_event ev;
  k = 0;
  scr_iter_init(&it, (scr_node *)ins);
  while ((ev = scr_iter_next(&it)) != SCR_EVENT_DONE && k++ < MAX_NODES && c->ins.len < MAX_INS) {
    scr_str s = scr_node_text(scr_iter_node(&it));
    if (ev == SCR_EVENT_ENTER && s.len && scr_buf_put(&c->ins, s.ptr, s.len)) return -1;
  }
  /* after */
  k = 0;
  for (const scr_node *n = after_in(ins, block); n && c->nafter < CONTEXT && k < MAX_NODES;
       n = after_in(n, block), k++) {
    scr_str s = scr_node_text(n);
    size_t take = s.len < CONTEXT - c->nafter ? s.len : CONTEXT - c->nafter;
    if (!take) continue;
    memcpy(c->after + c->nafter, s.ptr, take);
    c->nafter += take;
  }
  return 0;
}

/* ---- words ---------------------------------------------------------------------- */

typedef struct word {
  const char *p;
  size_t len;
} word;

/* the length of a space (ASCII or a no-break space) at s[i], else 0 */
static size_t space_at(const char *s, size_t i, size_t len) {
  if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') return 1;
  if (i + 1 < len && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) return 2;
  return 0;
}

/* Splits s into at most max words; returns how many there are. */
static size_t words(const char *s, size_t len, word *w, size_t max) {
  size_t n = 0, i = 0;
  while (i < len) {
    size_t sp = space_at(s, i, len);
    if (sp) {
      i += sp;
      continue;
    }
    size_t a = i;
    while (i < len && !space_at(s, i, len)) i++;
    if (n < max) w[n] = (word){s + a, i - a};
    n++;
  }
  return n;
}

/* Uppercase initial: ASCII, Latin-1 and Cyrillic capitals. */
static int upper(word w) {
  if (!w.len) return 0;
  const unsigned char *u = (const unsigned char *)w.p;
  if (u[0] >= 'A' && u[0] <= 'Z') return 1;
  if (w.len < 2) return 0;
  uint32_t cp = ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
  if (u[0] < 0xC0 || u[0] >= 0xE0) return 0;
  return (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x400 && cp <= 0x42F);
}

static int is(word w, const char *z) {
  return w.len == strlen(z) && !memcmp(w.p, z, w.len);
}

static int in(word w, const char *const *list) {
  for (; *list; list++)
    if (is(w, *list)) return 1;
  return 0;
}

static char last_char(word w) { return w.len ? w.p[w.len - 1] : 0; }

static int ends_with(word w, const char *z) {
  size_t n = strlen(z);
  return w.len >= n && !memcmp(w.p + w.len - n, z, n);
}

/* "FSB", "UEFA", "B20": two or more capitals and digits, a capital first */
static int acronym(word w) {
  size_t caps = 0;
  for (size_t i = 0; i < w.len; i++) {
    char ch = w.p[i];
    if (ch >= 'A' && ch <= 'Z') caps++;
    else if (!(ch >= '0' && ch <= '9')) return 0;
  }
  return caps >= 1 && w.len >= 2 && upper(w);
}

static int all_lower(const char *s, size_t len) {
  int letter = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch >= 'A' && ch <= 'Z') return 0;
    if (ch >= 0xC0) return 0; /* a letter outside ASCII: not judged */
    letter |= ch >= 'a' && ch <= 'z';
  }
  return letter;
}

/* Words that open supplied words: the insertion continues the sentence. */
static const char *const opening[] = {
    "of",   "in",    "for",  "on",      "with",  "to",      "at",   "from", "by",
    "about", "and",  "or",   "per",     "against", "into",  "over", "under", "between",
    "will", "would", "is",   "are",     "was",   "were",    "has",  "have", "had",
    NULL};
/* Words before a slot that the insertion fills. */
static const char *const slot[] = {
    "the", "a",  "an",  "our", "my",   "your", "their", "his", "her", "its", "this",
    "these", "that", "those", "of", "in", "for", "on", "with", "to", "at", "from",
    "by",  "about", "and", "or", "as",  "if",   "than", "one", NULL};
/* Offices and institutions a name is supplied after ("the Defence
 * Minister [Sergei Shoigu]", "Gazprom Chairman [Alexei] Miller"). */
static const char *const office[] = {
    "Minister", "Governor", "President", "Chairman", "Chairwoman", "Director", "Rector",
    "Speaker",  "Mayor",    "Head",      "Ambassador", "Aide",     "Secretary", "Prosecutor",
    "Commissioner", "University", "Chief", "Chancellor", NULL};

int tei_insertion_is_gloss(const scr_node *n) {
  ctx c = {0};
  if (gather(n, &c)) {
    scr_buf_free(&c.ins);
    return 0;
  }
  const char *s = c.ins.data ? c.ins.data : "";
  size_t len = c.ins.len;
  word iw[64], bw[2], aw[1], before[CONTEXT];
  size_t ni = words(s, len, iw, 64);
  /* the last two words before it, and the first after */
  size_t nb = words(c.before, c.nbefore, before, CONTEXT);
  if (nb > CONTEXT) nb = CONTEXT;
  bw[0] = nb >= 1 ? before[nb - 1] : (word){NULL, 0};
  bw[1] = nb >= 2 ? before[nb - 2] : (word){NULL, 0};
  size_t na = words(c.after, c.nafter, aw, 1);
  int gloss = 0;
  if (!ni) goto done;
  word first = iw[0], last = iw[ni < 64 ? ni - 1 : 63], prev = bw[0];
  size_t caps = 0;
  for (size_t i = 0; i < ni && i < 64; i++) caps += upper(iw[i]);
  int next_cap = na && upper(aw[0]);
  /* an insertion that opens with a preposition or a verb continues */
  if (in(first, opening)) goto done;
  /* a conversion ("rubles [$300]") or a translator's or editor's note */
  if (memchr(s, '$', len) || strstr(s, "\xE2\x82\xAC") || strstr(s, "\xC2\xA3") ||
      ends_with(last, "Tr.") || strstr(s, "ed. note")) {
    gloss = 1;
    goto done;
  }
  /* at the start of the block or after a comma: words of the sentence */
  char pc = last_char(prev);
  if (!prev.len || pc == ',' || pc == ';' || pc == ':' || pc == '(' ||
      ends_with(prev, "\xE2\x80\x93") || ends_with(prev, "\xE2\x80\x94"))
    goto done;
  /* after a sentence: a remark, unless it begins a name ("[Foreign
   * Minister] Igor Ivanov") */
  if (pc == '.' || pc == '!' || pc == '?' || pc == '"' || ends_with(prev, "\xE2\x80\x9D")) {
    gloss = !(next_cap && upper(last));
    goto done;
  }
  char pp = last_char(bw[1]);
  int sentence_start = !bw[1].len || pp == '.' || pp == '!' || pp == '?' || pp == ':' ||
                       pp == '"' || ends_with(bw[1], "\xE2\x80\x9D");
  int prev_digit = prev.p[0] >= '0' && prev.p[0] <= '9';
  int name_prev = (upper(prev) && !sentence_start) || prev_digit || acronym(prev);
  /* an office or a first name before a name: "with [FIFA President] Mr
   * Blatter", "Gazprom Chairman [Alexei] Miller" */
  if (next_cap && upper(last) && !name_prev) goto done;
  if (next_cap && ni == 1 && upper(first) && in(prev, office)) goto done;
  /* after an acronym: its expansion, in any case */
  if (acronym(prev)) {
    gloss = 1;
    goto done;
  }
  /* a few words in lower case: "40 billion [rubles]", "the Munich
   * [agreement]" */
  if (all_lower(s, len) && ni <= 3) goto done;
  if (name_prev) {
    /* a name after its office: "the Central Bank Governor [Elvira
     * Nabiullina]"; else an aside about the name: "Mr Shmakov [President
     * of …]", "Chas Pik [Rush Hour]" */
    gloss = !(in(prev, office) && ni >= 2 && ni <= 3 && caps == ni && !memchr(s, ',', len));
    goto done;
  }
  if (in(prev, slot)) goto done;
  /* after a noun: an apposition when it names something ("the avenue
   * [renovation of Kalashnikov Prospekt]") or says a clause */
  gloss = caps >= 2 || ni >= 5 || (first.p[0] >= '0' && first.p[0] <= '9');
done:
  scr_buf_free(&c.ins);
  return gloss;
}
