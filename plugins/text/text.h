/* text.h - the transcript text plugin's parts (private to the plugin). */
#ifndef SCR_PLUGIN_TEXT_H
#define SCR_PLUGIN_TEXT_H

#include <scriptorium/plugin.h>

int text_probe(const char *data, size_t len);
int text_read(scr_doc *doc, const scr_input *in, const scr_options *opts,
              scr_diag *diag);
int text_speech_run(scr_doc *doc, const scr_options *opts, scr_diag *diag);
int text_write(const scr_doc *doc, scr_buf *out, const scr_options *opts,
               scr_diag *diag);

#endif
