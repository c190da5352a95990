import { clearField, create } from "@bufbuild/protobuf";
import { _checkOptions, _show } from "./_errors";
import {
  type ModelProto,
  StringStringEntryProtoSchema,
  type TensorProto,
  TensorProto_DataLocation,
  TensorProtoSchema,
} from "./_gen/onnx_pb";
import { _elementCount } from "./_storage";
import { allNodes } from "./allNodes";
import { _rawByteLength } from "./dataType";
import { graphs } from "./graphs";

/** Where a tensor's external data lies (ONNX's `external_data` keys). */
export interface ExternalDataInfo {
  /** Path relative to the model file's folder. */
  location: string;
  /** Byte offset in the file (default 0). */
  offset: number;
  /** Byte length (default: to the end of the file). */
  length: number | undefined;
  /** SHA-1 of the file, when the writer recorded it. */
  checksum: string | undefined;
}

/** Reads the bytes of an external data file by its `location`; may be async (fetch, fs). */
export type ExternalDataResolver = (location: string) => Uint8Array | Promise<Uint8Array>;

/**
 * The external-data entry of a tensor stored outside the model (`data_location = EXTERNAL`), validated:
 * `location` present, relative and not leaving the model's folder, `offset` / `length` non-negative
 * integers. Undefined for a tensor whose data is inside the model.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { DataLocation, externalDataInfo, TensorProtoSchema } from "@quantkit/onnx";
 * const t = create(TensorProtoSchema, {
 *   name: "w",
 *   dataLocation: DataLocation.EXTERNAL,
 *   externalData: [{ key: "location", value: "w.bin" }, { key: "offset", value: "4096" }],
 * });
 * externalDataInfo(t); // { location: "w.bin", offset: 4096, length: undefined, checksum: undefined }
 * ```
 */
export function externalDataInfo(tensor: TensorProto): ExternalDataInfo | undefined {
  if (tensor.dataLocation !== TensorProto_DataLocation.EXTERNAL) return undefined;
  const where = `tensor ${_show(tensor.name)}`;
  const get = (key: string) => tensor.externalData.find((e) => e.key === key)?.value;
  const location = get("location");
  if (location === undefined || location === "") throw new Error(`${where}: external data has no location`);
  if (
    location.startsWith("/") ||
    /^[a-zA-Z]:[\\/]/.test(location) ||
    location.split(/[\\/]/).includes("..")
  ) {
    throw new Error(
      `${where}: external data location ${_show(location)} must be a relative path inside the model's folder`,
    );
  }
  const int = (key: string): number | undefined => {
    const v = get(key);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
      throw new Error(`${where}: external data ${key} ${_show(v)} is not a non-negative integer`);
    }
    return Number(v);
  };
  return { location, offset: int("offset") ?? 0, length: int("length"), checksum: get("checksum") };
}

/** Every tensor of a model that may hold data: initializers, tensor attributes (Constant values...). */
export function _allTensors(model: ModelProto): TensorProto[] {
  const out: TensorProto[] = [];
  for (const e of graphs(model)) {
    out.push(...e.graph.initializer);
    for (const s of e.graph.sparseInitializer) {
      if (s.values) out.push(s.values);
      if (s.indices) out.push(s.indices);
    }
  }
  for (const { node } of allNodes(model)) {
    for (const a of node.attribute) {
      if (a.t) out.push(a.t);
      out.push(...a.tensors);
    }
  }
  return out;
}

/**
 * Loads every external tensor of a model (initializers, Constant values, in every graph) into
 * `raw_data` through `resolve`, which returns a file's bytes by its location (each location is asked
 * once); the tensor then reads as an ordinary one (`data_location` DEFAULT, no `external_data`). Data are
 * views into the resolved bytes. Throws, naming the tensor, the file and the values, when a range lies
 * outside the file or does not match the tensor's dims and type. Returns the number of tensors loaded.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { DataLocation, DataType, loadExternalData, makeGraph, makeModel, TensorProtoSchema, toArray } from "@quantkit/onnx";
 * const w = create(TensorProtoSchema, {
 *   name: "w", dataType: DataType.UINT8, dims: [2n], dataLocation: DataLocation.EXTERNAL,
 *   externalData: [{ key: "location", value: "w.bin" }, { key: "offset", value: "1" }, { key: "length", value: "2" }],
 * });
 * const model = makeModel(makeGraph({ name: "g", initializer: [w] }));
 * await loadExternalData(model, () => new Uint8Array([9, 7, 5]));
 * toArray(w); // Uint8Array [7, 5]
 * ```
 */
export async function loadExternalData(model: ModelProto, resolve: ExternalDataResolver): Promise<number> {
  if (typeof resolve !== "function")
    throw new TypeError(`loadExternalData: resolve must be a function, got ${_show(resolve)}`);
  const files = new Map<string, Promise<Uint8Array>>();
  let loaded = 0;
  for (const tensor of _allTensors(model)) {
    const info = externalDataInfo(tensor);
    if (info === undefined) continue;
    let file = files.get(info.location);
    if (file === undefined) {
      file = Promise.resolve().then(() => resolve(info.location));
      files.set(info.location, file);
    }
    let bytes: Uint8Array;
    try {
      bytes = await file;
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new Error(
        `tensor ${_show(tensor.name)}: cannot read external data file ${_show(info.location)}: ${why}`,
        { cause },
      );
    }
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError(
        `loadExternalData: resolve(${_show(info.location)}) must give a Uint8Array, got ${_show(bytes)}`,
      );
    }
    const where = `tensor ${_show(tensor.name)} (external ${_show(info.location)}, offset ${info.offset}, length ${info.length ?? "to end"})`;
    const length = info.length ?? bytes.length - info.offset;
    if (info.offset > bytes.length || info.offset + length > bytes.length || length < 0) {
      throw new RangeError(`${where}: outside the file of ${bytes.length} bytes`);
    }
    if (tensor.dataType !== 8) {
      const expected = _rawByteLength(tensor.dataType, _elementCount(tensor, where), where);
      if (length !== expected)
        throw new RangeError(`${where}: ${length} bytes, dims [${tensor.dims.join(", ")}] need ${expected}`);
    } else {
      throw new Error(`${where}: string tensors cannot be stored externally`);
    }
    tensor.rawData = bytes.subarray(info.offset, info.offset + length);
    tensor.externalData = [];
    clearField(tensor, TensorProtoSchema.field.dataLocation);
    loaded++;
  }
  return loaded;
}

/** Options of {@link externalizeData}. */
export interface ExternalizeOptions {
  /** The file name the tensors will point at (relative to the model's folder). */
  location: string;
  /** Tensors with at least this many bytes of raw_data move out; default 1024 (as ONNX's Python). */
  minBytes?: number;
  /** Tensors of at least 1 MiB start at a multiple of this (page size, for mmap); default 4096. */
  align?: number;
}

/**
 * Moves the raw_data of large tensors (initializers and Constant values in every graph) into one
 * external data blob, which it returns; the tensors then point at it (`location`, `offset`, `length`,
 * `data_location = EXTERNAL`). Write the blob next to the model under `location`; the Node helper
 * writeModelFile does both. Models over protobuf's 2 GiB limit need this.
 *
 * @example
 * ```ts
 * import { DataType, externalizeData, makeGraph, makeModel, makeTensor } from "@quantkit/onnx";
 * const model = makeModel(makeGraph({ name: "g", initializer: [makeTensor("w", DataType.FLOAT, [512], new Array(512).fill(1))] }));
 * externalizeData(model, { location: "model.onnx.data" }).length; // 2048
 * ```
 */
export function externalizeData(model: ModelProto, options: ExternalizeOptions): Uint8Array {
  _checkOptions("externalizeData", options, ["location", "minBytes", "align"]);
  const { location, minBytes = 1024, align = 4096 } = options;
  if (
    typeof location !== "string" ||
    location === "" ||
    location.startsWith("/") ||
    location.split(/[\\/]/).includes("..")
  ) {
    throw new Error(`externalizeData: location must be a relative file name, got ${_show(location)}`);
  }
  if (!Number.isInteger(minBytes) || minBytes < 0)
    throw new RangeError(`externalizeData: minBytes must be an integer >= 0, got ${_show(minBytes)}`);
  if (!Number.isInteger(align) || align < 1)
    throw new RangeError(`externalizeData: align must be an integer >= 1, got ${_show(align)}`);
  const moving = _allTensors(model).filter(
    (t) =>
      t.dataLocation !== TensorProto_DataLocation.EXTERNAL &&
      t.rawData.length > 0 &&
      t.rawData.length >= minBytes,
  );
  const offsets: number[] = [];
  let size = 0;
  for (const t of moving) {
    if (t.rawData.length >= 1 << 20) size = Math.ceil(size / align) * align;
    offsets.push(size);
    size += t.rawData.length;
  }
  const blob = new Uint8Array(size);
  moving.forEach((t, i) => {
    const offset = offsets[i]!;
    blob.set(t.rawData, offset);
    const entry = (key: string, value: string) => create(StringStringEntryProtoSchema, { key, value });
    t.externalData = [
      entry("location", location),
      entry("offset", String(offset)),
      entry("length", String(t.rawData.length)),
    ];
    t.dataLocation = TensorProto_DataLocation.EXTERNAL;
    clearField(t, TensorProtoSchema.field.rawData);
  });
  return blob;
}
