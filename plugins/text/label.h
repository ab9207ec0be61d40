/* label.h - a transcript's lines (blk) and what a line is that both the
 * reader and the speech transform ask: a separator, a footer, an omission,
 * a speaker label (label.c). */
#ifndef SCR_TEXT_LABEL_H
#define SCR_TEXT_LABEL_H

#include "lexicon.h"

typedef struct label {
  size_t colon;      /* offset of ':' */
  size_t core_end;   /* end of the label before " (retranslated)" */
  size_t name_start; /* the name's start (== core_end if none) */
  int words, has_title;
  int person;
} label;

typedef struct blk {
  size_t start, text, text_end, end;
  /* parse_label's last answer for the block: 0 unknown, 1 a label (then
   * lb, found with lex_size entries in the lexicon), -1 not a label. */
  int label_state;
  size_t lex_size;
  struct label lb;
} blk;

int blk_is_separator(const char *s, const blk *b);
int blk_is_footer(const char *s, const blk *b);
int blk_is_omission(const char *s, const blk *b);
/* Whether b is a speaker label ("President of Russia Vladimir Putin: ",
 * "Question (retranslated): "), and its parts in *lb. Whether it is a label
 * does not depend on lx; the name in it is the longest known name of lx
 * that ends it (lx may be NULL: none known). The answer is kept in b while
 * lx has as many entries. */
int label_parse(const lexicon *lx, const char *s, blk *b, label *lb);

#endif
