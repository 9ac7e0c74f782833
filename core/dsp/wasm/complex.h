// Complex arithmetic shared by dsp.c and render.c: a complex value is one f64x2 (re, im).
#pragma once
#include <wasm_simd128.h>

/** a·w, complex. */
static inline v128_t cmul(v128_t a, v128_t w) {
  v128_t re = wasm_i64x2_shuffle(a, a, 0, 0);
  v128_t im = wasm_i64x2_shuffle(a, a, 1, 1);
  v128_t ws = wasm_i64x2_shuffle(w, w, 1, 0);
  // (ar·wr − ai·wi, ar·wi + ai·wr)
  return wasm_f64x2_add(wasm_f64x2_mul(re, w),
                        wasm_f64x2_mul(wasm_f64x2_mul(im, ws), wasm_f64x2_make(-1.0, 1.0)));
}
