/* interrupt.c - a first SIGINT/SIGTERM/SIGHUP asks the run to stop; a second
 * one stops it. */
#define _GNU_SOURCE
#include "interrupt.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

static atomic_int caught;

static void on_signal(int sig) {
  if (atomic_exchange(&caught, sig)) {
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  static const char msg[] =
      "\nscriptorium: interrupted: finishing the files in progress and writing the "
      "manifest (interrupt again to stop at once)\n";
  ssize_t n = write(2, msg, sizeof msg - 1);
  (void)n;
}

void interrupt_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
}

int interrupt_signal(void) { return atomic_load(&caught); }
