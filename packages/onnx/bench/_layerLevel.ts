// Layer level: each MatMul's output error with its weight quantized by each method, on HELD-OUT
// activations (rows the methods never saw), relative to round-to-nearest's: issue 17's "each method's
// layer-output MSE against RTN at W4 g32". Every method sees the layer alone (no graph: AWQ's scale is
// absorbed into the weight it returns, `equivalentWeight`).
import { awq, gptq, hqq, quantizeBlockwise } from "@quantkit/weights";
import type { ModelProto } from "../src/_gen/onnx_pb";
import { _findConstant, _scopes } from "../src/_quantGraph";
import { toFloat32Array } from "../src/toFloat32Array";

/** The mean ratios to RTN over the layers, and how many layers each method beat RTN by 30% or more on. */
export interface LayerLevelSummary {
  layers: number;
  mean: { gptq: number; awq: number; clip: number; hqq: number };
  atLeast30PctLower: { gptq: number; awq: number; clip: number; hqq: number };
}

/**
 * Prints one markdown row per MatMul with a constant 2-D weight and collected inputs in both sets, and a
 * mean row; returns the summary.
 */
export function layerLevel(
  model: ModelProto,
  calibration: Map<string, Float32Array>,
  heldout: Map<string, Float32Array>,
  options: { blockSize: number; symmetric: boolean },
): LayerLevelSummary {
  const zero = options.symmetric ? "symmetric" : "asymmetric";
  console.log(
    `\nLayer-output MSE on held-out activations, relative to RTN (W4, blocks of ${options.blockSize}, ${zero}):`,
  );
  console.log(
    "| MatMul | K x N | mean|x| max / min | RTN MSE | GPTQ / RTN | AWQ / RTN | AWQ clip only / RTN | HQQ / RTN |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  const keys = ["gptq", "awq", "clip", "hqq"] as const;
  const sums = { gptq: 0, awq: 0, clip: 0, hqq: 0 };
  const wins = { gptq: 0, awq: 0, clip: 0, hqq: 0 };
  let n = 0;
  for (const scope of _scopes(model)) {
    for (const node of scope.graph.node) {
      if (node.opType !== "MatMul") continue;
      const b = _findConstant(scope, node.input[1]!);
      const x = calibration.get(node.input[0]!);
      const xe = heldout.get(node.input[0]!);
      if (b === null || x === undefined || xe === undefined || b.tensor.dims.length !== 2) continue;
      const [K, N] = b.tensor.dims.map(Number) as [number, number];
      if (K < options.blockSize) continue;
      const w = toFloat32Array(b.tensor);
      const opts = {
        layout: "KN" as const,
        blockSize: options.blockSize,
        bits: 4 as const,
        symmetric: options.symmetric,
      };
      const y = _outputs(xe, w, K, N);
      const mse = (wq: Float32Array) => {
        const yq = _outputs(xe, wq, K, N);
        let e = 0;
        for (let i = 0; i < y.length; i++) e += (y[i]! - yq[i]!) ** 2;
        return e / y.length;
      };
      const rtn = mse(quantizeBlockwise(w, [K, N], opts).dequantized);
      const r = {
        gptq: mse(gptq(w, [K, N], x, opts).dequantized) / rtn,
        awq: mse(awq(w, [K, N], x, opts).equivalentWeight) / rtn,
        clip: mse(awq(w, [K, N], x, { ...opts, nGrid: 1 }).equivalentWeight) / rtn,
        hqq: mse(hqq(w, [K, N], { layout: "KN", blockSize: options.blockSize, bits: 4 }).dequantized) / rtn,
      };
      const xMean = new Float64Array(K);
      for (let i = 0; i < x.length; i++) xMean[i % K]! += Math.abs(x[i]!);
      const spread = Math.max(...xMean) / Math.min(...xMean);
      for (const k of keys) {
        sums[k] += r[k];
        if (r[k] <= 0.7) wins[k]++;
      }
      n++;
      console.log(
        `| ${node.name} | ${K} x ${N} | ${spread.toFixed(1)} | ${rtn.toExponential(3)} | ${r.gptq.toFixed(3)} | ${r.awq.toFixed(3)} | ${r.clip.toFixed(3)} | ${r.hqq.toFixed(3)} |`,
      );
    }
  }
  const mean = { gptq: sums.gptq / n, awq: sums.awq / n, clip: sums.clip / n, hqq: sums.hqq / n };
  console.log(
    `| mean over ${n} | | | | ${mean.gptq.toFixed(3)} | ${mean.awq.toFixed(3)} | ${mean.clip.toFixed(3)} | ${mean.hqq.toFixed(3)} |`,
  );
  console.log(
    `| layers at least 30% below RTN | | | | ${wins.gptq} | ${wins.awq} | ${wins.clip} | ${wins.hqq} |`,
  );
  return { layers: n, mean, atLeast30PctLower: wins };
}

function _outputs(x: Float32Array, w: Float32Array, K: number, N: number): Float64Array {
  const rows = x.length / K;
  const y = new Float64Array(rows * N);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < K; k++) {
      const v = x[r * K + k]!;
      if (v === 0) continue;
      for (let n = 0; n < N; n++) y[r * N + n]! += v * w[k * N + n]!;
    }
  return y;
}
