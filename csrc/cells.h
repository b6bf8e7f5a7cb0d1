/*
 * Element-wise parts of the RNN, LSTM and GRU cells (forward and backward), bias sums and the optimizers.
 * Per-step blocks are [rows, G*H] with PyTorch's gate order (LSTM i,f,g,o; GRU r,z,n). No reductions across
 * rows here, so any split of the rows between threads gives the same bits.
 */
#ifndef SC_CELLS_H
#define SC_CELLS_H
#include "math.h"

/*
 * out[j] = sum over rows i of a[i*lda + j], j < N: four running sums (rows i % 4) added as (s0 + s1) + (s2 + s3).
 * A fixed order that does not depend on the vector width, with four independent chains instead of one.
 */
static void colsum(const f32* a, int M, int N, idx lda, f32* out) {
  int j = 0;
  int M4 = M & ~3;
  for (; j + VW <= N; j += VW) {
    vf s0 = vset1(0.0f), s1 = s0, s2 = s0, s3 = s0;
    const f32* p = a + j;
    for (int i = 0; i < M4; i += 4, p += 4 * lda) {
      s0 = vadd(s0, vload(p));
      s1 = vadd(s1, vload(p + lda));
      s2 = vadd(s2, vload(p + 2 * lda));
      s3 = vadd(s3, vload(p + 3 * lda));
    }
    vf t[4] = {s0, s1, s2, s3};
    for (int i = M4; i < M; i++, p += lda) t[i & 3] = vadd(t[i & 3], vload(p));
    vstore(out + j, vadd(vadd(t[0], t[1]), vadd(t[2], t[3])));
  }
  for (; j < N; j++) {
    f32 t[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int i = 0; i < M; i++) t[i & 3] += a[i * lda + j];
    out[j] = (t[0] + t[1]) + (t[2] + t[3]);
  }
}

/* LSTM: gate pre-activations become activations (i,f,g,o) in place; c = f*c_prev + i*g; h = o*tanh(c). */
static void lstm_forward(f32* gates, const f32* c_prev, f32* c, f32* tc, f32* h, int B, int H) {
  for (int b = 0; b < B; b++) {
    f32* g = gates + (idx)b * 4 * H;
    sigmoid_n(g, 2 * H);
    tanh_n(g + 2 * H, H);
    sigmoid_n(g + 3 * H, H);
    const f32* cp = c_prev + (idx)b * H;
    f32* cb = c + (idx)b * H;
    f32* tb = tc + (idx)b * H;
    f32* hb = h + (idx)b * H;
    for (int j = 0; j < H; j++) {
      f32 fc = g[H + j] * cp[j];
      f32 ig = g[j] * g[2 * H + j];
      cb[j] = fc + ig;
      tb[j] = cb[j];
    }
    tanh_n(tb, H);
    for (int j = 0; j < H; j++) hb[j] = g[3 * H + j] * tb[j];
  }
}

/*
 * GRU (PyTorch): gi = x W_ih^T + b_ih, gh = h_prev W_hh^T + b_hh; r = sig(gi_r + gh_r), z = sig(gi_z + gh_z),
 * n = tanh(gi_n + r * gh_n), h = (1-z) n + z h_prev. On return gi holds (r, z, n); gh keeps gh_n for backward.
 */
static void gru_forward(f32* gi, const f32* gh, const f32* h_prev, f32* h, int B, int H) {
  for (int b = 0; b < B; b++) {
    f32* a = gi + (idx)b * 3 * H;
    const f32* g = gh + (idx)b * 3 * H;
    for (int j = 0; j < 2 * H; j++) a[j] += g[j];
    sigmoid_n(a, 2 * H);
    for (int j = 0; j < H; j++) {
      f32 rn = a[j] * g[2 * H + j];
      a[2 * H + j] += rn;
    }
    tanh_n(a + 2 * H, H);
    const f32* hp = h_prev + (idx)b * H;
    f32* hb = h + (idx)b * H;
    for (int j = 0; j < H; j++) {
      f32 n = a[2 * H + j];
      f32 zd = a[H + j] * (hp[j] - n);
      hb[j] = n + zd;
    }
  }
}

/* RNN backward: dpre = dh * (1 - h^2). */
static void rnn_backward(const f32* h, const f32* dh, f32* dpre, idx n) {
  for (idx i = 0; i < n; i++) {
    f32 h2 = h[i] * h[i];
    dpre[i] = dh[i] * (1.0f - h2);
  }
}

/* LSTM backward: from activations, tanh(c), c_prev, dh and the carried dc (updated to dc_prev): dgates[B,4H]. */
static void lstm_backward(const f32* acts, const f32* tc, const f32* c_prev, const f32* dh, f32* dc, f32* dgates, int B, int H) {
  for (int b = 0; b < B; b++) {
    const f32* a = acts + (idx)b * 4 * H;
    f32* d = dgates + (idx)b * 4 * H;
    for (int j = 0; j < H; j++) {
      idx q = (idx)b * H + j;
      f32 i = a[j], f = a[H + j], g = a[2 * H + j], o = a[3 * H + j], t = tc[q];
      f32 dhq = dh[q];
      f32 t2 = t * t;
      f32 dho = dhq * o;
      f32 dcq = dc[q] + dho * (1.0f - t2);
      f32 dig = dcq * g;
      d[j] = dig * i * (1.0f - i);
      f32 dfc = dcq * c_prev[q];
      d[H + j] = dfc * f * (1.0f - f);
      f32 g2 = g * g;
      d[2 * H + j] = dcq * i * (1.0f - g2);
      f32 dot = dhq * t;
      d[3 * H + j] = dot * o * (1.0f - o);
      dc[q] = dcq * f;
    }
  }
}

/*
 * GRU backward: from (r,z,n), gh_n, h_prev and dh: dgi[B,3H] (input side), dgh[B,3H] (recurrent side: equal
 * for r and z, r * dn for n) and the direct part z * dh of dh_prev.
 */
static void gru_backward(const f32* acts, const f32* gh, const f32* h_prev, const f32* dh, f32* dgi, f32* dgh, f32* dh_prev, int B, int H) {
  for (int b = 0; b < B; b++) {
    const f32* a = acts + (idx)b * 3 * H;
    const f32* g = gh + (idx)b * 3 * H;
    f32* di = dgi + (idx)b * 3 * H;
    f32* dr = dgh + (idx)b * 3 * H;
    for (int j = 0; j < H; j++) {
      idx q = (idx)b * H + j;
      f32 r = a[j], z = a[H + j], n = a[2 * H + j], hp = h_prev[q], d = dh[q];
      f32 n2 = n * n;
      f32 dn = d * (1.0f - z) * (1.0f - n2);
      f32 dz = d * (hp - n) * z * (1.0f - z);
      f32 drr = dn * g[2 * H + j] * r * (1.0f - r);
      di[j] = drr; dr[j] = drr;
      di[H + j] = dz; dr[H + j] = dz;
      di[2 * H + j] = dn; dr[2 * H + j] = dn * r;
      dh_prev[q] = d * z;
    }
  }
}

/* Sum of squares with 16 running sums (lane i % 16, in order), added up in a fixed order: width-independent. */
static f32 sumsq16(const f32* x, idx n) {
  f32 acc[16] = {0};
  idx i = 0;
  vf v[16 / VW];
  for (int q = 0; q < 16 / VW; q++) v[q] = vset1(0.0f);
  for (; i + 16 <= n; i += 16)
    for (int q = 0; q < 16 / VW; q++) {
      vf xv = vload(x + i + q * VW);
      v[q] = vmadd(xv, xv, v[q]);
    }
  for (int q = 0; q < 16 / VW; q++) vstore(acc + q * VW, v[q]);
  for (; i < n; i++) acc[i & 15] = smadd(x[i], x[i], acc[i & 15]);
  f32 s = 0.0f;
  for (int q = 0; q < 16; q++) s += acc[q];
  return s;
}

/* Adam (bias-corrected, as PyTorch and tfjs): p -= lr * mhat / (sqrt(vhat) + eps); g is scaled by gscale first. */
static void adam(f32* p, const f32* g, f32* m, f32* v, idx n, f32 lr, f32 b1, f32 b2, f32 eps, f32 bc1, f32 bc2, f32 gscale) {
  for (idx i = 0; i < n; i++) {
    f32 gi = g[i] * gscale;
    f32 m1 = b1 * m[i];
    f32 m2 = (1.0f - b1) * gi;
    m[i] = m1 + m2;
    f32 v1 = b2 * v[i];
    f32 v2 = (1.0f - b2) * gi * gi;
    v[i] = v1 + v2;
    f32 mh = m[i] / bc1, vh = v[i] / bc2;
    p[i] -= lr * mh / (__builtin_sqrtf(vh) + eps);
  }
}

/* RMSProp as tfjs does it (no momentum, not centered): ms = rho ms + (1-rho) g^2; p -= lr g / sqrt(ms + eps). */
static void rmsprop(f32* p, const f32* g, f32* ms, idx n, f32 lr, f32 rho, f32 eps, f32 gscale) {
  for (idx i = 0; i < n; i++) {
    f32 gi = g[i] * gscale;
    f32 a = rho * ms[i];
    f32 b = (1.0f - rho) * gi * gi;
    ms[i] = a + b;
    p[i] -= lr * gi / __builtin_sqrtf(ms[i] + eps);
  }
}

/* SGD: p -= lr * g. */
static void sgd(f32* p, const f32* g, idx n, f32 lr, f32 gscale) {
  for (idx i = 0; i < n; i++) p[i] -= lr * g[i] * gscale;
}

#endif
