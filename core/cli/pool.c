/* pool.c - the threads of a run (pool.h). */
#include <stdlib.h>
#include <unistd.h>

#include "corpus.h"
#include "interrupt.h"
#include "one.h"
#include "pool.h"

static void finish(run *r, size_t i) {
  pthread_mutex_lock(&r->lock);
  atomic_store(&r->jobs[i].done, 1);
  pthread_cond_broadcast(&r->job_done);
  pthread_mutex_unlock(&r->lock);
}

static void *worker(void *arg) {
  run *r = arg;
  for (;;) {
    size_t i = atomic_fetch_add(&r->next, 1);
    if (i >= r->njobs) break;
    /* Stay within the window ahead of the main thread. */
    pthread_mutex_lock(&r->lock);
    while (i >= r->consumed + r->window && !interrupt_signal())
      pthread_cond_wait(&r->job_consumed, &r->lock);
    pthread_mutex_unlock(&r->lock);
    if (interrupt_signal())
      r->jobs[i].status = JOB_CANCELLED;
    else
      convert_one(r, &r->jobs[i]);
    finish(r, i);
  }
  return NULL;
}

/* The main thread, before it consumes job i: while job i is not done, it
 * converts the next job itself if that lies within the window (with -j 1
 * this converts every job in order), else it sleeps until a worker is done.
 * Job i is always taken by someone: if nobody has, it is the next one, and
 * it lies within the window. Only the main thread writes r->consumed. */
void pool_wait_for(run *r, size_t i) {
  while (!atomic_load(&r->jobs[i].done)) {
    size_t k = atomic_load(&r->next);
    if (k < r->njobs && k < r->consumed + r->window) {
      if (atomic_compare_exchange_strong(&r->next, &k, k + 1)) {
        if (interrupt_signal())
          r->jobs[k].status = JOB_CANCELLED;
        else
          convert_one(r, &r->jobs[k]);
        finish(r, k);
      }
      continue; /* a worker took it first: look again */
    }
    pthread_mutex_lock(&r->lock);
    if (!atomic_load(&r->jobs[i].done) && atomic_load(&r->next) > i)
      pthread_cond_wait(&r->job_done, &r->lock);
    pthread_mutex_unlock(&r->lock);
  }
}

void pool_start(run *r, long jobs_wanted) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  size_t nthreads = (size_t)(jobs_wanted ? jobs_wanted : cores > 0 ? cores : 1);
  if (nthreads > r->njobs) nthreads = r->njobs ? r->njobs : 1;
  /* Finished jobs waiting for the main thread hold their diagnostics and
   * prepared corpus parts, usually a few KB (a TEI part holds the whole text
   * only when the document's own file could not be written); documents only
   * for a corpus writer without corpus_prepare. A wide window keeps the
   * workers busy while the main thread converts a long document itself. */
  r->window = nthreads * (corpus_keeps_docs(r) ? 4 : 64);
  pthread_mutex_init(&r->lock, NULL);
  pthread_cond_init(&r->job_done, NULL);
  pthread_cond_init(&r->job_consumed, NULL);
  r->pool_on = 1;
  r->threads = calloc(nthreads, sizeof *r->threads);
  for (size_t t = 0; r->threads && t + 1 < nthreads; t++)
    if (pthread_create(&r->threads[r->started], NULL, worker, r) == 0) r->started++;
}

void pool_consumed(run *r, size_t i) {
  pthread_mutex_lock(&r->lock);
  r->consumed = i + 1;
  pthread_cond_broadcast(&r->job_consumed);
  pthread_mutex_unlock(&r->lock);
}

void pool_join(run *r) {
  for (size_t t = 0; t < r->started; t++) pthread_join(r->threads[t], NULL);
  r->started = 0;
}

void pool_free(run *r) {
  pool_join(r);
  if (r->pool_on) {
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->job_done);
    pthread_cond_destroy(&r->job_consumed);
    r->pool_on = 0;
  }
  free(r->threads);
  r->threads = NULL;
}
