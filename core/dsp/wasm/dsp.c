// The shared DSP kernels, compiled to WebAssembly with SIMD (scripts: core/dsp/wasm/build.sh):
// an in-place complex FFT of power-of-two sizes up to 512 (radix-2 with f64x2 complex
// butterflies, twiddles precomputed by the host), the 640-point block transform built on it
// (5 × 128), and the watermark detector's hot loops — the dense STFT's cumulative power, the
// speed/tempo features read from it, their fold onto block rows and the sync correlation at every
// block shift — and the streaming embedder's resampling to and from 22.05 kHz over its rings.
// Everything works in linear memory: fixed tables and scratch are static, per-clip
// buffers come from a bump heap the host resets (dsp_reset) before each clip; nothing allocates
// per call. No libc: freestanding, the one transcendental (log) is below.
#include <wasm_simd128.h>
#include "complex.h"

#define EXPORT(name) __attribute__((export_name(#name)))

typedef unsigned int u32;
typedef unsigned char u8;

// The watermark's geometry (core/watermark/layout.ts; checked by the wrapper at start-up).
#define FRAME 512
#define HOP 256
#define FIRST_BIN 21
#define BAND_BINS 3
#define BANDS 39
#define BLOCK 640
#define SUB 128
#define PAIRS 20
#define SLOTS (BLOCK * BANDS)
#define REACH 3
#define CONTRAST 2
#define MAX_FFT 512

/* ---- tables the host fills (dsp_tables) ---- */

/** Twiddles of stage half-size h at [h − 1, 2h − 1): (cos, −sin) of πk/h, as f64x2. */
static v128_t twiddle[MAX_FFT];
/** Block-transform twiddles e^(−2πi·r·q/640) at [r × SUB + q]. */
static v128_t block_twiddle[BLOCK];
/** The analysis window (sine) of FRAME samples. */
static double window[FRAME];
/** cos and sin of 2π/5 and 4π/5. */
static double c1, c2, s1, s2;
/** Bit reversal of 9-bit indices. */
static unsigned short reversed[MAX_FFT];

EXPORT(dsp_twiddles) v128_t *dsp_twiddles(void) { return twiddle; }
EXPORT(dsp_block_twiddles) v128_t *dsp_block_twiddles(void) { return block_twiddle; }
EXPORT(dsp_window) double *dsp_window(void) { return window; }

/** Completes the tables once the host has written twiddles, window and the 5-point constants. */
EXPORT(dsp_init) void dsp_init(double C1, double C2, double S1, double S2) {
  c1 = C1, c2 = C2, s1 = S1, s2 = S2;
  for (u32 i = 0; i < MAX_FFT; i++) {
    u32 r = 0;
    for (u32 b = 0; b < 9; b++) r = (r << 1) | ((i >> b) & 1);
    reversed[i] = (unsigned short)r;
  }
}

/* ---- bump heap ---- */

extern u8 __heap_base;
static u32 top;

EXPORT(dsp_reset) void dsp_reset(void) { top = 0; }
/** The heap's top, and a release of everything allocated since it was read. */
EXPORT(dsp_mark) u32 dsp_mark(void) { return top; }
EXPORT(dsp_release) void dsp_release(u32 mark) { top = mark; }

/** `bytes` of linear memory aligned to 16, growing the memory when needed; 0 when it cannot. */
EXPORT(dsp_alloc) u32 dsp_alloc(u32 bytes) {
  u32 base = ((u32)&__heap_base + 15) & ~15u;
  if (!top) top = base;
  u32 at = top;
  u32 end = at + ((bytes + 15) & ~15u);
  u32 have = (u32)__builtin_wasm_memory_size(0) * 65536u;
  if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (unsigned long)-1)
    return 0;
  top = end;
  return at;
}

/* ---- complex FFT ---- */

/** −i·a (forward) */
static inline v128_t minus_i(v128_t a) {
  return wasm_f64x2_mul(wasm_i64x2_shuffle(a, a, 1, 0), wasm_f64x2_make(1.0, -1.0));
}

/** Forward complex FFT of n (power of two, 4…512) interleaved values in place, unscaled. */
static void fft(v128_t *x, u32 n) {
  u32 bits = 31 - __builtin_clz(n);
  u32 shift = 9 - bits;
  for (u32 i = 0; i < n; i++) {
    u32 j = reversed[i] >> shift;
    if (j > i) {
      v128_t t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
  }
  // The first two stages as one radix-4 pass.
  for (u32 a = 0; a < n; a += 4) {
    v128_t s = wasm_f64x2_add(x[a], x[a + 1]);
    v128_t d = wasm_f64x2_sub(x[a], x[a + 1]);
    v128_t t = wasm_f64x2_add(x[a + 2], x[a + 3]);
    v128_t u = minus_i(wasm_f64x2_sub(x[a + 2], x[a + 3]));
    x[a] = wasm_f64x2_add(s, t);
    x[a + 2] = wasm_f64x2_sub(s, t);
    x[a + 1] = wasm_f64x2_add(d, u);
    x[a + 3] = wasm_f64x2_sub(d, u);
  }
  for (u32 h = 4; h < n; h *= 2) {
    const v128_t *w = twiddle + h - 1;
    for (u32 a0 = 0; a0 < n; a0 += 2 * h) {
      v128_t *lo = x + a0;
      v128_t *hi = lo + h;
      for (u32 k = 0; k < h; k++) {
        v128_t b = cmul(hi[k], w[k]);
        v128_t a = lo[k];
        hi[k] = wasm_f64x2_sub(a, b);
        lo[k] = wasm_f64x2_add(a, b);
      }
    }
  }
}

EXPORT(dsp_fft) void dsp_fft(v128_t *x, u32 n) { fft(x, n); }

static v128_t sub[BLOCK];

/** Forward 640-point complex DFT in place: 5 decimated 128-point FFTs, twiddled, 5-point DFTs. */
static void block_fft(v128_t *x) {
  for (u32 r = 0; r < 5; r++) {
    v128_t *s = sub + r * SUB;
    for (u32 m = 0, n = r; m < SUB; m++, n += 5) s[m] = x[n];
    fft(s, SUB);
  }
  for (u32 i = SUB; i < BLOCK; i++) sub[i] = cmul(sub[i], block_twiddle[i]);
  const v128_t C1 = wasm_f64x2_splat(c1), C2 = wasm_f64x2_splat(c2);
  const v128_t S1 = wasm_f64x2_splat(s1), S2 = wasm_f64x2_splat(s2);
  for (u32 q = 0; q < SUB; q++) {
    v128_t a0 = sub[q], a1 = sub[q + SUB], a2 = sub[q + 2 * SUB], a3 = sub[q + 3 * SUB],
           a4 = sub[q + 4 * SUB];
    v128_t t1 = wasm_f64x2_add(a1, a4), t2 = wasm_f64x2_add(a2, a3);
    v128_t t3 = wasm_f64x2_sub(a1, a4), t4 = wasm_f64x2_sub(a2, a3);
    // Summed in the order of sync.ts's BlockFft, so both give the same bits.
    v128_t b1 = wasm_f64x2_add(wasm_f64x2_add(a0, wasm_f64x2_mul(C1, t1)), wasm_f64x2_mul(C2, t2));
    v128_t b2 = wasm_f64x2_add(wasm_f64x2_add(a0, wasm_f64x2_mul(C2, t1)), wasm_f64x2_mul(C1, t2));
    v128_t d1 = wasm_f64x2_add(wasm_f64x2_mul(S1, t3), wasm_f64x2_mul(S2, t4));
    v128_t d2 = wasm_f64x2_sub(wasm_f64x2_mul(S2, t3), wasm_f64x2_mul(S1, t4));
    // X1 = b1 − i·d1, X4 = b1 + i·d1, X2 = b2 − i·d2, X3 = b2 + i·d2.
    v128_t e1 = minus_i(d1), e2 = minus_i(d2);
    x[q] = wasm_f64x2_add(wasm_f64x2_add(a0, t1), t2);
    x[q + SUB] = wasm_f64x2_add(b1, e1);
    x[q + 4 * SUB] = wasm_f64x2_sub(b1, e1);
    x[q + 2 * SUB] = wasm_f64x2_add(b2, e2);
    x[q + 3 * SUB] = wasm_f64x2_sub(b2, e2);
  }
}

EXPORT(dsp_block_fft) void dsp_block_fft(v128_t *x) { block_fft(x); }

/* ---- natural logarithm ---- */

/** ln x for finite x > 0: x = 2^e · m, m in [√½, √2), ln m = 2 atanh s, s = (m − 1)/(m + 1). */
static double ln(double x) {
  unsigned long long bits = __builtin_bit_cast(unsigned long long, x);
  int e = (int)((bits >> 52) & 0x7ff);
  if (e == 0) { // subnormal: scale up first
    x *= 18014398509481984.0; // 2^54
    bits = __builtin_bit_cast(unsigned long long, x);
    e = (int)((bits >> 52) & 0x7ff) - 54;
  }
  e -= 1023;
  double m = __builtin_bit_cast(double, (bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
  if (m > 1.4142135623730951) m *= 0.5, e += 1;
  double s = (m - 1) / (m + 1);
  double s2 = s * s;
  // |s| < 0.1716: the series to s^21 is within 1e-17 of atanh.
  double p = 1.0 / 21;
  p = p * s2 + 1.0 / 19;
  p = p * s2 + 1.0 / 17;
  p = p * s2 + 1.0 / 15;
  p = p * s2 + 1.0 / 13;
  p = p * s2 + 1.0 / 11;
  p = p * s2 + 1.0 / 9;
  p = p * s2 + 1.0 / 7;
  p = p * s2 + 1.0 / 5;
  p = p * s2 + 1.0 / 3;
  p = p * s2 + 1.0;
  return e * 0.6931471805599453 + 2 * s * p;
}

EXPORT(dsp_ln) double dsp_ln(double x) { return ln(x); }

/** ln of both lanes, as ln above, for normal x > 0 (the band energies above FLOOR). */
static inline v128_t ln2(v128_t x) {
  const v128_t mantissa = wasm_i64x2_splat(0x000fffffffffffffll);
  const v128_t one = wasm_i64x2_splat(0x3ff0000000000000ll);
  v128_t m = wasm_v128_or(wasm_v128_and(x, mantissa), one);
  v128_t big = wasm_f64x2_gt(m, wasm_f64x2_splat(1.4142135623730951));
  m = wasm_v128_bitselect(wasm_f64x2_mul(m, wasm_f64x2_splat(0.5)), m, big);
  // Exponents (+1 where m was halved: big is −1 there) in the low 32 bits of each lane.
  v128_t e = wasm_i64x2_sub(wasm_u64x2_shr(x, 52), wasm_i64x2_splat(1023));
  e = wasm_i64x2_sub(e, big);
  v128_t ef = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(e, e, 0, 2, 0, 2));
  v128_t s = wasm_f64x2_div(wasm_f64x2_sub(m, wasm_f64x2_splat(1)), wasm_f64x2_add(m, wasm_f64x2_splat(1)));
  v128_t s2 = wasm_f64x2_mul(s, s);
  v128_t p = wasm_f64x2_splat(1.0 / 21);
  p = wasm_f64x2_add(wasm_f64x2_mul(p, s2), wasm_f64x2_splat(1.0 / 19));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, s2), wasm_f64x2_splat(1.0 / 17));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, s2), wasm_f64x2_splat(1.0 / 15));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, s2), wasm_f64x2_splat(1.0 / 13));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, s2), wasm_f64x2_splat(1.0 / 11));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, s2), wasm_f64x2_splat(1.0 / 9));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, s2), wasm_f64x2_splat(1.0 / 7));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, s2), wasm_f64x2_splat(1.0 / 5));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, s2), wasm_f64x2_splat(1.0 / 3));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, s2), wasm_f64x2_splat(1.0));
  return wasm_f64x2_add(wasm_f64x2_mul(ef, wasm_f64x2_splat(0.6931471805599453)),
                        wasm_f64x2_mul(wasm_f64x2_mul(wasm_f64x2_splat(2), s), p));
}

EXPORT(dsp_ln2) double dsp_ln2(double x, double y) {
  v128_t r = ln2(wasm_f64x2_make(x, y));
  return wasm_f64x2_extract_lane(r, 0) + 0 * wasm_f64x2_extract_lane(r, 1);
}

/* ---- sync correlation (core/watermark/sync.ts) ---- */

/** Spectra of the current layout's sync pattern and mask, pair p at [p × BLOCK, (p + 1) × BLOCK). */
static v128_t pattern[PAIRS * BLOCK];
static v128_t mask[PAIRS * BLOCK];
static v128_t z[BLOCK], sum[BLOCK], energy[BLOCK];
/** Scratch for the layout's slot signs and use (host-written), and the folded rows. */
static double sign_slots[SLOTS], used_slots[SLOTS];
static float folded[2 * SLOTS];

EXPORT(dsp_sign_slots) double *dsp_sign_slots(void) { return sign_slots; }
EXPORT(dsp_used_slots) double *dsp_used_slots(void) { return used_slots; }
EXPORT(dsp_folded) float *dsp_folded(void) { return folded; }

/** Transforms the layout's slot signs and use (written at dsp_sign_slots/dsp_used_slots). */
EXPORT(dsp_sync_layout) void dsp_sync_layout(void) {
  for (u32 p = 0; p < PAIRS; p++) {
    u32 a = 2 * p, b = a + 1;
    for (u32 pass = 0; pass < 2; pass++) {
      const double *slots = pass ? used_slots : sign_slots;
      v128_t *out = (pass ? mask : pattern) + p * BLOCK;
      for (u32 f = 0; f < BLOCK; f++)
        out[f] = wasm_f64x2_make(slots[f * BANDS + a], b < BANDS ? slots[f * BANDS + b] : 0);
      block_fft(out);
    }
  }
}

/**
 * The sync score at every block shift of `folded` into scores[shift] (SyncCorrelator.scores):
 * total / √energy, or the numerator alone unless `normalized`.
 */
static double scores[BLOCK];
EXPORT(dsp_scores) double *dsp_scores(void) { return scores; }

EXPORT(dsp_sync_scores) void dsp_sync_scores(u32 normalized) {
  double *out = scores;
  for (u32 k = 0; k < BLOCK; k++) sum[k] = energy[k] = wasm_f64x2_splat(0);
  const v128_t flip = wasm_f64x2_make(1.0, -1.0);
  for (u32 p = 0; p < PAIRS; p++) {
    u32 a = 2 * p, b = a + 1;
    for (u32 pass = 0; pass < (normalized ? 2u : 1u); pass++) {
      for (u32 n = 0; n < BLOCK; n++) {
        double x = folded[n * BANDS + a];
        double y = b < BANDS ? folded[n * BANDS + b] : 0;
        z[n] = pass ? wasm_f64x2_make(x * x, y * y) : wasm_f64x2_make(x, y);
      }
      block_fft(z);
      const v128_t *w = (pass ? mask : pattern) + p * BLOCK;
      v128_t *acc = pass ? energy : sum;
      // Z · conj(W)
      for (u32 k = 0; k < BLOCK; k++) acc[k] = wasm_f64x2_add(acc[k], cmul(z[k], wasm_f64x2_mul(w[k], flip)));
    }
  }
  // Re(IDFT(S))[k] = Re(DFT(conj S))[k] / BLOCK.
  for (u32 k = 0; k < BLOCK; k++) sum[k] = wasm_f64x2_mul(sum[k], flip);
  block_fft(sum);
  if (normalized) {
    for (u32 k = 0; k < BLOCK; k++) energy[k] = wasm_f64x2_mul(energy[k], flip);
    block_fft(energy);
  }
  const double scale = 1.0 / BLOCK;
  for (u32 shift = 0; shift < BLOCK; shift++) {
    u32 k = shift == 0 ? 0 : BLOCK - shift;
    double total = wasm_f64x2_extract_lane(sum[k], 0) * scale;
    if (!normalized) {
      out[shift] = total;
      continue;
    }
    double e = wasm_f64x2_extract_lane(energy[k], 0) * scale;
    out[shift] = e > 1e-12 ? total / __builtin_sqrt(e) : 0;
  }
}

/** The layout's sync slots grouped by bin (Layout.syncSlots, syncStarts), host-written. */
static u32 sync_slots[SLOTS];
static u32 sync_starts[2 * 96 + 1];
#define SYNC_SYMBOLS 96

EXPORT(dsp_sync_slots) u32 *dsp_sync_slots(void) { return sync_slots; }
EXPORT(dsp_sync_starts) u32 *dsp_sync_starts(void) { return sync_starts; }

/** detect.ts syncAt: the sync z-score of folded (two copies back to back) at one block shift. */
static double sync_at(u32 shift) {
  u32 move = shift == 0 ? 0 : (BLOCK - shift) * BANDS;
  const float *f = folded + move;
  double energy = 0, total = 0, squares = 0;
  for (u32 s = 0, i = 0; s < SYNC_SYMBOLS; s++) {
    double negative = 0, positive = 0;
    for (u32 end = sync_starts[2 * s + 1]; i < end; i++) {
      double v = f[sync_slots[i]];
      negative += v;
      energy += v * v;
    }
    for (u32 end = sync_starts[2 * s + 2]; i < end; i++) {
      double v = f[sync_slots[i]];
      positive += v;
      energy += v * v;
    }
    double sum = positive - negative;
    total += sum;
    squares += sum * sum;
  }
  if (!(energy > 0)) return 0;
  double a = total / __builtin_sqrt(energy), b = total / __builtin_sqrt(squares);
  return a != a || b != b ? a + b : a > b ? a : b;
}

static double best[2];
EXPORT(dsp_best) double *dsp_best(void) { return best; }

/**
 * detect.ts bestShift after the scores: of the `count` shifts with the highest scores (chosen
 * as topShifts does), the one with the highest sync_at (ties: the lowest shift), into best.
 */
EXPORT(dsp_best_shift) void dsp_best_shift(u32 count) {
  unsigned short ranked[64];
  u32 filled = 0, lowest = 0;
  for (u32 i = 0; i < SLOTS; i++) folded[SLOTS + i] = folded[i];
  for (u32 shift = 0; shift < BLOCK; shift++) {
    double score = scores[shift];
    if (filled < count || score > scores[ranked[lowest]]) {
      if (filled < count) ranked[filled++] = (unsigned short)shift;
      else ranked[lowest] = (unsigned short)shift;
      if (filled == count) {
        lowest = 0;
        for (u32 i = 1; i < count; i++)
          if (scores[ranked[i]] < scores[ranked[lowest]]) lowest = i;
      }
    }
  }
  double z = -__builtin_inf();
  u32 at = 0;
  for (u32 i = 0; i < filled; i++) {
    double v = sync_at(ranked[i]);
    if (v > z || (v == z && ranked[i] < at)) z = v, at = ranked[i];
  }
  best[0] = at;
  best[1] = z;
}

/* ---- mono mix and half-band decimation (core/watermark/detect.ts monoAtRate, band.ts) ---- */

/**
 * The mean of `count` channels of `length` samples (channel c at input + c × length) into mono,
 * summed in channel order as monoAtRate does.
 */
EXPORT(dsp_mono) void dsp_mono(const float *input, u32 count, u32 length, float *mono) {
  for (u32 i = 0; i < length; i++) mono[i] = 0;
  for (u32 c = 0; c < count; c++) {
    const float *x = input + c * length;
    for (u32 i = 0; i < length; i++) mono[i] = (float)((double)mono[i] + (double)x[i] / count);
  }
}

#define HALF_TAPS 8
#define HALF_REACH (2 * HALF_TAPS - 1)
static double half_taps[HALF_TAPS];
EXPORT(dsp_half_taps) double *dsp_half_taps(void) { return half_taps; }

/** band.ts halveBand's output n, with zeros outside the input. */
static float halve_edge(const float *in, u32 length, u32 n) {
  int at = 2 * (int)n, last = (int)length - 1;
  double acc = 0.5 * in[at];
  for (int k = 0, d = 1; k < HALF_TAPS; k++, d += 2) {
    double before = at - d >= 0 ? in[at - d] : 0;
    double after = at + d <= last ? in[at + d] : 0;
    acc += half_taps[k] * (before + after);
  }
  return (float)acc;
}

static inline v128_t even_pair(const float *at) {
  v128_t v = wasm_v128_load(at);
  return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 0, 2, 0, 2));
}

/** band.ts halveBand: the band of `in` (length samples) at half its rate into out (⌈length / 2⌉). */
EXPORT(dsp_halve) void dsp_halve(const float *in, u32 length, float *out) {
  u32 outs = (length + 1) / 2;
  u32 n = 0;
  // Outputs whose taps lie wholly inside, two at a time: the same sums, lane by lane; the last
  // pair also reads in[at + 2 + d + 1] (one sample past its taps), so it stays inside too.
  for (; n < outs && 2 * n < HALF_REACH; n++) out[n] = halve_edge(in, length, n);
  for (; n + 1 < outs && 2 * n + 2 + HALF_REACH + 1 <= length - 1; n += 2) {
    const float *at = in + 2 * n;
    v128_t acc = wasm_f64x2_mul(wasm_f64x2_splat(0.5), even_pair(at));
    for (u32 k = 0, d = 1; k < HALF_TAPS; k++, d += 2) {
      v128_t sum = wasm_f64x2_add(even_pair(at - d), even_pair(at + d));
      acc = wasm_f64x2_add(acc, wasm_f64x2_mul(wasm_f64x2_splat(half_taps[k]), sum));
    }
    wasm_v128_store64_lane(out + n, wasm_f32x4_demote_f64x2_zero(acc), 0);
  }
  for (; n < outs; n++) out[n] = halve_edge(in, length, n);
}

/* ---- dense STFT and the features read from it (core/watermark/scale.ts) ---- */

static v128_t frame[FRAME];

/**
 * Cumulative power of bins low…low + i − 1 of each of `frames` frames of `signal` (length
 * samples, frame d at d × dense_hop, zero outside) into cumulative[d × (bins + 1) + i].
 */
EXPORT(dsp_dense_power)
void dsp_dense_power(const float *signal, u32 length, u32 frames, u32 dense_hop, u32 low, u32 bins,
                     double *cumulative) {
  const u32 stride = bins + 1;
  for (u32 d = 0; d < frames; d += 2) {
    u32 a = d * dense_hop, b = a + dense_hop;
    for (u32 n = 0; n < FRAME; n++) {
      u32 i = a + n, j = b + n;
      frame[n] = wasm_f64x2_make(i < length ? signal[i] * window[n] : 0,
                                 j < length ? signal[j] * window[n] : 0);
    }
    fft(frame, FRAME);
    for (u32 which = 0; which < 2 && d + which < frames; which++) {
      double *at = cumulative + (d + which) * stride;
      double total = 0;
      at[0] = 0;
      for (u32 i = 0; i < bins; i++) {
        u32 k = low + i, m = FRAME - k;
        double kr = wasm_f64x2_extract_lane(frame[k], 0), ki = wasm_f64x2_extract_lane(frame[k], 1);
        double mr = wasm_f64x2_extract_lane(frame[m], 0), mi = wasm_f64x2_extract_lane(frame[m], 1);
        double xr = which == 0 ? kr + mr : ki + mi;
        double xi = which == 0 ? ki - mi : mr - kr;
        total += 0.25 * (xr * xr + xi * xi);
        at[i + 1] = total;
      }
    }
  }
}

#define FLOOR 1e-9
/** 0.025 per dB: RELIABILITY_SLOPE of stft.ts. */
#define SLOPE (0.025 * (10 / 2.302585092994046))

/** Bands each band's level is compared with (2 × REACH, fewer at the edges), and a pad. */
static const double spans[BANDS + 1] __attribute__((aligned(16))) = {
    3, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 5, 4, 3, 1};

/**
 * Features (Analyzer.features from the band levels: each against its neighbours) and reliability
 * weights (Analyzer.reliability) of one frame, from its band energies with the floor added: BANDS
 * values and a pad, so the logs go two at a time.
 */
static void level_features(const double *floored, float *raw, float *weights) {
  double levels[BANDS + 1] __attribute__((aligned(16))), prefix[BANDS + 1];
  double loudest = -__builtin_inf();
  prefix[0] = 0;
  for (u32 b = 0; b < BANDS; b += 2) wasm_v128_store(levels + b, ln2(wasm_v128_load(floored + b)));
  for (u32 b = 0; b < BANDS; b++) {
    prefix[b + 1] = prefix[b] + levels[b];
    if (levels[b] > loudest) loudest = levels[b];
  }
  double sums[BANDS + 1] __attribute__((aligned(16)));
  for (u32 b = 0; b < BANDS; b++) {
    u32 low = b < REACH ? 0 : b - REACH;
    u32 high = b + REACH >= BANDS ? BANDS - 1 : b + REACH;
    sums[b] = prefix[high + 1] - prefix[low] - levels[b];
  }
  sums[BANDS] = 0;
  // Two bands at a time: level − mean of its neighbours, and 1 / (1 + σ²).
  const v128_t top = wasm_f64x2_splat(loudest), one = wasm_f64x2_splat(1);
  for (u32 b = 0; b < BANDS; b += 2) {
    v128_t level = wasm_v128_load(levels + b);
    v128_t feature = wasm_f64x2_sub(level, wasm_f64x2_div(wasm_v128_load(sums + b), wasm_v128_load(spans + b)));
    v128_t sigma = wasm_f64x2_add(wasm_f64x2_splat(0.2),
                                  wasm_f64x2_mul(wasm_f64x2_splat(SLOPE), wasm_f64x2_sub(top, level)));
    sigma = wasm_f64x2_pmin(sigma, wasm_f64x2_splat(2));
    v128_t weight = wasm_f64x2_div(one, wasm_f64x2_add(one, wasm_f64x2_mul(sigma, sigma)));
    v128_t f = wasm_f32x4_demote_f64x2_zero(feature), w = wasm_f32x4_demote_f64x2_zero(weight);
    if (b + 1 < BANDS) {
      wasm_v128_store64_lane(raw + b, f, 0);
      wasm_v128_store64_lane(weights + b, w, 0);
    } else {
      wasm_v128_store32_lane(raw + b, f, 0);
      wasm_v128_store32_lane(weights + b, w, 0);
    }
  }
}

/** Features (Analyzer.featuresOfEnergies) and reliability weights of one frame's band energies. */
static void frame_features(const double *energies, float *raw, float *weights) {
  double floored[BANDS + 1] __attribute__((aligned(16)));
  for (u32 b = 0; b <= BANDS; b += 2)
    wasm_v128_store(floored + b, wasm_f64x2_add(wasm_f64x2_splat(FLOOR), wasm_v128_load(energies + b)));
  level_features(floored, raw, weights);
}

/**
 * contrastInTime, weighted unless `weighted` is 0, then each frame j added onto block row
 * j mod BLOCK of `folded` (SLOTS values, zeroed first).
 */
static void contrast_fold(const float *raw, const float *weights, u32 frames, u32 weighted, float *folded) {
  for (u32 i = 0; i < SLOTS; i++) folded[i] = 0;
  u32 row = 0;
  for (u32 j = 0; j < frames; j++) {
    const float *before = j >= CONTRAST ? raw + (j - CONTRAST) * BANDS : 0;
    const float *after = j + CONTRAST < frames ? raw + (j + CONTRAST) * BANDS : 0;
    const float *here = raw + j * BANDS;
    const float *w = weights + j * BANDS;
    float *to = folded + row;
    // Unweighted: a weight of 1, whose products are exact.
#define WEIGHT(b) (weighted ? (double)w[b] : 1.0)
    if (before && after)
      for (u32 b = 0; b < BANDS; b++)
        to[b] += (float)(WEIGHT(b) * ((double)here[b] - ((double)before[b] + after[b]) / 2));
    else if (before || after) {
      const float *other = before ? before : after;
      for (u32 b = 0; b < BANDS; b++)
        to[b] += (float)(WEIGHT(b) * ((double)here[b] - (double)other[b]));
    } else
      for (u32 b = 0; b < BANDS; b++) to[b] += (float)(WEIGHT(b) * (double)here[b]);
#undef WEIGHT
    row += BANDS;
    if (row == SLOTS) row = 0;
  }
}

/** One dense analysis: where its buffers lie in linear memory (host-allocated). */
typedef struct {
  const double *cumulative;
  u32 frames, low, stride, limit;
  float *raw, *weights;
  /** Features and weights of each dense frame at speed 1, and which are computed. */
  float *plain_raw, *plain_weights;
  u8 *plain_done;
} Scorer;

EXPORT(dsp_scorer_size) u32 dsp_scorer_size(void) { return sizeof(Scorer); }

/** Where each band edge falls between cumulative values: index and fraction. */
static u32 edge_at[BANDS + 1];
static double edge_part[BANDS + 1];

/** A frame's band energies from its cumulative power, at the edges set for the speed read. */
static void band_energies(const double *at, double *energies) {
  double a = at[edge_at[0]];
  double lower = a + edge_part[0] * (at[edge_at[0] + 1] - a);
  for (u32 b = 0; b < BANDS; b++) {
    u32 i = edge_at[b + 1];
    double c = at[i];
    double upper = c + edge_part[b + 1] * (at[i + 1] - c);
    energies[b] = upper - lower;
    lower = upper;
  }
  energies[BANDS] = 1;
}

/**
 * ScaleScorer.features then foldFrames: the weighted features of up to `limit` frames read at
 * `speed`, dense frame start + round(j × step) for frame j, folded onto the block rows of
 * `folded` (its first SLOTS). Returns the frames read.
 */
EXPORT(dsp_scorer_fold)
u32 dsp_scorer_fold(Scorer *s, double speed, double step, u32 limit, u32 start) {
  u32 most = limit < s->limit ? limit : s->limit;
  u32 frames = 0;
  while (frames < most && start + (u32)__builtin_floor(frames * step + 0.5) < s->frames) frames++;
  for (u32 b = 0; b <= BANDS; b++) {
    double u = ((FIRST_BIN + b * BAND_BINS - 0.5) * speed + 0.5) - s->low;
    double f = __builtin_floor(u);
    edge_at[b] = (u32)f;
    edge_part[b] = u - f;
  }
  double energies[BANDS + 1] __attribute__((aligned(16)));
  float *raw = s->raw, *weights = s->weights;
  for (u32 j = 0; j < frames; j++) {
    u32 d = start + (u32)__builtin_floor(j * step + 0.5);
    if (speed == 1) {
      float *pr = s->plain_raw + d * BANDS, *pw = s->plain_weights + d * BANDS;
      if (!s->plain_done[d]) {
        band_energies(s->cumulative + d * s->stride, energies);
        frame_features(energies, pr, pw);
        s->plain_done[d] = 1;
      }
      for (u32 b = 0; b < BANDS; b++) raw[j * BANDS + b] = pr[b], weights[j * BANDS + b] = pw[b];
      continue;
    }
    band_energies(s->cumulative + d * s->stride, energies);
    frame_features(energies, raw + j * BANDS, weights + j * BANDS);
  }
  contrast_fold(raw, weights, frames, 1, folded);
  return frames;
}

/* ---- the streaming embedder's resampling (core/watermark/stream.ts advance, backResample) ---- */

#define RATE 22050

/** A polyphase bank (core/lib/dsp/resample.ts FilterBank). */
typedef struct {
  u32 taps, phases;
  int first;
  const float *coefficients;
} Bank;

/**
 * One embedder's rings and banks (host-allocated and written): channel c's input-rate ring at
 * input + c × (in_mask + 1), its RATE ring at x + c × (mask + 1) and its watermark at
 * delta + c × (mask + 1), and the channels' mean at RATE.
 */
typedef struct {
  u32 count, in_mask, mask, rate;
  Bank down, up;
  float *input, *x, *mix, *delta;
} Rings;

EXPORT(dsp_rings_size) u32 dsp_rings_size(void) { return sizeof(Rings); }

/** Where output n of a bank from rate `from` to rate `to` starts reading, and its phase's taps. */
static inline long long bank_start(const Bank *b, u32 n, u32 from, u32 to, const float **h) {
  unsigned long long position = (unsigned long long)n * from;
  unsigned long long base = position / to;
  u32 phase = (u32)(((position - base * to) * b->phases) / to);
  *h = b->coefficients + phase * b->taps;
  return (long long)base + b->first;
}

/** The bank's taps over ring samples start… (index & mask, those before 0 skipped), in tap order. */
static inline double taps_over(const float *ring, u32 mask, long long start, const float *h, u32 taps) {
  double acc = 0;
  u32 from = (u32)start & mask;
  if (start >= 0 && from + taps <= mask + 1)
    for (u32 k = 0; k < taps; k++) acc += (double)h[k] * ring[from + k];
  else
    for (u32 k = 0; k < taps; k++) {
      long long i = start + k;
      if (i >= 0) acc += (double)h[k] * ring[(u32)i & mask];
    }
  return acc;
}

/** taps_over for two rings at once, one per lane (the same sums). */
static inline v128_t taps_over2(const float *r0, const float *r1, u32 mask, long long start,
                                const float *h, u32 taps) {
  v128_t acc = wasm_f64x2_splat(0);
  u32 from = (u32)start & mask;
  if (start >= 0 && from + taps <= mask + 1) {
    const float *a = r0 + from, *b = r1 + from;
    for (u32 k = 0; k < taps; k++)
      acc = wasm_f64x2_add(acc, wasm_f64x2_mul(wasm_f64x2_splat(h[k]), wasm_f64x2_make(a[k], b[k])));
  } else
    for (u32 k = 0; k < taps; k++) {
      long long i = start + k;
      if (i < 0) continue;
      u32 j = (u32)i & mask;
      acc = wasm_f64x2_add(acc, wasm_f64x2_mul(wasm_f64x2_splat(h[k]), wasm_f64x2_make(r0[j], r1[j])));
    }
  return acc;
}

/**
 * StreamingEmbedder.advance's resampling to RATE: sample n of each channel and of their mean (in
 * channel order, each rounded to float first), for n from `made` while the taps lie below input
 * frame `received` and n < `until`. Returns the next n. Channels go two at a time, one per lane.
 */
EXPORT(dsp_downsample) u32 dsp_downsample(const Rings *s, u32 made, u32 received, u32 until) {
  const u32 count = s->count, in_mask = s->in_mask, in_size = in_mask + 1, size = s->mask + 1;
  const double scale = 1.0 / count;
  u32 n = made;
  for (; n < until; n++) {
    const float *h;
    long long start = bank_start(&s->down, n, s->rate, RATE, &h);
    if (start + (long long)s->down.taps - 1 >= (long long)received) break;
    u32 at = n & s->mask;
    float mean = 0;
    u32 c = 0;
    for (; c + 1 < count; c += 2) {
      const float *r0 = s->input + c * in_size;
      v128_t acc = taps_over2(r0, r0 + in_size, in_mask, start, h, s->down.taps);
      float a0 = (float)wasm_f64x2_extract_lane(acc, 0), a1 = (float)wasm_f64x2_extract_lane(acc, 1);
      s->x[c * size + at] = a0;
      s->x[(c + 1) * size + at] = a1;
      mean = (float)((double)mean + (double)a0 * scale);
      mean = (float)((double)mean + (double)a1 * scale);
    }
    if (c < count) {
      float a = (float)taps_over(s->input + c * in_size, in_mask, start, h, s->down.taps);
      s->x[c * size + at] = a;
      mean = (float)((double)mean + (double)a * scale);
    }
    if (count > 1) s->mix[at] = mean;
  }
  return n;
}

/**
 * StreamingEmbedder.backResample: each channel's watermark back at the input rate, added to its
 * input ring (float + float, rounded once), for input frames from `backed` while the taps lie
 * below RATE sample `final`. Returns the next frame.
 */
EXPORT(dsp_back_resample) u32 dsp_back_resample(const Rings *s, u32 backed, u32 final) {
  const u32 count = s->count, in_size = s->in_mask + 1, size = s->mask + 1;
  u32 m = backed;
  for (;; m++) {
    const float *h;
    long long start = bank_start(&s->up, m, RATE, s->rate, &h);
    if (start + (long long)s->up.taps - 1 >= (long long)final) break;
    u32 j = m & s->in_mask;
    u32 c = 0;
    for (; c + 1 < count; c += 2) {
      const float *d0 = s->delta + c * size;
      v128_t acc = taps_over2(d0, d0 + size, s->mask, start, h, s->up.taps);
      float *r0 = s->input + c * in_size, *r1 = r0 + in_size;
      r0[j] = (float)((double)r0[j] + (double)(float)wasm_f64x2_extract_lane(acc, 0));
      r1[j] = (float)((double)r1[j] + (double)(float)wasm_f64x2_extract_lane(acc, 1));
    }
    if (c < count) {
      float *r = s->input + c * in_size;
      r[j] = (float)((double)r[j] + (double)(float)taps_over(s->delta + c * size, s->mask, start, h, s->up.taps));
    }
  }
  return m;
}

/* ---- a clip's features on one grid (core/watermark/detect.ts fold, stft.ts featuresOf) ---- */

/**
 * resampleInto (core/lib/dsp/resample.ts) of `in` (in_length samples) from rate `from` to `to`
 * with `bank` into out (out_length samples): the taps in order, input outside skipped.
 */
EXPORT(dsp_resample)
void dsp_resample(const float *in, u32 in_length, u32 from, u32 to, const Bank *bank, float *out,
                  u32 out_length) {
  const long long last = (long long)in_length - 1;
  const u32 taps = bank->taps;
  for (u32 n = 0; n < out_length; n++) {
    const float *h;
    long long start = bank_start(bank, n, from, to, &h);
    if (n + 1 < out_length && start >= 0) {
      // Two outputs at once, one per lane, when both lie wholly inside: the same sums.
      const float *g;
      long long next = bank_start(bank, n + 1, from, to, &g);
      if (next + taps - 1 <= last) {
        const float *x = in + start, *y = in + next;
        v128_t acc2 = wasm_f64x2_splat(0);
        u32 k = 0;
        for (; k + 4 <= taps; k += 4) {
          // Taps k…k + 3 of both outputs, interleaved into (output n, output n + 1) pairs.
          v128_t hk = wasm_v128_load(h + k), gk = wasm_v128_load(g + k);
          v128_t xk = wasm_v128_load(x + k), yk = wasm_v128_load(y + k);
          v128_t c01 = wasm_i32x4_shuffle(hk, gk, 0, 4, 1, 5), c23 = wasm_i32x4_shuffle(hk, gk, 2, 6, 3, 7);
          v128_t s01 = wasm_i32x4_shuffle(xk, yk, 0, 4, 1, 5), s23 = wasm_i32x4_shuffle(xk, yk, 2, 6, 3, 7);
          acc2 = wasm_f64x2_add(acc2, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(c01), wasm_f64x2_promote_low_f32x4(s01)));
          c01 = wasm_i32x4_shuffle(c01, c01, 2, 3, 0, 1), s01 = wasm_i32x4_shuffle(s01, s01, 2, 3, 0, 1);
          acc2 = wasm_f64x2_add(acc2, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(c01), wasm_f64x2_promote_low_f32x4(s01)));
          acc2 = wasm_f64x2_add(acc2, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(c23), wasm_f64x2_promote_low_f32x4(s23)));
          c23 = wasm_i32x4_shuffle(c23, c23, 2, 3, 0, 1), s23 = wasm_i32x4_shuffle(s23, s23, 2, 3, 0, 1);
          acc2 = wasm_f64x2_add(acc2, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(c23), wasm_f64x2_promote_low_f32x4(s23)));
        }
        for (; k < taps; k++)
          acc2 = wasm_f64x2_add(acc2, wasm_f64x2_mul(wasm_f64x2_make(h[k], g[k]), wasm_f64x2_make(x[k], y[k])));
        wasm_v128_store64_lane(out + n, wasm_f32x4_demote_f64x2_zero(acc2), 0);
        n++;
        continue;
      }
    }
    double acc = 0;
    if (start >= 0 && start + taps - 1 <= last) {
      const float *x = in + start;
      for (u32 k = 0; k < taps; k++) acc += (double)h[k] * x[k];
    } else
      for (u32 k = 0; k < taps; k++) {
        long long i = start + k;
        if (i >= 0 && i <= last) acc += (double)h[k] * in[i];
      }
    out[n] = (float)acc;
  }
}

/** One clip's signal at RATE and room for the raw features and weights of its frames (host-allocated). */
typedef struct {
  const float *signal;
  u32 length;
  float *raw, *weights;
} Clip;

EXPORT(dsp_clip_size) u32 dsp_clip_size(void) { return sizeof(Clip); }

/** The unweighted fold dsp_clip_fold leaves beside the weighted one when asked. */
static float plain_folded[SLOTS];
EXPORT(dsp_plain_folded) float *dsp_plain_folded(void) { return plain_folded; }

/**
 * detect.ts fold: the features of `frames` frames of the clip, frame j at round(offset + j × hop)
 * (featuresOf: frames in pairs, one per FFT part, zero outside the signal), weighted by their
 * reliability unless `weighted` is 0, folded onto block rows into folded; and unweighted into
 * plain_folded too when `both` is not 0.
 */
EXPORT(dsp_clip_fold)
void dsp_clip_fold(const Clip *c, double offset, u32 frames, double hop, u32 weighted, u32 both) {
  const float *signal = c->signal;
  const long long length = c->length;
  double energies[2][BANDS + 1] __attribute__((aligned(16)));
  for (u32 j = 0; j < frames; j += 2) {
    long long a = (long long)__builtin_floor(offset + j * hop + 0.5);
    long long b = (long long)__builtin_floor(offset + (j + 1) * hop + 0.5);
    if (a >= 0 && b >= 0 && a + FRAME <= length && b + FRAME <= length) {
      // Both frames inside: four samples of each at a time, the same products.
      const float *x = signal + a, *y = signal + b;
      for (u32 n = 0; n < FRAME; n += 4) {
        v128_t u = wasm_v128_load(x + n), v = wasm_v128_load(y + n);
        v128_t w0 = wasm_v128_load(window + n), w1 = wasm_v128_load(window + n + 2);
        v128_t u0 = wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(u), w0);
        v128_t u1 = wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(u, u, 2, 3, 0, 1)), w1);
        v128_t v0 = wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(v), w0);
        v128_t v1 = wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 0, 1)), w1);
        frame[n] = wasm_i64x2_shuffle(u0, v0, 0, 2);
        frame[n + 1] = wasm_i64x2_shuffle(u0, v0, 1, 3);
        frame[n + 2] = wasm_i64x2_shuffle(u1, v1, 0, 2);
        frame[n + 3] = wasm_i64x2_shuffle(u1, v1, 1, 3);
      }
    } else
      for (u32 n = 0; n < FRAME; n++) {
        long long i = a + n, k = b + n;
        frame[n] = wasm_f64x2_make(i >= 0 && i < length ? signal[i] * window[n] : 0,
                                   k >= 0 && k < length ? signal[k] * window[n] : 0);
      }
    fft(frame, FRAME);
    for (u32 band = 0; band < BANDS; band++) {
      // Both frames' band energies at once: lane 0 the real part's, lane 1 the imaginary part's.
      v128_t energy = wasm_f64x2_splat(FLOOR);
      for (u32 k = FIRST_BIN + band * BAND_BINS, end = k + BAND_BINS; k < end; k++) {
        v128_t x = frame[k], y = frame[FRAME - k];
        // (xr, xi) of frame 0: (re k + re m, im k − im m); of frame 1: (im k + im m, re m − re k).
        v128_t xr = wasm_f64x2_add(wasm_i64x2_shuffle(x, y, 0, 1), wasm_i64x2_shuffle(x, y, 2, 3));
        v128_t xi = wasm_f64x2_sub(wasm_i64x2_shuffle(x, y, 1, 2), wasm_i64x2_shuffle(x, y, 3, 0));
        v128_t p = wasm_f64x2_add(wasm_f64x2_mul(xr, xr), wasm_f64x2_mul(xi, xi));
        energy = wasm_f64x2_add(energy, wasm_f64x2_mul(wasm_f64x2_splat(0.25), p));
      }
      energies[0][band] = wasm_f64x2_extract_lane(energy, 0);
      energies[1][band] = wasm_f64x2_extract_lane(energy, 1);
    }
    energies[0][BANDS] = energies[1][BANDS] = 1;
    level_features(energies[0], c->raw + j * BANDS, c->weights + j * BANDS);
    if (j + 1 < frames) level_features(energies[1], c->raw + (j + 1) * BANDS, c->weights + (j + 1) * BANDS);
  }
  contrast_fold(c->raw, c->weights, frames, weighted, folded);
  if (both) contrast_fold(c->raw, c->weights, frames, 0, plain_folded);
}
