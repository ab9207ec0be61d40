/* record.h - what a run with -O keeps in its output directory about what
 * it did: the lock, DIR/manifest.tsv read back (which inputs are up to
 * date) and rewritten, the journal of lines appended as inputs finish, and
 * the key (private to the CLI; the file format is manifest.h's). */
#ifndef SCR_CLI_RECORD_H
#define SCR_CLI_RECORD_H

#include "chain.h"
#include "run.h"
#include "settings.h"

/* Locks the output directory and reads the previous manifest and the
 * journal of a run that did not finish (shard K of N has its own). 0, or
 * -1 after printing why. */
int record_open(run *r, unsigned shard_k, unsigned shard_n);
/* The run's key: what, besides the input, decides the output bytes. -1 on
 * out of memory. */
int record_key(run *r, const char *from, const char *to, const setting *sets, size_t nsets,
               const chain_edit *edits, size_t nedits);
/* Opens the journal for appending (a torn last line stays a line of its
 * own; a new journal starts with the header). Starts the new manifest. */
void record_start(run *r);
/* On a worker: job j's line in the previous manifest if its outputs are up
 * to date (its input, the key and every file its reader consulted are as
 * that line says, and each output is on disk with the hash it was written
 * with), else NULL. */
const manifest_entry *record_up_to_date(run *r, const job *j);
/* On the main thread, in input order: job j's line, into the new manifest
 * and the journal. A cancelled job keeps its previous line. */
void record_job(run *r, const job *j);
/* Makes the outputs durable, then writes the manifest and drops the
 * journal. 0, or -1 after reporting. */
int record_finish(run *r);
void record_free(run *r);

#endif
