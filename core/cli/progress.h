/* progress.h - the progress bar on standard error, when it is a terminal:
 * files done, a bar, MB/s and the time left (private to the CLI). */
#ifndef SCR_CLI_PROGRESS_H
#define SCR_CLI_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

typedef struct progress {
  int on;
  double start, last;
  uint64_t total_bytes, done_bytes;
} progress;

/* Seconds on a monotonic clock. */
double progress_now(void);
/* Starts timing; the bar is drawn only if `on`. */
void progress_start(progress *p, int on, uint64_t total_bytes);
/* Redraws the bar (at most ten times a second, unless `final`, which also
 * clears it). */
void progress_show(progress *p, size_t done, size_t total, int final);
/* Clears the bar's line before other text is printed. */
void progress_clear(const progress *p);

#endif
