// core/render's kernels, in the same module as dsp.c (built with it by build.sh): the reverb's
// zero-latency uniformly partitioned convolver (core/render/reverb.ts Convolver), operation for
// operation, so it gives the same bits as the TypeScript reference: the same radix-4 + radix-2
// FFT, left and right packed as one complex signal, spectra stored in f32, products summed per bin
// in partition order in f32 (left and right, re and im, in the four lanes of one f32x4). A convolver's
// memory comes from dsp.c's bump heap of its own instance (core/dsp/render.ts), never reset.
#include <wasm_simd128.h>
#include "complex.h"

#define EXPORT(name) __attribute__((export_name(#name)))

typedef unsigned int u32;

u32 dsp_alloc(u32 bytes);

typedef struct {
  u32 cell, count, ring, fill;
  /** Response spectra, bin k of partition p at 4·(k·count + p): (AL re, AR re, AL im, AR im). */
  float *h;
  /** Input spectra, a ring of `count` cells, laid out as h. */
  float *x;
  /** The cell before, then the current one: (L, R) per frame, 2·cell frames. */
  v128_t *win;
  /** The FFT's work: 2·cell complex values. */
  v128_t *z;
  /** Per bin k ≤ cell: the summed products' real parts (L, R), and imaginary parts. */
  v128_t *acc_re, *acc_im;
  /** Partition 0's taps (L, R), for a cell in pieces, and the later partitions' output. */
  v128_t *head, *tail;
  /** Twiddles of stage half-size h at [h − 1, 2h − 1): (cos, −sin) of πk/h (host-filled). */
  v128_t *twiddle;
  /** Their conjugates, for the inverse transform (render_conv_twiddled). */
  v128_t *twiddle_inv;
  /** Input (L, R) and output (L, R) of a call, `cell` frames each (host-written and read). */
  float *io;
  /** The bit reversal of each index of 2·cell. */
  unsigned short *reversed;
} Conv;

/** In-place complex FFT of n = 2·cell values (core/lib/dsp/fft.ts Fft.transform). */
static void transform(Conv *c, int inverse) {
  v128_t *x = c->z;
  u32 n = 2 * c->cell;
  for (u32 i = 0; i < n; i++) {
    u32 r = c->reversed[i];
    if (r > i) {
      v128_t t = x[i];
      x[i] = x[r];
      x[r] = t;
    }
  }
  // (d) times −i (forward) or +i (inverse): (di, −dr) or (−di, dr)
  v128_t turn = inverse ? wasm_f64x2_make(-1.0, 1.0) : wasm_f64x2_make(1.0, -1.0);
  for (u32 a = 0; n >= 4 && a < n; a += 4) {
    v128_t s = wasm_f64x2_add(x[a], x[a + 1]);
    v128_t d = wasm_f64x2_sub(x[a], x[a + 1]);
    v128_t t = wasm_f64x2_add(x[a + 2], x[a + 3]);
    v128_t e = wasm_f64x2_sub(x[a + 2], x[a + 3]);
    v128_t u = wasm_f64x2_mul(wasm_i64x2_shuffle(e, e, 1, 0), turn);
    x[a] = wasm_f64x2_add(s, t);
    x[a + 2] = wasm_f64x2_sub(s, t);
    x[a + 1] = wasm_f64x2_add(d, u);
    x[a + 3] = wasm_f64x2_sub(d, u);
  }
  // block by block, each block's butterflies in order: the same operations as fft.ts's loops
  // (twiddle by twiddle across the blocks), on runs of memory
  const v128_t *tws = inverse ? c->twiddle_inv : c->twiddle;
  for (u32 h = n >= 4 ? 4 : 1; h < n; h *= 2) {
    const v128_t *tw = tws + h - 1;
    for (u32 a0 = 0; a0 < n; a0 += 2 * h) {
      v128_t *lo = x + a0, *hi = x + a0 + h;
      for (u32 k = 0; k < h; k++) {
        v128_t b = cmul(hi[k], tw[k]);
        v128_t v = lo[k];
        hi[k] = wasm_f64x2_sub(v, b);
        lo[k] = wasm_f64x2_add(v, b);
      }
    }
  }
  if (inverse) {
    v128_t scale = wasm_f64x2_splat(1.0 / n);
    for (u32 i = 0; i < n; i++) x[i] = wasm_f64x2_mul(x[i], scale);
  }
}

/** Splits the spectrum in z of L + iR into the spectra of L and R (bins 0..cell) as `slot`. */
static void split(Conv *c, float *into, u32 slot) {
  u32 cell = c->cell, count = c->count, n = 2 * cell;
  for (u32 k = 0; k <= cell; k++) {
    u32 m = k == 0 ? 0 : n - k;
    double zr = wasm_f64x2_extract_lane(c->z[k], 0);
    double zi = wasm_f64x2_extract_lane(c->z[k], 1);
    double cr = wasm_f64x2_extract_lane(c->z[m], 0);
    double ci = -wasm_f64x2_extract_lane(c->z[m], 1);
    float *at = into + 4 * (k * count + slot);
    // A = (Z + conj Z(-k)) / 2, B = (Z - conj Z(-k)) / 2i
    at[0] = (float)(0.5 * (zr + cr));
    at[2] = (float)(0.5 * (zi + ci));
    at[1] = (float)(0.5 * (zi - ci));
    at[3] = (float)(-0.5 * (zr - cr));
  }
}

/** The window into the current cell's spectrum slot. */
static void transform_window(Conv *c) {
  u32 n = 2 * c->cell;
  for (u32 i = 0; i < n; i++) c->z[i] = c->win[i];
  transform(c, 0);
  split(c, c->x, c->ring);
}

/** The current cell's output from partitions [from, count), into z's second half. */
static void output_from(Conv *c, u32 from) {
  u32 cell = c->cell, count = c->count, n = 2 * cell;
  for (u32 k = 0; k <= cell; k++) {
    // in f32 lanes (AL re, AR re, AL im, AR im) as they are stored: p sums a·b, q sums a times b
    // with re and im swapped; then re = p's re − p's im, im = q's re + q's im (in f64)
    v128_t p = wasm_f32x4_splat(0.0f), q = wasm_f32x4_splat(0.0f);
    int slot = (int)c->ring - (int)from;
    if (slot < 0) slot += count;
    const float *hb = c->h + 4 * k * count;
    const float *xb = c->x + 4 * k * count;
    for (u32 j = from; j < count; j++) {
      v128_t a = wasm_v128_load(xb + 4 * slot);
      v128_t b = wasm_v128_load(hb + 4 * j);
      p = wasm_f32x4_add(p, wasm_f32x4_mul(a, b));
      q = wasm_f32x4_add(q, wasm_f32x4_mul(a, wasm_i32x4_shuffle(b, b, 2, 3, 0, 1)));
      slot = slot == 0 ? (int)count - 1 : slot - 1;
    }
    v128_t pi = wasm_i32x4_shuffle(p, p, 2, 3, 0, 1), qi = wasm_i32x4_shuffle(q, q, 2, 3, 0, 1);
    c->acc_re[k] = wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(p), wasm_f64x2_promote_low_f32x4(pi));
    c->acc_im[k] = wasm_f64x2_add(wasm_f64x2_promote_low_f32x4(q), wasm_f64x2_promote_low_f32x4(qi));
  }
  // Y = AL + i·AR over the whole circle (AL, AR are spectra of real signals)
  for (u32 k = 0; k <= cell; k++) {
    double lr = wasm_f64x2_extract_lane(c->acc_re[k], 0);
    double rr = wasm_f64x2_extract_lane(c->acc_re[k], 1);
    double li = wasm_f64x2_extract_lane(c->acc_im[k], 0);
    double ri = wasm_f64x2_extract_lane(c->acc_im[k], 1);
    c->z[k] = wasm_f64x2_make(lr - ri, li + rr);
    if (k > 0 && k < cell) c->z[n - k] = wasm_f64x2_make(lr + ri, -li + rr);
  }
  transform(c, 1);
}

/** The current cell is complete: it becomes the cell before, and the next slot the current. */
static void advance(Conv *c) {
  for (u32 i = 0; i < c->cell; i++) c->win[i] = c->win[c->cell + i];
  c->ring = c->ring + 1 == c->count ? 0 : c->ring + 1;
  c->fill = 0;
}

static void *take(u32 bytes, int *failed) {
  u32 at = dsp_alloc(bytes);
  if (!at) *failed = 1;
  return (void *)at;
}

/** A convolver of `count` partitions of `cell` frames (a power of two); 0 when out of memory. */
EXPORT(render_conv_new) Conv *render_conv_new(u32 cell, u32 count) {
  if (cell < 2 || cell > 32768 || count == 0) return 0;
  // the spectra must fit the 32-bit address space (and sizes in u32)
  if ((unsigned long long)16 * (cell + 1) * count > 0x40000000ull) return 0;
  int failed = 0;
  u32 n = 2 * cell;
  Conv *c = take(sizeof(Conv), &failed);
  if (failed) return 0;
  c->cell = cell, c->count = count, c->ring = 0, c->fill = 0;
  u32 spectra = 4 * (cell + 1) * count * sizeof(float);
  c->h = take(spectra, &failed);
  c->x = take(spectra, &failed);
  c->win = take(n * 16, &failed);
  c->z = take(n * 16, &failed);
  c->acc_re = take((cell + 1) * 16, &failed);
  c->acc_im = take((cell + 1) * 16, &failed);
  c->head = take(cell * 16, &failed);
  c->tail = take(cell * 16, &failed);
  c->twiddle = take(n * 16, &failed);
  c->twiddle_inv = take(n * 16, &failed);
  c->io = take(4 * cell * sizeof(float), &failed);
  c->reversed = take(n * sizeof(unsigned short), &failed);
  if (failed) return 0;
  u32 bits = 31 - __builtin_clz(n);
  for (u32 i = 0; i < n; i++) {
    u32 r = 0;
    for (u32 b = 0; b < bits; b++) r = (r << 1) | ((i >> b) & 1);
    c->reversed[i] = (unsigned short)r;
  }
  // fresh pages are zero, but a heap may reuse memory: clear the state that starts at zero
  for (u32 i = 0; i < 4 * (cell + 1) * count; i++) c->x[i] = 0;
  for (u32 i = 0; i < n; i++) c->win[i] = wasm_f64x2_splat(0.0);
  return c;
}

EXPORT(render_conv_twiddles) v128_t *render_conv_twiddles(Conv *c) { return c->twiddle; }
/** The host has filled the twiddles: their conjugates follow (exactly: a sign). */
EXPORT(render_conv_twiddled) void render_conv_twiddled(Conv *c) {
  v128_t conj = wasm_f64x2_make(1.0, -1.0);
  for (u32 i = 0; i < 2 * c->cell; i++) c->twiddle_inv[i] = wasm_f64x2_mul(c->twiddle[i], conj);
}
EXPORT(render_conv_work) v128_t *render_conv_work(Conv *c) { return c->z; }
EXPORT(render_conv_head) v128_t *render_conv_head(Conv *c) { return c->head; }
EXPORT(render_conv_io) float *render_conv_io(Conv *c) { return c->io; }
EXPORT(render_conv_fill) u32 render_conv_fill(Conv *c) { return c->fill; }

/** Partition `k`'s taps, written by the host into z's first half (second half zero), as slot k. */
EXPORT(render_conv_partition) void render_conv_partition(Conv *c, u32 k) {
  transform(c, 0);
  split(c, c->h, k);
}

/** A whole cell from frame 0 of a cell: io's input → io's output. */
EXPORT(render_conv_cell) void render_conv_cell(Conv *c) {
  u32 cell = c->cell;
  float *inL = c->io, *inR = inL + cell, *outL = inR + cell, *outR = outL + cell;
  for (u32 r = 0; r < cell; r++) c->win[cell + r] = wasm_f64x2_make(inL[r], inR[r]);
  transform_window(c);
  output_from(c, 0);
  for (u32 r = 0; r < cell; r++) {
    outL[r] = (float)wasm_f64x2_extract_lane(c->z[cell + r], 0);
    outR[r] = (float)wasm_f64x2_extract_lane(c->z[cell + r], 1);
  }
  advance(c);
}

/** Up to `n` frames of a cell in pieces (io's input → io's output); answers how many it took. */
EXPORT(render_conv_piece) u32 render_conv_piece(Conv *c, u32 n) {
  u32 cell = c->cell;
  float *inL = c->io, *inR = inL + cell, *outL = inR + cell, *outR = outL + cell;
  if (c->fill == 0) {
    output_from(c, 1);
    for (u32 r = 0; r < cell; r++) c->tail[r] = c->z[cell + r];
  }
  u32 fill = c->fill;
  u32 m = n < cell - fill ? n : cell - fill;
  for (u32 r = 0; r < m; r++) {
    u32 at = cell + fill + r;
    c->win[at] = wasm_f64x2_make(inL[r], inR[r]);
    v128_t y = c->tail[fill + r];
    for (u32 k = 0; k < cell; k++) y = wasm_f64x2_add(y, wasm_f64x2_mul(c->head[k], c->win[at - k]));
    outL[r] = (float)wasm_f64x2_extract_lane(y, 0);
    outR[r] = (float)wasm_f64x2_extract_lane(y, 1);
  }
  c->fill = fill + m;
  if (c->fill == cell) {
    transform_window(c);
    advance(c);
  }
  return m;
}
