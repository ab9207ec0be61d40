/* html.h - the HTML plugin's reader (reader.c), described in plugin.c. */
#ifndef SCRIPTORIUM_HTML_H
#define SCRIPTORIUM_HTML_H

#include <scriptorium/plugin.h>

int html_init(void);
int html_probe(const char *data, size_t len);
int html_read(scr_doc *doc, const scr_input *in, const scr_options *opts,
              scr_diag *diag);

#endif
