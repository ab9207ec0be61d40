/* plugin.c - the descriptor of the YAML plugin: it reads and writes the YAML
 * edition and validates YAML editions against the project's JSON Schema. */
#include "yaml_plugin.h"

static const char *const extensions[] = {"yaml", "yml", NULL};

static const char *const source_choices[] = {"as-given", "file-name", NULL};

static const scr_option_spec writer_options[] = {
    {.name = "source",
     .type = SCR_OPT_CHOICE,
     .default_value = "as-given",
     .help = "metadata source: the input path as given, or only its file "
             "name (output that does not depend on where it ran)",
     .choices = source_choices},
};

static const scr_writer writer = {
    .struct_size = sizeof(scr_writer),
    .format = "yaml",
    .description = "YAML edition: metadata, persons and the whole tree as data",
    .extensions = extensions,
    .media_type = "application/yaml",
    .options = writer_options,
    .option_count = sizeof writer_options / sizeof writer_options[0],
    .write = yaml_write,
};

static const scr_reader reader = {
    .struct_size = sizeof(scr_reader),
    .format = "yaml",
    .description = "YAML edition, as the writer writes it, back into the tree "
                   "(checked like `validate`; no anchors or aliases)",
    .extensions = extensions,
    .media_type = "application/yaml",
    .probe = yaml_reader_probe,
    .read = yaml_read,
};

static const scr_validator validator = {
    .struct_size = sizeof(scr_validator),
    .format = "yaml",
    .description = "YAML edition against schemas/scriptorium.schema.json, "
                   "plus cross-references",
    .extensions = extensions,
    .probe = yaml_validator_probe,
    .open = yaml_validator_open,
    .check = yaml_validator_check,
    .close = yaml_validator_close,
};

static const scr_reader *const readers[] = {&reader, NULL};
static const scr_writer *const writers[] = {&writer, NULL};
static const scr_validator *const validators[] = {&validator, NULL};

static const scr_plugin descriptor = {
    .abi_major = SCR_ABI_MAJOR,
    .abi_minor = SCR_ABI_MINOR,
    .struct_size = sizeof(scr_plugin),
    .name = "yaml",
    .version = "0.1.0",
    .description = "the YAML edition: reader, writer and schema validator",
    .readers = readers,
    .writers = writers,
    .validators = validators,
};

SCR_PLUGIN_DEFINE(descriptor)
