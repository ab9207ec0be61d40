/* outputs.h - where a run's outputs go and how each is written: one path
 * per input and writer planned before anything is converted (two inputs
 * never share one), directories made as needed but never through a link
 * planted in the output tree, every file written atomically, an input never
 * overwritten (private to the CLI). */
#ifndef SCR_CLI_OUTPUTS_H
#define SCR_CLI_OUTPUTS_H

#include "run.h"

/* mkdir -p. 0 or -1 (errno set). */
int mkdir_p(const char *dir);
/* Plans every job's output paths (r->planned, r->inputs). 0, or the exit
 * status after printing why. */
int outputs_plan(run *r);
/* Removes what dead runs left in the directories this run writes to. */
void outputs_clean_temporaries(const run *r);
/* Whether writing `path` is refused because it is an input (reported). */
int output_refused(const run *r, const char *path, scr_diag *diag);
/* Writes one output: its directories, then the file atomically. 0, or -1
 * after reporting. */
int output_write(const run *r, const char *path, const scr_buf *out, scr_diag *diag);

#endif
