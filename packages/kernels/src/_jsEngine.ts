import { _im2colImage } from "./_convGeometry";
import type { _ConvGeometry, _Engine } from "./_engine";
import { _addBiasF32Js, _gemmF32Js, _packF32B } from "./_gemmF32Js";
import { _gemmS8Js, _packS8Swar } from "./_gemmS8Js";
import { _convPlan, _convReduction, _linearSwar } from "./_plans";
import { _requantizeJs } from "./_requantizeJs";
import type { QuantizedConv2dLayer, QuantizedLinearLayer } from "./types";

/** The plain-JS code path: no WebAssembly, the same results bit for bit. */
export const _jsEngine: _Engine = {
  backend: "js",

  matmulInteger(a, b, m, k, n, aZeroPoint, bZeroPoints, transB, out) {
    const ldb = transB ? k : n;
    const colSums = aZeroPoint !== 0 ? new Float64Array(n) : undefined;
    const packed = _packS8Swar(b, 0, ldb, transB, k, n, bZeroPoints, undefined, colSums);
    _gemmS8Js(a, 0, k, m, k, aZeroPoint, packed, colSums ?? null, n, out, 0, n);
  },

  matmulF32(a, b, m, k, n, transB, bias, out) {
    const packed = _packF32B(b, 0, transB ? k : n, transB, k, n);
    _gemmF32Js(a, 0, k, m, k, packed, n, out, 0, n);
    if (bias) _addBiasF32Js(out, 0, n, m, n, bias, false);
  },

  quantizedLinear(x: Uint8Array, layer: QuantizedLinearLayer, batch: number, out: Uint8Array) {
    const { plan, packed } = _linearSwar(layer);
    const n = layer.outFeatures;
    const k = layer.inFeatures;
    const acc = new Int32Array(batch * n);
    _gemmS8Js(x, 0, k, batch, k, 0, packed, null, n, acc, 0, n);
    _requantizeJs(
      acc,
      0,
      n,
      batch,
      n,
      {
        bias: plan.foldedBias,
        biasOffset: 0,
        multiplier: layer.multiplier,
        shift: layer.shift,
        paramOffset: 0,
        byRow: false,
        zeroPoint: layer.outputZeroPoint,
        qmin: layer.outputMin,
        qmax: layer.outputMax,
      },
      out,
      0,
      n,
    );
  },

  quantizedConv2d(x: Uint8Array, layer: QuantizedConv2dLayer, g: _ConvGeometry, out: Uint8Array) {
    const plan = _convPlan(layer);
    const q = _convReduction(layer);
    const p = g.outH * g.outW;
    const og = g.outChannels / g.groups;
    const col = new Uint8Array(g.inChannels * g.kernelH * g.kernelW * p);
    const acc = new Int32Array(og * p);
    let packed: Float64Array | undefined;
    for (let img = 0; img < g.batch; img++) {
      _im2colImage(x, img, g, layer.inputZeroPoint, col, 0);
      for (let grp = 0; grp < g.groups; grp++) {
        packed = _packS8Swar(col, grp * q * p, p, false, q, p, null, packed);
        _gemmS8Js(layer.weight, grp * og * q, q, og, q, 0, packed, null, p, acc, 0, p);
        _requantizeJs(
          acc,
          0,
          p,
          og,
          p,
          {
            bias: plan.foldedBias,
            biasOffset: grp * og,
            multiplier: layer.multiplier,
            shift: layer.shift,
            paramOffset: grp * og,
            byRow: true,
            zeroPoint: layer.outputZeroPoint,
            qmin: layer.outputMin,
            qmax: layer.outputMax,
          },
          out,
          (img * g.outChannels + grp * og) * p,
          p,
        );
      }
    }
  },

  conv2dF32(x, weight, bias, g, out) {
    const p = g.outH * g.outW;
    const og = g.outChannels / g.groups;
    const q = (g.inChannels / g.groups) * g.kernelH * g.kernelW;
    const col = new Float32Array(g.inChannels * g.kernelH * g.kernelW * p);
    let packed: Float32Array | undefined;
    for (let img = 0; img < g.batch; img++) {
      _im2colImage(x, img, g, 0, col, 0);
      for (let grp = 0; grp < g.groups; grp++) {
        packed = _packF32B(col, grp * q * p, p, false, q, p, packed);
        const o = (img * g.outChannels + grp * og) * p;
        _gemmF32Js(weight, grp * og * q, q, og, q, packed, p, out, o, p);
        if (bias) _addBiasF32Js(out, o, p, og, p, bias.subarray(grp * og, (grp + 1) * og), true);
      }
    }
  },

  requantize(acc, rows, cols, params, out) {
    _requantizeJs(acc, 0, cols, rows, cols, params, out, 0, cols);
  },
};
