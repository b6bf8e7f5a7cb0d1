/*
 * Engine memory regions for the native kernels: one mmap reservation per engine, shared by the engine's
 * threads, with a reference per attachment (the creator's and each worker's), unmapped when the last goes.
 * Included by addon.c.
 */
#ifndef SC_REGIONS_H
#define SC_REGIONS_H
#include <stddef.h>
#include <sys/mman.h>

#define MAX_REGIONS 4096
typedef struct {
  char* base;
  size_t size;
  int refs;
} Region;
static Region regions[MAX_REGIONS];
static volatile int lock_word;

static void lock(void) {
  while (__atomic_test_and_set(&lock_word, __ATOMIC_ACQUIRE)) {
  }
}
static void unlock(void) { __atomic_clear(&lock_word, __ATOMIC_RELEASE); }

static void release_region(int id) {
  char* base = NULL;
  size_t size = 0;
  lock();
  if (--regions[id].refs == 0) {
    base = regions[id].base;
    size = regions[id].size;
    regions[id].base = NULL;
  }
  unlock();
  if (base) munmap(base, size);
}

#endif
