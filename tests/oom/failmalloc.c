/* failmalloc.c - an LD_PRELOAD shim that makes allocations fail on demand,
 * for the out-of-memory test (tests/oom/failmalloc.sh).
 *
 * Environment:
 *   FAILMALLOC_N=K       the K-th allocation (1-based, counted from when
 *                        the shim is loaded) fails; 0 or unset: none fails
 *   FAILMALLOC_MODE=once only that one fails (the default: a program
 *                        that recovers carries on)
 *   FAILMALLOC_MODE=after that one and every later one fails (memory is
 *                        gone for good, as under ulimit -v)
 *   FAILMALLOC_COUNT=FILE at exit, the number of allocations made is
 *                        written to FILE (counting mode)
 *   FAILMALLOC_BACKTRACE=1 on SIGSEGV, SIGBUS or SIGABRT, print a
 *                        backtrace to stderr first (glibc's backtrace)
 *
 * Every allocation counts: malloc, calloc, realloc (also realloc(NULL, n);
 * realloc(p, 0) frees and is not counted), and the aligned ones. strdup,
 * asprintf, fopen and the like go through malloc inside glibc, which calls
 * the interposed symbol, and so do libxml2 and libyaml. A failing call
 * returns NULL with errno ENOMEM, as glibc's does. The real allocator is
 * glibc's, reached through its __libc_* entry points (no dlsym, which
 * itself allocates). The counter is atomic: with threads, which allocation
 * is the K-th is not fixed, but exactly one (or all from then on) fails. */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static atomic_ulong calls;
static unsigned long fail_at; /* 0: never */
static int fail_after;        /* every call from fail_at on fails */
static int armed;

static unsigned long parse(const char *s) {
  unsigned long v = 0;
  for (; s && *s >= '0' && *s <= '9'; s++) v = v * 10 + (unsigned long)(*s - '0');
  return v;
}

static void on_crash(int sig) {
  void *frames[64];
  int n = backtrace(frames, 64);
  backtrace_symbols_fd(frames, n, 2);
  signal(sig, SIG_DFL);
  raise(sig);
}

__attribute__((constructor)) static void failmalloc_init(void) {
  const char *bt = getenv("FAILMALLOC_BACKTRACE");
  if (bt && *bt == '1') {
    void *frames[1];
    backtrace(frames, 1); /* loads libgcc_s now, not in the handler */
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGABRT, on_crash);
  }
  fail_at = parse(getenv("FAILMALLOC_N"));
  const char *mode = getenv("FAILMALLOC_MODE");
  fail_after = mode && strcmp(mode, "after") == 0;
  atomic_store(&calls, 0);
  armed = 1;
}

/* Writes the count without stdio (which may allocate) at exit. */
__attribute__((destructor)) static void failmalloc_fini(void) {
  const char *path = getenv("FAILMALLOC_COUNT");
  if (!path || !*path) return;
  char buf[32];
  int n = snprintf(buf, sizeof buf, "%lu\n", atomic_load(&calls));
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return;
  if (n > 0 && write(fd, buf, (size_t)n) < 0) { /* nothing to do */
  }
  close(fd);
}

/* Called for each allocation made to fail: a place for a debugger's
 * breakpoint (gdb -ex 'break failmalloc_failed'). */
__attribute__((noinline)) void failmalloc_failed(unsigned long k);
__attribute__((noinline)) void failmalloc_failed(unsigned long k) {
  __asm__ volatile("" : : "r"(k) : "memory");
}

/* Non-zero if this allocation is to fail. */
static int fail_now(void) {
  if (!armed) return 0;
  unsigned long k = atomic_fetch_add(&calls, 1) + 1;
  if (!fail_at || (fail_after ? k < fail_at : k != fail_at)) return 0;
  failmalloc_failed(k);
  return 1;
}

void *malloc(size_t n) {
  if (fail_now()) return errno = ENOMEM, NULL;
  return __libc_malloc(n);
}

void *calloc(size_t n, size_t size) {
  if (fail_now()) return errno = ENOMEM, NULL;
  return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n) {
  if (p && n == 0) return __libc_realloc(p, 0);
  if (fail_now()) return errno = ENOMEM, NULL;
  return __libc_realloc(p, n);
}

void free(void *p) { __libc_free(p); }

void *memalign(size_t align, size_t n) {
  if (fail_now()) return errno = ENOMEM, NULL;
  return __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n) { return memalign(align, n); }

int posix_memalign(void **out, size_t align, size_t n) {
  if (align < sizeof(void *) || (align & (align - 1))) return EINVAL;
  void *p = memalign(align, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}

void *valloc(size_t n) { return memalign((size_t)sysconf(_SC_PAGESIZE), n); }

void *pvalloc(size_t n) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  return memalign(page, (n + page - 1) / page * page);
}
