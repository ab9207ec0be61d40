/* provenance.h - where each input came from: its URL, licence, retrieval
 * date and a citation, given on the command line or in a sidecar table
 * (sources.tsv), its SHA-256, and its path relative to the input root, set
 * as metadata of each document after it is read (private to the CLI). */
#ifndef SCR_CLI_PROVENANCE_H
#define SCR_CLI_PROVENANCE_H

#include <scriptorium/scriptorium.h>

struct run;
struct job;

/* The fields a table row or the command line may give, in this order. */
enum { PROV_URL, PROV_LICENCE, PROV_RETRIEVED, PROV_CITATION, PROV_FIELDS };

/* The table's name beside the inputs. */
#define PROV_TABLE_NAME "sources.tsv"

typedef struct prov_table prov_table;

typedef struct provenance {
  const char *cli[PROV_FIELDS]; /* --source-url, --licence, --retrieved, --citation */
  const char *table;            /* --sources FILE, or NULL: sources.tsv beside each input */
  prov_table **tables;          /* every table looked for, present or not */
  size_t ntables, captables;
} provenance;

/* Checks a command-line value (--retrieved DATE, --source-url URL): NULL
 * if it is good, else why not (static). */
const char *provenance_check(int field, const char *value);

/* After the walk, on the main thread: finds the table of every job (the
 * --sources table, or sources.tsv in the input's directory), reads each
 * table once and matches its rows to the jobs. Bad rows are errors, as
 * FILE:LINE:COL (printed); a row naming no file is a warning. 0, or the
 * exit status (EXIT_USAGE for --source-url or --citation with more than
 * one input, EXIT_FAILED for a bad table). */
int provenance_plan(struct run *r);

/* On a worker, after the document is read: the source relative to its
 * input root, the SHA-256 of the input, the table row's and the command
 * line's fields as metadata, and the table (or its absence) as a file the
 * conversion consulted. 0, or -1 on out of memory. */
int provenance_apply(const struct run *r, const struct job *j, scr_doc *doc);

void provenance_free(struct run *r);

#endif
