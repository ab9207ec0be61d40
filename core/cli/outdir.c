/* outdir.c - locking an output directory, clearing the temporary files of
 * dead runs, and syncing the outputs to disk. */
#define _GNU_SOURCE
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <scriptorium/scriptorium.h>

#include "diag.h"

static uint64_t name_hash(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

/* Takes a lock on bytes [start, start + 1) of fd; on conflict, prints who
 * holds it. 0 or -1. */
static int take(int fd, short type, off_t start, const char *dir) {
  struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = 1};
  if (fcntl(fd, F_SETLK, &fl) == 0) return 0;
  int e = errno;
  struct flock who = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = 1};
  if ((e == EACCES || e == EAGAIN) && fcntl(fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK)
    fprintf(stderr,
            "%s: error: the output directory '%s' is in use by another scriptorium run "
            "(pid %ld); wait for it to end, or write to another directory\n",
            program, dir, (long)who.l_pid);
  else if (e == EACCES || e == EAGAIN)
    fprintf(stderr, "%s: error: the output directory '%s' is in use by another run\n",
            program, dir);
  else
    fprintf(stderr, "%s: error: cannot lock the output directory '%s': %s\n", program, dir,
            strerror(e));
  return -1;
}

int outdir_lock(const char *dir, const char *shard_name) {
  char *path = NULL;
  if (asprintf(&path, "%s/.scriptorium.lock", dir) < 0) {
    fprintf(stderr, "%s: error: out of memory\n", program);
    return -1;
  }
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0666);
  if (fd < 0) {
    fprintf(stderr, "%s: error: cannot write to the output directory '%s': %s\n", program, dir,
            strerror(errno));
    free(path);
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    fprintf(stderr, "%s: error: the lock file '%s' is not a regular file\n", program, path);
    close(fd);
    free(path);
    return -1;
  }
  free(path);
  /* Byte 0: the directory; byte 1 + hash: one shard's manifest. */
  if (take(fd, shard_name ? F_RDLCK : F_WRLCK, 0, dir) ||
      (shard_name &&
       take(fd, F_WRLCK, (off_t)(1 + name_hash(shard_name) % ((uint64_t)1 << 40)), dir))) {
    close(fd);
    return -1;
  }
  return fd;
}

/* NAME.tmp-PID-N: the pid, or 0 if `name` is not such a file. */
static long temp_pid(const char *name) {
  const char *at = NULL;
  for (const char *p = strstr(name, SCR_TEMP_INFIX); p; p = strstr(p + 1, SCR_TEMP_INFIX))
    at = p;
  if (!at || at == name) return 0;
  const char *p = at + strlen(SCR_TEMP_INFIX);
  long pid = 0;
  const char *digits = p;
  while (*p >= '0' && *p <= '9' && pid < 100000000) pid = pid * 10 + (*p++ - '0');
  if (p == digits || *p++ != '-') return 0;
  const char *n = p;
  while (*p >= '0' && *p <= '9') p++;
  return p == n || *p ? 0 : pid;
}

size_t outdir_clean_temporaries(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  size_t removed = 0;
  long self = (long)getpid();
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    long pid = temp_pid(e->d_name);
    if (pid <= 0 || pid == self) continue;
    /* A live process may be another run writing here (a shard); the lock
     * keeps out every other run that could. */
    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
    struct stat st;
    if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
      continue;
    if (unlinkat(dirfd(d), e->d_name, 0) == 0) removed++;
  }
  closedir(d);
  return removed;
}

int outdir_sync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  int rc = fsync(fd);
  /* Some file systems cannot fsync a directory; that is not a failure. */
  if (rc && (errno == EINVAL || errno == EROFS)) rc = 0;
  close(fd);
  return rc;
}

int outdir_sync(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  int rc = syncfs(fd);
  close(fd);
  return rc ? rc : outdir_sync_dir(dir);
}
