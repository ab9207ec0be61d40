/* words.h - the English words the plugin knows (offices, speech verbs,
 * months, particles, words that are not names, place followers, words
 * that are not verbs, words that end an institution's name, offices in the
 * plural, bodies of the state, verbs whose subject is a person), all in
 * words.c, one hash for every list. */
#ifndef SCR_TEXT_WORDS_H
#define SCR_TEXT_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* The lists of English words the reader knows, as bits. */
enum { W_TITLE = 1, W_SPEECH = 2, W_MONTH = 4, W_PARTICLE = 8, W_NOT_NAME = 16,
       W_PLACE_FOLLOWER = 32, W_NOT_VERB = 64, W_INSTITUTION = 128, W_OFFICES = 256,
       W_STATE_BODY = 512, W_PERSON_VERB = 1024 };
/* Builds the table of known words, once per process; before any of the
 * two below. */
void words_init_once(void);
/* The lists s[i..e) is in (0 for none), and its month (1-12) or 0. */
unsigned word_classes(const char *s, size_t i, size_t e, int *month);
static inline int word_in(const char *s, size_t i, size_t e, unsigned list) {
  return (word_classes(s, i, e, NULL) & list) != 0;
}
static inline int month_number(const char *s, size_t i, size_t e) {
  int m;
  return (word_classes(s, i, e, &m) & W_MONTH) ? m : 0;
}

/* The seed of the lexicon's hash tables, chosen with the table (see
 * lexicon.c, mix); set by words_init_once. */
extern uint32_t words_hash_seed;

#endif
