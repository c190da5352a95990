// A WebAssembly SIMD kernel for the per-tensor (and long per-channel) hot paths: quantize to 8-bit
// codes and fake-quantize with the STE mask, half to even. Written here as a small hand-encoded module
// (about 1 KB, no toolchain) and checked against the JS kernels and the slow reference in the tests.
//
// Why: a scalar JS loop tops out near 500-550 M values/s on this machine (Node 20), about a fifth of
// Float32Array.prototype.set; the SIMD kernel, copying 16K-value chunks in and out of its own memory,
// reaches about 900 M values/s (measured with bench/quantize.bench.ts).
//
// The arithmetic is PyTorch's float32 arithmetic, lane by lane: f32x4.mul is the correctly rounded
// float32 product float32(x * inv), f32x4.nearest rounds ties to even (std::nearbyint), the clamp to
// [quantMin - zeroPoint, quantMax - zeroPoint] happens on exact small integers before the conversion, and
// the fake-quant output f32x4.mul(q - zeroPoint, scale) is float32((q - zeroPoint) * scale). Non-finite
// inputs are caught by summing x - x over the chunk (0 for finite x, NaN otherwise).
//
// Used only where WebAssembly SIMD validates (Node >= 16.4, current browsers); everything else runs the
// JS kernels, which give the same results.

import { _nonFinite } from "./_plan";

/** Elements per chunk copied into the module's memory. */
const CHUNK = 16384;
const IN = 0; // CHUNK float32 inputs
const OUT_F = CHUNK * 4; // CHUNK float32 outputs (fake quant)
const OUT_B = CHUNK * 8; // CHUNK bytes (codes or mask)
const PAGES = 3; // 192 KiB >= OUT_B + CHUNK

const uleb = (n: number): number[] => {
  const o: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    o.push(b);
  } while (n !== 0);
  return o;
};
const sleb = (n: number): number[] => {
  const o: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      o.push(b);
      return o;
    }
    o.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const tee = (i: number): number[] => [0x22, ...uleb(i)];
const i32const = (n: number): number[] => [0x41, ...sleb(n)];
const I32_ADD = [0x6a];
const I32_SHL = [0x74];
const I32_LT_U = [0x49];
const I32_EQZ = [0x45];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = [0x0b];
const br = (d: number): number[] => [0x0c, d];
const brIf = (d: number): number[] => [0x0d, d];
const load = (offset: number): number[] => [...simd(0x00), 4, ...uleb(offset)];
const store = (offset: number): number[] => [...simd(0x0b), 4, ...uleb(offset)];
const I32X4_SPLAT = simd(0x11);
const F32X4_SPLAT = simd(0x13);
const F32X4_NE = simd(0x42);
const F32X4_LE = simd(0x45);
const F32X4_GE = simd(0x46);
const V128_AND = simd(0x4e);
const ANY_TRUE = simd(0x53);
const I8X16_NARROW_S = simd(0x65);
const U8X16_NARROW = simd(0x66);
const F32X4_NEAREST = simd(0x6a);
const I16X8_NARROW_S = simd(0x85);
const I8X16_SPLAT = simd(0x0f);
const I32X4_ADD = simd(0xae);
const F32X4_ADD = simd(0xe4);
const F32X4_SUB = simd(0xe5);
const F32X4_MUL = simd(0xe6);
const F32X4_MIN = simd(0xe8);
const F32X4_MAX = simd(0xe9);
const TRUNC_SAT_S = simd(0xf8);

// Parameters of both kernels: (n: i32, inv: f32, lo: f32, hi: f32, last: i32 zeroPoint | f32 scale).
const N = 0;
const INV = 1;
const LO = 2;
const HI = 3;
const LAST = 4;
// Locals: i (i32), then v128s.
const I = 5;
const VINV = 6;
const VLO = 7;
const VHI = 8;
const VLAST = 9;
const ACC = 10;
const V = 11;
const T = 12;
const R0 = 13; // R0..R3: four results (codes or masks) per 16 elements
const ZERO = 17; // never written: +0 in every lane

/** Body of `quantize8`: codes at OUT_B + i, signed (i8) or unsigned (u8) narrowing. */
function quantizeBody(signed: boolean): number[] {
  const c: number[] = [];
  c.push(...get(INV), ...F32X4_SPLAT, ...set(VINV), ...get(LO), ...F32X4_SPLAT, ...set(VLO));
  c.push(...get(HI), ...F32X4_SPLAT, ...set(VHI), ...get(LAST), ...I32X4_SPLAT, ...set(VLAST));
  c.push(...BLOCK, ...LOOP, ...get(I), ...get(N), ...I32_LT_U, ...I32_EQZ, ...brIf(1));
  for (let k = 0; k < 4; k++) {
    c.push(...get(I), ...i32const(2), ...I32_SHL, ...load(IN + 16 * k), ...tee(V));
    c.push(...get(V), ...F32X4_SUB, ...get(ACC), ...F32X4_ADD, ...set(ACC)); // acc += x - x
    c.push(...get(V), ...get(VINV), ...F32X4_MUL, ...F32X4_NEAREST); // nearbyint(float32(x * inv))
    c.push(...get(VLO), ...F32X4_MAX, ...get(VHI), ...F32X4_MIN, ...TRUNC_SAT_S); // clamp, to int32
    c.push(...get(VLAST), ...I32X4_ADD, ...set(R0 + k)); // + zeroPoint
  }
  c.push(...get(I), ...get(R0), ...get(R0 + 1), ...I16X8_NARROW_S, ...get(R0 + 2), ...get(R0 + 3));
  c.push(...I16X8_NARROW_S, ...(signed ? I8X16_NARROW_S : U8X16_NARROW), ...store(OUT_B));
  c.push(...get(I), ...i32const(16), ...I32_ADD, ...set(I), ...br(0), ...END, ...END);
  c.push(...get(ACC), ...get(ACC), ...F32X4_NE, ...ANY_TRUE, ...END);
  return c;
}

/** Body of `fakeQuantize`: values at OUT_F + 4i, mask bytes (0/1) at OUT_B + i. */
function fakeQuantizeBody(): number[] {
  const c: number[] = [];
  c.push(...get(INV), ...F32X4_SPLAT, ...set(VINV), ...get(LO), ...F32X4_SPLAT, ...set(VLO));
  c.push(...get(HI), ...F32X4_SPLAT, ...set(VHI), ...get(LAST), ...F32X4_SPLAT, ...set(VLAST));
  c.push(...BLOCK, ...LOOP, ...get(I), ...get(N), ...I32_LT_U, ...I32_EQZ, ...brIf(1));
  for (let k = 0; k < 4; k++) {
    c.push(...get(I), ...i32const(2), ...I32_SHL, ...load(IN + 16 * k), ...tee(V));
    c.push(...get(V), ...F32X4_SUB, ...get(ACC), ...F32X4_ADD, ...set(ACC));
    // t + 0 turns nearest's -0 into +0: PyTorch's zeroPoint + nearbyint(...) is an integer sum, so the
    // output (q - zeroPoint) * scale is +0, never -0.
    c.push(...get(V), ...get(VINV), ...F32X4_MUL, ...F32X4_NEAREST, ...get(ZERO), ...F32X4_ADD, ...set(T));
    // mask: lo <= t <= hi (all-ones lanes)
    c.push(
      ...get(T),
      ...get(VLO),
      ...F32X4_GE,
      ...get(T),
      ...get(VHI),
      ...F32X4_LE,
      ...V128_AND,
      ...set(R0 + k),
    );
    // out = clamp(t, lo, hi) * scale
    c.push(...get(I), ...i32const(2), ...I32_SHL);
    c.push(...get(T), ...get(VLO), ...F32X4_MAX, ...get(VHI), ...F32X4_MIN, ...get(VLAST), ...F32X4_MUL);
    c.push(...store(OUT_F + 16 * k));
  }
  c.push(...get(I), ...get(R0), ...get(R0 + 1), ...I16X8_NARROW_S, ...get(R0 + 2), ...get(R0 + 3));
  c.push(...I16X8_NARROW_S, ...I8X16_NARROW_S, ...i32const(1), ...I8X16_SPLAT, ...V128_AND, ...store(OUT_B));
  c.push(...get(I), ...i32const(16), ...I32_ADD, ...set(I), ...br(0), ...END, ...END);
  c.push(...get(ACC), ...get(ACC), ...F32X4_NE, ...ANY_TRUE, ...END);
  return c;
}

function code(body: number[]): number[] {
  const locals = vec([
    [...uleb(1), I32],
    [...uleb(13), V128],
  ]);
  const all = [...locals, ...body];
  return [...uleb(all.length), ...all];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const types = section(
    1,
    vec([
      [0x60, ...vec([[I32], [F32], [F32], [F32], [I32]]), ...vec([[I32]])],
      [0x60, ...vec([[I32], [F32], [F32], [F32], [F32]]), ...vec([[I32]])],
    ]),
  );
  const funcs = section(3, vec([[0], [0], [1]]));
  const memory = section(5, vec([[0x00, ...uleb(PAGES)]]));
  const exports = section(
    7,
    vec([
      [...name("memory"), 0x02, 0],
      [...name("quantizeU8"), 0x00, 0],
      [...name("quantizeI8"), 0x00, 1],
      [...name("fakeQuantize"), 0x00, 2],
    ]),
  );
  const codeSection = section(
    10,
    vec([code(quantizeBody(false)), code(quantizeBody(true)), code(fakeQuantizeBody())]),
  );
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...types,
    ...funcs,
    ...memory,
    ...exports,
    ...codeSection,
  ]);
}

type Kernel = (n: number, inv: number, lo: number, hi: number, last: number) => number;
interface Simd {
  quantizeU8: Kernel;
  quantizeI8: Kernel;
  fakeQuantize: Kernel;
  input: Float32Array;
  outF: Float32Array;
  outU8: Uint8Array;
  outI8: Int8Array;
}

let instance: Simd | null | undefined;
let disabled = false;

/** The instantiated module, or null where WebAssembly SIMD is not available (or was disabled). */
export function _simd(): Simd | null {
  if (disabled) return null;
  if (instance !== undefined) return instance;
  instance = null;
  try {
    if (typeof WebAssembly !== "object") return null;
    const bytes = moduleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as {
      memory: WebAssembly.Memory;
      quantizeU8: Kernel;
      quantizeI8: Kernel;
      fakeQuantize: Kernel;
    };
    const buffer = exports.memory.buffer;
    instance = {
      quantizeU8: exports.quantizeU8,
      quantizeI8: exports.quantizeI8,
      fakeQuantize: exports.fakeQuantize,
      input: new Float32Array(buffer, IN, CHUNK),
      outF: new Float32Array(buffer, OUT_F, CHUNK),
      outU8: new Uint8Array(buffer, OUT_B, CHUNK),
      outI8: new Int8Array(buffer, OUT_B, CHUNK),
    };
  } catch {
    instance = null;
  }
  return instance;
}

/**
 * Turns the SIMD path off (true) or back on (false); for tests and benchmarks that compare it with
 * the JS kernels. Returns whether SIMD is available after the call.
 */
export function _setSimdEnabled(enabled: boolean): boolean {
  disabled = !enabled;
  return _simd() !== null;
}

/** Copies x[start .. start + m) into the module's input, zero-padding to a multiple of 16; returns the padded count. */
function stage(s: Simd, x: Float32Array, start: number, m: number): number {
  s.input.set(x.subarray(start, start + m));
  const padded = (m + 15) & ~15;
  if (padded > m) s.input.fill(0, m, padded);
  return padded;
}

function firstNonFinite(x: Float32Array, start: number, m: number, name: string): RangeError {
  for (let i = start; i < start + m; i++) {
    const v = x[i]!;
    if (v - v !== 0) return _nonFinite(name, i, v);
  }
  return new RangeError(`${name}: a non-finite value was reported but not found`);
}

/**
 * codes[start + j] = clamp(zeroPoint + nearbyint(float32(x * inv))) for j < length, 8-bit codes
 * (Uint8Array within 0..255, Int8Array within -128..127). Returns false (doing nothing) without SIMD.
 */
export function _simdQuantize8(
  x: Float32Array,
  codes: Uint8Array | Int8Array,
  start: number,
  length: number,
  inv: number,
  lo: number,
  hi: number,
  zeroPoint: number,
  name: string,
): boolean {
  const s = _simd();
  if (s === null) return false;
  const signed = codes instanceof Int8Array;
  const kernel = signed ? s.quantizeI8 : s.quantizeU8;
  const result = signed ? s.outI8 : s.outU8;
  for (let done = 0; done < length; done += CHUNK) {
    const m = Math.min(CHUNK, length - done);
    const padded = stage(s, x, start + done, m);
    if (kernel(padded, inv, lo, hi, zeroPoint) !== 0) throw firstNonFinite(x, start + done, m, name);
    codes.set(m === CHUNK ? result : result.subarray(0, m), start + done);
  }
  return true;
}

/**
 * out[start + j] = float32(clamp(nearbyint(float32(x * inv)), lo, hi) * scale) and mask[start + j] =
 * (lo <= nearbyint(...) <= hi) for j < length. Returns false (doing nothing) without SIMD.
 */
export function _simdFakeQuantize(
  x: Float32Array,
  out: Float32Array,
  mask: Uint8Array | null,
  start: number,
  length: number,
  inv: number,
  lo: number,
  hi: number,
  scale: number,
  name: string,
): boolean {
  const s = _simd();
  if (s === null) return false;
  for (let done = 0; done < length; done += CHUNK) {
    const m = Math.min(CHUNK, length - done);
    const padded = stage(s, x, start + done, m);
    if (s.fakeQuantize(padded, inv, lo, hi, scale) !== 0) throw firstNonFinite(x, start + done, m, name);
    out.set(m === CHUNK ? s.outF : s.outF.subarray(0, m), start + done);
    if (mask !== null) mask.set(m === CHUNK ? s.outU8 : s.outU8.subarray(0, m), start + done);
  }
  return true;
}
