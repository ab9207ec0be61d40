/* writer.c - plain-text editions. The diplomatic edition is the source
 * again, byte for byte, rebuilt from the tree by its losslessness contract. */
#include <string.h>

#include "text.h"

int text_write(const scr_doc *doc, scr_buf *out, const scr_options *opts,
               scr_diag *diag) {
  (void)opts;
  if (scr_node_flatten(scr_doc_root(doc), 1, out) != 0) {
    scr_diag_report(diag, SCR_ERROR, (scr_pos){0, 0, 0}, "oom",
                    "out of memory");
    return -1;
  }
  return 0;
}
