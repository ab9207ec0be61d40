/* progress.c - the progress bar (progress.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

#include "progress.h"

double progress_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(progress *p, int on, uint64_t total_bytes) {
  p->on = on;
  p->start = p->last = progress_now();
  p->total_bytes = total_bytes;
  p->done_bytes = 0;
}

void progress_clear(const progress *p) {
  if (p->on) fprintf(stderr, "\r\033[K");
}

void progress_show(progress *p, size_t done, size_t total, int final) {
  if (!p->on) return;
  double t = progress_now();
  if (!final && t - p->last < 0.1) return;
  p->last = t;
  double elapsed = t - p->start;
  double rate = elapsed > 0 ? (double)p->done_bytes / elapsed : 0;
  double left = rate > 0 ? (double)(p->total_bytes - p->done_bytes) / rate : 0;
  int width = 24, filled = total ? (int)((double)done / (double)total * width) : width;
  char bar[32];
  for (int i = 0; i < width; i++) bar[i] = i < filled ? '#' : '.';
  bar[width] = '\0';
  fprintf(stderr, "\r\033[K%zu/%zu files [%s] %.1f MB/s, %d:%02d left", done, total, bar,
          rate / 1e6, (int)left / 60, (int)left % 60);
  if (final) fprintf(stderr, "\r\033[K");
  fflush(stderr);
}
