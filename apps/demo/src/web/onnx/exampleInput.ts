/**
 * Example inputs of an ONNX model for the "Quantize your own model" section: one spec per graph input
 * (a shape with its symbolic dimensions filled in, and how to fill the values), turned into seeded
 * feeds that onnxruntime-web takes.
 */
import { Rng } from "@quantkit/tensor";

/** A graph input as the model declares it. */
export interface ModelInput {
  name: string;
  /** onnxruntime's type name: "float32", "int64"... */
  type: string;
  /** Declared dimensions: numbers, or names / null where the model leaves them open. */
  shape: readonly (number | string | null)[] | undefined;
}

/** How an example input is filled. */
export type Fill = "normal" | "uniform" | "zeros" | "constant";

/** One example input: its concrete shape and values. */
export interface InputSpec {
  name: string;
  type: string;
  shape: number[];
  fill: Fill;
  /** The value of "constant". */
  value: number;
}

/** A feed as onnxruntime's Tensor constructor takes it. */
export interface Feed {
  type: string;
  data: Float32Array | BigInt64Array | Int32Array | Uint8Array | Int8Array;
  dims: number[];
}

/** Types an example input can have. */
export const FEED_TYPES = ["float32", "int64", "int32", "uint8", "int8", "bool"] as const;

/**
 * Default specs: declared dimensions kept, open ones set to 1; floats drawn from N(0, 1), integers 0.
 *
 * @example
 * defaultSpecs([{ name: "x", type: "float32", shape: ["batch", 3, 48, 192] }])[0].shape // [1, 3, 48, 192]
 */
export function defaultSpecs(inputs: readonly ModelInput[]): InputSpec[] {
  return inputs.map((i) => ({
    name: i.name,
    type: i.type,
    shape: (i.shape ?? [1]).map((d) => (typeof d === "number" && d > 0 ? d : 1)),
    fill: i.type.startsWith("float") ? "normal" : "zeros",
    value: 0,
  }));
}

/**
 * Silero VAD v5's own inputs: a 512-sample chunk at 16 kHz (32 ms), the zero recurrent state and
 * the sample rate.
 */
export const SILERO_SPECS: readonly InputSpec[] = [
  { name: "input", type: "float32", shape: [1, 512], fill: "uniform", value: 0 },
  { name: "state", type: "float32", shape: [2, 1, 128], fill: "zeros", value: 0 },
  { name: "sr", type: "int64", shape: [], fill: "constant", value: 16000 },
];

/**
 * Parses a shape typed by a person: "1, 3, 48, 192", "[1 512]", "" (a scalar). Every dimension
 * an integer in 1..65536 and at most 2^26 elements in all; errors name the bad part.
 *
 * @example
 * parseShape("[1, 3, 48, 192]") // [1, 3, 48, 192]
 */
export function parseShape(text: string): number[] {
  const body = text
    .trim()
    .replace(/^\[|\]$/g, "")
    .trim();
  if (body === "") return [];
  const parts = body.split(/[\s,x×]+/).filter((p) => p !== "");
  const dims = parts.map((p) => {
    const n = Number(p);
    if (!/^\d+$/.test(p) || n < 1 || n > 65536)
      throw new RangeError(`dimension "${p}" is not an integer in 1..65536`);
    return n;
  });
  const size = dims.reduce((a, b) => a * b, 1);
  if (size > 2 ** 26) throw new RangeError(`[${dims.join(", ")}] has ${size} elements, more than 2^26`);
  return dims;
}

/**
 * The feeds of `specs`, values drawn from a generator seeded with `seed` (the same seed gives the
 * same input, so both models see the same numbers).
 */
export function makeFeeds(specs: readonly InputSpec[], seed = 0): Record<string, Feed> {
  const rng = new Rng(seed);
  const feeds: Record<string, Feed> = {};
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    if (s.fill === "normal") rng.fillNormal(values);
    else if (s.fill === "uniform") rng.fillUniform(values, -1, 1);
    else if (s.fill === "constant") values.fill(s.value);
    const integers = () => values.map((v) => Math.round(v));
    let data: Feed["data"];
    switch (s.type) {
      case "float32":
        data = values;
        break;
      case "int64":
        data = BigInt64Array.from(integers(), (v) => BigInt(v));
        break;
      case "int32":
        data = Int32Array.from(integers());
        break;
      case "uint8":
      case "bool":
        data = Uint8Array.from(integers());
        break;
      case "int8":
        data = Int8Array.from(integers());
        break;
      default:
        throw new RangeError(`input "${s.name}" is ${s.type}: example inputs are ${FEED_TYPES.join(", ")}`);
    }
    feeds[s.name] = { type: s.type, data, dims: [...s.shape] };
  }
  return feeds;
}
