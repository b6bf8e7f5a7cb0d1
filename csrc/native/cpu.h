/* CPU features for the native kernels: cpuid, and xgetbv for the OS saving the wide registers. Included by addon.c. */
#ifndef SC_CPU_H
#define SC_CPU_H
#include <cpuid.h>
#include <stdint.h>
#include <string.h>

typedef struct {
  int fma, avx2, avx512f, os_avx, os_avx512;
} Cpu;

static uint64_t xgetbv0(void) {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((uint64_t)hi << 32) | lo;
}

static Cpu detect(void) {
  Cpu c = {0, 0, 0, 0, 0};
  unsigned a, b, cx, d;
  if (!__get_cpuid(1, &a, &b, &cx, &d)) return c;
  int osxsave = (cx >> 27) & 1;
  c.fma = (cx >> 12) & 1;
  if (osxsave) {
    uint64_t xcr0 = xgetbv0();
    c.os_avx = (xcr0 & 0x6) == 0x6 && ((cx >> 28) & 1);
    c.os_avx512 = (xcr0 & 0xe6) == 0xe6;
  }
  if (__get_cpuid_max(0, 0) >= 7) {
    __cpuid_count(7, 0, a, b, cx, d);
    c.avx2 = (b >> 5) & 1;
    c.avx512f = (b >> 16) & 1;
  }
  return c;
}

static int supported(const Cpu* c, const char* isa) {
  int avx2 = c->avx2 && c->fma && c->os_avx;
  if (!strcmp(isa, "avx2") || !strcmp(isa, "emu16")) return avx2;
  if (!strcmp(isa, "avx512")) return avx2 && c->avx512f && c->os_avx512;
  return 0;
}

#endif
