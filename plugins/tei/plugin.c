/* plugin.c - the descriptor of the TEI plugin: it reads TEI, writes TEI P5
 * documents and corpora, and validates TEI files against a RELAX NG schema. */
#include "tei.h"

static const char *const extensions[] = {"xml", NULL};

static const char *const bracket_choices[] = {"auto", "supplied", "note", NULL};
static const char *const char_choices[] = {"replace", "drop", "error", NULL};
static const char *const source_choices[] = {"as-given", "file-name", NULL};
static const char *const profile_choices[] = {"tei", "parla-clarin", NULL};

/* Every option is recorded in the output's appInfo, so that a document says
 * how it was made. */
static const scr_option_spec writer_options[] = {
    {.name = "timestamp",
     .type = SCR_OPT_BOOL,
     .default_value = "false",
     .help = "record the conversion time (SOURCE_DATE_EPOCH if set) in "
             "publicationStmt; off keeps the output deterministic"},
    {.name = "brackets",
     .type = SCR_OPT_CHOICE,
     .default_value = "auto",
     .help = "the publisher's [insertions]: supplied, note, or auto (supplied "
             "for words read in the sentence, note for a gloss of the word "
             "before: a translation, a conversion, an office after a name)",
     .choices = bracket_choices},
    {.name = "xml-chars",
     .type = SCR_OPT_CHOICE,
     .default_value = "replace",
     .help = "characters XML 1.0 cannot carry: replace (U+FFFD) or drop, with "
             "a warning; or error (no output, and the document is left out of "
             "the corpus)",
     .choices = char_choices},
    {.name = "source",
     .type = SCR_OPT_CHOICE,
     .default_value = "as-given",
     .help = "sourceDesc's file idno: the input path as given (as the YAML "
             "edition does), or only its file name",
     .choices = source_choices},
    {.name = "indent",
     .type = SCR_OPT_INT,
     .default_value = "2",
     .help = "spaces per level of the pretty-printed structure (0: none)",
     .min = 0,
     .max = 8},
    /* last, so that the default profile's appInfo is as it was (parla.c) */
    {.name = "profile",
     .type = SCR_OPT_CHOICE,
     .default_value = "tei",
     .help = "tei (sp, argument, dateline: the project schema), or "
             "parla-clarin: turns as u @who with segs, the speaker label as "
             "note type=speaker, lead and dateline as notes, offices of a "
             "country as affiliation (valid against Parla-CLARIN and tei_all)",
     .choices = profile_choices},
};

static const scr_writer writer = {
    .struct_size = sizeof(scr_writer),
    .format = "tei",
    .description = "TEI P5 XML (one TEI per input; teiCorpus for several)",
    .extensions = extensions,
    .media_type = "application/tei+xml",
    .options = writer_options,
    .option_count = sizeof writer_options / sizeof writer_options[0],
    .write = tei_write,
    .corpus_open = tei_corpus_open,
    .corpus_add = tei_corpus_add,
    .corpus_close = tei_corpus_close,
    .corpus_prepare = tei_corpus_prepare,
    .corpus_merge = tei_corpus_merge,
};

static const scr_validator validator = {
    .struct_size = sizeof(scr_validator),
    .format = "tei",
    .description = "TEI P5 against the project schema (or --schema FILE), "
                   "and every @who/@ref/@next/@prev resolved",
    .extensions = extensions,
    .probe = tei_probe,
    .open = tei_validator_open,
    .check = tei_validator_check,
    .close = tei_validator_close,
};

static const scr_reader reader = {
    .struct_size = sizeof(scr_reader),
    .format = "tei",
    .description = "TEI P5 XML: Scriptorium's own into the identical tree; "
                   "p, sp, said/q, u/seg, listPerson, choice, supplied, note, "
                   "date from elsewhere",
    .extensions = extensions,
    .media_type = "application/tei+xml",
    .options = NULL,
    .option_count = 0,
    .probe = tei_probe,
    .read = tei_read,
};

static const scr_reader *const readers[] = {&reader, NULL};
static const scr_writer *const writers[] = {&writer, NULL};
static const scr_validator *const validators[] = {&validator, NULL};

static const scr_plugin descriptor = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = "tei",
    .version = TEI_PLUGIN_VERSION,
    .description = "TEI P5 in, TEI P5 documents and corpora out, TEI validation",
    .readers = readers,
    .writers = writers,
    .validators = validators,
    .init = tei_init,
};

SCR_PLUGIN_DEFINE(descriptor)
