import { extname } from "node:path";
import { parseSafetensors, type SafetensorsTensor } from "@quantkit/nn";
import { bfloat16, float16 } from "@quantkit/numeric";
import { readRegularFile } from "./readRegularFile";

/** A float tensor read from a file. */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
  /** The dtype in the file. */
  dtype: string;
}

function toFloat32(t: SafetensorsTensor, where: string): Float32Array {
  switch (t.dtype) {
    case "F32":
      return t.data.slice();
    case "F64":
      return _fromFloat64(t.data as Float64Array, where);
    case "I8":
    case "U8":
    case "I16":
    case "U16":
    case "I32":
    case "U32":
      return Float32Array.from(t.data as ArrayLike<number>);
    case "I64":
    case "U64":
      // Token ids, sample rates: exact in float32 up to 2^24; larger values would silently change.
      return Float32Array.from(t.data as BigInt64Array | BigUint64Array, (v) => {
        if (v > 16_777_216n || v < -16_777_216n)
          throw new RangeError(
            `${where}: ${t.dtype} value ${v} is beyond 2^24, which quantkit reads exactly`,
          );
        return Number(v);
      });
    case "F16":
      return Float32Array.from(t.data, (b) => float16.decode(b));
    case "BF16":
      return Float32Array.from(t.data, (b) => bfloat16.decode(b));
    default:
      throw new RangeError(`${where}: dtype ${t.dtype} is not a number type quantkit quantizes`);
  }
}

/**
 * float64 values as float32, refusing the ones float32 cannot hold: a nonzero value that flushes to 0
 * (1e-50) or a finite one that overflows to Infinity (the quantization error would be measured on
 * different numbers and reported as 0).
 */
function _fromFloat64(values: ArrayLike<number>, where: string): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const f = Math.fround(v);
    if ((f === 0 && v !== 0) || (!Number.isFinite(f) && Number.isFinite(v))) {
      throw new RangeError(
        `${where}[${i}] = ${v} is ${f} in float32 (${f === 0 ? "underflow" : "overflow"}); quantkit quantizes float32 values`,
      );
    }
    out[i] = f;
  }
  return out;
}

/** numpy's dtype strings for .npy files: byte order, kind and size. */
const NPY_TYPES: Record<
  string,
  { size: number; read: (v: DataView, at: number, little: boolean) => number }
> = {
  f4: { size: 4, read: (v, at, le) => v.getFloat32(at, le) },
  f8: { size: 8, read: (v, at, le) => v.getFloat64(at, le) },
  f2: { size: 2, read: (v, at, le) => float16.decode(v.getUint16(at, le)) },
  i1: { size: 1, read: (v, at) => v.getInt8(at) },
  u1: { size: 1, read: (v, at) => v.getUint8(at) },
  i2: { size: 2, read: (v, at, le) => v.getInt16(at, le) },
  u2: { size: 2, read: (v, at, le) => v.getUint16(at, le) },
  i4: { size: 4, read: (v, at, le) => v.getInt32(at, le) },
  u4: { size: 4, read: (v, at, le) => v.getUint32(at, le) },
  i8: { size: 8, read: (v, at, le) => Number(v.getBigInt64(at, le)) },
  u8: { size: 8, read: (v, at, le) => Number(v.getBigUint64(at, le)) },
};

/**
 * Parses a NumPy .npy file (format versions 1-3): the header dict's `descr` (little or big endian
 * float16/32/64 and integers), `fortran_order` (False only) and `shape`, then the data as float32.
 */
export function parseNpy(bytes: Uint8Array, name: string): NamedTensor {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b))
    throw new RangeError(`${name}: not a .npy file (no \\x93NUMPY magic)`);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new RangeError(`${name}: .npy format version ${major} is not supported`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) throw new RangeError(`${name}: truncated .npy header`);
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(start, start + headerLen),
  );
  const descr = /'descr'\s*:\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeText)
    throw new RangeError(`${name}: malformed .npy header ${JSON.stringify(header.trim())}`);
  if (fortran[1] === "True")
    throw new RangeError(
      `${name}: Fortran-ordered arrays are not supported (save with np.ascontiguousarray)`,
    );
  const type = NPY_TYPES[descr[2]!];
  if (type === undefined)
    throw new RangeError(
      `${name}: dtype '${descr[1]}${descr[2]}' is not supported (float16/32/64 or integers)`,
    );
  const shape = shapeText[1]!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new RangeError(`${name}: bad shape (${shapeText[1]})`);
  const n = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  if (bytes.length - dataStart < n * type.size) {
    throw new RangeError(
      `${name}: truncated: shape [${shape.join(", ")}] needs ${n * type.size} data bytes, the file has ${bytes.length - dataStart}`,
    );
  }
  if (bytes.length - dataStart > n * type.size) {
    throw new RangeError(
      `${name}: ${bytes.length - dataStart - n * type.size} bytes after the data (shape [${shape.join(", ")}] needs ${n * type.size}): not one .npy array`,
    );
  }
  const little = descr[1] !== ">";
  const raw = new Float64Array(n);
  for (let i = 0; i < n; i++) raw[i] = type.read(view, dataStart + i * type.size, little);
  const data = _fromFloat64(raw, name);
  return { name, shape, data, dtype: `${descr[1]}${descr[2]}` };
}

/** A nested JSON array's shape and flat values (rectangular, numbers only). */
function flattenJson(v: unknown, where: string, depth = 0): { shape: number[]; values: number[] } {
  if (typeof v === "number") return { shape: [], values: [v] };
  if (depth > 32) throw new RangeError(`${where}: the arrays nest more than 32 levels deep`);
  if (!Array.isArray(v))
    throw new RangeError(
      `${where}: expected a number or an array of numbers, got ${JSON.stringify(v)?.slice(0, 40)}`,
    );
  const parts = v.map((x, i) => flattenJson(x, `${where}[${i}]`, depth + 1));
  const inner = parts[0]?.shape ?? [];
  for (const [i, p] of parts.entries()) {
    if (p.shape.length !== inner.length || p.shape.some((d, j) => d !== inner[j]))
      throw new RangeError(`${where}[${i}]: the array is not rectangular`);
  }
  return { shape: [v.length, ...inner], values: parts.flatMap((p) => p.values) };
}

function jsonTensor(v: unknown, name: string): NamedTensor {
  if (v !== null && typeof v === "object" && !Array.isArray(v) && "data" in v) {
    const o = v as { data: unknown; shape?: unknown };
    const flat = flattenJson(o.data, `${name}.data`);
    const shape = o.shape === undefined ? flat.shape : (o.shape as number[]);
    if (
      !Array.isArray(shape) ||
      !shape.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 0)
    ) {
      throw new RangeError(
        `${name}: shape must be a list of non-negative integers, got ${JSON.stringify(o.shape)}`,
      );
    }
    if (shape.reduce((a: number, b: number) => a * b, 1) !== flat.values.length) {
      throw new RangeError(
        `${name}: shape ${JSON.stringify(o.shape)} does not fit ${flat.values.length} values`,
      );
    }
    return { name, shape, data: _fromFloat64(flat.values, name), dtype: "json" };
  }
  const flat = flattenJson(v, name);
  return {
    name,
    shape: flat.shape.length === 0 ? [1] : flat.shape,
    data: _fromFloat64(flat.values, name),
    dtype: "json",
  };
}

/**
 * Reads the float tensors of a file, by its extension: `.safetensors` (every tensor, or `tensor`),
 * `.npy`, or `.json` (a nested array of numbers, `{ "data": [...], "shape": [...] }`, or an object of
 * such by name). Values come back as float32. Errors name the file and the problem.
 */
export async function readTensors(path: string, tensor?: string): Promise<NamedTensor[]> {
  const ext = extname(path).toLowerCase();
  if (![".safetensors", ".npy", ".json"].includes(ext))
    throw new RangeError(`${path}: unknown tensor file type "${ext}" (expected .safetensors, .npy or .json)`);
  const bytes = await readRegularFile(path);
  let out: NamedTensor[];
  if (ext === ".safetensors") {
    const file = parseSafetensors(bytes, path);
    out = Object.entries(file.tensors).map(([name, t]) => ({
      name,
      shape: [...t.shape],
      data: toFloat32(t, `${path}: "${name}"`),
      dtype: t.dtype,
    }));
  } else if (ext === ".npy") {
    out = [parseNpy(bytes, path)];
  } else if (ext === ".json") {
    let v: unknown;
    try {
      v = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new RangeError(`${path}: not valid JSON (${(error as Error).message})`);
    }
    const isMap = v !== null && typeof v === "object" && !Array.isArray(v) && !("data" in v);
    try {
      out = isMap
        ? Object.entries(v as Record<string, unknown>).map(([k, t]) => jsonTensor(t, k))
        : [jsonTensor(v, path)];
    } catch (error) {
      // Tensors of a JSON object are named by key: put the file in front.
      if (error instanceof RangeError && !error.message.startsWith(path))
        throw new RangeError(`${path}: ${error.message}`);
      throw error;
    }
  } else {
    throw new RangeError(`${path}: unknown tensor file type "${ext}" (expected .safetensors, .npy or .json)`);
  }
  if (tensor !== undefined) {
    out = out.filter((t) => t.name === tensor);
    if (out.length === 0) throw new RangeError(`${path}: no tensor named "${tensor}"`);
  }
  if (out.length === 0) throw new RangeError(`${path}: the file holds no tensors`);
  for (const t of out) {
    for (let i = 0; i < t.data.length; i++) {
      const v = t.data[i]!;
      if (v - v !== 0) {
        throw new RangeError(
          `${path}: tensor "${t.name}" [${i}] is ${v}; only finite values can be quantized`,
        );
      }
    }
  }
  return out;
}
