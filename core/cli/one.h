/* one.h - converting one input, on whichever thread takes its job: read it
 * (detecting its format), skip it when its outputs are up to date, run its
 * transforms, write every output, prepare its corpus parts (private to the
 * CLI). */
#ifndef SCR_CLI_ONE_H
#define SCR_CLI_ONE_H

#include "run.h"

/* Fills in job j's results (status, hashes, outputs written, diagnostics
 * formatted into j->diags for the main thread to print in order). */
void convert_one(run *r, job *j);

#endif
