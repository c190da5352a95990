/**
 * The conformance cases of quantizedConv2d (padding, strides, dilation, groups, depthwise, several
 * blocks of 64 channels) and the seeded conv layer they are built from.
 */
import type { QuantizedConv2dLayer } from "@quantkit/kernels";
import type { ConformanceCase } from "./_conformanceCase";
import { refQuantizedConv2d, refQuantizeMultiplier } from "./_reference";
import { fillWith, type TestRng } from "./_testRng";

/** A conv layer like {@link makeLinear}'s. */
export function makeConv(
  rng: TestRng,
  g: Omit<
    QuantizedConv2dLayer,
    | "weight"
    | "bias"
    | "multiplier"
    | "shift"
    | "outputZeroPoint"
    | "outputMin"
    | "outputMax"
    | "inputZeroPoint"
  >,
  o: { inputZeroPoint: number; perChannel: boolean },
): QuantizedConv2dLayer {
  const reduction = (g.inChannels / g.groups) * g.kernelH * g.kernelW;
  const weight = fillWith(new Int8Array(g.outChannels * reduction), () => rng.int(-128, 127));
  const channels = o.perChannel ? g.outChannels : 1;
  const multiplier = new Int32Array(channels);
  const shift = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const q = refQuantizeMultiplier((0.5 + rng.next()) / (64 * Math.sqrt(reduction)));
    multiplier[c] = q.multiplier;
    shift[c] = q.shift;
  }
  return {
    ...g,
    weight,
    inputZeroPoint: o.inputZeroPoint,
    outputZeroPoint: 128,
    bias: new Int32Array(g.outChannels).map(() => rng.int(-20_000, 20_000)),
    multiplier,
    shift,
    outputMin: 0,
    outputMax: 255,
  };
}

type ConvGeometry = Parameters<typeof makeConv>[1];

function conv(
  c: Partial<QuantizedConv2dLayer> & { inChannels: number; outChannels: number; k: [number, number] },
): ConvGeometry {
  return {
    inChannels: c.inChannels,
    outChannels: c.outChannels,
    kernelH: c.k[0],
    kernelW: c.k[1],
    strideH: c.strideH ?? 1,
    strideW: c.strideW ?? 1,
    padH: c.padH ?? 0,
    padW: c.padW ?? 0,
    dilationH: c.dilationH ?? 1,
    dilationW: c.dilationW ?? 1,
    groups: c.groups ?? 1,
  };
}

/** The quantizedConv2d cases, drawing from `rng`. */
export function quantizedConv2dCases(rng: TestRng): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const convCase = (
    name: string,
    g: ConvGeometry,
    input: { batch: number; height: number; width: number },
    zx: number,
    perChannel: boolean,
  ) => {
    const L = makeConv(rng, g, { inputZeroPoint: zx, perChannel });
    const x = fillWith(new Uint8Array(input.batch * L.inChannels * input.height * input.width), () =>
      rng.int(0, 255),
    );
    cases.push({
      name,
      op: "quantizedConv2d",
      args: [x, L, input],
      expected: refQuantizedConv2d(x, L, input),
      type: "Uint8Array",
    });
  };
  convCase(
    "quantizedConv2d 3x3, padding 1",
    conv({ inChannels: 3, outChannels: 4, k: [3, 3], padH: 1, padW: 1 }),
    { batch: 2, height: 9, width: 7 },
    5,
    true,
  );
  convCase(
    "quantizedConv2d 3x2 kernel, stride 2, dilation 2, groups 2, padding 2x1",
    conv({
      inChannels: 4,
      outChannels: 6,
      k: [3, 2],
      strideH: 2,
      strideW: 2,
      dilationH: 2,
      dilationW: 2,
      groups: 2,
      padH: 2,
      padW: 1,
    }),
    { batch: 2, height: 11, width: 10 },
    200,
    false,
  );
  convCase(
    "quantizedConv2d depthwise (groups = channels)",
    conv({ inChannels: 6, outChannels: 6, k: [3, 3], groups: 6, padH: 1, padW: 1 }),
    { batch: 1, height: 5, width: 6 },
    0,
    true,
  );
  convCase(
    "quantizedConv2d 64 channels 5x5 (several blocks)",
    conv({ inChannels: 64, outChannels: 8, k: [5, 5] }),
    { batch: 1, height: 7, width: 7 },
    255,
    true,
  );
  return cases;
}
