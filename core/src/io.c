/* io.c - reading inputs whole, writing outputs atomically, and running a
 * reader over an input. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scriptorium/scriptorium.h"

static const scr_pos nopos = {0, 0, 0};

/* SCRIPTORIUM_MAX_INPUT: a decimal number of bytes from 1 to 2^40; anything
 * else (a sign, a suffix, 0, an overflow) is not a limit (the CLI refuses
 * it with a usage error before reading anything, see scr_max_input_env). */
int scr_max_input_env(size_t *out) {
  const char *env = getenv("SCRIPTORIUM_MAX_INPUT");
  *out = (size_t)256 * 1024 * 1024;
  if (!env) return 0;
  unsigned long long v = 0;
  if (!*env) return -1;
  for (const char *p = env; *p; p++) {
    if (*p < '0' || *p > '9') return -1;
    v = v * 10 + (unsigned)(*p - '0');
    if (v > (1ULL << 40)) return -1;
  }
  if (v == 0) return -1;
  *out = (size_t)v;
  return 0;
}

size_t scr_max_input_size(void) {
  size_t v;
  scr_max_input_env(&v);
  return v;
}

static int read_fd(int fd, const char *path, size_t hint, char **out,
                   size_t *outlen, scr_diag *diag) {
  size_t max = scr_max_input_size();
  size_t cap = hint ? hint + 1 : 65536, len = 0;
  if (cap > max + 1) cap = max + 1;
  char *buf = malloc(cap + 1);
  if (!buf) goto oom;
  for (;;) {
    if (len == cap) {
      if (len > max) break;
      size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
      char *grown = realloc(buf, ncap + 1);
      if (!grown) goto oom;
      buf = grown;
      cap = ncap;
    }
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0) {
      if (errno == EINTR) continue;
      scr_diag_report(diag, SCR_ERROR, nopos, "io", "cannot read: %s",
                      strerror(errno));
      free(buf);
      return -1;
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  if (len > max) {
    scr_diag_report(diag, SCR_ERROR, nopos, "too-large",
                    "input is larger than the limit of %zu bytes (set "
                    "SCRIPTORIUM_MAX_INPUT to raise it)",
                    max);
    free(buf);
    return -1;
  }
  buf[len] = '\0';
  *out = buf;
  *outlen = len;
  (void)path;
  return 0;
oom:
  free(buf);
  scr_diag_report(diag, SCR_ERROR, nopos, "oom", "out of memory");
  return -1;
}

int scr_file_read(const char *path, char **out, size_t *len, scr_diag *diag) {
  *out = NULL;
  *len = 0;
  if (strcmp(path, "-") == 0) return read_fd(0, path, 0, out, len, diag);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    scr_diag_report(diag, SCR_ERROR, nopos, "io", "cannot open: %s",
                    strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    scr_diag_report(diag, SCR_ERROR, nopos, "io",
                    "is a directory, not a file");
    close(fd);
    return -1;
  }
  int rc = read_fd(fd, path, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0,
                   out, len, diag);
  close(fd);
  return rc;
}

static int write_all(int fd, const char *data, size_t len) {
  while (len) {
    ssize_t n = write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    data += n;
    len -= (size_t)n;
  }
  return 0;
}

struct scr_outfile {
  int fd;
  int direct;      /* stdout or a device the caller named: no temporary file */
  unsigned flags;
  char *path;
  char tmp[PATH_MAX];
};

scr_outfile *scr_outfile_open(const char *path, scr_diag *diag) {
  return scr_outfile_open_ex(path, 0, diag);
}

scr_outfile *scr_outfile_open_ex(const char *path, unsigned flags, scr_diag *diag) {
  scr_outfile *f = calloc(1, sizeof *f);
  if (!f || !(f->path = strdup(path))) {
    free(f);
    scr_diag_report(diag, SCR_ERROR, nopos, "oom", "out of memory");
    return NULL;
  }
  f->flags = flags;
  if (strcmp(path, "-") == 0) {
    f->fd = 1;
    f->direct = 1;
    return f;
  }
  /* What is at the final path now, the link itself if it is one: an output
   * is never opened for writing where it stands. A regular file or a
   * symbolic link is replaced by the rename (the link, not what it points
   * at); a directory, device, pipe or socket is refused, unless the caller
   * named a device or pipe itself (SCR_OUTFILE_DEVICE, as `-o /dev/null`). */
  struct stat st;
  if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) {
      scr_diag_report(diag, SCR_ERROR, nopos, "io", "cannot write '%s': it is a directory",
                      path);
      goto fail;
    }
    if (!(flags & SCR_OUTFILE_DEVICE)) {
      scr_diag_report(diag, SCR_ERROR, nopos, "io",
                      "refusing to write '%s': it is not a regular file (a device, pipe "
                      "or socket stands there)",
                      path);
      goto fail;
    }
  }
  if ((flags & SCR_OUTFILE_DEVICE) && stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
      !S_ISDIR(st.st_mode)) {
    /* A device (/dev/full, /dev/null) or a pipe the caller named: it
     * cannot be replaced by a rename, so it is written directly. */
    f->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    f->direct = 1;
    if (f->fd < 0) {
      scr_diag_report(diag, SCR_ERROR, nopos, "io", "cannot write '%s': %s",
                      path, strerror(errno));
      goto fail;
    }
    return f;
  }
  /* The temporary file is created with the usual 0666 & ~umask mode, beside
   * the target so that the rename stays on one file system; O_EXCL and
   * O_NOFOLLOW: never an existing file or a link planted under its name. */
  static atomic_uint counter;
  /* getpid once per process, not once per output (a syscall each; glibc
   * does not cache it); the counter and O_EXCL keep names apart anyway */
  static atomic_long pid;
  long self = atomic_load(&pid);
  if (!self) atomic_store(&pid, self = (long)getpid());
  f->fd = -1;
  for (int attempt = 0; f->fd < 0 && attempt < 100; attempt++) {
    if (snprintf(f->tmp, sizeof f->tmp, "%s" SCR_TEMP_INFIX "%ld-%u", path, self,
                 atomic_fetch_add(&counter, 1)) >= (int)sizeof f->tmp) {
      scr_diag_report(diag, SCR_ERROR, nopos, "io", "output path is too long");
      goto fail;
    }
    f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (f->fd < 0 && errno != EEXIST) break;
  }
  if (f->fd < 0) {
    scr_diag_report(diag, SCR_ERROR, nopos, "io", "cannot write '%s': %s",
                    path, strerror(errno));
    goto fail;
  }
  return f;
fail:
  free(f->path);
  free(f);
  return NULL;
}

int scr_outfile_write(scr_outfile *f, const char *data, size_t len,
                      scr_diag *diag) {
  if (write_all(f->fd, data, len)) {
    scr_diag_report(diag, SCR_ERROR, nopos, "io", "cannot write '%s': %s",
                    strcmp(f->path, "-") == 0 ? "standard output" : f->path,
                    strerror(errno));
    return -1;
  }
  return 0;
}

void scr_outfile_abort(scr_outfile *f) {
  if (!f) return;
  if (!f->direct) {
    close(f->fd);
    unlink(f->tmp);
  } else if (f->fd > 2) {
    close(f->fd);
  }
  free(f->path);
  free(f);
}

int scr_outfile_commit(scr_outfile *f, scr_diag *diag) {
  int rc = 0;
  if (f->direct) {
    if (f->fd > 2 && close(f->fd)) {
      scr_diag_report(diag, SCR_ERROR, nopos, "io", "cannot write '%s': %s",
                      f->path, strerror(errno));
      rc = -1;
    }
  } else if (((f->flags & SCR_OUTFILE_SYNC) && fdatasync(f->fd)) || close(f->fd) ||
             rename(f->tmp, f->path)) {
    int e = errno;
    unlink(f->tmp);
    scr_diag_report(diag, SCR_ERROR, nopos, "io", "cannot write '%s': %s",
                    f->path, strerror(e));
    rc = -1;
  }
  free(f->path);
  free(f);
  return rc;
}

int scr_file_write_atomic(const char *path, const char *data, size_t len,
                          scr_diag *diag) {
  scr_outfile *f = scr_outfile_open(path, diag);
  if (!f) return -1;
  if (scr_outfile_write(f, data, len, diag)) {
    scr_outfile_abort(f);
    return -1;
  }
  return scr_outfile_commit(f, diag);
}

int scr_read_bytes(const scr_reader *reader, const char *path, char *data,
                   size_t len, const scr_options *opts, scr_diag *diag,
                   scr_doc **out) {
  *out = NULL;
  scr_doc *doc = scr_doc_new();
  if (!doc) {
    free(data);
    scr_diag_report(diag, SCR_ERROR, nopos, "oom", "out of memory");
    return -1;
  }
  scr_doc_take_source(doc, data, len);
  scr_doc_set_meta(doc, SCR_META_FORMAT, reader->format, strlen(reader->format));
  if (path && strcmp(path, "-") != 0)
    scr_doc_set_meta(doc, SCR_META_SOURCE, path, strlen(path));
  scr_input in = {sizeof in, path ? path : "-", data, len};
  size_t errors = scr_diag_count(diag, SCR_ERROR);
  if (reader->read(doc, &in, opts, diag) != 0 ||
      scr_diag_count(diag, SCR_ERROR) > errors) {
    if (scr_diag_count(diag, SCR_ERROR) == errors)
      scr_diag_report(diag, SCR_ERROR, nopos, "read",
                      "the '%s' reader failed without saying why",
                      reader->format);
    scr_doc_free(doc);
    return -1;
  }
  *out = doc;
  return 0;
}

int scr_write(const scr_writer *writer, const scr_doc *doc, scr_buf *out,
              const scr_options *opts, scr_diag *diag) {
  size_t errors = scr_diag_count(diag, SCR_ERROR), len = out->len;
  if (writer->write(doc, out, opts, diag) == 0 && scr_diag_count(diag, SCR_ERROR) == errors)
    return 0;
  if (scr_diag_count(diag, SCR_ERROR) == errors)
    scr_diag_report(diag, SCR_ERROR, nopos, "write", "the '%s' writer failed without saying why",
                    writer->format);
  if (out->len > len) out->len = len, out->data[len] = '\0';
  return -1;
}

int scr_read_path(const scr_reader *reader, const char *path,
                  const scr_options *opts, scr_diag *diag, scr_doc **out) {
  char *data;
  size_t len;
  *out = NULL;
  if (scr_file_read(path, &data, &len, diag)) return -1;
  return scr_read_bytes(reader, path, data, len, opts, diag, out);
}
