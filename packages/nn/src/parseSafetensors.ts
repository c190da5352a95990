import { assertOptions } from "@quantkit/tensor";
import { _firstDuplicate, _jsonShape } from "./_jsonShape";
import { _CHECKSUM_KEY, _verifyChecksum } from "./_safetensorsChecksum";
import {
  _assertLittleEndian,
  _checkShape,
  _isDtype,
  _SPECS,
  type ParseSafetensorsOptions,
  SAFETENSORS_MAX_HEADER_BYTES,
  type SafetensorsArrays,
  type SafetensorsDtype,
  type SafetensorsFile,
  type SafetensorsTensor,
} from "./safetensors";

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
  _assertLittleEndian();
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
    if (!_isDtype(dtype))
      throw new RangeError(
        `${where} has an unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(_SPECS).join(", ")})`,
      );
    const count = _checkShape(shape, where);
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
    const need = count * _SPECS[dtype].size;
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
    const spec = _SPECS[e.dtype];
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
