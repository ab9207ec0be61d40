/* persons.h - the authority file (persons.c). */
#ifndef SCR_TEXT_PERSONS_H
#define SCR_TEXT_PERSONS_H

#include "lexicon.h"

/* Loads an authority file into the empty lexicon lx: 0, or -1 after
 * reporting. Each file is parsed once per process while it does not
 * change, and shared (lx->base); a broken file's error is kept the same
 * way; thread-safe. */
int lexicon_load_yaml(lexicon *lx, scr_doc *doc, const char *path,
                      scr_diag *diag);

#endif
