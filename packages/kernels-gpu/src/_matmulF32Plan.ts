import type { MatmulF32Options } from "./_contract";
import type { _Device, _DeviceArray, _Plan } from "./_device";
import { _matmulF32Source } from "./_kernelSources";
import { _checkFlag, _checkLength, _checkSize, _checkType } from "./_validate";

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
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const { m, k, n } = options;
  _checkSize("options.m", m);
  _checkSize("options.k", k);
  _checkSize("options.n", n);
  _checkSize("m * k", m * k);
  _checkSize("k * n", k * n);
  _checkSize("m * n", m * n);
  _checkType("a", a, Float32Array);
  _checkType("b", b, Float32Array);
  const transB = _checkFlag("options.transB", options.transB);
  _checkLength("a", a, m * k, "m * k");
  _checkLength("b", b, k * n, transB ? "n * k" : "k * n");
  const bias = options.bias ?? new Float32Array(n);
  _checkType("options.bias", bias, Float32Array);
  _checkLength("options.bias", bias, n, "n");
  const out = options.out ?? new Float32Array(m * n);
  _checkType("options.out", out, Float32Array);
  _checkLength("options.out", out, m * n, "m * n");
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
