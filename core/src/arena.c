/* arena.c - one bump allocator per document: parsing does no per-node malloc
 * and freeing a document is one walk over a few large blocks. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE ((size_t)64 * 1024)
#define ALIGN 16

struct arena_block {
  arena_block *next;
  size_t used;
  size_t size;
  _Alignas(ALIGN) unsigned char data[];
};

void arena_init(arena *a) {
  a->head = NULL;
  a->total = 0;
}

static arena_block *block_new(size_t size) {
  arena_block *b = malloc(sizeof *b + size);
  if (!b) return NULL;
  b->next = NULL;
  b->used = 0;
  b->size = size;
  return b;
}

void *arena_alloc(arena *a, size_t size) {
  if (size > SIZE_MAX - ALIGN - sizeof(arena_block)) return NULL;
  size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  if (size == 0) size = ALIGN;
  arena_block *b = a->head;
  if (!b || b->size - b->used < size) {
    if (size > BLOCK_SIZE / 4) {
      /* A large request gets a block of its own behind the current one, so
       * the space left in the current block is not wasted. */
      arena_block *big = block_new(size);
      if (!big) return NULL;
      a->total += size;
      big->used = size;
      if (b) {
        big->next = b->next;
        b->next = big;
      } else {
        a->head = big;
      }
      memset(big->data, 0, size);
      return big->data;
    }
    b = block_new(BLOCK_SIZE);
    if (!b) return NULL;
    a->total += BLOCK_SIZE;
    b->next = a->head;
    a->head = b;
  }
  void *p = b->data + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

void arena_free(arena *a) {
  arena_block *b = a->head;
  while (b) {
    arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
  a->total = 0;
}
