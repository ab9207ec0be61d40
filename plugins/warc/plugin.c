/* plugin.c - the warc plugin: web archives (ISO 28500 WARC 1.0 and 1.1,
 * plain or gzip) as archives of documents: every `response` (or `resource`)
 * record of an HTML page is a member, read by the html reader. docs/warc.md.
 *
 * Listing reads each record's header and first bytes and drops the rest;
 * loading goes to the record again (the start of its gzip member, then
 * forward), checks its block and payload digests, and gives the page as
 * the server sent it with transfer and content codings undone. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <scriptorium/scriptorium.h>

#include "http.h"
#include "record.h"
#include "source.h"

static const scr_pos nopos = {0, 0, 0};

typedef struct seen {
  char **v;
  size_t len, cap;
} seen;

typedef struct state {
  int fd;
  char *path;
  warc_source *src;
  warc_reader *rd;
  size_t max;
  /* listing */
  warc_record rec;
  seen names;       /* names given so far (a URI fetched twice is two members) */
  char *name, *error_text;
  const char *meta[16];
  char *meta_text[8];
  char digest_note[160], record_note[200];
  size_t passed; /* records that are not pages */
  /* loading: where the source stands */
  int loaded_any;
  uint64_t member; /* the gzip member (file offset) the source is in */
} state;

static void *warc_open(const char *path, scr_diag *diag) {
  state *s = calloc(1, sizeof *s);
  if (!s) goto oom;
  s->fd = open(path, O_RDONLY | O_CLOEXEC);
  if (s->fd < 0) {
    scr_diag_report(diag, SCR_ERROR, nopos, "open", "cannot open the archive: %s", strerror(errno));
    free(s);
    return NULL;
  }
  s->path = strdup(path);
  s->max = scr_max_input_size();
  s->src = warc_source_new(s->fd);
  s->rd = s->src ? warc_reader_new(s->src, s->max) : NULL;
  if (!s->path || !s->rd) {
    warc_source_free(s->src);
    close(s->fd);
    free(s->path);
    free(s);
    goto oom;
  }
  return s;
oom:
  scr_diag_report(diag, SCR_ERROR, nopos, "oom", "out of memory");
  return NULL;
}

static void free_listed(state *s) {
  warc_record_clear(&s->rec);
  free(s->name);
  s->name = NULL;
  free(s->error_text);
  s->error_text = NULL;
  for (size_t i = 0; i < sizeof s->meta_text / sizeof *s->meta_text; i++) {
    free(s->meta_text[i]);
    s->meta_text[i] = NULL;
  }
}

static void warc_close(void *p) {
  state *s = p;
  if (!s) return;
  free_listed(s);
  for (size_t i = 0; i < s->names.len; i++) free(s->names.v[i]);
  free(s->names.v);
  warc_reader_free(s->rd);
  warc_source_free(s->src);
  close(s->fd);
  free(s->path);
  free(s);
}

/* What listing learns of a record from its first bytes. */
typedef struct look {
  int page;     /* a response or resource of an HTML page */
  int status;   /* its HTTP status (0: a resource, no HTTP) */
  char media[128];
} look;

static int is_html(const char *media) {
  return !strcmp(media, "text/html") || !strcmp(media, "application/xhtml+xml");
}

static int look_at(const warc_record *r, const char *peek, size_t n, void *user) {
  look *l = user;
  memset(l, 0, sizeof *l);
  const char *type = warc_field(r, "WARC-Type");
  if (!type) return 0;
  if (!strcasecmp(type, "response")) {
    http_response h;
    char err[128];
    if (http_parse(peek, n, &h, err, sizeof err) != 0) return 0;
    l->status = h.status;
    snprintf(l->media, sizeof l->media, "%s", h.media_type);
    l->page = h.status >= 200 && h.status < 300 && is_html(h.media_type);
  } else if (!strcasecmp(type, "resource")) {
    const char *ct = warc_field(r, "Content-Type");
    size_t k = 0;
    while (ct && ct[k] && ct[k] != ';' && ct[k] != ' ' && k + 1 < sizeof l->media) {
      l->media[k] = (char)(ct[k] >= 'A' && ct[k] <= 'Z' ? ct[k] + 32 : ct[k]);
      k++;
    }
    l->media[k] = '\0';
    l->page = is_html(l->media);
  }
  return 0; /* listing never holds a block */
}

/* Adds `name` to the names given; 1 if it was there, -1 on OOM. */
static int seen_add(seen *set, const char *name) {
  for (size_t i = 0; i < set->len; i++)
    if (!strcmp(set->v[i], name)) return 1;
  if (set->len == set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 64;
    char **nv = realloc(set->v, cap * sizeof *nv);
    if (!nv) return -1;
    set->v = nv, set->cap = cap;
  }
  if (!(set->v[set->len] = strdup(name))) return -1;
  set->len++;
  return 0;
}

static int warc_next_member(void *p, scr_member *m, scr_diag *diag) {
  state *s = p;
  for (;;) {
    free_listed(s);
    look l;
    int rc = warc_next(s->rd, &s->rec, look_at, &l);
    if (rc == 0) return 0;
    if (rc == -2) {
      scr_diag_report(diag, SCR_ERROR, nopos, "warc", "%s (after record %zu; gzip member at byte %llu)",
                      warc_reader_error(s->rd), s->rec.index,
                      (unsigned long long)warc_source_member_offset(s->src));
      return -1;
    }
    memset(m, 0, sizeof *m);
    m->struct_size = sizeof *m;
    uint64_t rel = s->rec.offset - (warc_source_gzip(s->src) ? warc_source_member_start(s->src) : 0);
    m->pos[0] = warc_source_gzip(s->src) ? s->rec.member_offset : s->rec.offset;
    m->pos[1] = warc_source_gzip(s->src) ? rel : 0;
    char buf[160];
    if (rc == -1) {
      /* a damaged record: a member of its own, that fails */
      snprintf(buf, sizeof buf, "record %zu (byte %llu)", s->rec.index,
               (unsigned long long)(warc_source_gzip(s->src) ? s->rec.member_offset : s->rec.offset));
      s->name = strdup(buf);
      s->error_text = strdup(s->rec.kept);
      if (!s->name || !s->error_text) goto oom;
      m->name = s->name;
      m->error = s->error_text;
      return 1;
    }
    if (!l.page) {
      s->passed++;
      continue;
    }
    const char *uri = warc_field(&s->rec, "WARC-Target-URI");
    if (uri && *uri == '<') uri++; /* WARC 1.0's <uri> form */
    if (uri) {
      s->name = strdup(uri);
      if (s->name && *s->name && s->name[strlen(s->name) - 1] == '>') s->name[strlen(s->name) - 1] = '\0';
      if (s->name && !*s->name) { /* an empty URI names nothing */
        free(s->name);
        s->name = NULL;
        uri = NULL;
      }
    }
    if (!uri) {
      snprintf(buf, sizeof buf, "record %zu", s->rec.index);
      s->name = strdup(buf);
    }
    if (!s->name) goto oom;
    int again = seen_add(&s->names, s->name);
    if (again < 0) goto oom;
    if (again) { /* fetched twice: the second is a member of its own */
      size_t n = strlen(s->name) + 32;
      char *two = malloc(n);
      if (!two) goto oom;
      snprintf(two, n, "%s (record %zu)", s->name, s->rec.index);
      free(s->name);
      s->name = two;
      if (seen_add(&s->names, two) < 0) goto oom;
    }
    m->name = s->name;
    m->size = s->rec.content_length;
    m->format = "html";
    if (s->rec.content_length > s->max) {
      snprintf(buf, sizeof buf, "the record is %llu bytes, more than the largest input (%zu bytes)",
               (unsigned long long)s->rec.content_length, s->max);
      if (!(s->error_text = strdup(buf))) goto oom;
      m->error = s->error_text;
    }
    /* what the record says of the page: its URI, when and as what it was
     * captured (notes until the tree has fields for them) */
    size_t k = 0;
    if (uri) s->meta[k++] = "source", s->meta[k++] = s->name;
    const char *date = warc_field(&s->rec, "WARC-Date");
    if (date) s->meta[k++] = "retrieved", s->meta[k++] = date;
    const char *id = warc_field(&s->rec, "WARC-Record-ID");
    const char *slash = strrchr(s->path, '/');
    snprintf(s->record_note, sizeof s->record_note, "%s in %s", id ? id : "(no WARC-Record-ID)",
             slash ? slash + 1 : s->path);
    s->meta[k++] = "WARC record";
    s->meta[k++] = s->record_note;
    const char *pd = warc_field(&s->rec, "WARC-Payload-Digest");
    if (pd) {
      snprintf(s->digest_note, sizeof s->digest_note, "%s (checked when read)", pd);
      s->meta[k++] = "payload digest";
      s->meta[k++] = s->digest_note;
    }
    s->meta[k] = NULL;
    m->meta = s->meta;
    return 1;
  }
oom:
  scr_diag_report(diag, SCR_ERROR, nopos, "oom", "out of memory");
  return -1;
}

static int hold_all(const warc_record *r, const char *peek, size_t n, void *user) {
  (void)r, (void)peek, (void)n, (void)user;
  return 1;
}

static int warc_load(void *p, const uint64_t pos[2], char **data, size_t *len, scr_diag *diag) {
  state *s = p;
  *data = NULL;
  *len = 0;
  /* forward within the member the source is in, else from its start */
  uint64_t here = warc_source_offset(s->src);
  int gz = s->loaded_any && warc_source_gzip(s->src);
  if (!(gz && s->member == pos[0] && here <= pos[1])) {
    if (warc_source_seek(s->src, pos[0]) != 0) {
      scr_diag_report(diag, SCR_ERROR, nopos, "warc", "%s", warc_source_error(s->src));
      return -1;
    }
    here = 0;
  }
  s->loaded_any = 1;
  s->member = pos[0];
  char skip[8192];
  while (here < pos[1]) {
    size_t k = pos[1] - here < sizeof skip ? (size_t)(pos[1] - here) : sizeof skip;
    long got = warc_source_read(s->src, skip, k);
    if (got <= 0) {
      scr_diag_report(diag, SCR_ERROR, nopos, "warc", "the record is no longer where it was: %s",
                      got < 0 ? warc_source_error(s->src) : "the archive ends before it");
      return -1;
    }
    here += (uint64_t)got;
  }
  warc_reader *rd = warc_reader_new(s->src, s->max);
  if (!rd) goto oom;
  warc_record r;
  int rc = warc_next(rd, &r, hold_all, NULL);
  int result = -1;
  if (rc != 1) {
    scr_diag_report(diag, SCR_ERROR, nopos, "warc", "the record cannot be read again: %s",
                    rc == -1 ? r.kept : rc == 0 ? "the archive ends" : warc_reader_error(rd));
    goto done;
  }
  if (!r.held) {
    scr_diag_report(diag, SCR_ERROR, nopos, "too-large",
                    "the record is %llu bytes, more than the largest input (%zu bytes)",
                    (unsigned long long)r.content_length, s->max);
    goto done;
  }
  if (r.digest < 0) {
    scr_diag_report(diag, SCR_ERROR, nopos, "digest",
                    "the record's block does not match its WARC-Block-Digest (%s): the archive is "
                    "damaged", warc_field(&r, "WARC-Block-Digest"));
    goto done;
  }
  const char *type = warc_field(&r, "WARC-Type");
  if (type && !strcasecmp(type, "resource")) {
    *data = r.block; /* the page itself */
    *len = r.block_len;
    r.block = NULL;
    result = 0;
    goto done;
  }
  http_response h;
  char err[256];
  if (http_parse(r.block, r.block_len, &h, err, sizeof err) != 0) {
    scr_diag_report(diag, SCR_ERROR, nopos, "http", "%s", err);
    goto done;
  }
  const char *body = r.block + h.head_len;
  size_t blen = r.block_len - h.head_len;
  if (warc_digest_of(warc_field(&r, "WARC-Payload-Digest"), body, blen) < 0) {
    scr_diag_report(diag, SCR_ERROR, nopos, "digest",
                    "the page does not match the record's WARC-Payload-Digest (%s): the archive "
                    "is damaged", warc_field(&r, "WARC-Payload-Digest"));
    goto done;
  }
  char *decoded;
  size_t dlen;
  int d = http_decode(&h, body, blen, s->max, &decoded, &dlen, err, sizeof err);
  if (d == -3) {
    warc_record_clear(&r);
    warc_reader_free(rd);
    goto oom;
  }
  if (d == -2) {
    scr_diag_report(diag, SCR_ERROR, nopos, "too-large",
                    "the page is larger than the largest input (%zu bytes) once decoded", s->max);
    goto done;
  }
  if (d < 0) {
    scr_diag_report(diag, SCR_ERROR, nopos, "http", "%s", err);
    goto done;
  }
  if (d == 1) { /* as stored: the block's tail is the page */
    memmove(r.block, body, blen);
    r.block[blen] = '\0';
    *data = r.block;
    *len = blen;
    r.block = NULL;
  } else {
    *data = decoded;
    *len = dlen;
  }
  result = 0;
done:
  warc_record_clear(&r);
  warc_reader_free(rd);
  return result;
oom:
  scr_diag_report(diag, SCR_ERROR, nopos, "oom", "out of memory");
  return -1;
}

static const char *const extensions[] = {"warc", "warc.gz", NULL};

static const scr_archive warc_archive = {
    .struct_size = sizeof(scr_archive),
    .format = "warc",
    .description = "web archive (WARC 1.0/1.1, plain or gzip): each HTML page a document",
    .extensions = extensions,
    .open = warc_open,
    .next = warc_next_member,
    .load = warc_load,
    .close = warc_close,
};

static const scr_archive *const archives[] = {&warc_archive, NULL};

static const scr_plugin plugin = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = "warc",
    .version = "0.1.0",
    .description = "web archives (WARC): the pages they hold, as documents",
    .archives = archives,
};

SCR_PLUGIN_DEFINE(plugin)
