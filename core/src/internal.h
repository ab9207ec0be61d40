/* internal.h - what the core's files share and nothing outside the core
 * sees (the library's symbols are hidden unless marked SCR_API). */
#ifndef SCR_INTERNAL_H
#define SCR_INTERNAL_H

#include "scriptorium/tree.h"

/* Appends a consulted file (path, hash) to the document (tree.c). */
int scr__doc_push_depend(scr_doc *doc, const char *path, const char *sha);

#endif
