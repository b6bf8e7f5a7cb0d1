/*
 * The weight-gradient tiles of the network in csrc/model.h: its descriptor and helpers, read after its backward pass.
 */
#ifndef SC_GRADS_H
#define SC_GRADS_H
#include "model.h"

/*
 * Weight gradients. For RNN and LSTM cells one product per layer gives both matrices: W_ih and W_hh are stored
 * back to back as [in + H, G] (src/models/engines/fused/params.ts), and d[W_ih; W_hh] = [X, H_prev]^T dG. GRU needs two
 * (its recurrent gradient dG_h differs from dG_x). Bias gradients are the column sums of dG, taken from the
 * packed blocks of the first row of tiles. The products are cut into tiles; every element is one chain over all
 * T*B rows in order whatever the tile it falls in, so the tile shape only changes speed: D_TILES asks for at
 * least that many tiles per product (enough for every thread) and tiles shrink from 192 x 256 until there are.
 */
typedef struct {
  int M;                /* rows: in + H (stacked), in, or H */
  const f32 *a1, *a2;   /* row sources, stored transposed: row i < n1 at a1[k*lda1 + i], the rest at a2[k*lda2 + i - n1] */
  int n1;
  idx lda1, lda2;
  const f32* dG;
  f32* C;               /* [M, G] */
  f32 *bias1, *bias2;   /* column sums of dG go here (bias2 may be 0) */
} GradProduct;

static int blocks(int n, int b) { return (n + b - 1) / b; }

static int products(const Model* m, int k, GradProduct* out) {
  int in = in_size(m, k);
  const f32* X = layer_input(m, k);
  const f32* Hs = lat(m, k, L_HS);
  const f32* dGx = lat(m, k, L_DGX);
  if (m->cell != CELL_GRU) {
    GradProduct p = {in + m->H, X, Hs, in, in, m->H, dGx, lat(m, k, L_GWIH), lat(m, k, L_GBIH), lat(m, k, L_GBHH)};
    out[0] = p;
    return 1;
  }
  GradProduct p0 = {in, X, X, in, in, in, dGx, lat(m, k, L_GWIH), lat(m, k, L_GBIH), 0};
  GradProduct p1 = {m->H, Hs, Hs, m->H, m->H, m->H, lat(m, k, L_DGH), lat(m, k, L_GWHH), lat(m, k, L_GBHH), 0};
  out[0] = p0;
  out[1] = p1;
  return 2;
}

typedef struct {
  int rows, cols;
} TileShape;

static TileShape tile_shape_for(const Model* m, int M) {
  int want = (int)m->d[D_TILES];
  TileShape t = {4 * MBLOCK, NBLOCK};
  while (blocks(M, t.rows) * blocks(m->G, t.cols) < want && (t.rows > MBLOCK || t.cols > 64)) {
    if (t.rows > MBLOCK && t.rows >= t.cols / 2) t.rows /= 2;
    else t.cols /= 2;
  }
  return t;
}

static int product_tiles(const Model* m, int M) {
  TileShape t = tile_shape_for(m, M);
  return blocks(M, t.rows) * blocks(m->G, t.cols);
}

static int tile_count(char* base, const double* d) {
  Model m = model_of(base, d);
  int total = 1;
  GradProduct ps[2];
  for (int k = 0; k < m.L; k++) {
    int n = products(&m, k, ps);
    for (int i = 0; i < n; i++) total += product_tiles(&m, ps[i].M);
  }
  return total;
}

/* Packs rows [i0, i0+mb) x k-rows [kb, kb+kc) of a product's stacked A into MR-row panels (zero-padded). */
static void pack_rows(const GradProduct* p, int i0, int mb, int kb, int kc, f32* dst) {
  for (int ip = 0; ip < mb; ip += MR) {
    int r0 = i0 + ip, mr = mb - ip < MR ? mb - ip : MR;
    /* Rows [r0, split) come from a1, [split, r0 + mr) from a2. */
    int split = p->n1 < r0 ? r0 : p->n1 > r0 + mr ? r0 + mr : p->n1;
    const f32* s1 = p->a1 + (idx)kb * p->lda1 + r0;
    const f32* s2 = p->a2 + (idx)kb * p->lda2 + (split - p->n1);
    for (int k = 0; k < kc; k++, dst += MR, s1 += p->lda1, s2 += p->lda2) {
      int i = 0;
      for (; i < split - r0; i++) dst[i] = s1[i];
      for (int j = 0; i < mr; i++, j++) dst[i] = s2[j];
      for (; i < MR; i++) dst[i] = 0.0f;
    }
  }
}

/* Adds the rows of a packed B block (kc x nb, NR-column panels) to per-column running sums, row k to sum k % 4. */
static void add_rows(const f32* bp, int kc, int nb, f32* sums) {
  for (int jp = 0; jp < nb; jp += NR) {
    const f32* panel = bp + (idx)jp * kc;
    f32* s = sums + 4 * jp;
    for (int v = 0; v < NV; v++) {
      vf c0 = vload(s + v * VW), c1 = vload(s + NR + v * VW), c2 = vload(s + 2 * NR + v * VW), c3 = vload(s + 3 * NR + v * VW);
      int k = 0;
      for (; k + 4 <= kc; k += 4) {
        const f32* r = panel + (idx)k * NR + v * VW;
        c0 = vadd(c0, vload(r));
        c1 = vadd(c1, vload(r + NR));
        c2 = vadd(c2, vload(r + 2 * NR));
        c3 = vadd(c3, vload(r + 3 * NR));
      }
      vf t[4] = {c0, c1, c2, c3};
      for (; k < kc; k++) t[k & 3] = vadd(t[k & 3], vload(panel + (idx)k * NR + v * VW));
      for (int q = 0; q < 4; q++) vstore(s + q * NR + v * VW, t[q]);
    }
  }
}

/* One tile: rows [i0, i0+mb), columns [j0, j0+nb) of d(product) over K rows; bias sums with the first row block. */
static void grad_block(const GradProduct* p, int G, int K, int i0, int mb, int j0, int nb, f32* scratch) {
  f32* ap = scratch;
  f32* bp = ap + KC * MBLOCK;
  f32* sums = bp + KC * NBLOCK; /* per panel, 4 x NR running sums: rows k % 4 */
  int with_bias = i0 == 0;
  if (with_bias)
    for (int j = 0; j < 4 * blocks(nb, NR) * NR; j++) sums[j] = 0.0f;
  for (int kb = 0; kb < K; kb += KC) {
    int kc = K - kb < KC ? K - kb : KC;
    pack_b(kc, nb, p->dG + (idx)kb * G + j0, G, 1, bp);
    if (with_bias) add_rows(bp, kc, nb, sums);
    for (int ib = 0; ib < mb; ib += MBLOCK) {
      int m = mb - ib < MBLOCK ? mb - ib : MBLOCK;
      pack_rows(p, i0 + ib, m, kb, kc, ap);
      for (int jp = 0; jp < nb; jp += NR)
        for (int ip = 0; ip < m; ip += MR)
          tile(m - ip < MR ? m - ip : MR, nb - jp < NR ? nb - jp : NR, kc, ap + (idx)ip * kc, 1, MR, bp + (idx)jp * kc, NR, p->C + (idx)(i0 + ib + ip) * G + j0 + jp, G, kb > 0, 0);
    }
  }
  if (with_bias)
    for (int j = 0; j < nb; j++) {
      const f32* q = sums + 4 * (j / NR) * NR + j % NR;
      f32 s = (q[0] + q[NR]) + (q[2 * NR] + q[3 * NR]);
      p->bias1[j0 + j] = s;
      if (p->bias2) p->bias2[j0 + j] = s;
    }
}

static void grad_tile(const Model* m, int tile_id, f32* scratch) {
  int B = m->B, T = m->T, H = m->H, G = m->G, O = m->O;
  idx rows = (idx)T * B;
  GradProduct ps[2];
  for (int k = 0; k < m->L; k++) {
    int n = products(m, k, ps);
    for (int i = 0; i < n; i++) {
      int count = product_tiles(m, ps[i].M);
      if (tile_id >= count) {
        tile_id -= count;
        continue;
      }
      TileShape sh = tile_shape_for(m, ps[i].M);
      int cols = blocks(G, sh.cols);
      int i0 = (tile_id / cols) * sh.rows, j0 = (tile_id % cols) * sh.cols;
      int mb = ps[i].M - i0 < sh.rows ? ps[i].M - i0 : sh.rows, nb = G - j0 < sh.cols ? G - j0 : sh.cols;
      grad_block(&ps[i], G, (int)rows, i0, mb, j0, nb, scratch);
      return;
    }
  }
  /* The head: d fc.weight [O, H] = dOut^T h_top, d fc.bias = column sums of dOut. */
  idx hrows = m->loss == LOSS_MSE ? B : rows;
  const f32* top = lat(m, m->L - 1, L_HS) + (m->loss == LOSS_MSE ? (idx)T * B * H : (idx)B * H);
  const f32* dout = at(m, D_DOUT);
  for (int j0 = 0; j0 < H; j0 += NBLOCK)
    gemm_at(O, H - j0 < NBLOCK ? H - j0 : NBLOCK, (int)hrows, dout, 1, O, top + j0, H, at(m, D_GFCW) + j0, H, 0, scratch);
  colsum(dout, (int)hrows, O, O, at(m, D_GFCB));
}

/* Runs tiles [t0, t1), or claims tiles from the shared counter at `counter` when t1 < 0. */
static void grad_tiles(char* base, const double* d, int t0, int t1, int* counter, f32* scratch) {
  Model m = model_of(base, d);
  if (t1 >= 0) {
    for (int t = t0; t < t1; t++) grad_tile(&m, t, scratch);
    return;
  }
  int total = tile_count(base, d);
  for (;;) {
    int t = __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
    if (t >= total) break;
    grad_tile(&m, t, scratch);
  }
}

#endif
