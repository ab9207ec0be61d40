/* plugin.c - the descriptor of the HTML plugin: it reads web pages
 * (en.kremlin.ru event pages, and other sites generically). */
#include "html.h"

static const char *const extensions[] = {"html", "htm", "xhtml", NULL};

static const scr_option_spec reader_options[] = {
    {.name = "photos",
     .type = SCR_OPT_BOOL,
     .default_value = "true",
     .help = "read the photo slider and single photos as GALLERY/FIGURE "
             "nodes with their captions (false: leave them out, as the "
             "kremlin text corpus does)"},
};

static const char *const default_transforms[] = {"speech", "participants", "provenance", NULL};

static const scr_reader reader = {
    .struct_size = sizeof(scr_reader),
    .format = "html",
    .description = "web page in HTML (en.kremlin.ru event pages; other "
                   "sites: h1, article, p, blockquote)",
    .extensions = extensions,
    .media_type = "text/html",
    .options = reader_options,
    .option_count = sizeof reader_options / sizeof reader_options[0],
    .probe = html_probe,
    .read = html_read,
    /* a page gets the same analysis as a transcript (persons, quotations
     * and who said them, dates, places), through the core */
    .default_transforms = default_transforms,
};

static const scr_reader *const readers[] = {&reader, NULL};

static const scr_plugin descriptor = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = "html",
    .version = "0.1.0",
    .description = "HTML web pages in",
    .readers = readers,
    .writers = NULL,
    .validators = NULL,
    /* No init: libxml2 is initialised on the first read (html_init), not
     * at load, so that the TEI plugin's init, which sets libxml2's
     * allocator and must run first, does (plugins load in name order). */
    .init = NULL,
};

SCR_PLUGIN_DEFINE(descriptor)
