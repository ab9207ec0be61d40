/*
 * bench/stages.c - where the time of one conversion goes, without the file
 * system: every input is read into memory first, then each stage is timed
 * on its own (read into the tree, the reader's default transforms, the
 * writer into a buffer). Prints a Markdown table; not a test.
 *
 *   build/bench-stages [-f FROM] [-t TO] [-r RUNS] [--one] FILE|DIR...
 *
 * --one joins every input into one document (with a blank line between
 * them) to see whether a stage is slower per byte on a big document than on
 * a small one. Each figure is the fastest of RUNS runs (default 3): the
 * least disturbed by other work on a shared machine.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <scriptorium/scriptorium.h>

typedef struct input {
  char *path;
  char *data;
  size_t len;
} input;

static input *inputs;
static size_t ninputs, capinputs;

static void die(const char *what) {
  fprintf(stderr, "bench-stages: %s\n", what);
  exit(2);
}

static int by_path(const void *a, const void *b) {
  return strcmp(((const input *)a)->path, ((const input *)b)->path);
}

static void add_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) die(path);
  if (fseek(f, 0, SEEK_END) != 0) die(path);
  long n = ftell(f);
  if (n < 0 || fseek(f, 0, SEEK_SET) != 0) die(path);
  char *data = malloc((size_t)n + 1);
  if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) die(path);
  fclose(f);
  data[n] = '\0';
  if (ninputs == capinputs) {
    capinputs = capinputs ? 2 * capinputs : 1024;
    inputs = realloc(inputs, capinputs * sizeof *inputs);
    if (!inputs) die("out of memory");
  }
  inputs[ninputs].path = strdup(path);
  inputs[ninputs].data = data;
  inputs[ninputs].len = (size_t)n;
  if (!inputs[ninputs].path) die("out of memory");
  ninputs++;
}

static void add_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) die(path);
  if (!S_ISDIR(st.st_mode)) {
    add_file(path);
    return;
  }
  DIR *d = opendir(path);
  if (!d) die(path);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    size_t n = strlen(path) + strlen(e->d_name) + 2;
    char *child = malloc(n);
    if (!child) die("out of memory");
    snprintf(child, n, "%s/%s", path, e->d_name);
    add_path(child);
    free(child);
  }
  closedir(d);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_diag(const scr_diagnostic *d, void *user) {
  (void)user;
  if (d->severity == SCR_ERROR)
    fprintf(stderr, "bench-stages: %s: %s\n", d->file ? d->file : "-", d->message);
}

typedef struct times {
  double read, transform, write;
  size_t out_bytes;
} times;

/* One pass over every input: each stage's seconds summed over the inputs. */
static times pass(const scr_registry *reg, const scr_reader *rd,
                  const scr_writer *wr, const scr_options *ropts,
                  const scr_options *wopts) {
  times t = {0, 0, 0, 0};
  const char *const *names = scr_reader_default_transforms(rd);
  scr_buf out = {0};
  for (size_t i = 0; i < ninputs; i++) {
    scr_diag *diag = scr_diag_new(inputs[i].path, on_diag, NULL);
    char *copy = malloc(inputs[i].len + 1);
    if (!diag || !copy) die("out of memory");
    memcpy(copy, inputs[i].data, inputs[i].len + 1);
    scr_doc *doc = NULL;
    double t0 = now();
    if (scr_read_bytes(rd, inputs[i].path, copy, inputs[i].len, ropts, diag, &doc) != 0)
      die("a reader failed");
    t.read += now() - t0;
    for (size_t k = 0; names && names[k]; k++) {
      const scr_transform *tr = scr_registry_transform(reg, names[k]);
      if (!tr) die("a default transform is missing");
      scr_options *topts = scr_options_new(tr->options, tr->option_count);
      if (!topts) die("out of memory");
      double a = now();
      if (scr_transform_apply(tr, doc, topts, diag) != 0) die("a transform failed");
      t.transform += now() - a;
      scr_options_free(topts);
    }
    scr_buf_clear(&out);
    double w = now();
    if (scr_write(wr, doc, &out, wopts, diag) != 0) die("the writer failed");
    t.write += now() - w;
    t.out_bytes += out.len;
    scr_doc_free(doc);
    scr_diag_free(diag);
  }
  scr_buf_free(&out);
  return t;
}

int main(int argc, char **argv) {
  const char *from = "text", *to = "tei";
  int runs = 3, one = 0;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (!strcmp(argv[i], "-f") && i + 1 < argc) from = argv[++i];
    else if (!strcmp(argv[i], "-t") && i + 1 < argc) to = argv[++i];
    else if (!strcmp(argv[i], "-r") && i + 1 < argc) runs = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--one")) one = 1;
    else die("usage: bench-stages [-f FROM] [-t TO] [-r RUNS] [--one] FILE|DIR...");
  }
  if (i == argc || runs < 1) die("usage: bench-stages [-f FROM] [-t TO] [-r RUNS] [--one] FILE|DIR...");
  for (; i < argc; i++) add_path(argv[i]);
  if (!ninputs) die("no inputs");
  qsort(inputs, ninputs, sizeof *inputs, by_path);

  size_t bytes = 0;
  for (size_t k = 0; k < ninputs; k++) bytes += inputs[k].len;
  if (one) {
    char *all = malloc(bytes + 2 * ninputs + 1);
    if (!all) die("out of memory");
    size_t at = 0;
    for (size_t k = 0; k < ninputs; k++) {
      memcpy(all + at, inputs[k].data, inputs[k].len);
      at += inputs[k].len;
      memcpy(all + at, "\n\n", 2);
      at += 2;
      free(inputs[k].data);
      free(inputs[k].path);
    }
    all[at] = '\0';
    inputs[0].path = strdup("(all inputs as one document)");
    inputs[0].data = all;
    inputs[0].len = at;
    ninputs = 1;
    bytes = at;
  }

  scr_diag *diag = scr_diag_new(NULL, on_diag, NULL);
  scr_registry *reg = scr_registry_new();
  if (!diag || !reg) die("out of memory");
  if (scr_registry_load_default(reg, NULL, NULL, diag) != 0) die("a plugin failed to load");
  const scr_reader *rd = scr_registry_reader(reg, from);
  const scr_writer *wr = scr_registry_writer(reg, to);
  if (!rd || !wr) die("no such reader or writer");
  scr_options *ropts = scr_options_new(rd->options, rd->option_count);
  scr_options *wopts = scr_options_new(wr->options, wr->option_count);
  if (!ropts || !wopts) die("out of memory");

  times best = {0, 0, 0, 0};
  for (int r = 0; r < runs; r++) {
    times t = pass(reg, rd, wr, ropts, wopts);
    if (r == 0 || t.read < best.read) best.read = t.read;
    if (r == 0 || t.transform < best.transform) best.transform = t.transform;
    if (r == 0 || t.write < best.write) best.write = t.write;
    best.out_bytes = t.out_bytes;
  }

  double mb = (double)bytes / 1e6;
  printf("%zu input%s, %.1f MB, %s → %s, fastest of %d runs, in memory:\n\n",
         ninputs, ninputs == 1 ? "" : "s", mb, from, to, runs);
  printf("| stage | seconds | MB/s of input |\n| --- | ---: | ---: |\n");
  printf("| read | %.3f | %.0f |\n", best.read, mb / best.read);
  printf("| the reader's transforms | %.3f | %.0f |\n", best.transform,
         best.transform > 0 ? mb / best.transform : 0.0);
  printf("| write %s (%.1f MB) | %.3f | %.0f |\n", to, (double)best.out_bytes / 1e6,
         best.write, mb / best.write);
  double all = best.read + best.transform + best.write;
  printf("| conversion | %.3f | %.0f |\n", all, mb / all);

  scr_options_free(ropts);
  scr_options_free(wopts);
  scr_registry_free(reg);
  scr_diag_free(diag);
  for (size_t k = 0; k < ninputs; k++) {
    free(inputs[k].data);
    free(inputs[k].path);
  }
  free(inputs);
  return 0;
}
