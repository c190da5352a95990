/**
 * The conformance cases of quantizedLinear (per channel with fused ReLU, a multiplier above 1, int32
 * bias corners at k = 2,048) and of a sequence of them (the deck's MLP 784-100-100-10), and the
 * seeded Linear layer they are built from.
 */
import type { QuantizedLinearLayer } from "@quantkit/kernels";
import type { ConformanceCase } from "./_conformanceCase";
import { refQuantizedLinear, refQuantizeMultiplier } from "./_reference";
import { fillWith, type TestRng } from "./_testRng";

/** A Linear layer with realistic scales: weights int8 (extremes included), int32 bias, TFLite multipliers. */
export function makeLinear(
  rng: TestRng,
  inFeatures: number,
  outFeatures: number,
  o: { inputZeroPoint: number; perChannel: boolean; relu: boolean; realScale?: number },
): QuantizedLinearLayer {
  const weight = fillWith(new Int8Array(inFeatures * outFeatures), (i) =>
    i % 97 === 0 ? -128 : rng.int(-127, 127),
  );
  const bias = new Int32Array(outFeatures).map(() => rng.int(-50_000, 50_000));
  // s_in * s_w / s_out: about 1 / (64 * sqrt(k)) keeps the codes spread over 0..255 for random inputs.
  const base = o.realScale ?? 1 / (64 * Math.sqrt(inFeatures));
  const channels = o.perChannel ? outFeatures : 1;
  const multiplier = new Int32Array(channels);
  const shift = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const q = refQuantizeMultiplier(base * (0.5 + rng.next()));
    multiplier[c] = q.multiplier;
    shift[c] = q.shift;
  }
  const outputZeroPoint = rng.int(60, 140);
  return {
    inFeatures,
    outFeatures,
    weight,
    inputZeroPoint: o.inputZeroPoint,
    outputZeroPoint,
    bias,
    multiplier,
    shift,
    outputMin: o.relu ? outputZeroPoint : 0,
    outputMax: 255,
  };
}

/** The quantizedLinear and quantizedLinearSequence cases, drawing from `rng`. */
export function quantizedLinearCases(rng: TestRng): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  {
    const batch = 6;
    const L = makeLinear(rng, 50, 9, { inputZeroPoint: 17, perChannel: true, relu: true });
    const x = fillWith(new Uint8Array(batch * 50), () => rng.int(0, 255));
    cases.push({
      name: "quantizedLinear per channel, fused ReLU",
      op: "quantizedLinear",
      args: [x, L, batch],
      expected: refQuantizedLinear(x, L, batch),
      type: "Uint8Array",
    });
    const big = makeLinear(rng, 20, 5, { inputZeroPoint: 0, perChannel: false, relu: false, realScale: 3.7 });
    const xb = fillWith(new Uint8Array(3 * 20), () => rng.int(0, 12));
    cases.push({
      name: "quantizedLinear per tensor, multiplier > 1 (left shift)",
      op: "quantizedLinear",
      args: [xb, big, 3],
      expected: refQuantizedLinear(xb, big, 3),
      type: "Uint8Array",
    });
    const ext = makeLinear(rng, 2048, 4, {
      inputZeroPoint: 255,
      perChannel: true,
      relu: false,
      realScale: 1e-9,
    });
    ext.weight.fill(-128);
    ext.bias.set([2147483647, -2147483648, 0, -1_000_000_000]);
    const xe = new Uint8Array(2 * 2048);
    cases.push({
      name: "quantizedLinear k = 2,048 extremes, int32 bias corners (wrapping)",
      op: "quantizedLinear",
      args: [xe, ext, 2],
      expected: refQuantizedLinear(xe, ext, 2),
      type: "Uint8Array",
    });
  }
  {
    // The deck's MLP shape 784-100-100-10 (ReLU, ReLU, none), batch 10.
    const batch = 10;
    const layers = [
      makeLinear(rng, 784, 100, { inputZeroPoint: 0, perChannel: false, relu: true }),
      makeLinear(rng, 100, 100, { inputZeroPoint: 0, perChannel: false, relu: true }),
      makeLinear(rng, 100, 10, { inputZeroPoint: 0, perChannel: false, relu: false }),
    ];
    for (const l of layers.slice(1)) l.inputZeroPoint = layers[layers.indexOf(l) - 1]!.outputZeroPoint;
    const x = fillWith(new Uint8Array(batch * 784), (i) => (i % 3 === 0 ? 0 : rng.int(0, 255)));
    let y: Uint8Array = x;
    for (const l of layers) y = refQuantizedLinear(y, l, batch);
    cases.push({
      name: "quantizedLinearSequence MLP 784-100-100-10",
      op: "quantizedLinearSequence",
      args: [x, layers, batch],
      expected: y,
      type: "Uint8Array",
    });
  }
  return cases;
}
