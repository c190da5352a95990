import { assertOptions } from "@quantkit/tensor";
import { _firstDuplicate, _jsonShape } from "./_jsonShape";
import { _CHECKSUM_KEY, _checksumPlaceholder, _stampChecksum, _verifyChecksum } from "./_safetensorsChecksum";
/** The element types of the safetensors format. F16, BF16 and F8 data are kept as raw bits. */
export type SafetensorsDtype =
  | "BOOL"
  | "U8"
  | "I8"
  | "F8_E4M3"
  | "F8_E5M2"
  | "U16"
  | "I16"
  | "F16"
  | "BF16"
  | "U32"
  | "I32"
  | "F32"
  | "U64"
  | "I64"
  | "F64";

/** The typed array that holds each dtype (F16/BF16 as Uint16Array bits, F8 and BOOL as Uint8Array bytes). */
export interface SafetensorsArrays {
  BOOL: Uint8Array;
  U8: Uint8Array;
  I8: Int8Array;
  F8_E4M3: Uint8Array;
  F8_E5M2: Uint8Array;
  U16: Uint16Array;
  I16: Int16Array;
  F16: Uint16Array;
  BF16: Uint16Array;
  U32: Uint32Array;
  I32: Int32Array;
  F32: Float32Array;
  U64: BigUint64Array;
  I64: BigInt64Array;
  F64: Float64Array;
}

/** One tensor of a safetensors file: dtype, shape (outermost first) and row-major data. */
export type SafetensorsTensor = {
  [D in SafetensorsDtype]: {
    readonly dtype: D;
    readonly shape: readonly number[];
    readonly data: SafetensorsArrays[D];
  };
}[SafetensorsDtype];

/** A tensor to write; `dtype` may be left out when the array type says it (Float32Array is F32, Int8Array I8, ...). */
export interface SafetensorsInput {
  readonly dtype?: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: SafetensorsArrays[SafetensorsDtype];
}

/** Options of {@link serializeSafetensors}. */
export interface SerializeSafetensorsOptions {
  /**
   * Stamp `__metadata__.quantkit_crc32`, the CRC-32 of the whole file, which `parseSafetensors` then
   * verifies (any changed byte is an error). Default false (plain safetensors).
   */
  checksum?: boolean;
}

/** Options of {@link parseSafetensors}. */
export interface ParseSafetensorsOptions {
  /** Reject a file without `__metadata__.quantkit_crc32` (one that has it is always verified). Default false. */
  requireChecksum?: boolean;
}

/** What {@link parseSafetensors} returns. */
export interface SafetensorsFile {
  /** Tensors by name, in file order (a null-prototype object, so any name is safe). */
  readonly tensors: Record<string, SafetensorsTensor>;
  /** The `__metadata__` map of strings (empty when absent). */
  readonly metadata: Record<string, string>;
}

const SPECS: Readonly<
  Record<
    SafetensorsDtype,
    {
      size: number;
      array: new (buffer: ArrayBuffer, offset: number, length: number) => SafetensorsArrays[SafetensorsDtype];
    }
  >
> = {
  BOOL: { size: 1, array: Uint8Array },
  U8: { size: 1, array: Uint8Array },
  I8: { size: 1, array: Int8Array },
  F8_E4M3: { size: 1, array: Uint8Array },
  F8_E5M2: { size: 1, array: Uint8Array },
  U16: { size: 2, array: Uint16Array },
  I16: { size: 2, array: Int16Array },
  F16: { size: 2, array: Uint16Array },
  BF16: { size: 2, array: Uint16Array },
  U32: { size: 4, array: Uint32Array },
  I32: { size: 4, array: Int32Array },
  F32: { size: 4, array: Float32Array },
  U64: { size: 8, array: BigUint64Array },
  I64: { size: 8, array: BigInt64Array },
  F64: { size: 8, array: Float64Array },
};

/** The safetensors dtypes this package reads and writes, with their sizes in bytes. */
export const SAFETENSORS_DTYPE_SIZES: Readonly<Record<SafetensorsDtype, number>> = Object.fromEntries(
  Object.entries(SPECS).map(([d, s]) => [d, s.size]),
) as Record<SafetensorsDtype, number>;

/** The reference implementation's limit on the header (100 MB). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function assertLittleEndian(): void {
  if (!LITTLE_ENDIAN)
    throw new Error("safetensors: this platform is big-endian; only little-endian platforms are supported");
}

function isDtype(d: unknown): d is SafetensorsDtype {
  return typeof d === "string" && Object.hasOwn(SPECS, d);
}

/** The dtype an array's type implies (ambiguous arrays: Uint8Array is U8, Uint16Array is F16 only if said). */
function inferDtype(data: unknown): SafetensorsDtype | undefined {
  if (data instanceof Float32Array) return "F32";
  if (data instanceof Float64Array) return "F64";
  if (data instanceof Int8Array) return "I8";
  if (data instanceof Uint8Array) return "U8";
  if (data instanceof Int16Array) return "I16";
  if (data instanceof Uint16Array) return "U16";
  if (data instanceof Int32Array) return "I32";
  if (data instanceof Uint32Array) return "U32";
  if (data instanceof BigInt64Array) return "I64";
  if (data instanceof BigUint64Array) return "U64";
  return undefined;
}

function checkShape(shape: unknown, where: string): number {
  if (!Array.isArray(shape))
    throw new RangeError(
      `${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0)
      throw new RangeError(
        `${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
      );
    n *= d;
  }
  if (!Number.isSafeInteger(n))
    throw new RangeError(`${where}: shape ${JSON.stringify(shape)} has too many elements`);
  return n;
}

/**
 * Serialises tensors to the safetensors format: an 8-byte little-endian header length, a JSON header
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": { ... } }` padded with spaces
 * to a multiple of 8 bytes, then the raw little-endian data. Tensors are laid out by element size
 * (largest first) then name, as the reference writer does, so every tensor is aligned for zero-copy
 * loading. Browser-safe.
 *
 * @param tensors by name: `{ data, shape }` with `dtype` optional when the array type implies it
 * @param metadata free-form string-to-string `__metadata__`
 *
 * @example
 * const bytes = serializeSafetensors({ "fc1.weight": { data: new Float32Array(6), shape: [2, 3] } }, { format: "pt" });
 * parseSafetensors(bytes).tensors["fc1.weight"].shape // [2, 3]
 */
export function serializeSafetensors(
  tensors: Record<string, SafetensorsInput> | ReadonlyMap<string, SafetensorsInput>,
  metadata?: Record<string, string>,
  options: SerializeSafetensorsOptions = {},
): Uint8Array {
  assertLittleEndian();
  assertOptions(options, ["checksum"], "serializeSafetensors options");
  const entries =
    tensors instanceof Map
      ? [...tensors.entries()]
      : Object.entries(tensors as Record<string, SafetensorsInput>);
  const items = entries.map(([name, t]) => {
    if (typeof name !== "string" || name === "" || name === "__metadata__") {
      throw new RangeError(
        `tensor names must be non-empty strings other than "__metadata__", got ${JSON.stringify(name)}`,
      );
    }
    if (t === null || typeof t !== "object")
      throw new TypeError(`tensor "${name}" must be { data, shape, dtype? }`);
    const dtype = t.dtype ?? inferDtype(t.data);
    if (!isDtype(dtype)) {
      throw new TypeError(
        `tensor "${name}": dtype must be one of ${Object.keys(SPECS).join(", ")} or implied by a typed array, got ${String(t.dtype)}`,
      );
    }
    const spec = SPECS[dtype];
    if (!(t.data instanceof spec.array)) {
      throw new TypeError(
        `tensor "${name}": dtype ${dtype} needs a ${spec.array.name}, got ${Object.prototype.toString.call(t.data)}`,
      );
    }
    const count = checkShape(t.shape, `tensor "${name}"`);
    if (t.data.length !== count) {
      throw new RangeError(
        `tensor "${name}" has ${t.data.length} elements but shape [${t.shape.join(", ")}] needs ${count}`,
      );
    }
    return { name, dtype, shape: [...t.shape], data: t.data, size: spec.size };
  });
  items.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== "object")
      throw new TypeError("metadata must be an object of strings");
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new TypeError(`metadata["${k}"] must be a string, got ${typeof v}`);
    }
    header.__metadata__ = { ...metadata };
  }
  if (options.checksum === true) {
    header.__metadata__ = { ...(header.__metadata__ as object), [_CHECKSUM_KEY]: _checksumPlaceholder() };
  }
  let offset = 0;
  for (const it of items) {
    const bytes = it.data.byteLength;
    header[it.name] = { dtype: it.dtype, shape: it.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil((8 + json.length) / 8) * 8 - 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const it of items) {
    out.set(new Uint8Array(it.data.buffer, it.data.byteOffset, it.data.byteLength), at);
    at += it.data.byteLength;
  }
  if (options.checksum === true) _stampChecksum(out, 8 + json.length);
  return out;
}

/**
 * Parses and validates a safetensors file. Checked, each with a RangeError naming `name` and the
 * problem: the file holds the 8-byte length; the header length fits the file and 100 MB; the header is
 * UTF-8 JSON of an object; every dtype is known; every shape is a list of non-negative integers whose
 * size matches its `data_offsets`; the offsets lie inside the data, do not overlap and cover it
 * contiguously (no gaps, nothing trailing); `__metadata__` maps strings to strings.
 * Tensors are views on `bytes` when aligned (no copy) and copies otherwise; F16/BF16/F8 stay raw bits.
 * Browser-safe.
 *
 * @param bytes the whole file
 * @param name what to call the file in errors
 *
 * @example
 * const { tensors, metadata } = parseSafetensors(bytes, "model.safetensors");
 * tensors["fc1.weight"] // { dtype: "F32", shape: [100, 784], data: Float32Array(78400) }
 */
export function parseSafetensors(
  bytes: Uint8Array,
  name = "bytes",
  options: ParseSafetensorsOptions = {},
): SafetensorsFile {
  assertLittleEndian();
  assertOptions(options, ["requireChecksum"], "parseSafetensors options");
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`${name} must be a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  if (bytes.length < 8) {
    throw new RangeError(
      `${name} is truncated: ${bytes.length} bytes, a safetensors file starts with an 8-byte header length`,
    );
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
    throw new RangeError(
      `${name}: header length ${headerLength} is over the ${SAFETENSORS_MAX_HEADER_BYTES}-byte limit (not a safetensors file?)`,
    );
  }
  const n = Number(headerLength);
  if (n > bytes.length - 8) {
    throw new RangeError(
      `${name} is truncated or not safetensors: the header length ${n} exceeds the ${bytes.length - 8} bytes after it`,
    );
  }
  if (n < 2) throw new RangeError(`${name}: header length ${n} is too short for a JSON object`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new RangeError(`${name}: the header is not valid UTF-8`);
  }
  const shape = _jsonShape(text);
  if (shape.depth > 8) {
    throw new RangeError(
      `${name}: the header nests ${shape.depth} levels deep; a safetensors header needs 3`,
    );
  }
  const duplicate = _firstDuplicate(shape.keys);
  if (duplicate !== undefined) {
    throw new RangeError(`${name}: the header names ${JSON.stringify(duplicate)} twice`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new RangeError(`${name}: the header is not valid JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    throw new RangeError(
      `${name}: the header must be a JSON object, got ${Array.isArray(header) ? "an array" : String(header)}`,
    );
  }
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: Array<{
    key: string;
    dtype: SafetensorsDtype;
    shape: number[];
    begin: number;
    end: number;
  }> = [];
  for (const [key, value] of Object.entries(header as Record<string, unknown>)) {
    if (key === "__metadata__") {
      if (value === null) continue;
      if (typeof value !== "object" || Array.isArray(value))
        throw new RangeError(`${name}: __metadata__ must be an object of strings`);
      for (const [mk, mv] of Object.entries(value as Record<string, unknown>)) {
        if (typeof mv !== "string")
          throw new RangeError(`${name}: __metadata__["${mk}"] must be a string, got ${JSON.stringify(mv)}`);
        metadata[mk] = mv;
      }
      continue;
    }
    const where = `${name}: tensor "${key}"`;
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new RangeError(`${where} must be an object { dtype, shape, data_offsets }`);
    const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
    if (!isDtype(dtype))
      throw new RangeError(
        `${where} has an unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(SPECS).join(", ")})`,
      );
    const count = checkShape(shape, where);
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    ) {
      throw new RangeError(
        `${where}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`,
      );
    }
    const [begin, end] = offsets as [number, number];
    const need = count * SPECS[dtype].size;
    if (end - begin !== need) {
      throw new RangeError(
        `${where}: shape ${JSON.stringify(shape)} of ${dtype} needs ${need} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`,
      );
    }
    if (end > dataLength) {
      throw new RangeError(
        `${where}: data_offsets [${begin}, ${end}] run past the ${dataLength} data bytes (file truncated?)`,
      );
    }
    entries.push({ key, dtype, shape: shape as number[], begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  let previous = "";
  for (const e of sorted) {
    if (e.begin < expected) {
      throw new RangeError(
        `${name}: tensor "${e.key}" [${e.begin}, ${e.end}] overlaps tensor "${previous}" (which ends at ${expected})`,
      );
    }
    if (e.begin > expected) {
      throw new RangeError(
        `${name}: data_offsets are not contiguous: a gap of ${e.begin - expected} bytes before tensor "${e.key}"`,
      );
    }
    expected = e.end;
    previous = e.key;
  }
  if (expected !== dataLength) {
    throw new RangeError(
      `${name}: the tensors cover ${expected} data bytes but the file holds ${dataLength} after the header`,
    );
  }
  const tensors: Record<string, SafetensorsTensor> = Object.create(null);
  for (const e of entries) {
    const spec = SPECS[e.dtype];
    const absolute = bytes.byteOffset + dataStart + e.begin;
    const count = (e.end - e.begin) / spec.size;
    let data: SafetensorsArrays[SafetensorsDtype];
    if (absolute % spec.size === 0) {
      data = new spec.array(bytes.buffer as ArrayBuffer, absolute, count);
    } else {
      // Unaligned (a writer that does not sort by size): copy into a fresh, aligned buffer.
      const copy = bytes.slice(dataStart + e.begin, dataStart + e.end);
      data = new spec.array(copy.buffer, 0, count);
    }
    tensors[e.key] = { dtype: e.dtype, shape: e.shape, data } as SafetensorsTensor;
  }
  const checksum = metadata[_CHECKSUM_KEY];
  if (checksum !== undefined) _verifyChecksum(bytes, 8 + n, checksum, name);
  else if (options.requireChecksum === true)
    throw new RangeError(
      `${name}: no __metadata__.${_CHECKSUM_KEY}: the file is corrupt, or not written with a checksum`,
    );
  return { tensors, metadata };
}
