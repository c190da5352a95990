import { createMlp } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import {
  disableFakeQuant,
  disableObserver,
  enableFakeQuant,
  enableObserver,
  FakeQuantize,
  prepareQat,
} from "../src/index";

describe("prepareQat", () => {
  it("the switches reach every fake quantizer", () => {
    const qat = prepareQat(createMlp([4, 3], { seed: 0 }));
    const all = () =>
      qat
        .namedModules()
        .map(([, m]) => m)
        .filter((m): m is FakeQuantize => m instanceof FakeQuantize);
    disableObserver(qat);
    expect(all().every((f) => !f.observerEnabled)).toBe(true);
    enableObserver(qat);
    disableFakeQuant(qat);
    expect(all().every((f) => f.observerEnabled && !f.fakeQuantEnabled)).toBe(true);
    enableFakeQuant(qat);
    expect(all().every((f) => f.fakeQuantEnabled)).toBe(true);
  });
});

describe("switches", () => {
  const x = new Float32Array(8 * 4).map((_, i) => Math.sin(i * 0.7) * 3);
  const fakeQuants = (m: ReturnType<typeof prepareQat>) =>
    m
      .namedModules()
      .map(([, q]) => q)
      .filter((q): q is FakeQuantize => q instanceof FakeQuantize);

  it("disableFakeQuant: the QAT model computes what the float model computes; enableFakeQuant brings the grid back", () => {
    const float = createMlp([4, 5, 3], { seed: 1 });
    const want = Array.from(float.forward(x, [8, 4]).data);
    const qat = prepareQat(createMlp([4, 5, 3], { seed: 1 }));
    qat.train();
    const quantized = Array.from(qat.forward(x, [8, 4]).data);
    expect(disableFakeQuant(qat)).toBe(qat);
    expect(Array.from(qat.forward(x, [8, 4]).data)).toEqual(want);
    enableFakeQuant(qat);
    const again = Array.from(qat.forward(x, [8, 4]).data);
    expect(again).not.toEqual(want);
    // fake quantization moves outputs by rounding steps, not far from the float ones
    for (let i = 0; i < want.length; i++) expect(Math.abs(quantized[i]! - want[i]!)).toBeLessThan(0.2);
  });

  it("disableObserver freezes every scale and zero point; enableObserver lets them follow new data", () => {
    const qat = prepareQat(createMlp([4, 5, 3], { seed: 2 }));
    qat.train();
    qat.forward(x, [8, 4]);
    const ranges = () => fakeQuants(qat).map((f) => f.observedRange());
    const scales = () => fakeQuants(qat).map((f) => Array.from(f.scale ?? []));
    const before = ranges();
    const scalesBefore = scales();
    expect(scalesBefore.every((s) => s.length > 0 && s.every((v) => v > 0))).toBe(true);
    expect(disableObserver(qat)).toBe(qat);
    const wide = x.map((v) => v * 10);
    qat.forward(wide, [8, 4]);
    expect(ranges()).toEqual(before);
    expect(scales()).toEqual(scalesBefore);
    enableObserver(qat);
    qat.forward(wide, [8, 4]);
    expect(scales()[0]![0]).toBeGreaterThan(scalesBefore[0]![0]!);
    const input = (r: ReturnType<typeof ranges>) => r[0]!;
    expect(input(ranges()).max).toBeGreaterThan(input(before).max * 9);
  });
});
