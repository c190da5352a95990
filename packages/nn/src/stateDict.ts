import { bfloat16, float16 } from "@quantkit/numeric";
import { assertOptions } from "@quantkit/tensor";
import type { Module } from "./module";
import type { SafetensorsTensor } from "./safetensors";

/**
 * The model's parameters and buffers by dotted name, as safetensors tensors (PyTorch's
 * `state_dict()`): F32 for weights, biases and running statistics, I64 for `num_batches_tracked`.
 * The arrays are the model's own (no copy): serialise them, or copy them for a snapshot.
 *
 * @example
 * stateDict(createMlp([784, 100, 100, 10]))["fc1.weight"].shape // [100, 784]
 * await saveSafetensors("mlp.safetensors", stateDict(model));
 */
export function stateDict(model: Module): Record<string, SafetensorsTensor> {
  const out: Record<string, SafetensorsTensor> = {};
  for (const p of model.parameters()) out[p.name] = { dtype: "F32", shape: p.shape, data: p.data };
  for (const b of model.buffers()) {
    out[b.name] =
      b.dtype === "F32"
        ? { dtype: "F32", shape: b.shape, data: b.data }
        : { dtype: "I64", shape: b.shape, data: b.data };
  }
  return out;
}

/** Options of {@link loadStateDict}. */
export interface LoadStateDictOptions {
  /** Require the names to match exactly (PyTorch's `strict`). Default true. */
  strict?: boolean;
}

/** Which names did not match (always empty when strict, which throws instead). */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

function toFloat(t: SafetensorsTensor, name: string, into: Float32Array): void {
  const d = t.data;
  switch (t.dtype) {
    case "F32":
    case "F64":
      into.set(d as Float32Array | Float64Array);
      return;
    case "F16":
      float16.decodeArray(d as Uint16Array, into);
      return;
    case "BF16":
      bfloat16.decodeArray(d as Uint16Array, into);
      return;
    default:
      throw new TypeError(
        `loadStateDict: "${name}" is ${t.dtype}; a float parameter loads from F32, F64, F16 or BF16`,
      );
  }
}

/**
 * Copies tensors into the model's parameters and buffers (PyTorch's `load_state_dict`): every shape
 * must match (a RangeError names the tensor and both shapes); F64/F16/BF16 convert to float32. With
 * `strict` (the default) missing and unexpected names are an error; otherwise they are returned.
 * Everything is checked before anything is copied, so a failed load leaves the model as it was.
 *
 * @example
 * const { tensors } = await loadSafetensors("mlp.safetensors");
 * loadStateDict(createMlp([784, 100, 100, 10]), tensors);
 */
export function loadStateDict(
  model: Module,
  tensors: Record<string, SafetensorsTensor> | ReadonlyMap<string, SafetensorsTensor>,
  options: LoadStateDictOptions = {},
): LoadStateDictResult {
  assertOptions(options, ["strict"], "loadStateDict options");
  const strict = options.strict ?? true;
  const source =
    tensors instanceof Map ? tensors : new Map(Object.entries(tensors as Record<string, SafetensorsTensor>));
  const targets = [
    ...model.parameters().map((p) => ({
      name: p.name,
      shape: p.shape,
      kind: "F32" as const,
      data: p.data as Float32Array | BigInt64Array,
    })),
    ...model.buffers().map((b) => ({
      name: b.name,
      shape: b.shape,
      kind: b.dtype,
      data: b.data as Float32Array | BigInt64Array,
    })),
  ];
  const known = new Set(targets.map((t) => t.name));
  const missingKeys = targets.filter((t) => !source.has(t.name)).map((t) => t.name);
  const unexpectedKeys = [...source.keys()].filter((k) => !known.has(k));
  if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
    const parts: string[] = [];
    if (missingKeys.length > 0) parts.push(`Missing key(s): ${missingKeys.map((k) => `"${k}"`).join(", ")}.`);
    if (unexpectedKeys.length > 0)
      parts.push(`Unexpected key(s): ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}.`);
    throw new RangeError(`Error(s) in loading state dict: ${parts.join(" ")}`);
  }
  const plan: Array<() => void> = [];
  for (const t of targets) {
    const src = source.get(t.name);
    if (src === undefined) continue;
    const same =
      src.shape.length === t.shape.length && src.shape.every((d: number, i: number) => d === t.shape[i]);
    if (!same) {
      throw new RangeError(
        `size mismatch for ${t.name}: copying a tensor of shape [${src.shape.join(", ")}] from the state dict, the shape in the model is [${t.shape.join(", ")}]`,
      );
    }
    if (src.data.length !== t.data.length) {
      throw new RangeError(
        `${t.name}: the state dict's data has ${src.data.length} elements for shape [${src.shape.join(", ")}]`,
      );
    }
    if (t.kind === "F32") {
      if (!["F32", "F64", "F16", "BF16"].includes(src.dtype)) {
        throw new TypeError(
          `loadStateDict: "${t.name}" is ${src.dtype}; a float parameter loads from F32, F64, F16 or BF16`,
        );
      }
      _assertFiniteSource(src, t.name);
      plan.push(() => toFloat(src, t.name, t.data as Float32Array));
    } else {
      const into = t.data as BigInt64Array;
      if (src.data instanceof BigInt64Array || src.data instanceof BigUint64Array) {
        plan.push(() => into.set(src.data as BigInt64Array));
      } else if (
        src.dtype === "I32" ||
        src.dtype === "U32" ||
        src.dtype === "I16" ||
        src.dtype === "U16" ||
        src.dtype === "I8" ||
        src.dtype === "U8"
      ) {
        plan.push(() => {
          for (let i = 0; i < into.length; i++) into[i] = BigInt((src.data as Int32Array)[i]!);
        });
      } else {
        throw new TypeError(
          `loadStateDict: "${t.name}" is ${src.dtype}; an integer buffer loads from an integer dtype`,
        );
      }
    }
  }
  for (const copy of plan) copy();
  return { missingKeys, unexpectedKeys };
}

/** A float source must stay finite in float32: NaN, Infinity and F64 values beyond float32 are errors. */
function _assertFiniteSource(t: SafetensorsTensor, name: string): void {
  const d = t.data;
  if (t.dtype === "F32" || t.dtype === "F64") {
    const a = d as Float32Array | Float64Array;
    for (let i = 0; i < a.length; i++) {
      const v = Math.fround(a[i]!);
      if (v - v !== 0) {
        throw new RangeError(
          `loadStateDict: ${name}[${i}] is ${a[i]}${Number.isFinite(a[i]!) ? ` (${v} in float32)` : ""}; parameters must be finite`,
        );
      }
    }
  } else if (t.dtype === "F16" || t.dtype === "BF16") {
    const exp = t.dtype === "F16" ? 0x7c00 : 0x7f80;
    const a = d as Uint16Array;
    for (let i = 0; i < a.length; i++) {
      if ((a[i]! & exp) === exp) {
        throw new RangeError(
          `loadStateDict: ${name}[${i}] is ${t.dtype} bits 0x${a[i]!.toString(16)} (NaN or Infinity); parameters must be finite`,
        );
      }
    }
  }
}
