import { _im2colImage } from "./_convGeometry";
import type { _ConvGeometry, _Engine } from "./_engine";
import { _convReduction, _convS16, _linearS16 } from "./_plans";
import type { _RequantParams } from "./_requantizeJs";
import type { _PanelGemmArgs, _WasmRuntime } from "./_wasmRuntime";
import type { QuantizedConv2dLayer, QuantizedLinearLayer } from "./types";

/**
 * Cache blocking of the micro-kernel loops, in steps (a step is one k-pair of int16 or one k of f32,
 * 16 bytes of packed A and 32 of packed B either way, so both kinds block alike): a B micro-panel of
 * 256 steps is 8 KiB and stays in L1 while the A panels of a block (32 panels = 128 rows, 128 KiB)
 * come from L2. Without blocking, fp32 at 512^3 (1 MiB of packed A) ran from L3.
 */
export const _KC_STEPS = 256;
export const _MC_PANELS = 32;

/** One GEMM on packed panels as the module's gemm_s16 / gemm_f32 (chosen by `kind`) compute it, C stored. */
export type _GemmCall = (kind: "s16" | "f32", ...args: _PanelGemmArgs) => void;

/** Splits the rows of C [mPanels x 4, nPanels x 8] over workers; the single-thread default runs them here. */
export interface _GemmRunner {
  readonly run: _GemmCall;
}

/** The blocked GEMM on `rt` over all panels (single thread). */
export function _blockedGemm(rt: _WasmRuntime): _GemmCall {
  return (kind, a, aStride, b, bStride, c, ldc, mPanels, nPanels, steps) => {
    const kernel = kind === "s16" ? rt.x.gemm_s16 : rt.x.gemm_f32;
    for (let s0 = 0; s0 < steps; s0 += _KC_STEPS) {
      const ks = Math.min(_KC_STEPS, steps - s0);
      for (let ip = 0; ip < mPanels; ip += _MC_PANELS) {
        kernel(
          a + ip * aStride + s0 * 16,
          aStride,
          b + s0 * 32,
          bStride,
          c + ip * 4 * ldc,
          ldc,
          Math.min(_MC_PANELS, mPanels - ip),
          nPanels,
          ks,
          s0 > 0 ? 1 : 0,
        );
      }
    }
  };
}

/** The WebAssembly SIMD code path over one runtime; `runner` may spread GEMMs over worker threads. */
export function _createWasmEngine(rt: _WasmRuntime, runner?: _GemmRunner): _Engine {
  const gemm: _GemmCall = runner ? (...args) => runner.run(...args) : _blockedGemm(rt);

  return {
    backend: "wasm-simd",

    matmulInteger(a, b, m, k, n, aZeroPoint, bZeroPoints, transB, out) {
      const steps = (k + 1) >> 1;
      const mp = (m + 3) >> 2;
      const np = (n + 7) >> 3;
      const ldc = np * 32;
      const arena = rt.arena();
      const srcA = arena.take(m * k);
      const padRow = arena.take(k);
      const packedA = arena.take(mp * steps * 16);
      const srcB = arena.take(k * n);
      const zp = arena.take(np * 16);
      const packedB = arena.take(np * steps * 32);
      const c = arena.take(mp * 4 * ldc);
      rt.ensure(arena.end);
      const { u8, i16, x } = rt;
      u8.set(bytesOf(a), srcA);
      u8.fill(aZeroPoint & 0xff, padRow, padRow + k + 1);
      (a instanceof Int8Array ? x.pack_a_s8 : x.pack_a_u8)(srcA, k, m, k, aZeroPoint, padRow, packedA);
      u8.set(bytesOf(b), srcB);
      i16.fill(0, zp >>> 1, (zp >>> 1) + np * 8);
      if (bZeroPoints) for (let j = 0; j < n; j++) i16[(zp >>> 1) + j] = bZeroPoints[j]!;
      const signedB = b instanceof Int8Array;
      const pack = transB ? (signedB ? x.pack_bt_s8 : x.pack_bt_u8) : signedB ? x.pack_b_s8 : x.pack_b_u8;
      pack(srcB, transB ? k : n, k, n, zp, packedB);
      gemm("s16", packedA, steps * 16, packedB, steps * 32, c, ldc, mp, np, steps);
      if (ldc !== n * 4) x.compact_rows(c, ldc, m, n * 4);
      out.set(rt.i32.subarray(c >>> 2, (c >>> 2) + m * n));
    },

    matmulF32(a, b, m, k, n, transB, bias, out) {
      const mp = (m + 3) >> 2;
      const np = (n + 7) >> 3;
      const ldc = np * 32;
      const arena = rt.arena();
      const srcA = arena.take(m * k * 4);
      const padRow = arena.take(k * 4);
      const packedA = arena.take(mp * k * 16);
      const srcB = arena.take(k * n * 4);
      const packedB = arena.take(np * k * 32);
      const biasPtr = bias ? arena.take(np * 32) : 0;
      const c = arena.take(mp * 4 * ldc);
      rt.ensure(arena.end);
      const { f32, x } = rt;
      f32.set(a, srcA >>> 2);
      f32.fill(0, padRow >>> 2, (padRow >>> 2) + k);
      x.pack_a_f32(srcA, k * 4, m, k, padRow, packedA);
      f32.set(b, srcB >>> 2);
      (transB ? x.pack_bt_f32 : x.pack_b_f32)(srcB, (transB ? k : n) * 4, k, n, packedB);
      gemm("f32", packedA, k * 16, packedB, k * 32, c, ldc, mp, np, k);
      if (bias) {
        f32.fill(0, biasPtr >>> 2, (biasPtr >>> 2) + np * 8);
        f32.set(bias, biasPtr >>> 2);
        x.bias_f32(c, ldc, m, np * 8, biasPtr, 0);
      }
      if (ldc !== n * 4) x.compact_rows(c, ldc, m, n * 4);
      out.set(rt.f32.subarray(c >>> 2, (c >>> 2) + m * n));
    },

    quantizedLinear(input: Uint8Array, layer: QuantizedLinearLayer, batch: number, out: Uint8Array) {
      const { plan, packed } = _linearS16(layer);
      const [packedB, foldedBias, mult, shift] = rt.resident(plan, [
        packed,
        plan.foldedBias,
        layer.multiplier,
        layer.shift,
      ]) as [number, number, number, number];
      const k = layer.inFeatures;
      const n = layer.outFeatures;
      const steps = (k + 1) >> 1;
      const mp = (batch + 3) >> 2;
      const np = (n + 7) >> 3;
      const ldc = np * 32;
      const arena = rt.arena();
      const srcA = arena.take(batch * k);
      const padRow = arena.take(k);
      const packedA = arena.take(mp * steps * 16);
      const c = arena.take(mp * 4 * ldc);
      const y = arena.take(batch * n);
      rt.ensure(arena.end);
      const { u8, x } = rt;
      u8.set(input, srcA);
      u8.fill(0, padRow, padRow + k + 1);
      // The input zero point is folded into foldedBias, so A is packed raw (zero point 0).
      x.pack_a_u8(srcA, k, batch, k, 0, padRow, packedA);
      gemm("s16", packedA, steps * 16, packedB, steps * 32, c, ldc, mp, np, steps);
      x.requant(
        c,
        ldc,
        batch,
        n,
        foldedBias,
        mult,
        shift,
        layer.multiplier.length > 1 ? 1 : 0,
        0,
        layer.outputZeroPoint,
        layer.outputMin,
        layer.outputMax,
        y,
        n,
      );
      out.set(rt.u8.subarray(y, y + batch * n));
    },

    quantizedConv2d(input: Uint8Array, layer: QuantizedConv2dLayer, g: _ConvGeometry, out: Uint8Array) {
      const { plan, packed, groupStride } = _convS16(layer);
      const [packedW, foldedBias, mult, shift] = rt.resident(plan, [
        packed,
        plan.foldedBias,
        layer.multiplier,
        layer.shift,
      ]) as [number, number, number, number];
      const q = _convReduction(layer);
      const p = g.outH * g.outW;
      const og = g.outChannels / g.groups;
      const steps = (q + 1) >> 1;
      const mp = (og + 3) >> 2;
      const np = (p + 7) >> 3;
      const ldc = np * 32;
      const perChannel = layer.multiplier.length > 1;
      const arena = rt.arena();
      const col = arena.take(g.inChannels * g.kernelH * g.kernelW * p);
      const zp = arena.take(np * 16);
      const packedB = arena.take(np * steps * 32);
      const c = arena.take(mp * 4 * ldc);
      const y = arena.take(g.batch * g.outChannels * p);
      rt.ensure(arena.end);
      const { u8, i16, x } = rt;
      i16.fill(0, zp >>> 1, (zp >>> 1) + np * 8);
      for (let img = 0; img < g.batch; img++) {
        _im2colImage(input, img, g, layer.inputZeroPoint, u8, col);
        for (let grp = 0; grp < g.groups; grp++) {
          x.pack_b_u8(col + grp * q * p, p, q, p, zp, packedB);
          gemm(
            "s16",
            packedW + grp * groupStride * 2,
            steps * 16,
            packedB,
            steps * 32,
            c,
            ldc,
            mp,
            np,
            steps,
          );
          x.requant(
            c,
            ldc,
            og,
            p,
            foldedBias + grp * og * 4,
            perChannel ? mult + grp * og * 4 : mult,
            perChannel ? shift + grp * og * 4 : shift,
            perChannel ? 1 : 0,
            1,
            layer.outputZeroPoint,
            layer.outputMin,
            layer.outputMax,
            y + (img * g.outChannels + grp * og) * p,
            p,
          );
        }
      }
      out.set(rt.u8.subarray(y, y + g.batch * g.outChannels * p));
    },

    conv2dF32(input, weight, bias, g, out) {
      const q = (g.inChannels / g.groups) * g.kernelH * g.kernelW;
      const p = g.outH * g.outW;
      const og = g.outChannels / g.groups;
      const mp = (og + 3) >> 2;
      const np = (p + 7) >> 3;
      const ldc = np * 32;
      const arena = rt.arena();
      const w = arena.take(g.outChannels * q * 4);
      const padRow = arena.take(q * 4);
      const packedW = arena.take(g.groups * mp * q * 16);
      const col = arena.take(g.inChannels * g.kernelH * g.kernelW * p * 4);
      const packedB = arena.take(np * q * 32);
      const biasPtr = bias ? arena.take(g.outChannels * 4) : 0;
      const c = arena.take(mp * 4 * ldc);
      rt.ensure(arena.end);
      const { f32, x } = rt;
      f32.set(weight, w >>> 2);
      f32.fill(0, padRow >>> 2, (padRow >>> 2) + q);
      for (let grp = 0; grp < g.groups; grp++) {
        x.pack_a_f32(w + grp * og * q * 4, q * 4, og, q, padRow, packedW + grp * mp * q * 16);
      }
      if (bias) f32.set(bias, biasPtr >>> 2);
      for (let img = 0; img < g.batch; img++) {
        _im2colImage(input, img, g, 0, f32, col >>> 2);
        for (let grp = 0; grp < g.groups; grp++) {
          x.pack_b_f32(col + grp * q * p * 4, p * 4, q, p, packedB);
          gemm("f32", packedW + grp * mp * q * 16, q * 16, packedB, q * 32, c, ldc, mp, np, q);
          if (bias) x.bias_f32(c, ldc, og, np * 8, biasPtr + grp * og * 4, 1);
          if (ldc !== p * 4) x.compact_rows(c, ldc, og, p * 4);
          out.set(f32.subarray(c >>> 2, (c >>> 2) + og * p), (img * g.outChannels + grp * og) * p);
        }
      }
    },

    requantize(acc, rows, cols, params: _RequantParams, out) {
      const arena = rt.arena();
      const c = arena.take(acc.length * 4);
      const mult = arena.take(params.multiplier.length * 4);
      const shift = arena.take(params.shift.length * 4);
      const y = arena.take(acc.length);
      rt.ensure(arena.end);
      const { i32, x } = rt;
      i32.set(acc, c >>> 2);
      i32.set(params.multiplier, mult >>> 2);
      i32.set(params.shift, shift >>> 2);
      x.requant(
        c,
        cols * 4,
        rows,
        cols,
        0,
        mult,
        shift,
        params.multiplier.length > 1 ? 1 : 0,
        params.byRow ? 1 : 0,
        params.zeroPoint,
        params.qmin,
        params.qmax,
        y,
        cols,
      );
      bytesOf(out).set(rt.u8.subarray(y, y + acc.length));
    },
  };
}

/** The bytes of an 8-bit array as a Uint8Array view (no copy). */
function bytesOf(a: Int8Array | Uint8Array): Uint8Array {
  return a instanceof Uint8Array ? a : new Uint8Array(a.buffer, a.byteOffset, a.length);
}
