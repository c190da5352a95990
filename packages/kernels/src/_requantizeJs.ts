import { _multiplyByQuantizedMultiplier } from "./multiplyByQuantizedMultiplier";

/** Where the requantization parameters of a block of accumulators come from. */
export interface _RequantParams {
  /** int32 added to each accumulator (wrapping) before scaling, indexed by channel; null for none. */
  bias: Int32Array | null;
  biasOffset: number;
  multiplier: Int32Array;
  shift: Int32Array;
  /** Index of channel 0 in multiplier/shift (ignored when they hold a single per-tensor entry). */
  paramOffset: number;
  /** The channel of element (i, j) is i when byRow, else j. */
  byRow: boolean;
  zeroPoint: number;
  qmin: number;
  qmax: number;
}

/**
 * y = clamp(MultiplyByQuantizedMultiplier(acc + bias[ch], multiplier[ch], shift[ch]) + zeroPoint,
 * qmin, qmax) over a rows x cols block (acc at accOff + i * ldc + j, y at outOff + i * ldo + j).
 * The zero point is added after clamping to [qmin - zp, qmax - zp], so no int32 sum can wrap.
 */
export function _requantizeJs(
  acc: Int32Array,
  accOff: number,
  ldc: number,
  rows: number,
  cols: number,
  p: _RequantParams,
  out: Uint8Array | Int8Array,
  outOff: number,
  ldo: number,
): void {
  const perChannel = p.multiplier.length > 1;
  const lo = p.qmin - p.zeroPoint;
  const hi = p.qmax - p.zeroPoint;
  const { bias, multiplier, shift, zeroPoint, byRow } = p;
  for (let i = 0; i < rows; i++) {
    const a = accOff + i * ldc;
    const o = outOff + i * ldo;
    for (let j = 0; j < cols; j++) {
      const ch = byRow ? i : j;
      const idx = perChannel ? p.paramOffset + ch : 0;
      const x = bias ? (acc[a + j]! + bias[p.biasOffset + ch]!) | 0 : acc[a + j]!;
      let y = _multiplyByQuantizedMultiplier(x, multiplier[idx]!, shift[idx]!);
      y = y < lo ? lo : Math.min(y, hi);
      out[o + j] = y + zeroPoint;
    }
  }
}
