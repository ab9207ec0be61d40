/* convert.c - `scriptorium convert`: files and directory trees, in parallel,
 * with a manifest, a progress bar, streamed corpus files, shards, and
 * outputs that are written atomically and skipped when up to date.
 *
 * This file is the driver: it parses the command line, then plans the run
 * (parts.c, walk.c, outputs.c, corpus.c, record.c), converts its jobs
 * (pool.c, one.c), consumes them strictly in input order (here: messages,
 * corpus parts, manifest lines, the progress bar) and finishes (corpus.c,
 * record.c). run.h says what the files share. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain.h"
#include "commands.h"
#include "corpus.h"
#include "diag.h"
#include "interrupt.h"
#include "outputs.h"
#include "parts.h"
#include "plugins.h"
#include "pool.h"
#include "progress.h"
#include "provenance.h"
#include "record.h"
#include "run.h"
#include "settings.h"
#include "archive.h"
#include "walk.h"

static const char convert_help[] =
    "Usage: scriptorium convert [-f FORMAT] -t FORMAT[,FORMAT...]\n"
    "                           [-o FILE | -O DIR] [--set [FMT.]KEY=VALUE]...\n"
    "                           [--transform NAMES] [--no-transform NAMES]\n"
    "                           [-j N] [--force] [--shard K/N] INPUT...\n"
    "\n"
    "Reads each INPUT (a file, a directory walked recursively, or '-' for\n"
    "standard input), runs the transforms its reader wants on it (see\n"
    "'scriptorium formats -v') and writes it in every format named by -t. Without -f\n"
    "each input's format is detected; an input no reader recognises clearly is\n"
    "reported, not guessed.\n"
    "\n"
    "Options:\n"
    "  -f, --from FORMAT      the input format (see 'scriptorium formats')\n"
    "  -t, --to FORMATS       output formats, comma-separated\n"
    "  -o, --output FILE      output file ('-' for standard output); one input\n"
    "                         and one format only\n"
    "  -O, --output-dir DIR   write DIR/NAME.EXT for each input file, and\n"
    "                         DIR/FORMAT/PATH.EXT for the files of an input\n"
    "                         directory (its layout mirrored per format); with\n"
    "                         several inputs also the corpus file of formats\n"
    "                         that have one (corpus.EXT) and DIR/manifest.tsv\n"
    "  -s, --set KEY=VALUE    set a reader, transform or writer option; FMT.KEY\n"
    "                         sets it for one format (or transform) only\n"
    "      --transform NAMES  run these transforms too (comma-separated), after\n"
    "                         the reader's own; naming one already run moves it\n"
    "                         last, so the order can be changed\n"
    "      --no-transform NAMES  do not run these ('all': none of the reader's)\n"
    "  -j, --jobs N           convert N inputs at once (default: the number of\n"
    "                         cores); the output is the same for every N\n"
    "      --force            convert even inputs whose outputs are up to date\n"
    "      --no-corpus        do not write corpus files\n"
    "      --source-url URL   where the one input was published (its URL)\n"
    "      --licence L        the licence of every input (a URL or its name)\n"
    "      --retrieved DATE   when every input was retrieved (ISO 8601)\n"
    "      --citation TEXT    a citation of the one input\n"
    "      --sources FILE     a table of provenance for many inputs (columns path,\n"
    "                         url, licence, retrieved, citation; paths relative to\n"
    "                         FILE); without it, sources.tsv beside each input\n"
    "      --shard K/N        convert only the K-th of N deterministic slices of\n"
    "                         the inputs (1 <= K <= N), for job arrays\n"
    "  -q, --quiet            do not print warnings (as before the command)\n"
    "  -h, --help             show this help\n"
    "\n"
    "Without -o or -O, one input in one format goes to standard output.\n"
    "Every file is written atomically: on failure nothing is left behind, and\n"
    "an output that is an input is refused. A file that fails is reported and\n"
    "the others are still converted; the exit status is then 1.\n"
    "\n"
    "Up to date: with -O, an input whose size and SHA-256, the options, the\n"
    "formats and the plugins' versions match its line in DIR/manifest.tsv, and\n"
    "whose outputs all exist, is not written again (status 'unchanged').\n"
    "\n"
    "Shards: each shard writes manifest.K-of-N.tsv (and corpus.K-of-N.EXT);\n"
    "combine the manifests with\n"
    "    { head -n 1 manifest.1-of-N.tsv; tail -q -n +2 manifest.*-of-N.tsv | sort; }\n"
    "and each input lands in exactly one shard.\n";

/* ---- the command line ----------------------------------------------------------- */

typedef struct args {
  const char *from, *to, *output, *outdir;
  long jobs;                      /* -j, or 0: one per core */
  setting *sets;
  size_t nsets;
  chain_edit *edits;
  size_t nedits;
  int force, no_corpus, sync;
  unsigned shard_k, shard_n;
  int ninputs;
  char **inputs;
  const char *prov[PROV_FIELDS]; /* --source-url, --licence, --retrieved, --citation */
  const char *sources;           /* --sources FILE */
} args;

static int parse_shard(const char *s, unsigned *k, unsigned *n) {
  char *end;
  unsigned long a = strtoul(s, &end, 10);
  if (end == s || *end != '/') return -1;
  const char *q = end + 1;
  unsigned long b = strtoul(q, &end, 10);
  if (end == q || *end || b < 1 || a < 1 || a > b || b > 1000000) return -1;
  *k = (unsigned)a;
  *n = (unsigned)b;
  return 0;
}


static int parse_sync(const char *s) {
  if (strcmp(s, "none") == 0) return SYNC_NONE;
  if (strcmp(s, "end") == 0) return SYNC_END;
  if (strcmp(s, "file") == 0) return SYNC_FILE;
  return -1;
}

static void args_free(args *a) {
  settings_free(a->sets, a->nsets);
  for (size_t i = 0; i < a->nedits; i++) free((char *)a->edits[i].name);
  free(a->edits);
}

/* Parses the command line into *a: -1 to go on, else the exit status
 * (after --help, or a usage error). */
static int parse_args(int argc, char **argv, args *a) {
  static const struct option longopts[] = {
      {"from", required_argument, NULL, 'f'},
      {"to", required_argument, NULL, 't'},
      {"output", required_argument, NULL, 'o'},
      {"output-dir", required_argument, NULL, 'O'},
      {"set", required_argument, NULL, 's'},
      {"jobs", required_argument, NULL, 'j'},
      {"force", no_argument, NULL, 'F'},
      {"no-corpus", no_argument, NULL, 'N'},
      {"shard", required_argument, NULL, 'S'},
      {"sync", required_argument, NULL, 'Y'},
      {"transform", required_argument, NULL, 'X'},
      {"no-transform", required_argument, NULL, 'x'},
      {"source-url", required_argument, NULL, 'U'},
      {"licence", required_argument, NULL, 'L'},
      {"retrieved", required_argument, NULL, 'R'},
      {"citation", required_argument, NULL, 'C'},
      {"sources", required_argument, NULL, 'T'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {0}};
  const char *shard = NULL;
  int c;
  a->sync = SYNC_END;
  a->shard_k = a->shard_n = 1;
  optind = 1;
  while ((c = getopt_long(argc, argv, "+f:t:o:O:s:j:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'f': a->from = optarg; break;
    case 't': a->to = optarg; break;
    case 'o': a->output = optarg; break;
    case 'O': a->outdir = optarg; break;
    case 'F': a->force = 1; break;
    case 'N': a->no_corpus = 1; break;
    case 'S': shard = optarg; break;
    case 'X':
    case 'x': {
      char err[256];
      int bad = chain_parse(c == 'X' ? '+' : '-', optarg, &a->edits, &a->nedits, err, sizeof err);
      if (bad == -1) cli_out_of_memory();
      if (bad) return usage_error("%s", err), EXIT_USAGE;
      break;
    }
    case 'Y':
      if ((a->sync = parse_sync(optarg)) < 0)
        return usage_error("--sync takes none, end or file, not '%s'", optarg), EXIT_USAGE;
      break;
    case 'j': {
      char *end;
      a->jobs = strtol(optarg, &end, 10);
      if (*end || a->jobs < 1 || a->jobs > 1024)
        return usage_error("-j takes a number of jobs from 1 to 1024, not '%s'", optarg),
               EXIT_USAGE;
      break;
    }
    case 's':
      if (settings_add(&a->sets, &a->nsets, optarg))
        return usage_error("--set takes KEY=VALUE, not '%s'", optarg), EXIT_USAGE;
      break;
    case 'U':
    case 'L':
    case 'R':
    case 'C': {
      static const char opts[] = "ULRC";
      static const char *const names[] = {"--source-url", "--licence", "--retrieved", "--citation"};
      int f = (int)(strchr(opts, c) - opts);
      const char *why = provenance_check(f, optarg);
      if (why) return usage_error("%s: '%s' %s", names[f], optarg, why), EXIT_USAGE;
      a->prov[f] = optarg;
      break;
    }
    case 'T': a->sources = optarg; break;
    case 'q': quiet_warnings = 1; break;
    case 'h': return fputs(convert_help, stdout), EXIT_OK;
    default: return fputs(convert_help, stderr), EXIT_USAGE;
    }
  }
  a->ninputs = argc - optind;
  a->inputs = argv + optind;
  if (!a->to) return usage_error("convert needs -t FORMAT (see 'scriptorium formats')"), EXIT_USAGE;
  if (a->ninputs < 1)
    return usage_error("convert needs at least one INPUT ('-' for standard input)"), EXIT_USAGE;
  if (a->output && a->outdir) return usage_error("-o and -O cannot be used together"), EXIT_USAGE;
  if (shard && parse_shard(shard, &a->shard_k, &a->shard_n))
    return usage_error("--shard takes K/N with 1 <= K <= N, not '%s'", shard), EXIT_USAGE;
  size_t max_input;
  if (scr_max_input_env(&max_input))
    return usage_error("SCRIPTORIUM_MAX_INPUT takes a number of bytes from 1 to 1099511627776, "
                       "not '%s'", getenv("SCRIPTORIUM_MAX_INPUT")),
           EXIT_USAGE;
  return -1;
}

/* ---- consuming the jobs in input order --------------------------------------------- */

typedef struct counts {
  size_t ok, unchanged, failed, warnings, skipped, left_out;
} counts;

/* Each job as it is done, in input order: its messages, its corpus parts,
 * its manifest line. EXIT_FAILED if some job or corpus failed, else 0. */
static int consume(run *r, progress *prog, counts *n) {
  int rc = 0;
  for (size_t i = 0; i < r->njobs; i++) {
    job *j = &r->jobs[i];
    pool_wait_for(r, i);
    if (j->diags.len) {
      progress_clear(prog);
      fwrite(j->diags.data, 1, j->diags.len, stderr);
    }
    if (j->status != JOB_CANCELLED) {
      n->warnings += j->warnings;
      if (corpus_take(r, j)) rc = EXIT_FAILED;
      if (j->corpus_failed) {
        /* reported; not in the corpus: the document failed */
        n->left_out++;
        if (j->status != JOB_FAILED) j->status = JOB_FAILED, j->prev = NULL;
      }
      if (j->status == JOB_FAILED) n->failed++, rc = EXIT_FAILED;
      else if (j->status == JOB_UNCHANGED) n->unchanged++;
      else if (j->status == JOB_SKIPPED) n->skipped++;
      else n->ok++;
    }
    record_job(r, j);
    scr_buf_free(&j->diags);
    prog->done_bytes += (uint64_t)j->stat_size;
    pool_consumed(r, i);
    progress_show(prog, i + 1, r->njobs, 0);
  }
  return rc;
}

/* The last line: what was done, or what an interruption left. Returns the
 * exit status. */
static int summary(const run *r, const counts *n, const progress *prog, int interrupted, int rc) {
  if (interrupted) {
    size_t left = r->njobs - n->ok - n->unchanged - n->failed - n->skipped;
    fprintf(stderr,
            "%s: interrupted: converted %zu, unchanged %zu, failed %zu, not converted %zu; "
            "the manifest records what was done, and the same command resumes%s\n",
            program, n->ok, n->unchanged, n->failed, left,
            r->corpus ? " (no corpus file was written)" : "");
    return 128 + interrupted;
  }
  if (r->njobs > 1 || r->outdir) {
    double secs = progress_now() - prog->start;
    char skipped[96] = "";
    int sn = n->skipped ? snprintf(skipped, sizeof skipped, ", skipped %zu", n->skipped) : 0;
    if (n->left_out)
      snprintf(skipped + sn, sizeof skipped - (size_t)sn, ", left out of a corpus %zu",
               n->left_out);
    fprintf(stderr,
            "%s: converted %zu, unchanged %zu, warnings %zu, failed %zu%s (%.2f s, %.1f MB/s)\n",
            program, n->ok, n->unchanged, n->warnings, n->failed, skipped, secs,
            secs > 0 ? (double)prog->total_bytes / secs / 1e6 : 0.0);
  }
  return rc;
}

/* ---- the run ------------------------------------------------------------------------- */

/* -O DIR: DIR/ and DIR name one directory (outputs are DIR/NAME, never
 * DIR//NAME); it is created if missing. 0, or the exit status. */
static int output_dir(run *r, const char *dir, char **copy) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  if (!(*copy = strndup(dir, n))) return usage_error("out of memory"), EXIT_FAILED;
  r->outdir = *copy;
  struct stat st;
  if (stat(r->outdir, &st) != 0 && errno == ENOENT && mkdir_p(r->outdir) != 0)
    return usage_error("cannot create the output directory '%s': %s", r->outdir,
                       strerror(errno)),
           EXIT_USAGE;
  if (stat(r->outdir, &st) != 0 || !S_ISDIR(st.st_mode))
    return usage_error("'%s' is not a directory", r->outdir), EXIT_USAGE;
  return 0;
}

static int convert_run(run *r, const args *a, job_list *list) {
  int rc, failed, st;
  r->reg = cli_load_plugins(&failed);
  if (failed) return usage_error("%d plugin(s) failed to load (see above)", failed), EXIT_USAGE;
  if ((rc = parts_choose(r, a->from, a->to, a->sets, a->nsets, a->edits, a->nedits))) return rc;

  /* The output directory: one run at a time (a shard beside its sibling
   * shards), and the previous manifest with the journal of a run that did
   * not finish, read before the inputs are, so that nothing this program
   * wrote there is taken for an input. */
  if (r->outdir && record_open(r, a->shard_k, a->shard_n)) return EXIT_FAILED;
  int unreadable = 0;
  if ((rc = walk_inputs(r, a->ninputs, a->inputs, list, &unreadable))) return rc;
  rc = unreadable ? EXIT_FAILED : EXIT_OK;
  if (!r->outdir || r->force) manifest_free(&r->prev);
  walk_shard(list, a->shard_k, a->shard_n);
  r->jobs = list->items;
  r->njobs = list->len;
  for (int f = 0; f < PROV_FIELDS; f++) r->prov.cli[f] = a->prov[f];
  r->prov.table = a->sources;
  if ((st = provenance_plan(r))) return st;
  if (r->output && (r->njobs > 1 || r->nwriters > 1))
    return usage_error("-o takes one input and one output format; use -O DIR for more"),
           EXIT_USAGE;
  if (!r->output && !r->outdir && (r->njobs > 1 || r->nwriters > 1))
    return usage_error("several inputs or formats need -O DIR"), EXIT_USAGE;
  if ((st = outputs_plan(r)) || (st = corpus_plan(r, a->no_corpus, a->shard_k, a->shard_n)))
    return st;
  if (record_key(r, a->from, a->to, a->sets, a->nsets, a->edits, a->nedits))
    return usage_error("out of memory"), EXIT_FAILED;

  /* Temporary files of dead runs in the directories this run writes to,
   * and the journal this run appends to as inputs finish. */
  if (r->outdir) outputs_clean_temporaries(r);
  record_start(r);
  interrupt_install();
  if (corpus_open_all(r)) rc = EXIT_FAILED;

  pool_start(r, a->jobs);
  progress prog;
  uint64_t total = 0;
  for (size_t i = 0; i < r->njobs; i++) total += (uint64_t)r->jobs[i].stat_size;
  /* -q hides warnings, not the bar: it is no message, and it is gone at the end */
  progress_start(&prog, isatty(2) && r->njobs > 1, total);
  counts n = {0};
  if (consume(r, &prog, &n)) rc = EXIT_FAILED;
  progress_show(&prog, r->njobs, r->njobs, 1);
  pool_join(r);
  int interrupted = interrupt_signal();
  if (corpus_finish(r, interrupted)) rc = EXIT_FAILED;
  if (r->outdir && record_finish(r)) rc = EXIT_FAILED;
  return summary(r, &n, &prog, interrupted, rc);
}

int cmd_convert(int argc, char **argv) {
  args a = {0};
  int rc = parse_args(argc, argv, &a);
  if (rc >= 0) {
    args_free(&a);
    return rc;
  }
  run r;
  memset(&r, 0, sizeof r);
  r.output = a.output;
  r.force = a.force;
  r.sync = a.sync;
  r.lock_fd = r.journal_fd = -1;
  pthread_mutex_init(&r.deps.lock, NULL);
  job_list list = {0};
  char *outdir_copy = NULL;
  rc = a.outdir ? output_dir(&r, a.outdir, &outdir_copy) : 0;
  if (!rc) rc = convert_run(&r, &a, &list);

  pool_free(&r);
  record_free(&r);
  corpus_free(&r);
  job_list_free(&list, r.nwriters);
  archive_free_all(&r);
  provenance_free(&r);
  free(r.planned.slots);
  free(r.inputs.slots);
  parts_free(&r);
  free(outdir_copy);
  args_free(&a);
  if (r.reg) scr_registry_free(r.reg);
  return rc;
}
