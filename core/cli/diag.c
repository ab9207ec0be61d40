/* diag.c - how the command speaks to the user: diagnostics as
 * FILE:LINE:COL: severity: message (printed at once, or buffered for a
 * worker to print in input order), usage errors, out of memory. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"

const char *program = "scriptorium";
int quiet_warnings = 0;

/* FILE:LINE:COL: severity: message, the way compilers print them. */
static void format_diag(const scr_diagnostic *d, scr_buf *out) {
  static const char *const sev[] = {"note", "warning", "error"};
  const char *file = d->file ? d->file : program;
  if (d->line && d->column)
    scr_buf_printf(out, "%s:%u:%u: %s: %s\n", file, d->line, d->column,
                   sev[d->severity], d->message);
  else if (d->line)
    scr_buf_printf(out, "%s:%u: %s: %s\n", file, d->line, sev[d->severity],
                   d->message);
  else
    scr_buf_printf(out, "%s: %s: %s\n", file, sev[d->severity], d->message);
}

/* The same line straight to standard error, needing no memory (stderr is
 * unbuffered): when there is none left to format it into a buffer. */
static void print_diag_direct(const scr_diagnostic *d) {
  static const char *const sev[] = {"note", "warning", "error"};
  const char *file = d->file ? d->file : program;
  if (d->line && d->column)
    fprintf(stderr, "%s:%u:%u: %s: %s\n", file, d->line, d->column, sev[d->severity],
            d->message);
  else if (d->line)
    fprintf(stderr, "%s:%u: %s: %s\n", file, d->line, sev[d->severity], d->message);
  else
    fprintf(stderr, "%s: %s: %s\n", file, sev[d->severity], d->message);
}

void cli_buffer_diag(const scr_diagnostic *d, void *user) {
  if (d->severity == SCR_WARNING && quiet_warnings) return;
  scr_buf *b = user;
  size_t len = b->len;
  format_diag(d, b);
  /* out of memory: printed now, out of input order, rather than lost */
  if (b->len == len) print_diag_direct(d);
}

void cli_print_diag(const scr_diagnostic *d, void *user) {
  (void)user;
  if (d->severity == SCR_WARNING && quiet_warnings) return;
  scr_buf line = {0};
  format_diag(d, &line);
  if (line.len) fwrite(line.data, 1, line.len, stderr);
  else print_diag_direct(d);
  scr_buf_free(&line);
}

void cli_out_of_memory(void) {
  fprintf(stderr, "%s: error: out of memory\n", program);
  exit(EXIT_FAILED);
}

void usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: error: ", program);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
}

scr_diag *cli_printing_diag(const char *file) {
  scr_diag *d = scr_diag_new(file, cli_print_diag, NULL);
  if (!d) fprintf(stderr, "%s: error: out of memory\n", file ? file : program);
  return d;
}
