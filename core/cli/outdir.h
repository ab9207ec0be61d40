/* outdir.h - what a run does to its output directory besides writing the
 * outputs: keep other runs out, clear what dead runs left, make the outputs
 * durable (private to the CLI). */
#ifndef SCR_CLI_OUTDIR_H
#define SCR_CLI_OUTDIR_H

#include <stddef.h>

/* Locks DIR for this run: DIR/.scriptorium.lock, a POSIX record lock that
 * the kernel drops when the process ends, however it ends. A whole run
 * holds the directory exclusively; a shard (name = its manifest's name)
 * holds it shared and its own manifest exclusively, so the shards of a job
 * array run at once but not beside a whole run or a copy of themselves.
 * Returns the lock's descriptor; -1 after printing a message (naming the
 * other run's pid when it holds the lock). */
int outdir_lock(const char *dir, const char *shard_name);

/* Removes the temporary files (NAME.tmp-PID-N) that runs which no longer
 * live left in `dir` (not recursive). Returns how many were removed. */
size_t outdir_clean_temporaries(const char *dir);

/* Makes what was written to the file system of `dir` durable: syncfs(2),
 * one call for every output, then fsync of `dir` itself. 0 or -1. */
int outdir_sync(const char *dir);
/* fsync of one directory (its entries: the renames into it). 0 or -1. */
int outdir_sync_dir(const char *dir);

#endif
