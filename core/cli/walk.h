/* walk.h - the inputs of a run: files as given, directory trees walked in
 * sorted order (never reading back what this program wrote into the output
 * directory), a shard's slice of them (private to the CLI). */
#ifndef SCR_CLI_WALK_H
#define SCR_CLI_WALK_H

#include "jobs.h"
#include "run.h"

/* Adds a job for each input (a directory: one for each file in it a reader
 * takes, or that looks like one but cannot be read). Uses r->reader or
 * r->readers (extensions) and r->prev (outputs of the previous run).
 * An input whose name is an archive's (x.warc.gz) adds a job for each of
 * its members instead (archive.h).
 * Returns 0, or the exit status after printing why (a directory without
 * -O, out of memory); *unreadable is set when a directory could not be
 * read (reported; the run goes on). */
int walk_inputs(run *r, int ninputs, char **inputs, job_list *list, int *unreadable);
/* Keeps the jobs of shard K of N: those whose path hashes to it, stable
 * when files are added to or removed from the corpus. */
void walk_shard(job_list *list, unsigned k, unsigned n);

#endif
