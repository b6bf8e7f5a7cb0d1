/*
 * stockcast fused recurrent kernels, compiled to WebAssembly with SIMD (clang --target=wasm32 -msimd128).
 * Dense products (three layouts) and the element-wise forward/backward math of the RNN, LSTM and GRU cells.
 * No libc: memory is the module's linear memory, laid out by the TypeScript engine (src/models/fused/).
 * Layouts are row-major; per-step blocks are [B, G*H] with PyTorch's gate order (LSTM i,f,g,o; GRU r,z,n).
 */
#include <wasm_simd128.h>

typedef float f32;
#define EXPORT __attribute__((visibility("default")))

/* ---------- element-wise math: exp, sigmoid, tanh (same polynomial in SIMD and scalar code) ---------- */

static inline v128_t v_exp(v128_t x) {
  x = wasm_f32x4_min(wasm_f32x4_max(x, wasm_f32x4_splat(-87.0f)), wasm_f32x4_splat(88.0f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), wasm_f32x4_add(r, wasm_f32x4_splat(1.0f)));
  v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(p, scale);
}

static inline v128_t v_sigmoid(v128_t x) {
  v128_t one = wasm_f32x4_splat(1.0f);
  return wasm_f32x4_div(one, wasm_f32x4_add(one, v_exp(wasm_f32x4_neg(x))));
}

static inline v128_t v_tanh(v128_t x) {
  /* tanh(x) = 1 - 2 / (exp(2x) + 1): exact at 0 and saturates cleanly. */
  v128_t one = wasm_f32x4_splat(1.0f);
  v128_t e = v_exp(wasm_f32x4_add(x, x));
  return wasm_f32x4_sub(one, wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(e, one)));
}

static inline f32 lane0(v128_t v) { return wasm_f32x4_extract_lane(v, 0); }
static inline f32 s_sigmoid(f32 x) { return lane0(v_sigmoid(wasm_f32x4_splat(x))); }
static inline f32 s_tanh(f32 x) { return lane0(v_tanh(wasm_f32x4_splat(x))); }

/* Element-wise tanh / sigmoid of n values in place (for heads and tests). */
EXPORT void tanh_inplace(f32* x, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(x + i, v_tanh(wasm_v128_load(x + i)));
  for (; i < n; i++) x[i] = s_tanh(x[i]);
}

EXPORT void sigmoid_inplace(f32* x, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(x + i, v_sigmoid(wasm_v128_load(x + i)));
  for (; i < n; i++) x[i] = s_sigmoid(x[i]);
}

/* ---------- dense products ---------- */

/*
 * C[M,N] (+)= A · B with A(i,k) = A[i*sai + k*sak] and B[K,N] row-major.
 * (sai, sak) = (K, 1) gives A·B; (1, M) gives A^T·B for A stored [K,M].
 * Blocks of 4 rows x 8 columns keep 8 accumulators in registers.
 */
EXPORT void gemm_ab(int M, int N, int K, const f32* A, int sai, int sak, const f32* B, f32* C, int accumulate) {
  int i = 0;
  for (; i + 4 <= M; i += 4) {
    const f32* a0 = A + (i + 0) * sai;
    const f32* a1 = A + (i + 1) * sai;
    const f32* a2 = A + (i + 2) * sai;
    const f32* a3 = A + (i + 3) * sai;
    f32* c0 = C + (i + 0) * N;
    f32* c1 = C + (i + 1) * N;
    f32* c2 = C + (i + 2) * N;
    f32* c3 = C + (i + 3) * N;
    int j = 0;
    for (; j + 8 <= N; j += 8) {
      v128_t z = wasm_f32x4_splat(0.0f);
      v128_t x00 = accumulate ? wasm_v128_load(c0 + j) : z, x01 = accumulate ? wasm_v128_load(c0 + j + 4) : z;
      v128_t x10 = accumulate ? wasm_v128_load(c1 + j) : z, x11 = accumulate ? wasm_v128_load(c1 + j + 4) : z;
      v128_t x20 = accumulate ? wasm_v128_load(c2 + j) : z, x21 = accumulate ? wasm_v128_load(c2 + j + 4) : z;
      v128_t x30 = accumulate ? wasm_v128_load(c3 + j) : z, x31 = accumulate ? wasm_v128_load(c3 + j + 4) : z;
      const f32* b = B + j;
      for (int k = 0; k < K; k++, b += N) {
        v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
        v128_t s0 = wasm_f32x4_splat(a0[k * sak]), s1 = wasm_f32x4_splat(a1[k * sak]);
        v128_t s2 = wasm_f32x4_splat(a2[k * sak]), s3 = wasm_f32x4_splat(a3[k * sak]);
        x00 = wasm_f32x4_add(x00, wasm_f32x4_mul(s0, b0)); x01 = wasm_f32x4_add(x01, wasm_f32x4_mul(s0, b1));
        x10 = wasm_f32x4_add(x10, wasm_f32x4_mul(s1, b0)); x11 = wasm_f32x4_add(x11, wasm_f32x4_mul(s1, b1));
        x20 = wasm_f32x4_add(x20, wasm_f32x4_mul(s2, b0)); x21 = wasm_f32x4_add(x21, wasm_f32x4_mul(s2, b1));
        x30 = wasm_f32x4_add(x30, wasm_f32x4_mul(s3, b0)); x31 = wasm_f32x4_add(x31, wasm_f32x4_mul(s3, b1));
      }
      wasm_v128_store(c0 + j, x00); wasm_v128_store(c0 + j + 4, x01);
      wasm_v128_store(c1 + j, x10); wasm_v128_store(c1 + j + 4, x11);
      wasm_v128_store(c2 + j, x20); wasm_v128_store(c2 + j + 4, x21);
      wasm_v128_store(c3 + j, x30); wasm_v128_store(c3 + j + 4, x31);
    }
    for (; j < N; j++) {
      f32 s0 = accumulate ? c0[j] : 0, s1 = accumulate ? c1[j] : 0, s2 = accumulate ? c2[j] : 0, s3 = accumulate ? c3[j] : 0;
      for (int k = 0; k < K; k++) {
        f32 bv = B[k * N + j];
        s0 += a0[k * sak] * bv; s1 += a1[k * sak] * bv; s2 += a2[k * sak] * bv; s3 += a3[k * sak] * bv;
      }
      c0[j] = s0; c1[j] = s1; c2[j] = s2; c3[j] = s3;
    }
  }
  for (; i < M; i++) {
    const f32* a = A + i * sai;
    f32* c = C + i * N;
    int j = 0;
    for (; j + 4 <= N; j += 4) {
      v128_t x = accumulate ? wasm_v128_load(c + j) : wasm_f32x4_splat(0.0f);
      for (int k = 0; k < K; k++) x = wasm_f32x4_add(x, wasm_f32x4_mul(wasm_f32x4_splat(a[k * sak]), wasm_v128_load(B + k * N + j)));
      wasm_v128_store(c + j, x);
    }
    for (; j < N; j++) {
      f32 s = accumulate ? c[j] : 0;
      for (int k = 0; k < K; k++) s += a[k * sak] * B[k * N + j];
      c[j] = s;
    }
  }
}

static inline f32 hsum(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3);
}

/* C[M,N] (+)= A[M,K] · B^T for B stored [N,K]: dot products along contiguous K, 2 x 4 at a time. */
EXPORT void gemm_abt(int M, int N, int K, const f32* A, const f32* B, f32* C, int accumulate) {
  int K4 = K & ~3;
  int i = 0;
  for (; i + 2 <= M; i += 2) {
    const f32* a0 = A + i * K;
    const f32* a1 = a0 + K;
    int j = 0;
    for (; j + 4 <= N; j += 4) {
      const f32* b0 = B + j * K;
      const f32* b1 = b0 + K;
      const f32* b2 = b1 + K;
      const f32* b3 = b2 + K;
      v128_t z = wasm_f32x4_splat(0.0f);
      v128_t x00 = z, x01 = z, x02 = z, x03 = z, x10 = z, x11 = z, x12 = z, x13 = z;
      for (int k = 0; k < K4; k += 4) {
        v128_t va0 = wasm_v128_load(a0 + k), va1 = wasm_v128_load(a1 + k);
        v128_t vb0 = wasm_v128_load(b0 + k), vb1 = wasm_v128_load(b1 + k), vb2 = wasm_v128_load(b2 + k), vb3 = wasm_v128_load(b3 + k);
        x00 = wasm_f32x4_add(x00, wasm_f32x4_mul(va0, vb0)); x01 = wasm_f32x4_add(x01, wasm_f32x4_mul(va0, vb1));
        x02 = wasm_f32x4_add(x02, wasm_f32x4_mul(va0, vb2)); x03 = wasm_f32x4_add(x03, wasm_f32x4_mul(va0, vb3));
        x10 = wasm_f32x4_add(x10, wasm_f32x4_mul(va1, vb0)); x11 = wasm_f32x4_add(x11, wasm_f32x4_mul(va1, vb1));
        x12 = wasm_f32x4_add(x12, wasm_f32x4_mul(va1, vb2)); x13 = wasm_f32x4_add(x13, wasm_f32x4_mul(va1, vb3));
      }
      f32 s[8] = {hsum(x00), hsum(x01), hsum(x02), hsum(x03), hsum(x10), hsum(x11), hsum(x12), hsum(x13)};
      for (int k = K4; k < K; k++) {
        s[0] += a0[k] * b0[k]; s[1] += a0[k] * b1[k]; s[2] += a0[k] * b2[k]; s[3] += a0[k] * b3[k];
        s[4] += a1[k] * b0[k]; s[5] += a1[k] * b1[k]; s[6] += a1[k] * b2[k]; s[7] += a1[k] * b3[k];
      }
      f32* c0 = C + i * N + j;
      f32* c1 = c0 + N;
      for (int q = 0; q < 4; q++) {
        c0[q] = (accumulate ? c0[q] : 0) + s[q];
        c1[q] = (accumulate ? c1[q] : 0) + s[4 + q];
      }
    }
    for (; j < N; j++) {
      const f32* b = B + j * K;
      f32 s0 = 0, s1 = 0;
      for (int k = 0; k < K; k++) { s0 += a0[k] * b[k]; s1 += a1[k] * b[k]; }
      C[i * N + j] = (accumulate ? C[i * N + j] : 0) + s0;
      C[(i + 1) * N + j] = (accumulate ? C[(i + 1) * N + j] : 0) + s1;
    }
  }
  for (; i < M; i++) {
    const f32* a = A + i * K;
    for (int j = 0; j < N; j++) {
      const f32* b = B + j * K;
      v128_t x = wasm_f32x4_splat(0.0f);
      for (int k = 0; k < K4; k += 4) x = wasm_f32x4_add(x, wasm_f32x4_mul(wasm_v128_load(a + k), wasm_v128_load(b + k)));
      f32 s = hsum(x);
      for (int k = K4; k < K; k++) s += a[k] * b[k];
      C[i * N + j] = (accumulate ? C[i * N + j] : 0) + s;
    }
  }
}

/* C[M,N] += bias[N] on every row. */
EXPORT void add_bias(f32* C, const f32* bias, int M, int N) {
  for (int i = 0; i < M; i++) {
    f32* c = C + i * N;
    int j = 0;
    for (; j + 4 <= N; j += 4) wasm_v128_store(c + j, wasm_f32x4_add(wasm_v128_load(c + j), wasm_v128_load(bias + j)));
    for (; j < N; j++) c[j] += bias[j];
  }
}

/* out[N] += column sums of A[M,N] (bias gradients). */
EXPORT void colsum_acc(const f32* A, int M, int N, f32* out) {
  for (int i = 0; i < M; i++) {
    const f32* a = A + i * N;
    int j = 0;
    for (; j + 4 <= N; j += 4) wasm_v128_store(out + j, wasm_f32x4_add(wasm_v128_load(out + j), wasm_v128_load(a + j)));
    for (; j < N; j++) out[j] += a[j];
  }
}

/* ---------- cells: forward ---------- */

/* RNN: h = tanh(pre) in place ([B,H] contiguous). */
EXPORT void rnn_forward(f32* pre, int n) { tanh_inplace(pre, n); }

/*
 * LSTM: gates[B,4H] pre-activations become activations (i,f,g,o) in place;
 * c = f*c_prev + i*g; h = o*tanh(c). tc stores tanh(c) for the backward pass.
 */
EXPORT void lstm_forward(f32* gates, const f32* c_prev, f32* c, f32* tc, f32* h, int B, int H) {
  for (int b = 0; b < B; b++) {
    f32* g = gates + b * 4 * H;
    sigmoid_inplace(g, 2 * H);
    tanh_inplace(g + 2 * H, H);
    sigmoid_inplace(g + 3 * H, H);
    const f32* cp = c_prev + b * H;
    f32* cb = c + b * H;
    f32* tb = tc + b * H;
    f32* hb = h + b * H;
    for (int j = 0; j < H; j++) cb[j] = g[H + j] * cp[j] + g[j] * g[2 * H + j];
    for (int j = 0; j < H; j++) tb[j] = cb[j];
    tanh_inplace(tb, H);
    for (int j = 0; j < H; j++) hb[j] = g[3 * H + j] * tb[j];
  }
}

/*
 * GRU (PyTorch): gi = x W_ih^T + b_ih, gh = h_prev W_hh^T + b_hh (both [B,3H]);
 * r = sig(gi_r + gh_r), z = sig(gi_z + gh_z), n = tanh(gi_n + r * gh_n), h = (1-z) n + z h_prev.
 * On return gi holds (r, z, n) and gh keeps gh_n for the backward pass.
 */
EXPORT void gru_forward(f32* gi, const f32* gh, const f32* h_prev, f32* h, int B, int H) {
  for (int b = 0; b < B; b++) {
    f32* a = gi + b * 3 * H;
    const f32* g = gh + b * 3 * H;
    for (int j = 0; j < 2 * H; j++) a[j] += g[j];
    sigmoid_inplace(a, 2 * H);
    for (int j = 0; j < H; j++) a[2 * H + j] += a[j] * g[2 * H + j];
    tanh_inplace(a + 2 * H, H);
    const f32* hp = h_prev + b * H;
    f32* hb = h + b * H;
    for (int j = 0; j < H; j++) hb[j] = a[2 * H + j] + a[H + j] * (hp[j] - a[2 * H + j]);
  }
}

/* ---------- cells: backward (dh is the total gradient reaching h_t) ---------- */

/* RNN: dpre = dh * (1 - h^2). */
EXPORT void rnn_backward(const f32* h, const f32* dh, f32* dpre, int n) {
  for (int i = 0; i < n; i++) dpre[i] = dh[i] * (1.0f - h[i] * h[i]);
}

/*
 * LSTM: from activations (i,f,g,o), tanh(c), c_prev, dh and the carried dc (updated in place to dc_prev),
 * writes the pre-activation gradients dgates[B,4H].
 */
EXPORT void lstm_backward(const f32* acts, const f32* tc, const f32* c_prev, const f32* dh, f32* dc, f32* dgates, int B, int H) {
  for (int b = 0; b < B; b++) {
    const f32* a = acts + b * 4 * H;
    f32* d = dgates + b * 4 * H;
    for (int j = 0; j < H; j++) {
      int q = b * H + j;
      f32 i = a[j], f = a[H + j], g = a[2 * H + j], o = a[3 * H + j], t = tc[q];
      f32 dhq = dh[q];
      f32 dcq = dc[q] + dhq * o * (1.0f - t * t);
      d[j] = dcq * g * i * (1.0f - i);
      d[H + j] = dcq * c_prev[q] * f * (1.0f - f);
      d[2 * H + j] = dcq * i * (1.0f - g * g);
      d[3 * H + j] = dhq * t * o * (1.0f - o);
      dc[q] = dcq * f;
    }
  }
}

/*
 * GRU: from (r,z,n), gh_n, h_prev and dh, writes dgi[B,3H] (input-side pre-activation gradients),
 * dgh[B,3H] (recurrent side: equal for r and z, r * dn_pre for n) and the direct part z * dh of dh_prev.
 */
EXPORT void gru_backward(const f32* acts, const f32* gh, const f32* h_prev, const f32* dh, f32* dgi, f32* dgh, f32* dh_prev, int B, int H) {
  for (int b = 0; b < B; b++) {
    const f32* a = acts + b * 3 * H;
    const f32* g = gh + b * 3 * H;
    f32* di = dgi + b * 3 * H;
    f32* dr = dgh + b * 3 * H;
    for (int j = 0; j < H; j++) {
      int q = b * H + j;
      f32 r = a[j], z = a[H + j], n = a[2 * H + j], hp = h_prev[q], d = dh[q];
      f32 dn = d * (1.0f - z) * (1.0f - n * n);
      f32 dz = d * (hp - n) * z * (1.0f - z);
      f32 drr = dn * g[2 * H + j] * r * (1.0f - r);
      di[j] = drr; dr[j] = drr;
      di[H + j] = dz; dr[H + j] = dz;
      di[2 * H + j] = dn; dr[2 * H + j] = dn * r;
      dh_prev[q] = d * z;
    }
  }
}

/* ---------- optimizer and norms ---------- */

/* Sum of squares (gradient-norm clipping). */
EXPORT f32 sumsq(const f32* x, int n) {
  v128_t acc = wasm_f32x4_splat(0.0f);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t v = wasm_v128_load(x + i);
    acc = wasm_f32x4_add(acc, wasm_f32x4_mul(v, v));
  }
  f32 s = hsum(acc);
  for (; i < n; i++) s += x[i] * x[i];
  return s;
}

/* Adam (bias-corrected, as in PyTorch and tfjs): p -= lr * mhat / (sqrt(vhat) + eps); g is scaled by gscale first. */
EXPORT void adam_step(f32* p, const f32* g, f32* m, f32* v, int n, f32 lr, f32 b1, f32 b2, f32 eps, f32 bc1, f32 bc2, f32 gscale) {
  for (int i = 0; i < n; i++) {
    f32 gi = g[i] * gscale;
    m[i] = b1 * m[i] + (1.0f - b1) * gi;
    v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
    f32 mh = m[i] / bc1, vh = v[i] / bc2;
    p[i] -= lr * mh / (__builtin_sqrtf(vh) + eps);
  }
}

/* RMSProp as tfjs does it (no momentum, not centered): ms = rho ms + (1-rho) g^2; p -= lr g / sqrt(ms + eps). */
EXPORT void rmsprop_step(f32* p, const f32* g, f32* ms, int n, f32 lr, f32 rho, f32 eps, f32 gscale) {
  for (int i = 0; i < n; i++) {
    f32 gi = g[i] * gscale;
    ms[i] = rho * ms[i] + (1.0f - rho) * gi * gi;
    p[i] -= lr * gi / __builtin_sqrtf(ms[i] + eps);
  }
}

/* SGD: p -= lr * g. */
EXPORT void sgd_step(f32* p, const f32* g, int n, f32 lr, f32 gscale) {
  for (int i = 0; i < n; i++) p[i] -= lr * g[i] * gscale;
}
