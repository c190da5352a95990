import { describe, expect, it } from "vitest";
import type { InferenceEngine } from "../src/InferenceEngine";
import { INT8_DEFAULT_OP_TYPES } from "../src/int8OpTypes";
import { _parseStaticOptions, type QuantizeStaticOptions } from "../src/quantizeStaticOptions";

const engine = {} as InferenceEngine;
const parse = (extra: object) =>
  _parseStaticOptions({ engine, samples: [], ...extra } as QuantizeStaticOptions);

describe("quantizeStatic's options", () => {
  it("defaults: per channel, uint8 weights and activations, min-max, the fused op types, depthwise QDQ, every pass on", () => {
    const p = parse({});
    expect(p).toEqual({
      perChannel: true,
      fuseRelu: true,
      foldBatchNorm: true,
      upgrade: true,
      evaluate: true,
      weightType: "uint8",
      activationType: "uint8",
      method: "minmax",
      opTypes: INT8_DEFAULT_OP_TYPES,
      exclude: new Set(),
      depthwise: "qdq",
    });
  });

  it("passes chosen values through; exclude becomes a set, opTypes may add Add and Mul", () => {
    const p = parse({
      perChannel: false,
      weightType: "int8",
      activationType: "int8",
      method: "entropy",
      opTypes: ["Conv", "Add", "Mul"],
      exclude: ["a", "b", "a"],
      depthwise: "weights",
      evaluate: false,
    });
    expect([p.perChannel, p.weightType, p.activationType, p.method, p.depthwise, p.evaluate]).toEqual([
      false,
      "int8",
      "int8",
      "entropy",
      "weights",
      false,
    ]);
    expect([...p.opTypes]).toEqual(["Conv", "Add", "Mul"]);
    expect([...p.exclude]).toEqual(["a", "b"]);
  });

  it("each bad value is an error naming the option and the value", () => {
    const bad: Array<[object, RegExp]> = [
      [{ perChannel: "yes" }, /quantizeStatic: perChannel must be a boolean, got "yes"/],
      [{ weightType: "int4" }, /quantizeStatic: weightType must be "int8" or "uint8", got "int4"/],
      [{ activationType: "int16" }, /quantizeStatic: activationType must be "int8" or "uint8", got "int16"/],
      [{ method: "kl" }, /quantizeStatic: method must be one of minmax, .*; got "kl"/],
      [{ opTypes: ["LSTM"] }, /quantizeStatic: opTypes: int8 cannot quantize "LSTM"/],
      [
        { depthwise: "integer" },
        /quantizeStatic: depthwise must be "qdq", "float" or "weights", got "integer"/,
      ],
      [{ calibration: { ranges: {} } }, /quantizeStatic: calibration must be what calibrate\(\) returns/],
      [{ perchannel: true }, /unknown option "perchannel"/],
    ];
    for (const [options, message] of bad)
      expect(() => parse(options), JSON.stringify(options)).toThrow(message);
  });
});
