/* words.c - the English words the plugin knows, as lists, and the one
 * hash table over them all (see words.h). */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "words.h"

/* ---- words of English that are not names ------------------------------------------ */

/* Offices and honorifics: in a label "Defence Minister Sergei Shoigu" the
 * name follows the last of them. */
static const char *const title_words[] = {
    "President", "Vice", "Prime", "Minister", "Deputy", "Chairman",
    "Chairwoman", "Chair", "Speaker", "Head", "Governor", "Mayor", "CEO",
    "Director", "General", "Secretary", "Ambassador", "Patriarch", "King",
    "Queen", "Prince", "Emperor", "Chancellor", "Premier", "Aide", "Adviser",
    "Advisor", "Commander", "Chief", "Lieutenant", "Colonel", "Captain",
    "Major", "Sergeant", "Admiral", "Marshal", "Senator", "Rector",
    "Metropolitan", "Archbishop", "Bishop", "Mufti", "Rabbi", "Commissioner",
    "Representative", "Envoy", "Spokesman", "Spokeswoman", "Founder",
    "Editor", "Executive", "Manager", "Coach", "Sr", "Jr", "Mr", "Mrs", "Ms",
    "Dr", "Professor", "Academician", "Presidential",
    /* offices in one word with hyphens, and of several people ("Both
     * Presidents", "the Chinese Presidents"): never part of a name */
    "Vice-President", "Vice-Premier", "Vice-Chairman", "Secretary-General",
    "Commander-in-Chief", "Major-General", "Lieutenant-General", "Supreme", "First", "Cosmonaut", "Astronaut",
    "Presidents", "Ministers", "Leaders", "Heads", NULL};

/* Verbs that follow a speaker's name in narration ("First Last said"). */
static const char *const speech_verbs[] = {
    "said", "says", "noted", "notes", "stressed", "added", "stated",
    "remarked", "emphasized", "emphasised", "pointed", "continued",
    "believes", "told", "asked", "agreed", "explained", "replied",
    "answered", "assured", "summarized", "summarised", "thanked", "recalled",
    "mentioned", "underlined", "highlighted", "spoke", "expressed",
    "commented", "declared", "announced", "urged", "warned", "congratulated",
    "met", "stated", "observed", "concluded", "promised", "wrote", "writes",
    NULL};

static const char *const month_names[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
    NULL};

/* Particles in labels and names. */
static const char *const particles[] = {"of", "the", "and", "for", "de", "da",
                                        "del", "der", "van", "von", "la", "le",
                                        "al", "bin", "ibn", "on", "in", NULL};

/* Capitalised words that are not names. */
static const char *const not_names[] = {
    "The", "This", "That", "These", "Those", "It", "He", "She", "We", "They",
    "In", "On", "At", "As", "But", "And", "So", "Yet", "If", "When", "Then",
    "There", "Here", "His", "Her", "Our", "Their", "Its", "A", "An", "I",
    "According", "After", "Before", "Also", "However", "Meanwhile", "You", "Your",
    "My", "Me", "Us", "Both", "Organisation", "Organization", "Development", "Affairs",
    "Territory", "Region", "Chamber", "Forum",
    /* words that open a sentence, never a given name ("Get Yanukovych
     * back", "Dear Vladimir Putin") */
    "Get", "Let", "Give", "Take", "Tell", "Ask", "Please", "Thank", "Dear",
    /* nor do quantities ("Many Indians visited Russia") */
    "Many", "Some", "All", "Most", "Several", "Few", "Other", "Others", NULL};

/* Words that end the names of institutions, companies, places and events,
 * not of persons ("European Union", "State Duma", "Red Wings Airlines",
 * "Far Eastern Federal District"). */
static const char *const institutions[] = {
    "Union", "Council", "Parliament", "Government", "Ministry", "Committee", "Duma",
    "Office", "Party", "Assembly", "Commission", "Bank", "Court", "Federation",
    "Republic", "States", "Kingdom", "Nations", "Army", "Fleet", "Church", "Company",
    "Corporation", "Group", "Centre", "Center", "Forum", "House", "Kremlin",
    "Department", "Agency", "Service", "Navy", "Front", "Command", "Staff",
    "Airlines", "Airways", "Aviation", "Railways", "Helicopters", "Association", "Board",
    "District", "Districts", "Foundation", "Institute", "University", "Academy", "Society",
    "Holding", "Fund", "Club", "Festival", "Games", "Championship", "Cup", "Airport",
    "Plant", "Factory", NULL};

/* Offices the office words do not hold: in the plural ("Presidential
 * Aides X and Y"), or "Chairperson". */
static const char *const offices_plural[] = {
    "Chairperson", "Chairwoman", "Aides", "Presidents", "Ministers", "Governors", "Deputies",
    "Advisers", "Advisors", "Envoys", "Heads", "Chairmen", "Directors", "Ambassadors",
    "Members", "Representatives", "Secretaries", "Officials", "Leaders", "Mayors", "Senators",
    "Commanders", NULL};

/* Bodies of the state, whose office a name after them holds ("Chief of
 * Staff of the Presidential Executive Office Anton Vaino"). */
static const char *const state_bodies[] = {
    "Office", "Staff", "Chamber", "District", "Administration", "Service", "Committee",
    "Council", "Government", "Duma", "Agency", "Ministry", "Department", "Commission",
    "Court", "Assembly", "Federation", "Guard", "Directorate", "Inspectorate", NULL};

/* Verbs whose subject is a person, not a company, a law or a place
 * ("Mikhail Mishustin visited Belarus"; not "came", "went": "the Federal
 * Law on Parliamentary Control came into force", "Big Silver Medals went
 * to"). */
static const char *const person_verbs[] = {"visited", "arrived", "met", "thanked",
                                           "congratulated", "phoned", "telephoned", "flew",
                                           "attended", "joined", NULL};

/* Words after a place. */
static const char *const place_followers[] = {
    "on", "in", "at", "and", "to", "for", "with", "who", "from", "during",
    "where", "after", "before", "which", "that", "the", "as", "is", "was",
    "were", "will", "has", "have", "had", "this", "since", "until", "by",
    "but", "or", "last", "next", NULL};

/* Words after a reference that are not verbs. */
static const char *const not_verbs[] = {
    "that", "and", "of", "the", "a", "an", "to", "in", "on", "at", "for",
    "with", "from", "by", "who", "whom", "whose", "which", "as", "or", "nor",
    "but", "about", "than", "s", "t", "into", "over", "under", NULL};

/* ---- English words the reader knows: one hash for every list --------------------- */

/* Each word of the lists below (and of particles, not_names, place_followers
 * and not_verbs, all here) is entered once, with a bit for
 * each list that holds it and, for months, the month's number, so that
 * asking whether a word of the text is in a list is one hash look-up
 * instead of a comparison with every entry. The table is built once per
 * process (pthread_once); text_read calls words_init_once before any look-up. */
typedef struct known_word {
  const char *w;
  size_t len;
  unsigned classes;
  int month;
} known_word;

enum { KNOWN_SIZE = 1024 }; /* a power of two, more than twice the words */
static known_word known[KNOWN_SIZE];
static size_t known_max_len;
static pthread_once_t known_once = PTHREAD_ONCE_INIT;
/* The seed of the lexicon's hash tables (see mix), chosen with the table. */
uint32_t words_hash_seed;

static uint32_t known_hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static void known_add(const char *const *list, unsigned cls, int months) {
  for (size_t k = 0; list[k]; k++) {
    size_t n = strlen(list[k]);
    uint32_t h = known_hash(list[k], n) & (KNOWN_SIZE - 1);
    while (known[h].w && !(known[h].len == n && memcmp(known[h].w, list[k], n) == 0))
      h = (h + 1) & (KNOWN_SIZE - 1);
    known[h].w = list[k];
    known[h].len = n;
    known[h].classes |= cls;
    if (months) known[h].month = (int)k + 1;
    if (n > known_max_len) known_max_len = n;
  }
}

static void known_build(void) {
  /* Not secret, only not known to whoever wrote the authority file: the
   * address the plugin was loaded at, the clock and the process id. */
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  words_hash_seed = (uint32_t)(uintptr_t)&known_once ^ (uint32_t)((uintptr_t)&known_once >> 32) ^
             (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec * 0x9E3779B1u ^
             (uint32_t)getpid() * 0x85EBCA6Bu;
  known_add(title_words, W_TITLE, 0);
  known_add(speech_verbs, W_SPEECH, 0);
  known_add(month_names, W_MONTH, 1);
  known_add(particles, W_PARTICLE, 0);
  known_add(not_names, W_NOT_NAME, 0);
  known_add(place_followers, W_PLACE_FOLLOWER, 0);
  known_add(not_verbs, W_NOT_VERB, 0);
  known_add(institutions, W_INSTITUTION, 0);
  known_add(offices_plural, W_OFFICES, 0);
  known_add(state_bodies, W_STATE_BODY, 0);
  known_add(person_verbs, W_PERSON_VERB, 0);
}

void words_init_once(void) { pthread_once(&known_once, known_build); }

unsigned word_classes(const char *s, size_t i, size_t e, int *month) {
  if (month) *month = 0;
  if (i >= e || e - i > known_max_len) return 0;
  size_t n = e - i;
  uint32_t h = known_hash(s + i, n) & (KNOWN_SIZE - 1);
  for (; known[h].w; h = (h + 1) & (KNOWN_SIZE - 1))
    if (known[h].len == n && memcmp(known[h].w, s + i, n) == 0) {
      if (month) *month = known[h].month;
      return known[h].classes;
    }
  return 0;
}

