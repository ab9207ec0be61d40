/* iofloor.c - the file-system floor of a corpus conversion, for bench.sh.
 *
 *     iofloor IN_DIR OUT_DIR RATIO
 *
 * Does what `scriptorium convert -O OUT_DIR IN_DIR` does around the
 * conversion itself, and nothing else: for every regular *.txt file in
 * IN_DIR (not recursive), read it whole, then write RATIO times as many
 * bytes to OUT_DIR/NAME.out the way Scriptorium writes every output (a
 * temporary file beside it, then a rename). No conversion can run faster
 * than this on the same machine; bench.sh prints it beside the real rows. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0) return -1;
    p += w, n -= (size_t)w;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: iofloor IN_DIR OUT_DIR RATIO\n");
    return 2;
  }
  double ratio = atof(argv[3]);
  DIR *d = opendir(argv[1]);
  if (!d || ratio <= 0) {
    perror(argv[1]);
    return 2;
  }
  size_t cap = 1 << 20;
  char *in = malloc(cap), *out = NULL;
  size_t outcap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t nl = strlen(e->d_name);
    if (e->d_name[0] == '.' || nl < 5 || strcmp(e->d_name + nl - 4, ".txt") != 0) continue;
    char path[4096], dst[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
      if (fd >= 0) close(fd);
      continue;
    }
    size_t len = 0, want = (size_t)st.st_size + 1;
    if (want > cap && !(in = realloc(in, cap = want))) return 1;
    for (ssize_t n; (n = read(fd, in + len, cap - len)) > 0;) len += (size_t)n;
    close(fd);
    size_t outlen = (size_t)((double)len * ratio);
    if (outlen > outcap) {
      if (!(out = realloc(out, outcap = outlen))) return 1;
      memset(out, 'x', outcap);
    }
    snprintf(dst, sizeof dst, "%s/%.*s.out", argv[2], (int)(nl - 4), e->d_name);
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", dst, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 || write_all(fd, out, outlen) || close(fd) || rename(tmp, dst)) {
      perror(tmp);
      return 1;
    }
  }
  closedir(d);
  free(in);
  free(out);
  return 0;
}
