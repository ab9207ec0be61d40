/* validator.c - validates TEI files: RELAX NG (the project's schema by
 * default, compiled once for every file), then the references a schema
 * cannot check: every @who/@ref/@next/@prev (and the other pointers the
 * writer uses) must name an xml:id of the same file.
 *
 * Parsing is safe: no network (XML_PARSE_NONET), no DTD loaded, no entity
 * substituted, and a DOCTYPE that declares entities is refused. libxml2 also
 * keeps its default depth limit (256), so nothing here recurses deeply.
 * XIncludes (a corpus includes its documents' text) are assembled before
 * validation from regular files under the validated file's directory only:
 * each is checked here first (check_includes), and the plugin's entity
 * loader (loader.c) enforces the same for what those files include in turn,
 * as it does for the schema's own include/externalRef (regular files under
 * the schema's directory). Nothing is fetched: no URL is ever opened. */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xinclude.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tei.h"

#define TEI_NS "http://www.tei-c.org/ns/1.0"
#define XML_NS "http://www.w3.org/XML/1998/namespace"
#define XI_NS "http://www.w3.org/2001/XInclude"
#define XI_OLD_NS "http://www.w3.org/2003/XInclude" /* libxml2 honours it too */

typedef struct validator {
  xmlRelaxNGPtr schema;
  char *path;
} validator;

typedef struct report_ctx {
  scr_diag *diag;
  size_t errors;
  tei_io_scope *scope; /* while XIncludes are assembled or the schema is
                       * compiled: the loader's refusals */
} report_ctx;

/* libxml2's errors, as FILE:LINE: message (the diag knows the file; an
 * error in an included file names that file). */
static void on_error(void *user, xmlErrorPtr err) {
  report_ctx *r = user;
  if (!err || !err->message) return;
  size_t len = strlen(err->message);
  while (len && (err->message[len - 1] == '\n' || err->message[len - 1] == ' ')) len--;
  scr_severity sev = err->level >= XML_ERR_ERROR ? SCR_ERROR : SCR_WARNING;
  if (sev == SCR_ERROR) r->errors++;
  scr_pos pos = {err->line > 0 ? (uint32_t)err->line : 0, 0, 0};
  const char *file = scr_diag_file(r->diag);
  char *saved = NULL;
  if (err->file && file && strcmp(err->file, file) != 0 && (saved = strdup(file)))
    scr_diag_set_file(r->diag, err->file);
  if (r->scope && r->scope->last[0] && err->domain == XML_FROM_XINCLUDE) {
    /* "could not load X": the loader refused it; say why, on this line */
    if (saved)
      scr_diag_report(r->diag, SCR_ERROR, pos, "xinclude", "%s (while validating %s)",
                      r->scope->last, saved);
    else
      scr_diag_report(r->diag, SCR_ERROR, pos, "xinclude", "%s", r->scope->last);
    r->scope->last[0] = '\0';
  } else if (r->scope && r->scope->refused && err->domain == XML_FROM_RELAXNGP) {
    /* The schema's include or externalRef the loader refused: libxml2's
     * "could not load X" (no line), then "Failed to load externalRef X" on
     * the element's line, then what the grammar lacks without it. The
     * refusal is said once, on the first line given; the rest follows
     * from it and is not repeated. */
    if (r->scope->last[0] && pos.line) {
      scr_diag_report(r->diag, SCR_ERROR, pos, "schema", "%s", r->scope->last);
      r->scope->last[0] = '\0';
    }
  } else {
    scr_diag_report(r->diag, sev, pos,
                    err->domain == XML_FROM_RELAXNGV ? "schema" : "xml", "%.*s", (int)len,
                    err->message);
  }
  if (saved) {
    scr_diag_set_file(r->diag, saved);
    free(saved);
  }
}

int tei_probe(const char *data, size_t len) {
  size_t i = 0;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
  while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
    i++;
  if (i >= len || data[i] != '<') return 0;
  int ns = 0, root = 0;
  static const char nsname[] = TEI_NS;
  for (size_t j = i; j < len; j++) {
    if (!ns && len - j >= sizeof nsname - 1 && memcmp(data + j, nsname, sizeof nsname - 1) == 0)
      ns = 1;
    if (!root && data[j] == '<' &&
        ((len - j >= 5 && memcmp(data + j, "<TEI", 4) == 0 &&
          strchr(" \t\r\n>/", data[j + 4])) ||
         (len - j >= 10 && memcmp(data + j, "<teiCorpus", 10) == 0)))
      root = 1;
  }
  return ns && root ? 90 : ns ? 60 : root ? 40 : 0;
}

/* The project schema: installed beside the plugin (share/scriptorium/
 * schemas), else in the source tree the plugin was built from. */
static const char anchor; /* an address inside the plugin, for dladdr */

static const char *default_schema(char *buf, size_t size) {
  Dl_info info;
  if (dladdr(&anchor, &info) && info.dli_fname) {
    const char *slash = strrchr(info.dli_fname, '/');
    if (slash) {
      int n = snprintf(buf, size, "%.*s/%s", (int)(slash - info.dli_fname),
                       info.dli_fname, TEI_SCHEMA_FROM_PLUGIN);
      if (n > 0 && (size_t)n < size && access(buf, R_OK) == 0) return buf;
    }
  }
  return TEI_SCHEMA_SOURCE;
}

static void *validator_open(const char *schema, scr_diag *diag) {
  char buf[4096];
  const char *path = schema ? schema : default_schema(buf, sizeof buf);
  if (access(path, R_OK) != 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "schema",
                    "cannot read the schema '%s'%s", path,
                    schema ? "" : " (the project's TEI schema; is it installed?)");
    return NULL;
  }
  validator *v = calloc(1, sizeof *v);
  if (!v || !(v->path = strdup(path))) {
    free(v);
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    return NULL;
  }
  report_ctx r = {diag, 0, NULL};
  tei_init_relaxng();
  char *old_file = strdup(scr_diag_file(diag) ? scr_diag_file(diag) : "");
  scr_diag_set_file(diag, path);
  /* The schema is read wherever it is (it must be a regular file); what it
   * includes or refers to (include, externalRef) only from under its
   * directory. */
  char *real = realpath(path, NULL), *dir = tei_io_dir_of(path);
  tei_io_scope scope = {
      .dir = dir ? dir : "/nonexistent", .exempt = real, .diag = diag, .quiet = 1};
  tei_io_scope *prev = tei_io_enter(&scope);
  r.scope = &scope;
  xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(path);
  if (pc) {
    xmlRelaxNGSetParserStructuredErrors(pc, on_error, &r);
    v->schema = xmlRelaxNGParse(pc);
    xmlRelaxNGFreeParserCtxt(pc);
  }
  r.scope = NULL;
  tei_io_leave(prev);
  tei_io_flush(&scope); /* a refusal no line was given for (the schema itself) */
  if (scope.refused && v->schema) { /* compiled without what it refers to */
    xmlRelaxNGFree(v->schema);
    v->schema = NULL;
  }
  free(real);
  free(dir);
  scr_diag_set_file(diag, old_file && *old_file ? old_file : NULL);
  free(old_file);
  if (!v->schema) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "schema",
                    "cannot compile the RELAX NG schema '%s'", path);
    free(v->path);
    free(v);
    return NULL;
  }
  return v;
}

/* Compiling the schema and validating write nothing: libxml2's failed
 * allocations end the process there rather than crash it (tei_fatal_oom;
 * its validator and regexp compiler dereference what they could not
 * allocate). */
void *tei_validator_open(const char *schema, scr_diag *diag) {
  /* libxml2 set up, and the entity loader (loader.c) installed, before
   * any schema is read, whatever the host called first */
  if (tei_init()) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    return NULL;
  }
  tei_fatal_oom(1);
  void *v = validator_open(schema, diag);
  tei_fatal_oom(0);
  return v;
}

void tei_validator_close(void *state) {
  validator *v = state;
  if (!v) return;
  xmlRelaxNGFree(v->schema);
  free(v->path);
  free(v);
}

/* The next node in document order, without recursion. */
static xmlNodePtr next_node(xmlNodePtr n) {
  if (n->type == XML_ELEMENT_NODE && n->children) return n->children;
  while (n && !n->next) n = n->parent;
  return n ? n->next : NULL;
}

static const char *const pointer_attrs[] = {"who", "ref", "next", "prev", "sameAs",
                                            "corresp", "ana", "resp", NULL};
/* These name a participant or a linked part of the same text: a bare word
 * there is a mistake, not a relative URL. */
static int must_be_local(const char *name) {
  return strcmp(name, "who") == 0 || strcmp(name, "next") == 0 ||
         strcmp(name, "prev") == 0;
}

/* A value libxml2 could not copy (an attribute's is "" at least): every
 * check after it would be made without it. */
static size_t out_of_memory(tei_set *ids, scr_diag *diag) {
  scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom",
                  "out of memory checking the references");
  tei_set_free(ids);
  return 1;
}

static size_t check_references(xmlDocPtr doc, scr_diag *diag) {
  tei_set ids = {0};
  size_t problems = 0;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  for (xmlNodePtr n = root; n; n = next_node(n)) {
    if (n->type != XML_ELEMENT_NODE) continue;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
      if (!a->ns || strcmp((const char *)a->name, "id") != 0 ||
          strcmp((const char *)a->ns->href, XML_NS) != 0)
        continue;
      xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
      int added = v ? tei_set_add(&ids, (const char *)v, strlen((const char *)v)) : -1;
      if (added < 0) {
        xmlFree(v);
        return out_of_memory(&ids, diag);
      }
      if (added == 0) {
        scr_diag_report(diag, SCR_ERROR, (scr_pos){(uint32_t)xmlGetLineNo(n), 0, 0},
                        "duplicate-id", "xml:id \"%s\" is defined twice", v);
        problems++;
      }
      xmlFree(v);
    }
  }
  for (xmlNodePtr n = root; n; n = next_node(n)) {
    if (n->type != XML_ELEMENT_NODE) continue;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
      if (a->ns) continue;
      const char *name = (const char *)a->name;
      int known = 0;
      for (size_t i = 0; pointer_attrs[i]; i++)
        if (strcmp(name, pointer_attrs[i]) == 0) known = 1;
      if (!known) continue;
      xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
      if (!v) return out_of_memory(&ids, diag);
      const char *p = (const char *)v;
      while (p && *p) { /* a list of pointers */
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        size_t len = strcspn(p, " \t\r\n");
        if (!len) break;
        uint32_t line = (uint32_t)xmlGetLineNo(n);
        if (p[0] == '#') {
          if (!tei_set_has(&ids, p + 1, len - 1)) {
            scr_diag_report(diag, SCR_ERROR, (scr_pos){line, 0, 0}, "dangling-pointer",
                            "<%s %s=\"%.*s\">: no element has xml:id \"%.*s\"",
                            (const char *)n->name, name, (int)len, p, (int)len - 1, p + 1);
            problems++;
          }
        } else if (must_be_local(name) && !memchr(p, ':', len)) {
          scr_diag_report(diag, SCR_ERROR, (scr_pos){line, 0, 0}, "dangling-pointer",
                          "<%s %s=\"%.*s\">: not a pointer into the document "
                          "(write #%.*s)",
                          (const char *)n->name, name, (int)len, p, (int)len, p);
          problems++;
        }
        p += len;
      }
      xmlFree(v);
    }
  }
  tei_set_free(&ids);
  return problems;
}

static int is_xinclude(xmlNodePtr n) {
  return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
         strcmp((const char *)n->name, "include") == 0 &&
         (strcmp((const char *)n->ns->href, XI_NS) == 0 ||
          strcmp((const char *)n->ns->href, XI_OLD_NS) == 0);
}

/* Every xi:include of the document, resolved as libxml2's XInclude does
 * (href against the node's base), must name a regular local file under
 * `dir`, the validated file's directory: the number refused, each reported
 * on its line. (What those files include is checked by the entity loader.) */
static size_t check_includes(xmlDocPtr doc, const char *dir, scr_diag *diag) {
  size_t refused = 0;
  for (xmlNodePtr n = xmlDocGetRootElement(doc); n; n = next_node(n)) {
    if (!is_xinclude(n)) continue;
    xmlChar *href = xmlGetNoNsProp(n, BAD_CAST "href");
    if (!href || !href[0] || href[0] == '#') { /* the document itself */
      xmlFree(href);
      continue;
    }
    xmlChar *base = xmlNodeGetBase(doc, n);
    xmlChar *uri = xmlBuildURI(href, base ? base : doc->URL);
    if (!uri) { /* as libxml2 does: try again escaped */
      xmlChar *ehref = xmlURIEscape(href), *ebase = base ? xmlURIEscape(base) : NULL;
      if (ehref) uri = xmlBuildURI(ehref, ebase ? ebase : doc->URL);
      xmlFree(ehref);
      xmlFree(ebase);
    }
    char reason[512] = "not a valid URI";
    char *real = NULL;
    if (uri) {
      char *hash = strchr((char *)uri, '#'); /* libxml2 refuses a fragment itself */
      if (hash) *hash = '\0';
      real = tei_io_check((const char *)uri, dir, NULL, reason, sizeof reason);
    }
    if (!real) {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){(uint32_t)xmlGetLineNo(n), 0, 0}, "xinclude",
                      "xi:include href=\"%s\" refused: %s", (const char *)href, reason);
      refused++;
    }
    free(real);
    xmlFree(uri);
    xmlFree(base);
    xmlFree(href);
  }
  return refused;
}

static int validator_check(void *state, const scr_input *in, scr_diag *diag) {
  validator *v = state;
  report_ctx r = {diag, 0, NULL};
  if (in->len > (size_t)INT32_MAX) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "xml", "file too large");
    return 1;
  }
  xmlSetStructuredErrorFunc(&r, on_error);
  /* No XML_PARSE_NOENT (entities are not substituted), no DTDLOAD/DTDATTR,
   * no network. */
  tei_io_scope parsing = {.deny_all = "nothing is loaded while the file itself is parsed",
                          .diag = diag};
  tei_io_scope *before = tei_io_enter(&parsing);
  xmlDocPtr doc = xmlReadMemory(in->data, (int)in->len, in->path, NULL,
                                XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
  tei_io_leave(before);
  int rc = 0;
  if (doc && parsing.refused) { /* the loader said what and why */
    rc = 1;
    goto done;
  }
  if (!doc) {
    if (!r.errors)
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "xml", "not well-formed XML");
    rc = 1;
    goto done;
  }
  if (doc->intSubset && (doc->intSubset->entities || doc->intSubset->pentities)) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){(uint32_t)xmlGetLineNo((xmlNodePtr)doc->intSubset), 0, 0},
                    "doctype", "refusing a DOCTYPE that declares entities");
    rc = 1;
    goto done;
  }
  /* A corpus includes its documents' text from their own files: validate
   * what it assembles to, from regular files under the validated file's
   * directory only (a document refers to its neighbours, nothing else). */
  if (memmem(in->data, in->len, XI_NS, sizeof XI_NS - 1)) {
    char *dir = tei_io_dir_of(in->path);
    if (!dir) {
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "xinclude",
                      "cannot find the file's directory, which XIncludes are read from");
      rc = 1;
      goto done;
    }
    if (check_includes(doc, dir, diag)) {
      free(dir);
      rc = 1;
      goto done;
    }
    /* What the included files include in turn: refused by the loader,
     * reported on the line of libxml2's "could not load" (on_error). */
    tei_io_scope scope = {.dir = dir, .diag = diag, .quiet = 1};
    tei_io_scope *prev = tei_io_enter(&scope);
    r.scope = &scope;
    int assembled = xmlXIncludeProcessFlags(doc, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    r.scope = NULL;
    tei_io_leave(prev);
    free(dir);
    tei_io_flush(&scope); /* refused, and no error followed (a fallback, a DTD) */
    if (assembled < 0 || scope.refused) {
      if (!r.errors && !scope.refused)
        scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "xinclude",
                        "cannot assemble the XIncludes");
      rc = 1;
      goto done;
    }
  }
  xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(v->schema);
  if (!vc) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom", "out of memory");
    rc = -1;
    goto done;
  }
  xmlRelaxNGSetValidStructuredErrors(vc, on_error, &r);
  int valid = xmlRelaxNGValidateDoc(vc, doc);
  xmlRelaxNGFreeValidCtxt(vc);
  if (valid != 0) {
    if (!r.errors)
      scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "schema",
                      "not valid against %s", v->path);
    rc = 1;
  }
  if (check_references(doc, diag)) rc = 1;
  if (r.errors) rc = 1;
done:
  xmlSetStructuredErrorFunc(NULL, tei_xml_errors);
  xmlFreeDoc(doc);
  return rc;
}

int tei_validator_check(void *state, const scr_input *in, scr_diag *diag) {
  tei_fatal_oom(1);
  int rc = validator_check(state, in, diag);
  tei_fatal_oom(0);
  return rc;
}
