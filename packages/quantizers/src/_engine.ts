import {
  _dequantizeRun,
  _fakeQuantizeEven,
  _HALF_AWAY_FROM_ZERO,
  _HALF_TO_EVEN,
  _quantizeDivideEven,
  _quantizeEven,
  _quantizeGeneral,
  _STOCHASTIC,
} from "./_kernels";
import { _forEachRun, type _Plan } from "./_plan";
import { _simdFakeQuantize, _simdQuantize8 } from "./_simd";
import { allocateCodes, type QuantizedArray } from "./allocateCodes";
import { assertRoundingMode, type RoundingMode } from "./rounding";

/** Stretches shorter than this skip the SIMD kernel (its chunk copies cost more than they save). */
const SIMD_MIN = 256;

/** Rounding options shared by quantize, fakeQuantize, fakeQuantizeWithMask and steMask. */
export interface RoundingOptions {
  /** Default "half_to_even" (PyTorch). */
  rounding?: RoundingMode;
  /** The random source of "stochastic" rounding (required for it), e.g. `new Rng(seed)` from @quantkit/tensor. */
  rng?: { next(): number };
}

/** The mode as a kernel integer, checking that stochastic rounding has its rng. */
export function _mode(options: RoundingOptions): { mode: number; rng: { next(): number } | null } {
  const rounding = options.rounding ?? "half_to_even";
  assertRoundingMode(rounding, "options.rounding");
  if (rounding === "stochastic") {
    const rng = options.rng;
    if (rng === undefined || rng === null || typeof rng.next !== "function") {
      throw new TypeError(
        'rounding "stochastic" needs options.rng, a seeded random source such as new Rng(seed)',
      );
    }
    return { mode: _STOCHASTIC, rng };
  }
  return { mode: rounding === "half_to_even" ? _HALF_TO_EVEN : _HALF_AWAY_FROM_ZERO, rng: null };
}

/** The destination codes array: `out` checked (same type as allocateCodes would give, length n), or a new one. */
export function _codesOut(
  plan: _Plan,
  dtype: Parameters<typeof allocateCodes>[3],
  out: QuantizedArray | undefined,
): QuantizedArray {
  const fresh = allocateCodes(out === undefined ? plan.n : 0, plan.quantMin, plan.quantMax, dtype);
  if (out === undefined) return fresh;
  if (out.constructor !== fresh.constructor || out.length !== plan.n) {
    throw new TypeError(
      `options.out must be a ${fresh.constructor.name} of length ${plan.n} for codes in [${plan.quantMin}, ${plan.quantMax}], got ${out.constructor.name}(${out.length})`,
    );
  }
  return out;
}

/** A Float32Array destination of length n: `out` checked, or a new one. */
export function _floatOut(n: number, out: Float32Array | undefined, label = "options.out"): Float32Array {
  if (out === undefined) return new Float32Array(n);
  if (!(out instanceof Float32Array) || out.length !== n) {
    throw new TypeError(
      `${label} must be a Float32Array of length ${n}, got ${Object.prototype.toString.call(out)} of length ${out?.length}`,
    );
  }
  return out;
}

/** Checks `arithmetic` and says whether it divides (ONNX) rather than multiplies (PyTorch). */
export function _divides(arithmetic: unknown, name = "options.arithmetic"): boolean {
  if (arithmetic === undefined || arithmetic === "pytorch") return false;
  if (arithmetic === "onnx") return true;
  throw new TypeError(`${name} must be "pytorch" or "onnx", got ${JSON.stringify(arithmetic)}`);
}

/** Throws when `options` has a key outside `allowed`, naming it. */
export function _rejectUnknownKeys(options: object, allowed: readonly string[], name = "options"): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${name} has an unknown key "${key}"; allowed: ${allowed.join(", ")}`);
    }
  }
}

/** Quantizes x into codes following the plan; `divide` selects ONNX's x / scale over PyTorch's x * inv. */
export function _runQuantize(
  x: Float32Array,
  codes: QuantizedArray,
  plan: _Plan,
  mode: number,
  rng: { next(): number } | null,
  name: string,
  divide = false,
): void {
  if (divide && mode === _HALF_TO_EVEN && !plan.wide) {
    _forEachRun(plan, (start, length, p0, stride) => {
      _quantizeDivideEven(x, codes, start, length, plan, p0, stride, name);
    });
  } else if (divide) {
    const options = { mode, rng, perTensorFloat: plan.granularity === "per_tensor", divide };
    _forEachRun(plan, (start, length, p0, stride) => {
      _quantizeGeneral(x, codes, null, null, start, length, plan, p0, stride, name, options);
    });
  } else if (mode === _HALF_TO_EVEN && !plan.wide) {
    const eightBit = codes instanceof Uint8Array || codes instanceof Int8Array;
    _forEachRun(plan, (start, length, p0, stride) => {
      if (
        eightBit &&
        stride === 0 &&
        length >= SIMD_MIN &&
        _simdQuantize8(
          x,
          codes as Uint8Array | Int8Array,
          start,
          length,
          plan.inv[p0]!,
          plan.lo[p0]!,
          plan.hi[p0]!,
          plan.zeroPoint[p0]!,
          name,
        )
      ) {
        return;
      }
      _quantizeEven(x, codes, start, length, plan, p0, stride, name);
    });
  } else {
    const options = { mode, rng, perTensorFloat: plan.granularity === "per_tensor" };
    _forEachRun(plan, (start, length, p0, stride) => {
      _quantizeGeneral(x, codes, null, null, start, length, plan, p0, stride, name, options);
    });
  }
}

/** Fake-quantizes x into out (and the STE mask into mask when given) following the plan. */
export function _runFakeQuantize(
  x: Float32Array,
  out: Float32Array | null,
  mask: Uint8Array | null,
  plan: _Plan,
  mode: number,
  rng: { next(): number } | null,
  name: string,
): void {
  if (out !== null && mode === _HALF_TO_EVEN && !plan.wide) {
    _forEachRun(plan, (start, length, p0, stride) => {
      if (
        stride === 0 &&
        length >= SIMD_MIN &&
        _simdFakeQuantize(
          x,
          out,
          mask,
          start,
          length,
          plan.inv[p0]!,
          plan.lo[p0]!,
          plan.hi[p0]!,
          plan.scale[p0]!,
          name,
        )
      ) {
        return;
      }
      _fakeQuantizeEven(x, out, mask, start, length, plan, p0, stride, name);
    });
  } else {
    const options = { mode, rng, perTensorFloat: plan.granularity === "per_tensor" };
    _forEachRun(plan, (start, length, p0, stride) => {
      _quantizeGeneral(x, null, out, mask, start, length, plan, p0, stride, name, options);
    });
  }
}

/** Dequantizes codes into out following the plan. */
export function _runDequantize(codes: ArrayLike<number>, out: Float32Array, plan: _Plan): void {
  _forEachRun(plan, (start, length, p0, stride) => {
    _dequantizeRun(codes, out, start, length, plan, p0, stride);
  });
}
