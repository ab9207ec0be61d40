/* corpus.h - the corpus files of a run, by the plugin ABI 1.2 protocol:
 * each document's part prepared on the worker that converted it
 * (corpus_prepare), merged by the main thread in input order
 * (corpus_merge), corpus_add as the fallback for writers without
 * corpus_prepare or when memory ran out; the file is HEAD + BODY + TAIL,
 * its BODY kept in a temporary file, not in memory (private to the CLI). */
#ifndef SCR_CLI_CORPUS_H
#define SCR_CLI_CORPUS_H

#include "run.h"

/* Plans the corpus file of each writer that has one, when several inputs
 * (or a directory) are written with -O and not --no-corpus. 0, or the exit
 * status after printing why. */
int corpus_plan(run *r, int no_corpus, unsigned shard_k, unsigned shard_n);
/* Opens each planned corpus. 0, or EXIT_FAILED when one could not be
 * opened (reported; it is then not written, and the rest of the run goes
 * on). */
int corpus_open_all(run *r);
/* Whether some corpus writer needs the documents kept until merged. */
int corpus_keeps_docs(const run *r);
/* On a worker: prepares job j's part of each corpus, or keeps `doc` for
 * corpus_add. Takes `doc`'s ownership. */
void corpus_prepare_parts(run *r, job *j, scr_doc *doc);
/* On the main thread, in input order: job j's parts into each corpus (a
 * document a corpus writer refused is marked in j->corpus_failed). Frees
 * the job's document and parts. EXIT_FAILED if a corpus failed, else 0. */
int corpus_take(run *r, job *j);
/* Writes each corpus file (or, when interrupted, none). EXIT_FAILED if one
 * failed, else 0. */
int corpus_finish(run *r, int interrupted);
/* Closes what is open, gives back the parts never merged, frees. */
void corpus_free(run *r);

#endif
