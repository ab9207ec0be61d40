/* pool.h - the threads of a run: -j N is N - 1 workers and the main
 * thread, which converts too. Jobs are taken in input order; workers run at
 * most a window ahead of the main thread's consuming, which bounds memory
 * by the window, not by the corpus (private to the CLI). */
#ifndef SCR_CLI_POOL_H
#define SCR_CLI_POOL_H

#include "run.h"

/* Starts the workers for `jobs_wanted` (0: one per core) jobs at once. */
void pool_start(run *r, long jobs_wanted);
/* On the main thread, before it consumes job i: returns once job i is done,
 * converting jobs itself while it waits. */
void pool_wait_for(run *r, size_t i);
/* On the main thread: job i is consumed (the window moves on). */
void pool_consumed(run *r, size_t i);
/* Waits for the workers to end (after the last job was consumed). */
void pool_join(run *r);
void pool_free(run *r);

#endif
