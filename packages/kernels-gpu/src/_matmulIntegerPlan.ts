import { _blockPlan, _maxAbsOffset } from "./_blockPlan";
import type { Int8Like, MatmulIntegerOptions } from "./_contract";
import type { _Device, _DeviceArray, _Plan } from "./_device";
import { _combineSource, _gemmPartialSource } from "./_kernelSources";
import {
  _checkFlag,
  _checkInt,
  _checkInt8Like,
  _checkK,
  _checkLength,
  _checkSize,
  _checkType,
  _rangeOf,
} from "./_validate";

/**
 * ONNX MatMulInteger on the device: block partial sums (each exact in float32), combined on the
 * device into two exact limbs per element, read back and joined in int32 (wrapping like int32
 * addition, so any k gives the CPU's result).
 */
export function* _matmulIntegerPlan(
  dev: _Device,
  a: Int8Like,
  b: Int8Like,
  options: MatmulIntegerOptions,
): _Plan<Int32Array> {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const { m, k, n } = options;
  _checkSize("options.m", m);
  _checkK("options.k", k);
  _checkSize("options.n", n);
  _checkSize("m * k", m * k);
  _checkSize("k * n", k * n);
  _checkSize("2 * m * n", 2 * m * n);
  _checkInt8Like("a", a);
  _checkInt8Like("b", b);
  const transB = _checkFlag("options.transB", options.transB);
  _checkLength("a", a, m * k, "m * k");
  _checkLength("b", b, k * n, transB ? "n * k" : "k * n");
  const za = options.aZeroPoint ?? 0;
  const [aMin, aMax] = _rangeOf(a);
  _checkInt("options.aZeroPoint", za, aMin, aMax);
  const [bMin, bMax] = _rangeOf(b);
  const zbOption = options.bZeroPoint ?? 0;
  let bZero: "none" | "scalar" | "column";
  let zb: number | Float32Array;
  let maxB: number;
  if (typeof zbOption === "number") {
    _checkInt("options.bZeroPoint", zbOption, bMin, bMax);
    bZero = zbOption === 0 ? "none" : "scalar";
    zb = zbOption;
    maxB = _maxAbsOffset(b, zbOption);
  } else {
    _checkType("options.bZeroPoint", zbOption, Int32Array);
    _checkLength("options.bZeroPoint", zbOption, n, "one per column, n");
    maxB = 0;
    for (let j = 0; j < n; j++) {
      _checkInt(`options.bZeroPoint[${j}]`, zbOption[j], bMin, bMax);
      maxB = Math.max(maxB, _maxAbsOffset(b, zbOption[j]!));
    }
    bZero = "column";
    zb = Float32Array.from(zbOption);
  }
  const out = options.out ?? new Int32Array(m * n);
  _checkType("options.out", out, Int32Array);
  _checkLength("options.out", out, m * n, "m * n");
  if (m === 0 || n === 0) return out;
  if (k === 0) return out.fill(0);
  const { block, nb } = _blockPlan(k, _maxAbsOffset(a, za) * maxB);

  const held: _DeviceArray[] = [];
  try {
    const aDev = yield* dev.upload(a);
    held.push(aDev);
    const bDev = yield* dev.upload(b);
    held.push(bDev);
    const partial = yield* dev.compute(
      _gemmPartialSource({ m, k, n, block, nb, transB, bZero }),
      nb > 1 ? [n, m, nb] : [m * n],
      block,
      [aDev, bDev, za, zb],
    );
    held.push(partial);
    if (nb === 1) {
      // One block: the float32 sums are the exact int32 results already.
      out.set(yield* dev.read(held.pop(), m * n));
      return out;
    }
    const limbs = yield* dev.compute(_combineSource(nb, n), [2 * m * n], nb, [partial]);
    held.push(limbs);
    const t = yield* dev.read(held.pop(), 2 * m * n);
    // hi * 4096 + lo is exact in float64 (|hi| < 2^23); | 0 wraps it like int32 accumulation.
    for (let e = 0; e < m * n; e++) out[e] = (t[2 * e]! * 4096 + t[2 * e + 1]!) | 0;
    return out;
  } finally {
    for (const v of held) dev.release(v);
  }
}
