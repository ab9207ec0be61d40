/* diag.h - how the command speaks to the user: exit statuses, diagnostics
 * as FILE:LINE:COL: severity: message, usage errors and running out of
 * memory (private to the CLI; every command's files use it). */
#ifndef SCR_CLI_DIAG_H
#define SCR_CLI_DIAG_H

#include <scriptorium/scriptorium.h>

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

extern const char *program;
/* -q: warnings are not printed (errors and the progress bar still are). */
extern int quiet_warnings;

/* Prints a diagnostic as FILE:LINE:COL: severity: message. */
void cli_print_diag(const scr_diagnostic *d, void *user);
/* Formats a diagnostic the same way into a buffer (user is a scr_buf). */
void cli_buffer_diag(const scr_diagnostic *d, void *user);
/* A sink that prints (cli_print_diag); when none can be made, says "out of
 * memory" for `file` and returns NULL. */
scr_diag *cli_printing_diag(const char *file);
void usage_error(const char *fmt, ...) SCR_PRINTF(1, 2);
/* Prints "out of memory" and exits 1. */
_Noreturn void cli_out_of_memory(void);

#endif
