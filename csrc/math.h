/*
 * exp, sigmoid and tanh on vectors, accurate to about 2e-7 relative over the whole float range (results below
 * FLT_MIN are gradual underflow, accurate in absolute terms). Plain IEEE operations in a fixed order, so the
 * results do not depend on the compiler or the vector width; tests/models/engines/fused/kernel-math.test.ts checks every
 * built kernel file against float64 references.
 */
#ifndef SC_MATH_H
#define SC_MATH_H
#include "vec.h"

/* e^x for x <= 88.5 (larger x is clamped), with gradual underflow down to e^-104. Cephes' expf polynomial. */
static inline vf v_exp(vf x) {
  x = vmin(vmax(x, vset1(-104.0f)), vset1(88.5f));
  vf n = vround(vmul(x, vset1(1.44269504088896341f)));
  /* Cody-Waite: n * 0.693359375 is exact for |n| < 2^15, so r is x - n ln 2 to within the low part's rounding. */
  vf r = vsub(x, vmul(n, vset1(0.693359375f)));
  r = vsub(r, vmul(n, vset1(-2.12194440e-4f)));
  vf p = vset1(1.9875691500e-4f);
  p = vmadd(p, r, vset1(1.3981999507e-3f));
  p = vmadd(p, r, vset1(8.3334519073e-3f));
  p = vmadd(p, r, vset1(4.1665795894e-2f));
  p = vmadd(p, r, vset1(1.6666665459e-1f));
  p = vmadd(p, r, vset1(5.0000001201e-1f));
  vf y = vadd(vmadd(vmul(p, r), r, r), vset1(1.0f));
  /* 2^n in two factors, so n down to -150 (subnormal results) never builds an invalid exponent. */
  vi ni = vcvt(n);
  vi n1 = vshri(ni, 1);
  vi n2 = vsubi(ni, n1);
  return vmul(vmul(y, vexp2i(n1)), vexp2i(n2));
}

/* 1 / (1 + e^-x), as e^x / (1 + e^x) for negative x so small results keep their relative accuracy. */
static inline vf v_sigmoid(vf x) {
  vf e = v_exp(vxor(vabs(x), vset1(-0.0f)));
  vf r = vdiv(vset1(1.0f), vadd(vset1(1.0f), e));
  return vselect_lt(x, vset1(0.0f), vmul(e, r), r);
}

/*
 * tanh: an odd polynomial below |x| = 0.625 (least-squares fit of relative error, 7.6e-8 in float32), above it
 * 1 - 2 / (e^{2|x|} + 1) with the sign put back; saturates to exactly +-1 beyond |x| = 10.
 */
static inline vf v_tanh(vf x) {
  vf a = vabs(x);
  vf x2 = vmul(x, x);
  vf p = vset1(0.002138207433745265f);
  p = vmadd(p, x2, vset1(-0.008171768859028816f));
  p = vmadd(p, x2, vset1(0.021698201075196266f));
  p = vmadd(p, x2, vset1(-0.053946252912282944f));
  p = vmadd(p, x2, vset1(0.1333320140838623f));
  p = vmadd(p, x2, vset1(-0.3333333134651184f));
  vf small = vmadd(vmul(x, x2), p, x);
  vf e = v_exp(vmin(vadd(a, a), vset1(20.0f)));
  vf big = vsub(vset1(1.0f), vdiv(vset1(2.0f), vadd(e, vset1(1.0f))));
  big = vxor(big, vsignbit(x));
  return vselect_lt(a, vset1(0.625f), small, big);
}

/* Element-wise over n values in place; the tail goes through a full vector so it is computed the same way. */
#define SC_MAP_INPLACE(name, fn)                                                   \
  static inline void name(f32* x, int n) {                                         \
    int i = 0;                                                                     \
    for (; i + VW <= n; i += VW) vstore(x + i, fn(vload(x + i)));                  \
    if (i < n) {                                                                   \
      f32 tmp[VW] = {0};                                                           \
      for (int j = 0; j < n - i; j++) tmp[j] = x[i + j];                           \
      vstore(tmp, fn(vload(tmp)));                                                 \
      for (int j = 0; j < n - i; j++) x[i + j] = tmp[j];                           \
    }                                                                              \
  }
SC_MAP_INPLACE(tanh_n, v_tanh)
SC_MAP_INPLACE(sigmoid_n, v_sigmoid)
SC_MAP_INPLACE(exp_n, v_exp)

#endif
