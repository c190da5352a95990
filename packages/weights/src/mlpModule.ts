import { transpose2d } from "@quantkit/tensor";
import { _ACTIVATIONS, _activate, type Activation } from "./_activation";
import { _linear } from "./_matmul";
import { _checkCalibration, _checkKeys, _checkLayout, _checkMatrix, _checkNumber } from "./_validate";
import type { AwqModule, ModuleWeight } from "./attentionModule";
import type { WeightLayout } from "./blockQuantized";

export type { Activation } from "./_activation";

/** The MLP block after a LayerNorm: up (or gate and up), the activation, then down. */
export interface MlpModuleOptions {
  /** "gelu" (erf, PyTorch's default), "geluTanh" (approximate "tanh"), "relu" or "silu". */
  activation: Activation;
  /** LLaMA's gated MLP: the weights are [Wgate, Wup] and the hidden value act(gate) * up; else [Wup] and act(up). */
  gated?: boolean;
  /** Biases [N] of the scaled layers, in their order (undefined: none). */
  bias?: readonly (Float32Array | undefined)[];
  /** The down projection: the module's output is down's (AutoAWQ's mlp); without it, the hidden value. */
  output?: ModuleWeight;
  /** The weights' layout: "NK" (default, [outFeatures, inFeatures]) or "KN" (ONNX MatMul's B). */
  layout?: WeightLayout;
}

const KEYS = ["activation", "gated", "bias", "output", "layout"];

/**
 * The MLP block as an {@link AwqModule} (AutoAWQ's module2inspect = mlp, for gate and up of LLaMA-style
 * models and the up projection of GELU MLPs): h = act(x Wup^T + b) (gated: act(x Wgate^T + bg) * (x Wup^T +
 * bu)), then through the down projection when given. float64 sums; erf to float32's precision.
 *
 * @example
 * import { awqScale, mlpModule } from "@quantkit/weights";
 * const module = mlpModule({ activation: "gelu", output: { weight: wDown, shape: [64, 256] } });
 * awqScale([{ weight: wUp, shape: [256, 64] }], x, { module }).alpha; // judged by the MLP's output
 */
export function mlpModule(options: MlpModuleOptions): AwqModule {
  const fn = "mlpModule";
  if (options === null || typeof options !== "object")
    throw new TypeError(`${fn}: options must be an object, got ${String(options)}`);
  _checkKeys(options, KEYS, fn);
  const { activation } = options;
  if (!_ACTIVATIONS.includes(activation))
    throw new RangeError(
      `${fn}: activation must be one of ${_ACTIVATIONS.join(", ")}, got ${String(activation)}`,
    );
  const gated = options.gated ?? false;
  if (typeof gated !== "boolean") throw new TypeError(`${fn}: gated must be a boolean, got ${String(gated)}`);
  const layout = _checkLayout(options.layout ?? "NK", fn);
  const o = options.output;
  let down: { w: Float32Array; N: number; K: number } | null = null;
  if (o !== undefined) {
    const { rows, cols, data } = _checkMatrix(o.weight, o.shape, "output.weight", fn);
    down =
      layout === "NK"
        ? { w: data, N: rows, K: cols }
        : { w: transpose2d(data, rows, cols), N: cols, K: rows };
  }
  const count = gated ? 2 : 1;
  return {
    forward(x: Float32Array, rows: number, weights: readonly Float32Array[]): Float64Array {
      if (weights.length !== count)
        throw new RangeError(
          `${fn}: forward takes ${gated ? "[Wgate, Wup]" : "[Wup]"}, got ${weights.length}`,
        );
      const K = _checkNumber(x.length / rows, "calibration width", fn, 1, 1 << 30, true);
      _checkCalibration(x, K, fn);
      const y = weights.map((w, i) => {
        if (!(w instanceof Float32Array) || w.length === 0 || w.length % K !== 0)
          throw new RangeError(`${fn}: weights[${i}] has ${w?.length} values, not N x K with K = ${K}`);
        const N = w.length / K;
        const b = options.bias?.[i];
        if (b !== undefined && b.length !== N)
          throw new RangeError(`${fn}: bias[${i}] has ${b.length} values, the layer has ${N} outputs`);
        return { v: _linear(x, rows, K, layout === "NK" ? w : transpose2d(w, K, N), N, b ?? null), N };
      });
      const h = y[0]!.v;
      const N = y[0]!.N;
      _activate(h, activation);
      if (gated) {
        if (y[1]!.N !== N) throw new RangeError(`${fn}: gate has ${N} outputs, up ${y[1]!.N}`);
        const up = y[1]!.v;
        for (let i = 0; i < h.length; i++) h[i]! *= up[i]!;
      }
      if (down === null) return h;
      if (down.K !== N)
        throw new RangeError(`${fn}: output.weight takes ${down.K} inputs, the hidden value has ${N}`);
      return _linear(h, rows, N, down.w, down.N, o?.bias ?? null);
    },
  };
}
