import { checkMatmulIntegerArgs, type Int8Like, type MatmulIntegerOptions } from "@quantkit/kernels";
import { _blockPlan, _maxAbsOffset } from "./_blockPlan";
import type { _Device, _DeviceArray, _Plan } from "./_device";
import { _combineSource, _gemmPartialSource } from "./_kernelSources";
import { _checkElements, _checkReduction } from "./_limits";

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
  const {
    m,
    k,
    n,
    transB,
    aZeroPoint: za,
    bZeroPoint: zbColumns,
    out,
  } = checkMatmulIntegerArgs(a, b, options);
  _checkReduction("k", k);
  _checkElements("m * k", m * k);
  _checkElements("k * n", k * n);
  _checkElements("2 * m * n", 2 * m * n);
  let bZero: "none" | "scalar" | "column";
  let zb: number | Float32Array;
  let maxB: number;
  if (zbColumns === null) {
    bZero = "none";
    zb = 0;
    maxB = _maxAbsOffset(b, 0);
  } else if (typeof options.bZeroPoint === "number") {
    bZero = "scalar";
    zb = options.bZeroPoint;
    maxB = _maxAbsOffset(b, options.bZeroPoint);
  } else {
    maxB = 0;
    for (let j = 0; j < n; j++) maxB = Math.max(maxB, _maxAbsOffset(b, zbColumns[j]!));
    bZero = "column";
    zb = Float32Array.from(zbColumns);
  }
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
