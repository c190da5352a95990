// PyTorch's observers on the batches of _data.ts, recorded by vectors/torch_observers.py
// (test/vectors/torch-observers.json): each observer's test file checks its own cases with these.
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import {
  HistogramObserver,
  MinMaxObserver,
  MovingAverageMinMaxObserver,
  MovingAveragePerChannelMinMaxObserver,
  type Observer,
  PerChannelMinMaxObserver,
} from "../src/index";
import { type BatchSpec, makeBatch } from "./_data";

export interface TorchCase {
  observer: string;
  options: Record<string, unknown>;
  batches: BatchSpec[];
  expected: {
    minVal: number[];
    maxVal: number[];
    scale: number[];
    zeroPoint: number[];
    searchMin?: number;
    searchMax?: number;
    histogramSum?: number;
    histogram?: number[];
  };
}

export const vectors = JSON.parse(
  readFileSync(new URL("./vectors/torch-observers.json", import.meta.url), "utf8"),
) as {
  torch: string;
  cases: TorchCase[];
};

const classes: Record<string, new (o: never) => Observer> = {
  MinMaxObserver,
  MovingAverageMinMaxObserver,
  PerChannelMinMaxObserver,
  MovingAveragePerChannelMinMaxObserver,
  HistogramObserver,
};

/** Distance in float32 ulps (both finite). */
function ulps(a: number, b: number): number {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat32(0, a);
  buf.setFloat32(4, b);
  const ia = buf.getInt32(0);
  const ib = buf.getInt32(4);
  const ka = ia < 0 ? -(ia & 0x7fffffff) : ia;
  const kb = ib < 0 ? -(ib & 0x7fffffff) : ib;
  return Math.abs(ka - kb);
}

function observeAll(c: TorchCase): Observer & Record<string, unknown> {
  const Cls = classes[c.observer]!;
  const obs = new Cls(c.options as never) as Observer & Record<string, unknown>;
  for (const b of c.batches) obs.observe(makeBatch(b), b.shape);
  return obs;
}

const label = (c: TorchCase, i: number) =>
  `${i}: ${c.observer} ${JSON.stringify(c.options)} x${c.batches.length}`;

/**
 * The stored cases of one observer class as it.each rows [label, case]; the label's index counts the
 * min-max family's cases (or the histogram's) over the whole file, as the cases are numbered there.
 */
export function torchCases(observer: string): (readonly [string, TorchCase])[] {
  const family = vectors.cases.filter(
    (c) => (c.observer === "HistogramObserver") === (observer === "HistogramObserver"),
  );
  return family.flatMap((c, i) => (c.observer === observer ? [[label(c, i), c] as const] : []));
}

/** A min-max family case: min/max exact, scale within 1 ulp, zero point exact. */
export function expectTorchMinMax(c: TorchCase): void {
  const obs = observeAll(c);
  const min = obs.minVal as number | Float32Array;
  const max = obs.maxVal as number | Float32Array;
  expect(typeof min === "number" ? [min] : Array.from(min)).toEqual(c.expected.minVal);
  expect(typeof max === "number" ? [max] : Array.from(max)).toEqual(c.expected.maxVal);
  const q = obs.calculateQParams();
  expect(q.scale.length).toBe(c.expected.scale.length);
  for (const [k, s] of c.expected.scale.entries()) {
    expect(ulps(q.scale[k]!, s), `scale[${k}] ${q.scale[k]} vs ${s}`).toBeLessThanOrEqual(1);
  }
  expect(Array.from(q.zeroPoint)).toEqual(c.expected.zeroPoint);
}

/** A histogram case: histogram range exact, searched range within one bin. */
export function expectTorchHistogram(c: TorchCase): void {
  const obs = observeAll(c) as unknown as HistogramObserver;
  expect([obs.minVal]).toEqual(c.expected.minVal);
  expect([obs.maxVal]).toEqual(c.expected.maxVal);
  const h = obs.histogram;
  const sum = h.reduce((a, b) => a + b, 0);
  expect(sum).toBeCloseTo(c.expected.histogramSum!, 2);
  if (c.expected.histogram) {
    let l1 = 0;
    for (const [k, v] of c.expected.histogram.entries()) l1 += Math.abs(v - h[k]!);
    // PyTorch's vectorized linspace rounds some resampling edges an ulp away from start + step * i,
    // moving a 1/16 share of a bin to its neighbour now and then.
    expect(l1 / sum).toBeLessThan(1e-4);
  }
  const { minVal, maxVal } = obs.range();
  const binWidth = (obs.maxVal - obs.minVal) / obs.bins;
  expect(Math.abs(minVal[0]! - c.expected.searchMin!)).toBeLessThanOrEqual(binWidth * 1.0001);
  expect(Math.abs(maxVal[0]! - c.expected.searchMax!)).toBeLessThanOrEqual(binWidth * 1.0001);
  // In every stored case the search lands on PyTorch's very bins: scale and zero point agree.
  const q = obs.calculateQParams();
  expect(ulps(q.scale[0]!, c.expected.scale[0]!)).toBeLessThanOrEqual(1);
  expect(Array.from(q.zeroPoint)).toEqual(c.expected.zeroPoint);
}
