/*
 * The whole recurrent network's training step on a row range, driven by a descriptor the TypeScript engine
 * writes (src/models/engines/fused/layout.ts mirrors these indices): forward through every layer and time step, the
 * head, and backward-through-time for rows [r0, r1) (the weight gradients, as independent tiles, are csrc/grads.h's).
 * Rows never interact and each gradient element is one chain over all rows in a fixed order, so any number of
 * threads, splitting rows and tiles any way, produces the same bits.
 * Buffers are time-major ([T, B, ...]); the descriptor holds byte offsets from `base` as doubles.
 */
#ifndef SC_MODEL_H
#define SC_MODEL_H
#include "cells.h"
#include "gemm.h"

enum { CELL_RNN = 0, CELL_LSTM = 1, CELL_GRU = 2 };
enum { LOSS_MSE = 0, LOSS_XENT = 1 };
/* Model-wide descriptor words. */
enum {
  D_CELL, D_F, D_H, D_L, D_O, D_LOSS, D_B, D_T, D_DROP,
  D_X0, D_OUT, D_DOUT, D_D, D_DH, D_DC,
  D_FCW, D_FCB, D_GFCW, D_GFCB, D_FCP, D_FCTP, D_FCBP, D_TILES,
  D_LAYERS
};
/* Per-layer descriptor words, starting at D_LAYERS + k * L_WORDS. */
enum {
  L_WIH, L_WHH, L_BIH, L_BHH, L_GWIH, L_GWHH, L_GBIH, L_GBHH,
  L_WIHP, L_WHHP, L_WHHTP, L_WIHTP, L_BINP, L_BHHP,
  L_P, L_HS, L_CS, L_TC, L_GHB, L_MASK, L_XD, L_DGX, L_DGH, L_DHIN,
  L_WORDS
};

typedef struct {
  int cell, F, H, L, O, loss, B, T, drop, G;
  char* base;
  const double* d;
} Model;

static inline f32* at(const Model* m, int word) { return (f32*)(m->base + (idx)m->d[word]); }
static inline f32* lat(const Model* m, int k, int word) { return at(m, D_LAYERS + k * L_WORDS + word); }
static inline int in_size(const Model* m, int k) { return k == 0 ? m->F : m->H; }
static inline int gates(int cell) { return cell == CELL_LSTM ? 4 : cell == CELL_GRU ? 3 : 1; }

static Model model_of(char* base, const double* d) {
  Model m;
  m.base = base;
  m.d = d;
  m.cell = (int)d[D_CELL]; m.F = (int)d[D_F]; m.H = (int)d[D_H]; m.L = (int)d[D_L]; m.O = (int)d[D_O];
  m.loss = (int)d[D_LOSS]; m.B = (int)d[D_B]; m.T = (int)d[D_T]; m.drop = (int)d[D_DROP];
  m.G = gates(m.cell) * m.H;
  return m;
}

/* Gate buffer [T, B, G]: for RNN cells the next hidden state's slot itself (h = tanh of it, in place). */
static f32* gates_buf(const Model* m, int k) { return m->cell == CELL_RNN ? lat(m, k, L_HS) + (idx)m->B * m->H : lat(m, k, L_P); }

/* The layer's input, time-major [T, B, in]: the batch, the layer below's outputs, or their dropped-out copy. */
static f32* layer_input(const Model* m, int k) {
  if (k == 0) return at(m, D_X0);
  if (m->drop) return lat(m, k - 1, L_XD);
  return lat(m, k - 1, L_HS) + (idx)m->B * m->H;
}

/*
 * Packs every weight for the products that use it (after each update and setWeights), and pads the biases the
 * products start from: b_ih + b_hh for the input product of RNN and LSTM cells (both biases in one), b_ih and
 * b_hh separately for GRU (its n gate needs the recurrent part alone).
 */
static void pack_model(char* base, const double* d) {
  Model m = model_of(base, d);
  int H = m.H, G = m.G, O = m.O;
  for (int k = 0; k < m.L; k++) {
    int in = in_size(&m, k);
    /* Stored transposed as [in, G] and [H, G]: forward products read them as they are, backward ones transposed. */
    pack_b(in, G, lat(&m, k, L_WIH), G, 1, lat(&m, k, L_WIHP));
    pack_b(H, G, lat(&m, k, L_WHH), G, 1, lat(&m, k, L_WHHP));
    pack_b(G, H, lat(&m, k, L_WHH), 1, G, lat(&m, k, L_WHHTP));
    if (k > 0) pack_b(G, in, lat(&m, k, L_WIH), 1, G, lat(&m, k, L_WIHTP));
    const f32 *bih = lat(&m, k, L_BIH), *bhh = lat(&m, k, L_BHH);
    f32* binp = lat(&m, k, L_BINP);
    pad_panels(G, bih, binp);
    if (m.cell == CELL_GRU) pad_panels(G, bhh, lat(&m, k, L_BHHP));
    else
      for (int j = 0; j < G; j++) binp[j] = bih[j] + bhh[j];
  }
  pad_panels(O, at(&m, D_FCB), at(&m, D_FCBP));
  /* fc.weight is PyTorch's [O, H]: the head reads it transposed, its backward pass as it is. */
  pack_b(H, O, at(&m, D_FCW), 1, H, at(&m, D_FCP));
  pack_b(O, H, at(&m, D_FCW), H, 1, at(&m, D_FCTP));
}

/* Forward pass of rows [r0, r1) through every layer and the head. */
static void forward_rows(char* base, const double* d, int r0, int r1) {
  Model m = model_of(base, d);
  int B = m.B, T = m.T, H = m.H, G = m.G, O = m.O, R = r1 - r0;
  if (R <= 0) return;
  for (int k = 0; k < m.L; k++) {
    int in = in_size(&m, k);
    const f32* X = layer_input(&m, k);
    f32 *P = gates_buf(&m, k), *Hs = lat(&m, k, L_HS), *Cs = lat(&m, k, L_CS), *TC = lat(&m, k, L_TC), *GHb = lat(&m, k, L_GHB);
    const f32 *wihp = lat(&m, k, L_WIHP), *whhp = lat(&m, k, L_WHHP), *binp = lat(&m, k, L_BINP), *bhhp = lat(&m, k, L_BHHP);
    for (idx q = (idx)r0 * H; q < (idx)r1 * H; q++) Hs[q] = 0.0f;
    if (m.cell == CELL_LSTM)
      for (idx q = (idx)r0 * H; q < (idx)r1 * H; q++) Cs[q] = 0.0f;
    for (int t = 0; t < T; t++) {
      idx row = (idx)t * B + r0;
      const f32* x = X + row * in;
      f32* g = P + row * G;
      f32* hp = Hs + row * H;
      f32* h = hp + (idx)B * H;
      /* Gate pre-activations: the biases, plus x W_ih, plus (RNN, LSTM) h W_hh, each chain in that order. */
      gemm_pb(R, G, in, x, in, 1, wihp, g, G, 0, binp);
      if (m.cell == CELL_RNN) {
        gemm_pb(R, H, H, hp, H, 1, whhp, g, G, 1, 0);
        tanh_n(g, R * H);
      } else if (m.cell == CELL_LSTM) {
        gemm_pb(R, G, H, hp, H, 1, whhp, g, G, 1, 0);
        lstm_forward(g, Cs + row * H, Cs + row * H + (idx)B * H, TC + row * H, h, R, H);
      } else {
        f32* gh = GHb + row * G;
        gemm_pb(R, G, H, hp, H, 1, whhp, gh, G, 0, bhhp);
        gru_forward(g, gh, hp, h, R, H);
      }
    }
    if (m.drop && k < m.L - 1) {
      const f32* mask = lat(&m, k, L_MASK);
      f32* xd = lat(&m, k, L_XD);
      const f32* out = Hs + (idx)B * H;
      for (int t = 0; t < T; t++)
        for (idx q = ((idx)t * B + r0) * H; q < ((idx)t * B + r1) * H; q++) xd[q] = out[q] * mask[q];
    }
  }
  const f32* top = lat(&m, m.L - 1, L_HS);
  f32* out = at(&m, D_OUT);
  const f32 *fcp = at(&m, D_FCP), *fcbp = at(&m, D_FCBP);
  if (m.loss == LOSS_MSE) {
    gemm_pb(R, O, H, top + ((idx)T * B + r0) * H, H, 1, fcp, out + (idx)r0 * O, O, 0, fcbp);
  } else {
    for (int t = 0; t < T; t++) {
      idx row = (idx)t * B + r0;
      gemm_pb(R, O, H, top + row * H + (idx)B * H, H, 1, fcp, out + row * O, O, 0, fcbp);
    }
  }
}

/* Backward-through-time of rows [r0, r1), from the head's output gradient (D_DOUT) to every layer's dG. */
static void backward_rows(char* base, const double* d, int r0, int r1) {
  Model m = model_of(base, d);
  int B = m.B, T = m.T, H = m.H, G = m.G, O = m.O, R = r1 - r0;
  if (R <= 0) return;
  const f32* dout = at(&m, D_DOUT);
  const f32* fctp = at(&m, D_FCTP);
  f32* dtop = lat(&m, m.L - 1, L_DHIN);
  if (m.loss == LOSS_MSE) {
    for (int t = 0; t < T - 1; t++)
      for (idx q = ((idx)t * B + r0) * H; q < ((idx)t * B + r1) * H; q++) dtop[q] = 0.0f;
    gemm_pb(R, H, O, dout + (idx)r0 * O, O, 1, fctp, dtop + ((idx)(T - 1) * B + r0) * H, H, 0, 0);
  } else {
    for (int t = 0; t < T; t++) {
      idx row = (idx)t * B + r0;
      gemm_pb(R, H, O, dout + row * O, O, 1, fctp, dtop + row * H, H, 0, 0);
    }
  }
  f32 *D = at(&m, D_D) + (idx)r0 * H, *dh = at(&m, D_DH) + (idx)r0 * H, *dc = at(&m, D_DC) + (idx)r0 * H;
  idx RH = (idx)R * H;
  for (int k = m.L - 1; k >= 0; k--) {
    const f32 *P = gates_buf(&m, k), *Hs = lat(&m, k, L_HS), *Cs = lat(&m, k, L_CS), *TC = lat(&m, k, L_TC), *GHb = lat(&m, k, L_GHB);
    const f32* whhtp = lat(&m, k, L_WHHTP);
    const f32* dHin = lat(&m, k, L_DHIN);
    f32 *dGx = lat(&m, k, L_DGX), *dGh = lat(&m, k, L_DGH);
    for (idx q = 0; q < RH; q++) dh[q] = 0.0f;
    for (idx q = 0; q < RH; q++) dc[q] = 0.0f;
    for (int t = T - 1; t >= 0; t--) {
      idx row = (idx)t * B + r0;
      const f32* din = dHin + row * H;
      for (idx q = 0; q < RH; q++) D[q] = din[q] + dh[q];
      f32* gx = dGx + row * G;
      if (m.cell == CELL_RNN) {
        rnn_backward(Hs + row * H + (idx)B * H, D, gx, RH);
        gemm_pb(R, H, G, gx, G, 1, whhtp, dh, H, 0, 0);
      } else if (m.cell == CELL_LSTM) {
        lstm_backward(P + row * G, TC + row * H, Cs + row * H, D, dc, gx, R, H);
        gemm_pb(R, H, G, gx, G, 1, whhtp, dh, H, 0, 0);
      } else {
        f32* gh = dGh + row * G;
        gru_backward(P + row * G, GHb + row * G, Hs + row * H, D, gx, gh, dh, R, H);
        gemm_pb(R, H, G, gh, G, 1, whhtp, dh, H, 1, 0);
      }
    }
    if (k > 0) {
      f32* below = lat(&m, k - 1, L_DHIN);
      const f32* wihtp = lat(&m, k, L_WIHTP);
      for (int t = 0; t < T; t++) {
        idx row = (idx)t * B + r0;
        gemm_pb(R, H, G, dGx + row * G, G, 1, wihtp, below + row * H, H, 0, 0);
      }
      if (m.drop) {
        const f32* mask = lat(&m, k - 1, L_MASK);
        for (int t = 0; t < T; t++)
          for (idx q = ((idx)t * B + r0) * H; q < ((idx)t * B + r1) * H; q++) below[q] *= mask[q];
      }
    }
  }
}

#endif
