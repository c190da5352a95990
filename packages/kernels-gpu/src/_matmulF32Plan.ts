import { checkMatmulF32Args, type MatmulF32Options } from "@quantkit/kernels";
import type { _Device, _DeviceArray, _Plan } from "./_device";
import { _matmulF32Source } from "./_kernelSources";
import { _checkElements } from "./_limits";

/**
 * fp32 GEMM on the device, the baseline: each element accumulates its k products in order in
 * float32 (the GPU may fuse multiply and add), then adds the bias. Not bit-exact across backends.
 */
export function* _matmulF32Plan(
  dev: _Device,
  a: Float32Array,
  b: Float32Array,
  options: MatmulF32Options,
): _Plan<Float32Array> {
  const checked = checkMatmulF32Args(a, b, options);
  const { m, k, n, transB, out } = checked;
  const bias = checked.bias ?? new Float32Array(n);
  _checkElements("m * k", m * k);
  _checkElements("k * n", k * n);
  _checkElements("m * n", m * n);
  if (m === 0 || n === 0) return out;
  if (k === 0) {
    for (let i = 0; i < m; i++) out.set(bias, i * n);
    return out;
  }
  const held: _DeviceArray[] = [];
  try {
    const aDev = yield* dev.upload(a);
    held.push(aDev);
    const bDev = yield* dev.upload(b);
    held.push(bDev);
    const c = yield* dev.compute(_matmulF32Source(k, n, transB), [m * n], k, [aDev, bDev, bias]);
    held.push(c);
    out.set(yield* dev.read(held.pop(), m * n));
    return out;
  } finally {
    for (const v of held) dev.release(v);
  }
}
