/* plugin.c - the descriptor of the transcript text plugin: it reads news-site
 * transcripts and writes plain-text editions. */
#include "text.h"

static const char *const extensions[] = {"txt", NULL};

static const scr_option_spec speech_options[] = {
    {.name = "persons",
     .type = SCR_OPT_PATH,
     .default_value = NULL,
     .help = "authority file of persons (YAML); default: persons.yaml "
             "beside the input"},
};

static const char *const editions[] = {"diplomatic", "reading", NULL};

static const scr_option_spec writer_options[] = {
    {.name = "edition",
     .type = SCR_OPT_CHOICE,
     .default_value = "diplomatic",
     .help = "diplomatic: the source text byte for byte; reading: a clean "
             "edition with a header, wrapped paragraphs and speaker labels",
     .choices = editions},
    {.name = "width",
     .type = SCR_OPT_INT,
     .default_value = "72",
     .help = "reading edition: wrap lines at this many terminal columns "
             "(0: one line per paragraph)",
     .min = 0,
     .max = 100000},
};

static const scr_reader reader = {
    .struct_size = sizeof(scr_reader),
    .format = "text",
    .description = "news-site transcript in plain text (kremlin.ru, "
                   "president.gov.by)",
    .extensions = extensions,
    .media_type = "text/plain",
    .probe = text_probe,
    .read = text_read,
    .default_transforms = (const char *const[]){"speech", "participants", "provenance", NULL},
};

static const scr_transform speech = {
    .struct_size = sizeof(scr_transform),
    .name = "speech",
    .description = "persons, quotations and who said them, names, dates and "
                   "places in a transcript's text",
    .options = speech_options,
    .option_count = sizeof speech_options / sizeof speech_options[0],
    .run = text_speech_run,
};

static const scr_writer writer = {
    .struct_size = sizeof(scr_writer),
    .format = "text",
    .description = "plain-text edition",
    .extensions = extensions,
    .media_type = "text/plain",
    .options = writer_options,
    .option_count = sizeof writer_options / sizeof writer_options[0],
    .write = text_write,
};

static const scr_reader *const readers[] = {&reader, NULL};
static const scr_writer *const writers[] = {&writer, NULL};
static const scr_transform *const transforms[] = {&speech, NULL};

static const scr_plugin descriptor = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = "text",
    .version = "0.1.0",
    .description = "plain-text transcripts in, plain-text editions out",
    .readers = readers,
    .writers = writers,
    .validators = NULL,
    .transforms = transforms,
};

SCR_PLUGIN_DEFINE(descriptor)
