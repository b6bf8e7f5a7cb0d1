/*
 * One vector vocabulary for every target the kernels are compiled for, so the kernel code is written once:
 *   SC_WASM    WebAssembly SIMD128 (4 lanes, multiply then add: WebAssembly has no fused multiply-add)
 *   SC_AVX2    x86-64 AVX2 + FMA   (8 lanes, fused multiply-add)
 *   SC_AVX512  x86-64 AVX-512F     (16 lanes, fused multiply-add)
 *   SC_EMU16   16 lanes as two AVX2 vectors (tests the 16-lane code path on machines without AVX-512)
 * Every operation is an exact IEEE single-precision operation (no approximations, no -ffast-math), so a kernel
 * gives the same bits at any vector width on targets that share the multiply-add flavour.
 */
#ifndef SC_VEC_H
#define SC_VEC_H
#include <stdint.h>

typedef float f32;
/* Element offsets and counts: 64-bit on x86-64, 32-bit on wasm32. */
typedef long idx;

#if defined(SC_WASM)
#include <wasm_simd128.h>
#define VW 4
typedef v128_t vf;
typedef v128_t vi;
static inline vf vload(const f32* p) { return wasm_v128_load(p); }
static inline void vstore(f32* p, vf v) { wasm_v128_store(p, v); }
static inline vf vset1(f32 x) { return wasm_f32x4_splat(x); }
static inline vf vadd(vf a, vf b) { return wasm_f32x4_add(a, b); }
static inline vf vsub(vf a, vf b) { return wasm_f32x4_sub(a, b); }
static inline vf vmul(vf a, vf b) { return wasm_f32x4_mul(a, b); }
static inline vf vdiv(vf a, vf b) { return wasm_f32x4_div(a, b); }
/* a * b + c, rounded twice (no fused multiply-add in WebAssembly SIMD on Node 20). */
static inline vf vmadd(vf a, vf b, vf c) { return wasm_f32x4_add(wasm_f32x4_mul(a, b), c); }
static inline vf vmin(vf a, vf b) { return wasm_f32x4_pmin(a, b); }
static inline vf vmax(vf a, vf b) { return wasm_f32x4_pmax(a, b); }
static inline vf vround(vf a) { return wasm_f32x4_nearest(a); }
static inline vi vcvt(vf a) { return wasm_i32x4_trunc_sat_f32x4(a); }
static inline vi vaddi(vi a, int32_t b) { return wasm_i32x4_add(a, wasm_i32x4_splat(b)); }
static inline vi vshri(vi a, int n) { return wasm_i32x4_shr(a, n); }
static inline vi vsubi(vi a, vi b) { return wasm_i32x4_sub(a, b); }
static inline vf vexp2i(vi n) { return wasm_i32x4_shl(wasm_i32x4_add(n, wasm_i32x4_splat(127)), 23); }
static inline vf vabs(vf a) { return wasm_f32x4_abs(a); }
static inline vf vsignbit(vf a) { return wasm_v128_and(a, wasm_f32x4_splat(-0.0f)); }
static inline vf vxor(vf a, vf b) { return wasm_v128_xor(a, b); }
/* Lanes where a < b take x, the others y. */
static inline vf vselect_lt(vf a, vf b, vf x, vf y) { return wasm_v128_bitselect(x, y, wasm_f32x4_lt(a, b)); }
static inline f32 smadd(f32 a, f32 b, f32 c) { return a * b + c; }

#elif defined(SC_AVX2)
#include <immintrin.h>
#define VW 8
typedef __m256 vf;
typedef __m256i vi;
static inline vf vload(const f32* p) { return _mm256_loadu_ps(p); }
static inline void vstore(f32* p, vf v) { _mm256_storeu_ps(p, v); }
static inline vf vset1(f32 x) { return _mm256_set1_ps(x); }
static inline vf vadd(vf a, vf b) { return _mm256_add_ps(a, b); }
static inline vf vsub(vf a, vf b) { return _mm256_sub_ps(a, b); }
static inline vf vmul(vf a, vf b) { return _mm256_mul_ps(a, b); }
static inline vf vdiv(vf a, vf b) { return _mm256_div_ps(a, b); }
static inline vf vmadd(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }
static inline vf vmin(vf a, vf b) { return _mm256_min_ps(a, b); }
static inline vf vmax(vf a, vf b) { return _mm256_max_ps(a, b); }
static inline vf vround(vf a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
static inline vi vcvt(vf a) { return _mm256_cvttps_epi32(a); }
static inline vi vaddi(vi a, int32_t b) { return _mm256_add_epi32(a, _mm256_set1_epi32(b)); }
static inline vi vshri(vi a, int n) { return _mm256_srai_epi32(a, n); }
static inline vi vsubi(vi a, vi b) { return _mm256_sub_epi32(a, b); }
static inline vf vexp2i(vi n) { return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n, _mm256_set1_epi32(127)), 23)); }
static inline vf vabs(vf a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
static inline vf vsignbit(vf a) { return _mm256_and_ps(a, _mm256_set1_ps(-0.0f)); }
static inline vf vxor(vf a, vf b) { return _mm256_xor_ps(a, b); }
static inline vf vselect_lt(vf a, vf b, vf x, vf y) { return _mm256_blendv_ps(y, x, _mm256_cmp_ps(a, b, _CMP_LT_OQ)); }
static inline f32 smadd(f32 a, f32 b, f32 c) { return _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c))); }

#elif defined(SC_AVX512)
#include <immintrin.h>
#define VW 16
typedef __m512 vf;
typedef __m512i vi;
static inline vf vload(const f32* p) { return _mm512_loadu_ps(p); }
static inline void vstore(f32* p, vf v) { _mm512_storeu_ps(p, v); }
static inline vf vset1(f32 x) { return _mm512_set1_ps(x); }
static inline vf vadd(vf a, vf b) { return _mm512_add_ps(a, b); }
static inline vf vsub(vf a, vf b) { return _mm512_sub_ps(a, b); }
static inline vf vmul(vf a, vf b) { return _mm512_mul_ps(a, b); }
static inline vf vdiv(vf a, vf b) { return _mm512_div_ps(a, b); }
static inline vf vmadd(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }
static inline vf vmin(vf a, vf b) { return _mm512_min_ps(a, b); }
static inline vf vmax(vf a, vf b) { return _mm512_max_ps(a, b); }
static inline vf vround(vf a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
static inline vi vcvt(vf a) { return _mm512_cvttps_epi32(a); }
static inline vi vaddi(vi a, int32_t b) { return _mm512_add_epi32(a, _mm512_set1_epi32(b)); }
static inline vi vshri(vi a, int n) { return _mm512_srai_epi32(a, n); }
static inline vi vsubi(vi a, vi b) { return _mm512_sub_epi32(a, b); }
static inline vf vexp2i(vi n) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(n, _mm512_set1_epi32(127)), 23)); }
static inline vf vabs(vf a) { return _mm512_castsi512_ps(_mm512_andnot_si512(_mm512_set1_epi32((int)0x80000000u), _mm512_castps_si512(a))); }
static inline vf vsignbit(vf a) { return _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(a), _mm512_set1_epi32((int)0x80000000u))); }
static inline vf vxor(vf a, vf b) { return _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(a), _mm512_castps_si512(b))); }
static inline vf vselect_lt(vf a, vf b, vf x, vf y) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_LT_OQ), y, x); }
static inline f32 smadd(f32 a, f32 b, f32 c) { return _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c))); }

#elif defined(SC_EMU16)
#include <immintrin.h>
#define VW 16
typedef struct { __m256 lo, hi; } vf;
typedef struct { __m256i lo, hi; } vi;
#define EMU2(op, a, b) ((vf){ op((a).lo, (b).lo), op((a).hi, (b).hi) })
static inline vf vload(const f32* p) { return (vf){ _mm256_loadu_ps(p), _mm256_loadu_ps(p + 8) }; }
static inline void vstore(f32* p, vf v) { _mm256_storeu_ps(p, v.lo); _mm256_storeu_ps(p + 8, v.hi); }
static inline vf vset1(f32 x) { return (vf){ _mm256_set1_ps(x), _mm256_set1_ps(x) }; }
static inline vf vadd(vf a, vf b) { return EMU2(_mm256_add_ps, a, b); }
static inline vf vsub(vf a, vf b) { return EMU2(_mm256_sub_ps, a, b); }
static inline vf vmul(vf a, vf b) { return EMU2(_mm256_mul_ps, a, b); }
static inline vf vdiv(vf a, vf b) { return EMU2(_mm256_div_ps, a, b); }
static inline vf vmadd(vf a, vf b, vf c) { return (vf){ _mm256_fmadd_ps(a.lo, b.lo, c.lo), _mm256_fmadd_ps(a.hi, b.hi, c.hi) }; }
static inline vf vmin(vf a, vf b) { return EMU2(_mm256_min_ps, a, b); }
static inline vf vmax(vf a, vf b) { return EMU2(_mm256_max_ps, a, b); }
static inline vf vround(vf a) { return (vf){ _mm256_round_ps(a.lo, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), _mm256_round_ps(a.hi, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC) }; }
static inline vi vcvt(vf a) { return (vi){ _mm256_cvttps_epi32(a.lo), _mm256_cvttps_epi32(a.hi) }; }
static inline vi vaddi(vi a, int32_t b) { return (vi){ _mm256_add_epi32(a.lo, _mm256_set1_epi32(b)), _mm256_add_epi32(a.hi, _mm256_set1_epi32(b)) }; }
static inline vi vshri(vi a, int n) { return (vi){ _mm256_srai_epi32(a.lo, n), _mm256_srai_epi32(a.hi, n) }; }
static inline vi vsubi(vi a, vi b) { return (vi){ _mm256_sub_epi32(a.lo, b.lo), _mm256_sub_epi32(a.hi, b.hi) }; }
static inline vf vexp2i(vi n) {
  __m256i c = _mm256_set1_epi32(127);
  return (vf){ _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n.lo, c), 23)), _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n.hi, c), 23)) };
}
static inline vf vabs(vf a) { __m256 s = _mm256_set1_ps(-0.0f); return (vf){ _mm256_andnot_ps(s, a.lo), _mm256_andnot_ps(s, a.hi) }; }
static inline vf vsignbit(vf a) { __m256 s = _mm256_set1_ps(-0.0f); return (vf){ _mm256_and_ps(a.lo, s), _mm256_and_ps(a.hi, s) }; }
static inline vf vxor(vf a, vf b) { return EMU2(_mm256_xor_ps, a, b); }
static inline vf vselect_lt(vf a, vf b, vf x, vf y) {
  return (vf){ _mm256_blendv_ps(y.lo, x.lo, _mm256_cmp_ps(a.lo, b.lo, _CMP_LT_OQ)), _mm256_blendv_ps(y.hi, x.hi, _mm256_cmp_ps(a.hi, b.hi, _CMP_LT_OQ)) };
}
static inline f32 smadd(f32 a, f32 b, f32 c) { return _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c))); }

#else
#error "define one of SC_WASM, SC_AVX2, SC_AVX512, SC_EMU16"
#endif

#endif
