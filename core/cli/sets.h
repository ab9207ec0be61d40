/* sets.h - the hash sets of a conversion: strings (planned output paths,
 * the outputs a previous run wrote) and files by device and inode (the
 * inputs, which are never overwritten) (private to the CLI). */
#ifndef SCR_CLI_SETS_H
#define SCR_CLI_SETS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* FNV-1a of a string: the sets' hash, and what picks an input's shard. */
uint64_t fnv1a(const char *s);

typedef struct str_set {
  const char **slots;
  size_t cap, len;
} str_set;

/* Adds `s` (not copied); returns 1 if it was already there, -1 on OOM. */
int str_set_add(str_set *set, const char *s);
int str_set_has(const str_set *set, const char *s);

typedef struct file_id {
  dev_t dev;
  ino_t ino;
} file_id;

/* The file `path` names (following links), or {0, 0}. */
file_id file_id_of(const char *path);

typedef struct id_set {
  file_id *slots; /* ino 0 marks an empty slot */
  size_t cap, len;
} id_set;

/* As str_set_add; an id with ino 0 (unknown) is never added. */
int id_set_add(id_set *set, file_id id);
int id_set_has(const id_set *set, file_id id);

#endif
