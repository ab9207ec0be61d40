/* run.h - one `scriptorium convert` run and its jobs (one job per input):
 * what the files of the convert command share (private to the CLI).
 *
 * The main thread plans the run (walk.c, parts.c, outputs.c, corpus.c,
 * record.c); workers and the main thread convert jobs (pool.c, one.c); the
 * main thread consumes finished jobs strictly in input order (convert.c),
 * so that messages, the manifest and corpus files are the same bytes
 * whatever -j is. */
#ifndef SCR_CLI_RUN_H
#define SCR_CLI_RUN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <scriptorium/scriptorium.h>

#include "chain.h"
#include "manifest.h"
#include "provenance.h"
#include "sets.h"

enum { JOB_PENDING, JOB_OK, JOB_UNCHANGED, JOB_FAILED, JOB_SKIPPED, JOB_CANCELLED };

typedef char sha_hex[65];

typedef struct job {
  char *path;       /* as given, or as found under a directory */
  char *rel;        /* output name without extension: stem, or path under the root */
  int from_dir;     /* found by walking a directory */
  off_t stat_size;  /* for progress */
  file_id id;       /* device and inode, as found (never overwritten) */
  char *skip;       /* found by the walk but not to be read: why (a warning) */
  /* a member of an archive (archive.h): its archive (index + 1; 0: a file),
   * where it is, the reader it names, why it cannot be read, and what the
   * archive says of it ((name, value) pairs, NULL-terminated) */
  size_t archive;
  uint64_t pos[2];
  const scr_reader *member_reader;
  char *member_error;
  char **meta;
  /* its provenance (provenance.h): its table (index + 1; 0: none looked
   * for) and the table's row for it, if any */
  size_t prov_table;
  const struct prov_row *prov_row;
  /* results, written by the worker, read by the main thread once done */
  atomic_int done;
  int status;
  size_t size, warnings;
  sha_hex sha;
  const manifest_entry *prev; /* its line in the previous manifest, if up to date */
  sha_hex *out_sha; /* per writer: the SHA-256 of the output written */
  size_t ndeps;     /* files the reader consulted, and their hashes */
  char **dep_path, **dep_sha;
  scr_buf diags;    /* formatted diagnostics, printed in input order */
  scr_doc *doc;     /* kept for corpus writers without corpus_prepare */
  void **prepared;  /* per writer: its corpus_prepare's result, until merged */
  char **outputs;   /* planned output paths, one per writer */
  unsigned written; /* bit w: output w was written or is up to date */
  unsigned corpus_failed; /* bit w: corpus_prepare failed */
} job;

/* Hashes of the files readers consulted, taken once per run (checked
 * against the previous manifest by the workers at once). */
typedef struct dep_cache {
  pthread_mutex_t lock;
  char **path;
  sha_hex *sha;
  size_t len, cap;
} dep_cache;

enum { SYNC_NONE, SYNC_END, SYNC_FILE };

typedef struct run {
  scr_registry *reg;
  /* the parts (parts.c) */
  const scr_reader *reader;       /* -f, or NULL: detect */
  const scr_reader **readers;     /* every loaded reader (for detection) */
  scr_options **reader_opts;      /* their options */
  chain *chains;                  /* the transforms of their documents */
  size_t nreaders;
  const scr_transform **transforms; /* every transform in some chain */
  scr_options **transform_opts;   /* their options */
  size_t ntransforms;
  const scr_writer **writers;
  scr_options **writer_opts;
  size_t nwriters;
  /* where outputs go (outputs.c) */
  const char *outdir;
  const char *output;
  int sync;                       /* SYNC_* */
  int force;
  str_set planned;                /* every output path (with -O) */
  id_set inputs;                  /* every input file, never overwritten */
  provenance prov;                /* --source-url..., the sources tables */
  /* the inputs (walk.c), and the archives that hold some (archive.c) */
  job *jobs;
  size_t njobs;
  struct archive_input *archives;
  size_t narchives, caparchives;
  /* the record of the output directory (record.c) */
  manifest prev;                  /* the previous manifest and journal, by path */
  dep_cache deps;
  sha_hex key;
  char *mpath, *jpath;            /* the manifest and its journal */
  int lock_fd, journal_fd;
  scr_buf mlines;                 /* the new manifest, line by line */
  int mlines_lost;                /* a line could not be formatted */
  /* corpus files (corpus.c), per writer */
  int corpus;                     /* corpus writers are in use */
  char **corpus_paths;            /* its corpus file, or NULL */
  scr_corpus **corpus_files;      /* the core's corpus while it lasts */
  /* the pool (pool.c): worker threads and the main thread take jobs in
   * order; the main thread also consumes them in order and converts one
   * itself whenever the next to consume is not done yet */
  atomic_size_t next;             /* next job to take */
  size_t consumed;                /* jobs the main thread has consumed */
  size_t window;
  int pool_on;                    /* the lock and conditions exist */
  pthread_t *threads;
  size_t started;
  pthread_mutex_t lock;
  pthread_cond_t job_done, job_consumed;
} run;

#endif
