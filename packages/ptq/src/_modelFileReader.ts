import type { SafetensorsArrays, SafetensorsDtype, SafetensorsTensor } from "@quantkit/nn";

/** The JSON metadata of a saved integer model, field by field. */
export type _Json = Record<string, unknown>;

/** Reads the JSON metadata defensively: every accessor names the field and the file. */
export class _Reader {
  constructor(readonly file: string) {}

  fail(where: string, what: string): RangeError {
    return new RangeError(`${this.file}: ${where} ${what}`);
  }

  object(v: unknown, where: string): _Json {
    if (v === null || typeof v !== "object" || Array.isArray(v))
      throw this.fail(where, `must be an object, got ${JSON.stringify(v)}`);
    return v as _Json;
  }

  int(v: unknown, where: string, min: number, max: number): number {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      throw this.fail(where, `must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
    }
    return v;
  }

  bool(v: unknown, where: string): boolean {
    if (typeof v !== "boolean") throw this.fail(where, `must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  string(v: unknown, where: string): string {
    if (typeof v !== "string" || v === "")
      throw this.fail(where, `must be a non-empty string, got ${JSON.stringify(v)}`);
    return v;
  }

  ints(v: unknown, where: string, length: number | null, min: number): number[] {
    if (!Array.isArray(v) || (length !== null && v.length !== length)) {
      throw this.fail(
        where,
        `must be ${length === null ? "a list" : `a list of ${length}`} of integers, got ${JSON.stringify(v)}`,
      );
    }
    return v.map((x, i) => this.int(x, `${where}[${i}]`, min, 2 ** 31 - 1));
  }

  pair(v: unknown, where: string, min: number): [number, number] {
    const [a, b] = this.ints(v, where, 2, min) as [number, number];
    return [a, b];
  }
}

/** The tensors of the file, each taken once, checked for dtype and shape. */
export class _Tensors {
  private readonly used = new Set<string>();

  constructor(
    private readonly tensors: Record<string, SafetensorsTensor>,
    private readonly file: string,
  ) {}

  take<D extends SafetensorsDtype>(key: string, dtype: D, shape: readonly number[]): SafetensorsArrays[D] {
    const t = this.tensors[key];
    if (t === undefined) throw new RangeError(`${this.file}: tensor "${key}" is missing`);
    if (t.dtype !== dtype)
      throw new RangeError(`${this.file}: tensor "${key}" must be ${dtype}, got ${t.dtype}`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new RangeError(
        `${this.file}: tensor "${key}" must have shape [${shape.join(", ")}], got [${t.shape.join(", ")}]`,
      );
    }
    this.used.add(key);
    return t.data as SafetensorsArrays[D];
  }

  checkAllUsed(): void {
    for (const key of Object.keys(this.tensors)) {
      if (!this.used.has(key))
        throw new RangeError(
          `${this.file}: unexpected tensor "${key}" (not described by the model metadata)`,
        );
    }
  }
}
