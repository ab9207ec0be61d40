/* archive.h - inputs that hold many documents (a web archive): their
 * members listed as jobs when the run is planned, and loaded, on whichever
 * thread converts them, through a state of the archive's own per thread
 * at work (private to the CLI). */
#ifndef SCR_CLI_ARCHIVE_H
#define SCR_CLI_ARCHIVE_H

#include "jobs.h"
#include "run.h"

/* One opened archive of the run. */
typedef struct archive_input {
  char *path;
  const scr_archive *format;
  pthread_mutex_t lock;
  struct archive_state {
    void *state;
    uint64_t pos[2]; /* where it last loaded: loads go forward when they can */
    int busy;
  } *states;
  size_t nstates, capstates;
} archive_input;

/* `name` without the extension of `format` it ends in ("x.warc.gz": "x").
 * NULL on out of memory. */
char *archive_stem(const scr_archive *format, const char *name);

/* Lists the members of the archive `path` (of `format`) as jobs named
 * PATH#NAME, written below `stem` (the archive's name without its
 * extension, or its path below a walked root) with each member's name made
 * a safe relative path. 0; 1 when the archive could not be read whole
 * (reported; the members listed stand); -1 on out of memory. */
int archive_list(run *r, const scr_archive *format, const char *path, const char *stem,
                 job_list *list);

/* The bytes of member job j (malloc'd). 0, or -1 after reporting to diag. */
int archive_load(run *r, const job *j, char **data, size_t *len, scr_diag *diag);

/* Gives the document what the archive said of the member: metadata keys
 * by name, any other pair as a note. 0, or -1 on out of memory. */
int archive_apply_meta(const job *j, scr_doc *doc);

void archive_free_all(run *r);

#endif
