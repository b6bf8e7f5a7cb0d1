/*
 * stockcast's fused recurrent kernels: one source for every target. Built to WebAssembly (SIMD128, shared
 * memory; scripts/build-wasm.mjs) and, for Node on x86-64 Linux, into the native addon twice (AVX2+FMA and
 * AVX-512; scripts/build-native.mjs), whose entry csrc/native/addon.c picks one at run time.
 * Every pointer argument is a byte offset (a double) into the engine's memory; the native build adds the base
 * of the engine's region, WebAssembly's memory starts at 0.
 */
#include "model.h"
#include "grads.h"

#if defined(SC_WASM)
#define API(name) __attribute__((visibility("default"))) name
#define BASE_PARAM
#define BASE ((char*)0)
#else
#define SC_CAT2(a, b) a##b
#define SC_CAT(a, b) SC_CAT2(a, b)
#define API(name) SC_CAT(SC_PREFIX, name)
#define BASE_PARAM char *base,
#define BASE base
#endif

#define PTR(type, off) ((type*)((uintptr_t)BASE + (uintptr_t)(off)))
#define DESC(off) PTR(const double, off)

void API(model_pack)(BASE_PARAM double desc) { pack_model(BASE, DESC(desc)); }
void API(model_forward)(BASE_PARAM double desc, int r0, int r1) { forward_rows(BASE, DESC(desc), r0, r1); }
void API(model_backward)(BASE_PARAM double desc, int r0, int r1) { backward_rows(BASE, DESC(desc), r0, r1); }
int API(model_tile_count)(BASE_PARAM double desc) { return tile_count(BASE, DESC(desc)); }
/* Tiles [t0, t1), or tiles claimed from the int32 counter at `counter` when t1 < 0. */
void API(model_grads)(BASE_PARAM double desc, int t0, int t1, double counter, double scratch) {
  grad_tiles(BASE, DESC(desc), t0, t1, PTR(int, counter), PTR(f32, scratch));
}

void API(opt_adam)(BASE_PARAM double p, double g, double m, double v, double n, f32 lr, f32 b1, f32 b2, f32 eps, f32 bc1, f32 bc2, f32 gscale) {
  adam(PTR(f32, p), PTR(const f32, g), PTR(f32, m), PTR(f32, v), (idx)n, lr, b1, b2, eps, bc1, bc2, gscale);
}
void API(opt_rmsprop)(BASE_PARAM double p, double g, double ms, double n, f32 lr, f32 rho, f32 eps, f32 gscale) {
  rmsprop(PTR(f32, p), PTR(const f32, g), PTR(f32, ms), (idx)n, lr, rho, eps, gscale);
}
void API(opt_sgd)(BASE_PARAM double p, double g, double n, f32 lr, f32 gscale) { sgd(PTR(f32, p), PTR(const f32, g), (idx)n, lr, gscale); }
f32 API(sumsq)(BASE_PARAM double x, double n) { return sumsq16(PTR(const f32, x), (idx)n); }

/* Sizes the TypeScript side allocates (packed B panels, per-thread scratch, in floats), the tile shape and the
 * descriptor's shape (so tests can check src/models/engines/fused/layout.ts against model.h). */
double API(packed_floats)(BASE_PARAM int K, int N) { (void)BASE; return (double)packed_size(K, N); }
int API(scratch_floats)(BASE_PARAM int unused) { (void)BASE; (void)unused; return GEMM_SCRATCH; }
int API(tile_shape)(BASE_PARAM int which) {
  (void)BASE;
  int shape[] = {MR, NR, VW, D_LAYERS, L_WORDS};
  return which >= 0 && which < 5 ? shape[which] : 0;
}

/*
 * For tests and benchmarks: element-wise math in place, and a product C = A B (+ C when beta) with
 * A(i,k) = a[i*rsa + k*csa] and B row-major with row stride ldb.
 */
void API(tanh_inplace)(BASE_PARAM double x, int n) { tanh_n(PTR(f32, x), n); }
void API(sigmoid_inplace)(BASE_PARAM double x, int n) { sigmoid_n(PTR(f32, x), n); }
void API(exp_inplace)(BASE_PARAM double x, int n) { exp_n(PTR(f32, x), n); }
void API(gemm)(BASE_PARAM int M, int N, int K, double a, int rsa, int csa, double b, int ldb, double c, int ldc, int beta, double scratch) {
  const f32* A = PTR(const f32, a);
  const f32* Bm = PTR(const f32, b);
  for (int j0 = 0; j0 < N; j0 += NBLOCK)
    gemm_at(M, N - j0 < NBLOCK ? N - j0 : NBLOCK, K, A, rsa, csa, Bm + j0, ldb, PTR(f32, c) + j0, ldc, beta, PTR(f32, scratch));
}
