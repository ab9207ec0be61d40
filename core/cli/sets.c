/* sets.c - open-addressing hash sets of strings and of files (sets.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sets.h"

uint64_t fnv1a(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

int str_set_add(str_set *set, const char *s) {
  if (set->len * 2 >= set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 64;
    const char **slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < set->cap; i++) {
      if (!set->slots[i]) continue;
      size_t j = fnv1a(set->slots[i]) & (cap - 1);
      while (slots[j]) j = (j + 1) & (cap - 1);
      slots[j] = set->slots[i];
    }
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
  }
  size_t j = fnv1a(s) & (set->cap - 1);
  while (set->slots[j]) {
    if (strcmp(set->slots[j], s) == 0) return 1;
    j = (j + 1) & (set->cap - 1);
  }
  set->slots[j] = s;
  set->len++;
  return 0;
}

int str_set_has(const str_set *set, const char *s) {
  if (!set->cap) return 0;
  size_t j = fnv1a(s) & (set->cap - 1);
  while (set->slots[j]) {
    if (strcmp(set->slots[j], s) == 0) return 1;
    j = (j + 1) & (set->cap - 1);
  }
  return 0;
}

file_id file_id_of(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return (file_id){0, 0};
  return (file_id){st.st_dev, st.st_ino};
}

static size_t id_hash(file_id id, size_t cap) {
  return (size_t)(((uint64_t)id.dev * 31 + (uint64_t)id.ino) * 11400714819323198485ULL >> 7) &
         (cap - 1);
}

int id_set_add(id_set *set, file_id id) {
  if (id.ino == 0) return 0;
  if (set->len * 2 >= set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 64;
    file_id *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < set->cap; i++) {
      if (!set->slots[i].ino) continue;
      size_t j = id_hash(set->slots[i], cap);
      while (slots[j].ino) j = (j + 1) & (cap - 1);
      slots[j] = set->slots[i];
    }
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
  }
  size_t j = id_hash(id, set->cap);
  while (set->slots[j].ino) {
    if (set->slots[j].dev == id.dev && set->slots[j].ino == id.ino) return 1;
    j = (j + 1) & (set->cap - 1);
  }
  set->slots[j] = id;
  set->len++;
  return 0;
}

int id_set_has(const id_set *set, file_id id) {
  if (!set->cap) return 0;
  size_t j = id_hash(id, set->cap);
  while (set->slots[j].ino) {
    if (set->slots[j].dev == id.dev && set->slots[j].ino == id.ino) return 1;
    j = (j + 1) & (set->cap - 1);
  }
  return 0;
}
