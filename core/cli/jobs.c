/* jobs.c - the list of a run's jobs (jobs.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jobs.h"

int list_push_stat(job_list *l, const char *path, const char *rel, int from_dir,
                   const struct stat *st, const char *skip) {
  if (l->len == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    job *items = realloc(l->items, cap * sizeof *items);
    if (!items) return -1;
    l->items = items;
    l->cap = cap;
  }
  job *j = &l->items[l->len];
  memset(j, 0, sizeof *j);
  j->path = strdup(path);
  j->rel = strdup(rel);
  j->from_dir = from_dir;
  if (skip && !(j->skip = strdup(skip))) return free(j->path), free(j->rel), -1;
  if (st) {
    j->stat_size = st->st_size;
    j->id = (file_id){st->st_dev, st->st_ino};
  }
  if (!j->path || !j->rel) return free(j->path), free(j->rel), free(j->skip), -1;
  l->len++;
  return 0;
}

int list_push(job_list *l, const char *path, const char *rel, int from_dir) {
  return list_push_stat(l, path, rel, from_dir, NULL, NULL);
}

void job_list_free(job_list *list, size_t nwriters) {
  for (size_t i = 0; i < list->len; i++) {
    job *j = &list->items[i];
    for (size_t w = 0; j->outputs && w < nwriters; w++) free(j->outputs[w]);
    free(j->outputs);
    free(j->out_sha);
    for (size_t d = 0; d < j->ndeps; d++) free(j->dep_path[d]), free(j->dep_sha[d]);
    free(j->dep_path);
    free(j->dep_sha);
    free(j->path);
    free(j->rel);
    free(j->skip);
    free(j->member_error);
    for (size_t m = 0; j->meta && j->meta[m]; m++) free(j->meta[m]);
    free(j->meta);
    scr_buf_free(&j->diags);
    scr_doc_free(j->doc);
    free(j->prepared);
  }
  free(list->items);
  list->items = NULL;
  list->len = list->cap = 0;
}
