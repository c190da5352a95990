import { _checkPair, _metricNonFinite } from "./_pairs";

/**
 * Signal-to-quantization-noise ratio in dB: 10 * log10(sum(reference^2) / sum((reference - approx)^2)),
 * accumulated in float64. A perfect reconstruction (zero noise) gives +Infinity, also for an all-zero
 * reference; noise on an all-zero reference gives -Infinity. Each extra bit of a uniform quantizer adds
 * about 6.02 dB. Throws on different lengths, empty arrays and NaN/Infinity.
 *
 * @example
 * import { sqnr } from "@quantkit/quantizers";
 * sqnr(new Float32Array([3, 4]), new Float32Array([3, 4]))   // Infinity
 * sqnr(new Float32Array([3, 4]), new Float32Array([3, 4.5])) // 20 = 10 * log10(25 / 0.25)
 */
export function sqnr(reference: ArrayLike<number>, approx: ArrayLike<number>): number {
  const n = _checkPair(reference, approx, "sqnr");
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < n; i++) {
    const r = reference[i]!;
    const d = r - approx[i]!;
    signal += r * r;
    noise += d * d;
  }
  if (!Number.isFinite(signal) || !Number.isFinite(noise)) throw _metricNonFinite(reference, approx, "sqnr");
  if (noise === 0) return Number.POSITIVE_INFINITY;
  if (signal === 0) return Number.NEGATIVE_INFINITY;
  return 10 * Math.log10(signal / noise);
}
