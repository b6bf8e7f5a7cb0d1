/*
 * Node-API entry of the native kernels (Linux x86-64): CPU feature detection, engine memory regions shared by
 * the worker threads of one engine, and bindings that call the AVX2+FMA or AVX-512 build of csrc/kernels.c
 * with byte offsets into a region. Built by scripts/build-native.mjs with Debian's gcc and node-api-headers.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef float f32;

/* ---------- the kernel builds: csrc/kernels.c compiled with each prefix ---------- */

#define SC_DECLARE(p)                                                                                              \
  void p##model_pack(char*, double);                                                                               \
  void p##model_forward(char*, double, int, int);                                                                  \
  void p##model_backward(char*, double, int, int);                                                                 \
  int p##model_tile_count(char*, double);                                                                          \
  void p##model_grads(char*, double, int, int, double, double);                                                    \
  void p##opt_adam(char*, double, double, double, double, double, f32, f32, f32, f32, f32, f32, f32);              \
  void p##opt_rmsprop(char*, double, double, double, double, f32, f32, f32, f32);                                  \
  void p##opt_sgd(char*, double, double, double, f32, f32);                                                        \
  f32 p##sumsq(char*, double, double);                                                                             \
  double p##packed_floats(char*, int, int);                                                                        \
  int p##scratch_floats(char*, int);                                                                               \
  int p##tile_shape(char*, int);                                                                                   \
  void p##tanh_inplace(char*, double, int);                                                                        \
  void p##sigmoid_inplace(char*, double, int);                                                                     \
  void p##exp_inplace(char*, double, int);                                                                         \
  void p##gemm(char*, int, int, int, double, int, int, double, int, double, int, int, double);

SC_DECLARE(avx2_)
SC_DECLARE(avx512_)
SC_DECLARE(emu16_)

typedef struct {
  const char* name;
  void (*model_pack)(char*, double);
  void (*model_forward)(char*, double, int, int);
  void (*model_backward)(char*, double, int, int);
  int (*model_tile_count)(char*, double);
  void (*model_grads)(char*, double, int, int, double, double);
  void (*opt_adam)(char*, double, double, double, double, double, f32, f32, f32, f32, f32, f32, f32);
  void (*opt_rmsprop)(char*, double, double, double, double, f32, f32, f32, f32);
  void (*opt_sgd)(char*, double, double, double, f32, f32);
  f32 (*sumsq)(char*, double, double);
  double (*packed_floats)(char*, int, int);
  int (*scratch_floats)(char*, int);
  int (*tile_shape)(char*, int);
  void (*tanh_inplace)(char*, double, int);
  void (*sigmoid_inplace)(char*, double, int);
  void (*exp_inplace)(char*, double, int);
  void (*gemm)(char*, int, int, int, double, int, int, double, int, double, int, int, double);
} Kernels;

#define SC_TABLE(p, label)                                                                                          \
  {label, p##model_pack, p##model_forward, p##model_backward, p##model_tile_count, p##model_grads, p##opt_adam,      \
   p##opt_rmsprop, p##opt_sgd, p##sumsq, p##packed_floats, p##scratch_floats, p##tile_shape, p##tanh_inplace,       \
   p##sigmoid_inplace, p##exp_inplace, p##gemm}

static const Kernels TABLES[] = {SC_TABLE(avx2_, "avx2"), SC_TABLE(avx512_, "avx512"), SC_TABLE(emu16_, "emu16")};

#include "cpu.h"

#include "regions.h"

/* One attachment of a region to a JavaScript context (the creator's, or a worker's). */
typedef struct {
  int id;
  int released;
  char* base;
  const Kernels* k;
  napi_env env;
} Attachment;

/* ---------- argument helpers ---------- */

#define ARGS(n)                                                                                                     \
  size_t argc = n;                                                                                                  \
  napi_value argv[n > 0 ? n : 1];                                                                                   \
  void* data;                                                                                                       \
  napi_get_cb_info(env, info, &argc, argv, NULL, &data);                                                           \
  Attachment* at = (Attachment*)data;                                                                               \
  (void)at;

static double num(napi_env env, napi_value v) {
  double x = 0;
  napi_get_value_double(env, v, &x);
  return x;
}
static int i32(napi_env env, napi_value v) {
  int32_t x = 0;
  napi_get_value_int32(env, v, &x);
  return x;
}
static napi_value number(napi_env env, double x) {
  napi_value v;
  napi_create_double(env, x, &v);
  return v;
}
static napi_value boolean(napi_env env, int x) {
  napi_value v;
  napi_get_boolean(env, x, &v);
  return v;
}
static napi_value string(napi_env env, const char* s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}
static napi_value fail(napi_env env, const char* message) {
  napi_throw_error(env, "STOCKCAST_NATIVE", message);
  return NULL;
}
#define N(i) num(env, argv[i])
#define I(i) i32(env, argv[i])
#define F(i) ((f32)num(env, argv[i]))
#define LIVE                                                                                                        \
  if (at->released) return fail(env, "the engine memory was released");

/* ---------- kernel bindings (pointers are byte offsets into the attached region) ---------- */

static napi_value b_model_pack(napi_env env, napi_callback_info info) {
  ARGS(1) LIVE at->k->model_pack(at->base, N(0));
  return NULL;
}
static napi_value b_model_forward(napi_env env, napi_callback_info info) {
  ARGS(3) LIVE at->k->model_forward(at->base, N(0), I(1), I(2));
  return NULL;
}
static napi_value b_model_backward(napi_env env, napi_callback_info info) {
  ARGS(3) LIVE at->k->model_backward(at->base, N(0), I(1), I(2));
  return NULL;
}
static napi_value b_model_tile_count(napi_env env, napi_callback_info info) {
  ARGS(1) LIVE return number(env, at->k->model_tile_count(at->base, N(0)));
}
static napi_value b_model_grads(napi_env env, napi_callback_info info) {
  ARGS(5) LIVE at->k->model_grads(at->base, N(0), I(1), I(2), N(3), N(4));
  return NULL;
}
static napi_value b_opt_adam(napi_env env, napi_callback_info info) {
  ARGS(12) LIVE at->k->opt_adam(at->base, N(0), N(1), N(2), N(3), N(4), F(5), F(6), F(7), F(8), F(9), F(10), F(11));
  return NULL;
}
static napi_value b_opt_rmsprop(napi_env env, napi_callback_info info) {
  ARGS(8) LIVE at->k->opt_rmsprop(at->base, N(0), N(1), N(2), N(3), F(4), F(5), F(6), F(7));
  return NULL;
}
static napi_value b_opt_sgd(napi_env env, napi_callback_info info) {
  ARGS(5) LIVE at->k->opt_sgd(at->base, N(0), N(1), N(2), F(3), F(4));
  return NULL;
}
static napi_value b_sumsq(napi_env env, napi_callback_info info) {
  ARGS(2) LIVE return number(env, at->k->sumsq(at->base, N(0), N(1)));
}
static napi_value b_packed_floats(napi_env env, napi_callback_info info) {
  ARGS(2) return number(env, at->k->packed_floats(at->base, I(0), I(1)));
}
static napi_value b_scratch_floats(napi_env env, napi_callback_info info) {
  ARGS(1) return number(env, at->k->scratch_floats(at->base, I(0)));
}
static napi_value b_tile_shape(napi_env env, napi_callback_info info) {
  ARGS(1) return number(env, at->k->tile_shape(at->base, I(0)));
}
static napi_value b_tanh_inplace(napi_env env, napi_callback_info info) {
  ARGS(2) LIVE at->k->tanh_inplace(at->base, N(0), I(1));
  return NULL;
}
static napi_value b_sigmoid_inplace(napi_env env, napi_callback_info info) {
  ARGS(2) LIVE at->k->sigmoid_inplace(at->base, N(0), I(1));
  return NULL;
}
static napi_value b_exp_inplace(napi_env env, napi_callback_info info) {
  ARGS(2) LIVE at->k->exp_inplace(at->base, N(0), I(1));
  return NULL;
}
static napi_value b_gemm(napi_env env, napi_callback_info info) {
  ARGS(12) LIVE at->k->gemm(at->base, I(0), I(1), I(2), N(3), I(4), I(5), N(6), I(7), N(8), I(9), I(10), N(11));
  return NULL;
}

static void detach(Attachment* at) {
  if (at->released) return;
  at->released = 1;
  release_region(at->id);
}

static void on_env_cleanup(void* arg) { detach((Attachment*)arg); }

static napi_value b_release(napi_env env, napi_callback_info info) {
  ARGS(0) if (!at->released) {
    napi_remove_env_cleanup_hook(env, on_env_cleanup, at);
    detach(at);
  }
  return NULL;
}

static void on_attachment_gc(napi_env env, void* data, void* hint) {
  (void)hint;
  Attachment* at = (Attachment*)data;
  if (!at->released) {
    napi_remove_env_cleanup_hook(env, on_env_cleanup, at);
    detach(at);
  }
  free(at);
}

/* ---------- module functions ---------- */

/* create(bytes): reserves a region; returns its id. */
static napi_value m_create(napi_env env, napi_callback_info info) {
  ARGS(1)
  double bytes = N(0);
  if (!(bytes > 0)) return fail(env, "region size must be positive");
  size_t size = ((size_t)bytes + 4095) & ~(size_t)4095;
  void* p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return fail(env, "could not reserve the engine memory (mmap failed)");
  /* Huge pages where the kernel allows them: activations are read with large strides (one row per page). */
  madvise(p, size, MADV_HUGEPAGE);
  int id = -1;
  lock();
  for (int i = 0; i < MAX_REGIONS; i++)
    if (!regions[i].base) {
      regions[i].base = (char*)p;
      regions[i].size = size;
      regions[i].refs = 1;
      id = i;
      break;
    }
  unlock();
  if (id < 0) {
    munmap(p, size);
    return fail(env, "too many live engine regions");
  }
  return number(env, id);
}

/* attach(id, isa, own): the region's memory as an ArrayBuffer plus kernel functions bound to it. */
static napi_value m_attach(napi_env env, napi_callback_info info) {
  ARGS(3)
  int id = I(0);
  char isa[16] = {0};
  size_t len = 0;
  napi_get_value_string_utf8(env, argv[1], isa, sizeof isa, &len);
  int own = 0;
  {
    bool b = false;
    napi_get_value_bool(env, argv[2], &b);
    own = b;
  }
  const Kernels* k = NULL;
  for (unsigned i = 0; i < sizeof TABLES / sizeof TABLES[0]; i++)
    if (!strcmp(TABLES[i].name, isa)) k = &TABLES[i];
  Cpu cpu = detect();
  if (!k || !supported(&cpu, isa)) return fail(env, "these kernels are not supported by this CPU");
  if (id < 0 || id >= MAX_REGIONS) return fail(env, "no such region");
  lock();
  char* base = regions[id].base;
  size_t size = regions[id].size;
  /* The creator's reference is handed to its attachment; every other attachment takes one of its own. */
  if (base && !own) regions[id].refs++;
  unlock();
  if (!base) return fail(env, "the engine memory was released");
  Attachment* a = (Attachment*)malloc(sizeof(Attachment));
  a->id = id;
  a->released = 0;
  a->base = base;
  a->k = k;
  a->env = env;
  napi_add_env_cleanup_hook(env, on_env_cleanup, a);
  napi_value obj, ab;
  napi_create_object(env, &obj);
  napi_wrap(env, obj, a, on_attachment_gc, NULL, NULL);
  napi_create_external_arraybuffer(env, base, size, NULL, NULL, &ab);
  napi_set_named_property(env, obj, "buffer", ab);
  napi_set_named_property(env, obj, "isa", string(env, k->name));
#define BIND(name)                                                                                                  \
  {                                                                                                                 \
    napi_value fn;                                                                                                  \
    napi_create_function(env, #name, NAPI_AUTO_LENGTH, b_##name, a, &fn);                                          \
    napi_set_named_property(env, obj, #name, fn);                                                                   \
  }
  BIND(release) BIND(model_pack) BIND(model_forward) BIND(model_backward) BIND(model_tile_count) BIND(model_grads)
  BIND(opt_adam) BIND(opt_rmsprop) BIND(opt_sgd) BIND(sumsq) BIND(packed_floats) BIND(scratch_floats)
  BIND(tile_shape) BIND(tanh_inplace) BIND(sigmoid_inplace) BIND(exp_inplace) BIND(gemm)
#undef BIND
  return obj;
}

/* cpu(): what this CPU and OS support, and which kernels would run by default. */
static napi_value m_cpu(napi_env env, napi_callback_info info) {
  ARGS(0)
  Cpu c = detect();
  napi_value obj;
  napi_create_object(env, &obj);
  napi_set_named_property(env, obj, "avx2", boolean(env, c.avx2 && c.os_avx));
  napi_set_named_property(env, obj, "fma", boolean(env, c.fma));
  napi_set_named_property(env, obj, "avx512f", boolean(env, c.avx512f && c.os_avx512));
  const char* best = supported(&c, "avx512") ? "avx512" : supported(&c, "avx2") ? "avx2" : NULL;
  napi_value b;
  if (best) b = string(env, best);
  else napi_get_null(env, &b);
  napi_set_named_property(env, obj, "best", b);
  return obj;
}

/* stats(): live regions and their reserved bytes (tests check engines release their memory). */
static napi_value m_stats(napi_env env, napi_callback_info info) {
  ARGS(0)
  int live = 0;
  double bytes = 0;
  lock();
  for (int i = 0; i < MAX_REGIONS; i++)
    if (regions[i].base) {
      live++;
      bytes += (double)regions[i].size;
    }
  unlock();
  napi_value obj;
  napi_create_object(env, &obj);
  napi_set_named_property(env, obj, "regions", number(env, live));
  napi_set_named_property(env, obj, "reservedBytes", number(env, bytes));
  return obj;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"create", NULL, m_create, NULL, NULL, NULL, napi_enumerable, NULL},
      {"attach", NULL, m_attach, NULL, NULL, NULL, napi_enumerable, NULL},
      {"cpu", NULL, m_cpu, NULL, NULL, NULL, napi_enumerable, NULL},
      {"stats", NULL, m_stats, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
