import { assertOptions } from "@quantkit/tensor";
import { _CHECKSUM_KEY, _checksumPlaceholder, _stampChecksum } from "./_safetensorsChecksum";
import {
  _assertLittleEndian,
  _checkShape,
  _inferDtype,
  _isDtype,
  _SPECS,
  type SafetensorsInput,
  type SerializeSafetensorsOptions,
} from "./safetensors";

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
  _assertLittleEndian();
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
    const dtype = t.dtype ?? _inferDtype(t.data);
    if (!_isDtype(dtype)) {
      throw new TypeError(
        `tensor "${name}": dtype must be one of ${Object.keys(_SPECS).join(", ")} or implied by a typed array, got ${String(t.dtype)}`,
      );
    }
    const spec = _SPECS[dtype];
    if (!(t.data instanceof spec.array)) {
      throw new TypeError(
        `tensor "${name}": dtype ${dtype} needs a ${spec.array.name}, got ${Object.prototype.toString.call(t.data)}`,
      );
    }
    const count = _checkShape(t.shape, `tensor "${name}"`);
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
