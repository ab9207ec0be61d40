/* jobs.h - the list of a run's jobs as the walk and the archives build it
 * (private to the CLI). */
#ifndef SCR_CLI_JOBS_H
#define SCR_CLI_JOBS_H

#include <sys/stat.h>

#include "run.h"

typedef struct job_list {
  job *items;
  size_t len, cap;
} job_list;

/* Appends a job for `path`, written as `rel` (copied); `st` (may be NULL)
 * gives its size and identity, `skip` (may be NULL) why it is not read.
 * 0, or -1 on out of memory. */
int list_push_stat(job_list *l, const char *path, const char *rel, int from_dir,
                   const struct stat *st, const char *skip);
int list_push(job_list *l, const char *path, const char *rel, int from_dir);
/* Frees the jobs and everything a job holds (not prepared corpus parts:
 * corpus_free gives those back to their writers). */
void job_list_free(job_list *list, size_t nwriters);

#endif
