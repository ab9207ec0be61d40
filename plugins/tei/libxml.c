/* libxml.c - libxml2 set up for the plugin: its allocator (ending the
 * process where libxml2 cannot survive a failed allocation), its
 * process-wide tables, this thread's globals and its error handler. */
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/threads.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlschemastypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elements.h"
#include "emit.h"
#include "tei.h"

/* libxml2's allocator is the C library's, but for one thing: libxml2
 * 2.9.14 does not survive every allocation failing (xmlSchemaInitTypes
 * dereferences what it could not allocate; so do xmlRegexpCompile, which
 * RELAX NG validation calls for each value with a pattern, and other
 * paths of its validator). So where nothing is being written, while
 * libxml2 sets up its process-wide tables and while a file is validated,
 * a failure ends the process with a message and status 1 instead of a
 * crash (tei_fatal_oom). The one place a plugin prints and exits: libxml2
 * gives no way back. Writing and reading TEI, which run beside outputs
 * being written, check every return instead. */
static atomic_int fatal_oom;

void tei_fatal_oom(int on) { atomic_fetch_add(&fatal_oom, on ? 1 : -1); }

static void fatal(void) {
  static const char msg[] = "scriptorium: error: out of memory (in libxml2)\n";
  if (write(2, msg, sizeof msg - 1) < 0) { /* nothing more to say */
  }
  _exit(1);
}

static void *xml_malloc(size_t n) {
  void *p = malloc(n);
  if (!p && atomic_load(&fatal_oom)) fatal();
  return p;
}

static void *xml_realloc(void *q, size_t n) {
  void *p = realloc(q, n);
  if (!p && atomic_load(&fatal_oom)) fatal();
  return p;
}

static char *xml_strdup(const char *s) {
  char *p = strdup(s);
  if (!p && atomic_load(&fatal_oom)) fatal();
  return p;
}

static void xml_free(void *p) { free(p); }

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_libxml(void) {
  xmlMemSetup(xml_free, xml_malloc, xml_realloc, xml_strdup);
  tei_fatal_oom(1);
  xmlInitParser();
  tei_fatal_oom(0);
  tei_io_install(); /* before anything is parsed: see loader.c */
  tei_emit_setup();
  tei_elements_setup();
}

static pthread_once_t relaxng_once = PTHREAD_ONCE_INIT;
static void init_relaxng(void) {
  tei_fatal_oom(1);
  xmlSchemaInitTypes();
  xmlRelaxNGInitTypes();
  tei_fatal_oom(0);
}

void tei_init_relaxng(void) { pthread_once(&relaxng_once, init_relaxng); }

/* libxml2's errors that no context of ours catches (out of memory in its
 * buffers and writer, mostly): every caller here sees the failure in a
 * return value and reports it. Not letting libxml2 print them also keeps
 * it out of xmlReportError, which under memory pressure (ulimit -v, -j 2
 * and more) read a message that was no longer mapped (segfault in
 * xmlStrlen). */
void tei_xml_errors(void *user, xmlErrorPtr err) {
  (void)user;
  (void)err;
}

int tei_init(void) {
  pthread_once(&init_once, init_libxml);
  /* libxml2 allocates a thread's own globals on its first call there and,
   * when that fails, dereferences NULL in every later call (its error
   * reporting first): had here, before any other call on the thread.
   * And 2.9's xmlGetGlobalState reports its own failure through
   * xmlGenericError, which calls xmlGetGlobalState again: while memory is
   * short it recurses until the stack overflows (seen under ulimit -v with
   * -j 8). So the room is made first: a block of the very size it
   * allocates, freed to this thread's cache, from which its malloc takes
   * it back. */
  if (!xmlIsMainThread()) {
    void *room = malloc(sizeof(xmlGlobalState));
    if (!room) return -1;
    free(room);
    if (!xmlGetGlobalState()) return -1;
  }
  /* per thread (the main thread's is the process's) */
  if (xmlStructuredError != tei_xml_errors) xmlSetStructuredErrorFunc(NULL, tei_xml_errors);
  return 0;
}

