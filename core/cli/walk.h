/* walk.h - the inputs of a run: files as given, directory trees walked in
 * sorted order (never reading back what this program wrote into the output
 * directory), a shard's slice of them (private to the CLI). */
#ifndef SCR_CLI_WALK_H
#define SCR_CLI_WALK_H

#include "run.h"

typedef struct job_list {
  job *items;
  size_t len, cap;
} job_list;

/* Adds a job for each input (a directory: one for each file in it a reader
 * takes, or that looks like one but cannot be read). Uses r->reader or
 * r->readers (extensions) and r->prev (outputs of the previous run).
 * Returns 0, or the exit status after printing why (a directory without
 * -O, out of memory); *unreadable is set when a directory could not be
 * read (reported; the run goes on). */
int walk_inputs(const run *r, int ninputs, char **inputs, job_list *list, int *unreadable);
/* Keeps the jobs of shard K of N: those whose path hashes to it, stable
 * when files are added to or removed from the corpus. */
void walk_shard(job_list *list, unsigned k, unsigned n);
/* Frees the jobs and everything a job holds (not prepared corpus parts:
 * corpus_free gives those back to their writers). */
void job_list_free(job_list *list, size_t nwriters);

#endif
