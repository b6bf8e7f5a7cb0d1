/*
 * Dense products for every target from one register-blocked micro-kernel: an MR x NR tile of C lives in
 * registers while K rank-1 updates stream through (a broadcast of A times a row of a packed B panel).
 * Each C element is one multiply-add chain over k in order, whatever the tile it falls in, so results do not
 * depend on M, N, tile sizes, vector width or how rows and tiles are shared between threads.
 * B is packed into panels of NR columns (zero-padded): weights once per update, activations on the fly.
 */
#ifndef SC_GEMM_H
#define SC_GEMM_H
#include "vec.h"

#if defined(SC_WASM)
#define MR 4
#define NR 8
#elif defined(SC_AVX2)
#define MR 6
#define NR 16
#else
#define MR 8
#define NR 32
#endif
#define NV (NR / VW)
/* Rows of K per block when A is packed on the fly. */
#define KC 256
#define SC_INLINE static inline __attribute__((always_inline))


/* Floats of a packed B of K x N. */
static inline idx packed_size(int K, int N) { return (idx)((N + NR - 1) / NR) * NR * K; }

/* Packs B(k, j) = b[k*rsb + j*csb], k < K, j < N, into NR-column panels, each K x NR row-major, zero-padded. */
static void pack_b(int K, int N, const f32* b, idx rsb, idx csb, f32* dst) {
  for (int jp = 0; jp < N; jp += NR) {
    int nr = N - jp < NR ? N - jp : NR;
    const f32* src = b + jp * csb;
    if (csb == 1) {
      for (int k = 0; k < K; k++, dst += NR) {
        const f32* s = src + k * rsb;
        int j = 0;
        for (; j < nr; j++) dst[j] = s[j];
        for (; j < NR; j++) dst[j] = 0.0f;
      }
    } else {
      for (int k = 0; k < K; k++, dst += NR) {
        const f32* s = src + k * rsb;
        int j = 0;
        for (; j < nr; j++) dst[j] = s[j * csb];
        for (; j < NR; j++) dst[j] = 0.0f;
      }
    }
  }
}

/*
 * The micro-kernel: C[mr x NR] = init + sum_k A(i,k) B(k,:) with A(i,k) = a[i*rsa + k*csa] and row k of B at
 * bp + k*ldb (ldb = NR for a packed panel, the row stride when B is read in place). init is C itself when
 * beta, else the NR values at bias (a zero-padded vector) on every row, else 0.
 */
SC_INLINE void ukr(const int mr, int K, const f32* a, const idx rsa, const idx csa, const f32* bp, idx ldb, f32* c, idx ldc, int beta, const f32* bias) {
  vf acc[MR][NV];
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < NV; j++) acc[i][j] = beta ? vload(c + i * ldc + j * VW) : bias ? vload(bias + j * VW) : vset1(0.0f);
  for (int k = 0; k < K; k++) {
    vf bv[NV];
    for (int j = 0; j < NV; j++) bv[j] = vload(bp + (idx)k * ldb + j * VW);
    const f32* ak = a + k * csa;
    for (int i = 0; i < mr; i++) {
      vf ai = vset1(ak[i * rsa]);
      for (int j = 0; j < NV; j++) acc[i][j] = vmadd(ai, bv[j], acc[i][j]);
    }
  }
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < NV; j++) vstore(c + i * ldc + j * VW, acc[i][j]);
}

/* ukr with mr and the common stride patterns made compile-time constants (so the tile stays in registers). */
SC_INLINE void ukr_strides(const int mr, int K, const f32* a, idx rsa, idx csa, const f32* bp, idx ldb, f32* c, idx ldc, int beta, const f32* bias) {
  if (rsa == 1 && csa == MR) ukr(mr, K, a, 1, MR, bp, ldb, c, ldc, beta, bias);
  else if (csa == 1) ukr(mr, K, a, rsa, 1, bp, ldb, c, ldc, beta, bias);
  else if (rsa == 1) ukr(mr, K, a, 1, csa, bp, ldb, c, ldc, beta, bias);
  else ukr(mr, K, a, rsa, csa, bp, ldb, c, ldc, beta, bias);
}

static void ukr_any(int mr, int K, const f32* a, idx rsa, idx csa, const f32* bp, idx ldb, f32* c, idx ldc, int beta, const f32* bias) {
  switch (mr) {
#define SC_CASE(m) case m: ukr_strides(m, K, a, rsa, csa, bp, ldb, c, ldc, beta, bias); break;
    SC_CASE(1) SC_CASE(2) SC_CASE(3) SC_CASE(4)
#if MR > 4
    SC_CASE(5) SC_CASE(6)
#endif
#if MR > 6
    SC_CASE(7) SC_CASE(8)
#endif
#undef SC_CASE
    default: break;
  }
}

/* One tile of up to MR x NR, through a register-width scratch tile when it is narrower than NR. */
static void tile(int mr, int nr, int K, const f32* a, idx rsa, idx csa, const f32* bp, idx ldb, f32* c, idx ldc, int beta, const f32* bias) {
  if (nr == NR) {
    ukr_any(mr, K, a, rsa, csa, bp, ldb, c, ldc, beta, bias);
    return;
  }
  f32 t[MR * NR];
  if (beta)
    for (int i = 0; i < mr; i++)
      for (int j = 0; j < NR; j++) t[i * NR + j] = j < nr ? c[i * ldc + j] : 0.0f;
  ukr_any(mr, K, a, rsa, csa, bp, ldb, t, NR, beta, bias);
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < nr; j++) c[i * ldc + j] = t[i * NR + j];
}

/*
 * C[M,N] = init + A[M,K] B[K,N] with B pre-packed by pack_b and A(i,k) = a[i*rsa + k*csa]; init is C when
 * beta, else `bias` (zero-padded to whole panels) on every row when given, else 0.
 */
static void gemm_pb(int M, int N, int K, const f32* a, idx rsa, idx csa, const f32* bp, f32* c, idx ldc, int beta, const f32* bias) {
  if (K == 0) {
    if (!beta)
      for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) c[i * ldc + j] = bias ? bias[j] : 0.0f;
    return;
  }
  for (int jp = 0; jp < N; jp += NR, bp += (idx)K * NR) {
    int nr = N - jp < NR ? N - jp : NR;
    for (int i = 0; i < M; i += MR) tile(M - i < MR ? M - i : MR, nr, K, a + i * rsa, rsa, csa, bp, NR, c + i * ldc + jp, ldc, beta, bias ? bias + jp : 0);
  }
}

/* Copies v[N] into a zero-padded vector of whole panels (the bias form gemm_pb takes). */
static void pad_panels(int N, const f32* v, f32* dst) {
  int n = ((N + NR - 1) / NR) * NR;
  for (int j = 0; j < n; j++) dst[j] = j < N ? v[j] : 0.0f;
}

/* Packs A(i, k) = a[i*rsa + k*csa], i < M, k < K, into panels of MR rows, each [k][MR], zero-padded. */
static void pack_a(int M, int K, const f32* a, idx rsa, idx csa, f32* dst) {
  for (int ip = 0; ip < M; ip += MR) {
    int mr = M - ip < MR ? M - ip : MR;
    for (int k = 0; k < K; k++, dst += MR) {
      const f32* s = a + ip * rsa + k * csa;
      int i = 0;
      for (; i < mr; i++) dst[i] = s[i * rsa];
      for (; i < MR; i++) dst[i] = 0.0f;
    }
  }
}

/* Rows of A packed at a time (a multiple of every target's MR), the widest B block, and gemm_at's scratch. */
#define MBLOCK 48
#define NBLOCK 256
#define GEMM_SCRATCH (KC * MBLOCK + KC * NBLOCK + 4 * NBLOCK)

/*
 * C[M,N] (=, or += when beta) A B for B(k,j) = b[k*ldb + j], N at most NBLOCK. Per block of KC rows of K, B is
 * packed once (rows far apart in memory would otherwise each cost a page walk in the inner loop) and A is
 * packed MBLOCK rows at a time, so A may have any strides (weight gradients read it transposed). Scratch:
 * GEMM_SCRATCH floats. K blocks continue each element's chain through C.
 */
static void gemm_at(int M, int N, int K, const f32* a, idx rsa, idx csa, const f32* b, idx ldb, f32* c, idx ldc, int beta, f32* scratch) {
  if (K == 0) {
    gemm_pb(M, N, 0, a, rsa, csa, b, c, ldc, beta, 0);
    return;
  }
  f32* ap = scratch;
  f32* bp = scratch + KC * MBLOCK;
  for (int kb = 0; kb < K; kb += KC) {
    int kc = K - kb < KC ? K - kb : KC;
    int bk = kb == 0 ? beta : 1;
    pack_b(kc, N, b + kb * ldb, ldb, 1, bp);
    for (int i0 = 0; i0 < M; i0 += MBLOCK) {
      int mb = M - i0 < MBLOCK ? M - i0 : MBLOCK;
      pack_a(mb, kc, a + i0 * rsa + kb * csa, rsa, csa, ap);
      for (int jp = 0; jp < N; jp += NR) {
        int nr = N - jp < NR ? N - jp : NR;
        const f32* panel = bp + (idx)jp * kc;
        for (int ip = 0; ip < mb; ip += MR)
          tile(mb - ip < MR ? mb - ip : MR, nr, kc, ap + (idx)ip * kc, 1, MR, panel, NR, c + (i0 + ip) * ldc + jp, ldc, bk, 0);
      }
    }
  }
}

#endif
