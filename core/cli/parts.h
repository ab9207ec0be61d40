/* parts.h - the parts of a run: the writers -t names, the reader -f names
 * (or every reader, to detect the format), the transforms of each reader's
 * documents, and the options of each, checked against the plugins' tables
 * before any plugin runs (private to the CLI). */
#ifndef SCR_CLI_PARTS_H
#define SCR_CLI_PARTS_H

#include "chain.h"
#include "run.h"
#include "settings.h"

/* Fills in r's readers, transforms and writers from r->reg. 0, or the exit
 * status after printing why. */
int parts_choose(run *r, const char *from, const char *to, setting *sets, size_t nsets,
                 const chain_edit *edits, size_t nedits);
void parts_free(run *r);

#endif
