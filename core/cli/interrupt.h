/* interrupt.h - SIGINT, SIGTERM and SIGHUP during a conversion: the first
 * asks the run to stop taking inputs, finish the files in progress and
 * write the manifest of what is done; a second ends the process at once
 * (its temporary files are removed by the next run). SIGPIPE is ignored,
 * so that a closed pipe on standard error (`2>&1 | head`) is a failed
 * write, not the end of the run (private to the CLI). */
#ifndef SCR_CLI_INTERRUPT_H
#define SCR_CLI_INTERRUPT_H

/* Installs the handlers. */
void interrupt_install(void);
/* The signal that asked the run to stop, or 0. */
int interrupt_signal(void);

#endif
