/* depend.c - content hashes (SHA-256 from nettle) and the files a reader
 * consulted besides its input (scr_doc_add_depend): what a host needs to
 * tell whether an output is up to date. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "scriptorium/util.h"

static void to_hex(const unsigned char *d, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[d[i] >> 4];
    out[2 * i + 1] = digits[d[i] & 15];
  }
  out[2 * n] = '\0';
}

void scr_sha256_hex(const void *data, size_t len, char out[65]) {
  struct sha256_ctx ctx;
  unsigned char d[SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  sha256_update(&ctx, len, (const uint8_t *)data);
  sha256_digest(&ctx, sizeof d, d);
  to_hex(d, sizeof d, out);
}

static int same_version(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
         a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
         a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Hashes an open regular file from offset 0 with pread; "?" if it is not
 * regular, cannot be read, or its version changed meanwhile. */
static int hash_fd(int fd, const struct stat *st, char out[65]) {
  strcpy(out, "?");
  if (!S_ISREG(st->st_mode)) return -1;
  struct sha256_ctx ctx;
  sha256_init(&ctx);
  unsigned char block[65536];
  off_t at = 0;
  for (;;) {
    ssize_t n = pread(fd, block, sizeof block, at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    sha256_update(&ctx, (size_t)n, block);
    at += n;
  }
  struct stat after;
  if (fstat(fd, &after) != 0 || !same_version(st, &after) || at != st->st_size) return -1;
  unsigned char d[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx, sizeof d, d);
  to_hex(d, sizeof d, out);
  return 0;
}

int scr_file_sha256(const char *path, char out[65]) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    strcpy(out, errno == ENOENT || errno == ENOTDIR ? "-" : "?");
    return -1;
  }
  struct stat st;
  int rc = fstat(fd, &st) == 0 ? hash_fd(fd, &st, out) : (strcpy(out, "?"), -1);
  close(fd);
  return rc;
}

/* One hash per version of a file per process: a corpus of thousands of
 * inputs beside one authority file hashes it once. A small table, behind a
 * mutex; when full, the oldest entry is replaced. */
enum { CACHE_MAX = 32 };
typedef struct cached {
  char *path;
  struct stat st;
  char sha[65];
} cached;
static cached cache[CACHE_MAX];
static size_t cache_next;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static void hash_cached(const char *path, int fd, char out[65]) {
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    strcpy(out, "?");
    return;
  }
  pthread_mutex_lock(&cache_lock);
  for (size_t i = 0; i < CACHE_MAX; i++)
    if (cache[i].path && same_version(&cache[i].st, &st) && strcmp(cache[i].path, path) == 0) {
      memcpy(out, cache[i].sha, 65);
      pthread_mutex_unlock(&cache_lock);
      return;
    }
  pthread_mutex_unlock(&cache_lock);
  if (hash_fd(fd, &st, out) != 0) return; /* "?" is not kept */
  char *copy = strdup(path);
  if (!copy) return;
  pthread_mutex_lock(&cache_lock);
  cached *slot = &cache[cache_next];
  cache_next = (cache_next + 1) % CACHE_MAX;
  free(slot->path);
  slot->path = copy;
  slot->st = st;
  memcpy(slot->sha, out, 65);
  pthread_mutex_unlock(&cache_lock);
}

int scr_doc_add_depend(scr_doc *doc, const char *path, int fd) {
  char sha[65];
  if (fd < 0)
    strcpy(sha, "-");
  else
    hash_cached(path, fd, sha);
  return scr__doc_push_depend(doc, path, sha);
}
