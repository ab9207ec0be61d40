/* cli.h - what the command's files share (private to the CLI). */
#ifndef SCR_CLI_H
#define SCR_CLI_H

#include <scriptorium/scriptorium.h>

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

extern const char *program;
extern int quiet_warnings;

/* Prints a diagnostic as FILE:LINE:COL: severity: message. */
void cli_print_diag(const scr_diagnostic *d, void *user);
/* Formats a diagnostic the same way into a buffer (user is a scr_buf). */
void cli_buffer_diag(const scr_diagnostic *d, void *user);
void usage_error(const char *fmt, ...) SCR_PRINTF(1, 2);
/* Loads every plugin; exits 1 with a message if memory runs out. */
scr_registry *cli_load_plugins(int *failed);
/* Prints "out of memory" and exits 1. */
_Noreturn void cli_out_of_memory(void);

int cmd_convert(int argc, char **argv);

#endif
