/* arena.h - the per-document bump allocator (private to the core). */
#ifndef SCR_ARENA_H
#define SCR_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct arena {
  arena_block *head;  /* the block being filled */
  size_t total;       /* bytes obtained from malloc */
} arena;

void arena_init(arena *a);
/* size zeroed bytes aligned to 16, or NULL on out of memory. */
void *arena_alloc(arena *a, size_t size);
void arena_free(arena *a);

#endif
