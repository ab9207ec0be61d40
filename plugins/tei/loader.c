/* loader.c - what libxml2 may read on the TEI plugin's behalf: local
 * regular files only, never a URL, a FIFO, a device, a socket or a
 * directory.
 *
 * XML_PARSE_NONET does not cover every path in libxml2 2.9: a text XInclude
 * (parse="text") is fetched over http and ftp whatever the flags, and a
 * RELAX NG schema's externalRef and include are read with no flags at all.
 * Every one of these goes through the external entity loader, so the plugin
 * replaces it (xmlSetExternalEntityLoader) with tei_loader below, once
 * (pthread_once, from tei_init, which the plugin's init, the reader, the
 * writer and the validator call). The loader is process-global: any other
 * libxml2 user in the process gets the same rules, which only ever refuse.
 *
 * On top of those rules, a thread may set a scope (tei_io_enter): the TEI
 * reader's, and the validator's while the validated file itself is parsed,
 * refuse everything (nothing is loaded then; the loader is a second
 * fence); the validator's others keep what is read under one directory
 * (the validated file's while XIncludes are assembled; the schema's while
 * it is compiled). A scope also says where refusals are reported.
 *
 * A file is checked with stat before it is opened (a FIFO or a device is
 * never opened), then opened with O_NONBLOCK and O_NOFOLLOW by its real
 * path and checked again with fstat, so that a file swapped in between
 * cannot block the read. libxml2 reads it through callbacks on that file
 * descriptor, up to scr_max_input_size() bytes. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <libxml/xmlIO.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <scriptorium/scriptorium.h>

#include "tei.h"

/* The thread's scope, in a pthread key rather than a _Thread_local: in a
 * dlopen'ed module, glibc allocates a thread's _Thread_local block on its
 * first use and aborts the process if that allocation fails ("cannot
 * allocate memory for thread-local data"), which tests/oom finds. A key
 * below PTHREAD_KEY_2NDLEVEL_SIZE lives in the thread's own descriptor;
 * should setting it fail all the same, the loader fails closed: from then
 * on it refuses everything (`untracked`). */
static pthread_key_t scope_key;
static int have_key;
static atomic_int untracked;

static tei_io_scope *current(void) {
  return have_key ? pthread_getspecific(scope_key) : NULL;
}

static void set_current(tei_io_scope *scope) {
  if (!have_key || pthread_setspecific(scope_key, scope) != 0) atomic_store(&untracked, 1);
}

tei_io_scope *tei_io_enter(tei_io_scope *scope) {
  tei_io_scope *prev = current();
  set_current(scope);
  return prev;
}

void tei_io_leave(tei_io_scope *prev) { set_current(prev); }

static void why(char *buf, size_t size, const char *fmt, ...) SCR_PRINTF(3, 4);
static void why(char *buf, size_t size, const char *fmt, ...) {
  if (!buf || !size) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, size, fmt, ap);
  va_end(ap);
}

static const char *kind_of(mode_t m) {
  return S_ISDIR(m)    ? "a directory"
         : S_ISFIFO(m) ? "a FIFO"
         : S_ISCHR(m)  ? "a character device"
         : S_ISBLK(m)  ? "a block device"
         : S_ISSOCK(m) ? "a socket"
                       : "not a regular file";
}

/* The length of a URI scheme at the start of s ("http" in "http://"), or
 * 0: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" (RFC 3986). */
static size_t scheme_len(const char *s) {
  size_t i = 0;
  if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return 0;
  while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
         (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.')
    i++;
  return s[i] == ':' ? i : 0;
}

/* The local path a URI names (malloc'd), or NULL with the reason. */
static char *local_path(const char *uri, char *reason, size_t size) {
  size_t n = scheme_len(uri);
  if (n == 4 && strncasecmp(uri, "file", 4) == 0) {
    xmlURIPtr u = xmlParseURI(uri);
    char *path = NULL;
    if (!u || !u->path || u->path[0] != '/')
      why(reason, size, "not a file URL of an absolute path");
    else if (u->server && *u->server && strcmp(u->server, "localhost") != 0)
      why(reason, size, "a file URL on another host (%s)", u->server);
    else if (!(path = strdup(u->path)))
      why(reason, size, "out of memory");
    xmlFreeURI(u);
    return path;
  }
  if (n) {
    why(reason, size, "a URL (%.*s:); no URL is opened, only local files are read", (int)n,
        uri);
    return NULL;
  }
  /* A path, maybe %-escaped by libxml2's URI resolution: as it is if that
   * exists, else unescaped (as libxml2's own file loader does). */
  struct stat st;
  if (strchr(uri, '%') && lstat(uri, &st) != 0) {
    char *plain = xmlURIUnescapeString(uri, 0, NULL);
    if (plain) {
      char *copy = strdup(plain);
      xmlFree(plain);
      if (!copy) why(reason, size, "out of memory");
      return copy;
    }
  }
  char *copy = strdup(uri);
  if (!copy) why(reason, size, "out of memory");
  return copy;
}

char *tei_io_dir_of(const char *path) {
  if (!path) return NULL;
  const char *slash = strrchr(path, '/');
  if (!slash) return realpath(".", NULL);
  if (slash == path) return strdup("/");
  char *dir = strndup(path, (size_t)(slash - path));
  char *real = dir ? realpath(dir, NULL) : NULL;
  free(dir);
  return real;
}

static int is_under(const char *real, const char *dir) {
  size_t n = strlen(dir);
  if (n == 1 && dir[0] == '/') return real[0] == '/';
  return strncmp(real, dir, n) == 0 && real[n] == '/';
}

char *tei_io_check(const char *uri, const char *dir, const char *exempt, char *reason,
                   size_t size) {
  char *path = local_path(uri, reason, size);
  if (!path) return NULL;
  struct stat st;
  char *real = NULL;
  if (stat(path, &st) != 0) {
    why(reason, size, "cannot read it: %s", strerror(errno));
  } else if (!S_ISREG(st.st_mode)) {
    why(reason, size, "it is %s, not a regular file", kind_of(st.st_mode));
  } else if (!(real = realpath(path, NULL))) {
    why(reason, size, "cannot read it: %s", strerror(errno));
  } else if (dir && !(exempt && strcmp(real, exempt) == 0) && !is_under(real, dir)) {
    why(reason, size, "it is %s, outside %s", real, dir);
    free(real);
    real = NULL;
  } else if ((uint64_t)st.st_size > (uint64_t)scr_max_input_size()) {
    why(reason, size, "it is larger than the limit of %zu bytes (SCRIPTORIUM_MAX_INPUT)",
        scr_max_input_size());
    free(real);
    real = NULL;
  }
  free(path);
  return real;
}

/* The first byte of `data` XML 1.0 cannot carry (a C0 control other than
 * tab, line feed and carriage return; U+FFFE, U+FFFF; bytes that are not
 * UTF-8), or SIZE_MAX. Included files are read as UTF-8: libxml2 2.9.14
 * leaks what it allocated for an xi:include parse="text" whose file holds
 * such a character, so such a file is refused before libxml2 sees it. */
static size_t first_bad_char(const char *data, size_t n) {
  int bad = 0;
  size_t ok = scr_utf8_check(data, n, &bad);
  if (bad) return ok;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)data[i];
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return i;
    if (c == 0xEF && i + 2 < n && (unsigned char)data[i + 1] == 0xBF &&
        ((unsigned char)data[i + 2] == 0xBE || (unsigned char)data[i + 2] == 0xBF))
      return i;
  }
  return SIZE_MAX;
}

/* A checked file's bytes as libxml2 reads them: through callbacks, for
 * libxml2 2.9.14's XInclude reads text through them (a buffer made from
 * memory gives it nothing to read). */
typedef struct held {
  char *data;
  size_t len, at;
} held;

static int held_read(void *ctx, char *buf, int len) {
  held *h = ctx;
  size_t n = len > 0 ? (size_t)len : 0;
  if (n > h->len - h->at) n = h->len - h->at;
  memcpy(buf, h->data + h->at, n);
  h->at += n;
  return (int)n;
}

static int held_close(void *ctx) {
  held *h = ctx;
  free(h->data);
  free(h);
  return 0;
}

/* Opens a checked file: its input buffer (read whole, at most the largest
 * input, and checked), or NULL with the reason. */
static xmlParserInputBufferPtr open_checked(const char *real, char *reason, size_t size) {
  int fd = open(real, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    why(reason, size, "cannot read it: %s", strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    why(reason, size, "cannot read it: %s", strerror(errno));
    close(fd);
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) { /* swapped in since it was checked */
    why(reason, size, "it is %s, not a regular file", kind_of(st.st_mode));
    close(fd);
    return NULL;
  }
  size_t max = scr_max_input_size(), cap = (size_t)st.st_size + 1, len = 0;
  if (cap > max + 1) cap = max + 1;
  char *data = malloc(cap);
  if (!data) {
    why(reason, size, "out of memory");
    close(fd);
    return NULL;
  }
  for (;;) {
    if (len == cap) { /* grew since it was checked */
      if (cap > max) break;
      size_t nc = cap * 2 > max + 1 ? max + 1 : cap * 2;
      char *nd = realloc(data, nc);
      if (!nd) {
        why(reason, size, "out of memory");
        free(data);
        close(fd);
        return NULL;
      }
      data = nd, cap = nc;
    }
    ssize_t n = read(fd, data + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      why(reason, size, "cannot read it: %s", strerror(errno));
      free(data);
      close(fd);
      return NULL;
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  close(fd);
  xmlParserInputBufferPtr buf = NULL;
  size_t bad;
  if (len > max) {
    why(reason, size, "it is larger than the limit of %zu bytes (SCRIPTORIUM_MAX_INPUT)", max);
  } else if ((bad = first_bad_char(data, len)) != SIZE_MAX) {
    why(reason, size,
        "it is not UTF-8 text XML can carry (byte 0x%02X at offset %zu): an included file must be",
        (unsigned char)data[bad], bad);
  } else {
    held *h = malloc(sizeof *h);
    if (h) {
      h->data = data, h->len = len, h->at = 0;
      buf = xmlParserInputBufferCreateIO(held_read, held_close, h, XML_CHAR_ENCODING_NONE);
      if (buf) return buf; /* h and data are the buffer's now */
      free(h);
    }
    why(reason, size, "out of memory");
  }
  free(data);
  return buf;
}

static xmlParserInputPtr tei_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
  (void)id;
  /* the key may still hold a scope that is gone: not looked at */
  if (atomic_load(&untracked)) return NULL;
  tei_io_scope *s = current();
  char reason[512] = "";
  char *real = NULL;
  xmlParserInputBufferPtr buf = NULL;
  if (!url) why(reason, sizeof reason, "no system identifier");
  else if (s && s->deny_all) why(reason, sizeof reason, "%s", s->deny_all);
  else if ((real = tei_io_check(url, s ? s->dir : NULL, s ? s->exempt : NULL, reason,
                                sizeof reason)))
    buf = open_checked(real, reason, sizeof reason);
  free(real);
  if (buf) {
    xmlParserInputPtr in = xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE);
    if (!in) {
      xmlFreeParserInputBuffer(buf);
      return NULL;
    }
    /* what the default loader records: relative references in the file
     * are resolved against it, and the document's URL comes from it */
    in->filename = (char *)xmlCanonicPath((const xmlChar *)url);
    return in;
  }
  if (!s) return NULL;
  s->refused++;
  if (s->quiet) tei_io_flush(s); /* an earlier one no error followed */
  why(s->last, sizeof s->last, "refused to read '%s': %s", url ? url : "", reason);
  /* where libxml2 was: the document whose DTD or entity this is (an
   * XInclude's or a schema's own parser context has no input yet) */
  s->last_file[0] = '\0';
  s->last_line = 0;
  if (ctxt && ctxt->input && ctxt->input->filename) {
    why(s->last_file, sizeof s->last_file, "%s", ctxt->input->filename);
    s->last_line = ctxt->input->line > 0 ? (unsigned)ctxt->input->line : 0;
  }
  if (!s->quiet) tei_io_flush(s);
  return NULL;
}

void tei_io_flush(tei_io_scope *s) {
  if (!s || !s->last[0]) return;
  if (s->diag) {
    const char *file = scr_diag_file(s->diag);
    char *saved = NULL;
    if (s->last_file[0] && file && strcmp(s->last_file, file) != 0 &&
        (saved = strdup(file)) && scr_diag_set_file(s->diag, s->last_file) == 0)
      scr_diag_report(s->diag, SCR_ERROR, (scr_pos){s->last_line, 0, 0}, "io",
                      "%s (while validating %s)", s->last, saved);
    else
      scr_diag_report(s->diag, SCR_ERROR, (scr_pos){saved ? 0 : s->last_line, 0, 0}, "io",
                      "%s", s->last);
    if (saved) {
      scr_diag_set_file(s->diag, saved);
      free(saved);
    }
  }
  s->last[0] = '\0';
}

static xmlExternalEntityLoader previous;
static int installed;

void tei_io_install(void) {
  if (pthread_key_create(&scope_key, NULL) == 0) have_key = 1;
  else atomic_store(&untracked, 1);
  previous = xmlGetExternalEntityLoader();
  xmlSetExternalEntityLoader(tei_loader);
  installed = 1;
}

/* Plugins stay loaded in the CLI; a host that unloads this one must not
 * leave libxml2 calling into unmapped code. */
__attribute__((destructor)) static void tei_io_uninstall(void) {
  if (installed && xmlGetExternalEntityLoader() == tei_loader)
    xmlSetExternalEntityLoader(previous);
}
