/**
 * The small checks the result-file validator is built from: each pushes one sentence per problem,
 * naming the JSON path and the value it got. Pure TypeScript (the dashboard reads files too).
 */

export type Check = (value: unknown, path: string, problems: string[]) => void;

export const describe = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "string" ? JSON.stringify(v) : typeof v;

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export const str: Check = (v, p, out) => {
  if (typeof v !== "string") out.push(`${p} must be a string, got ${describe(v)}`);
};
export const strOrNull: Check = (v, p, out) => {
  if (v !== null && typeof v !== "string") out.push(`${p} must be a string or null, got ${describe(v)}`);
};
export const num: Check = (v, p, out) => {
  if (typeof v !== "number" || !Number.isFinite(v))
    out.push(`${p} must be a finite number, got ${String(v)}`);
};
export const nonNegative: Check = (v, p, out) => {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    out.push(`${p} must be a finite number >= 0, got ${String(v)}`);
  }
};
export const positiveInt: Check = (v, p, out) => {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    out.push(`${p} must be an integer >= 1, got ${String(v)}`);
  }
};
export const nonNegativeInt: Check = (v, p, out) => {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    out.push(`${p} must be an integer >= 0, got ${String(v)}`);
  }
};
export const bool: Check = (v, p, out) => {
  if (typeof v !== "boolean") out.push(`${p} must be a boolean, got ${describe(v)}`);
};
export const boolOrNull: Check = (v, p, out) => {
  if (v !== null && typeof v !== "boolean") out.push(`${p} must be a boolean or null, got ${describe(v)}`);
};
export const oneOf =
  (...allowed: string[]): Check =>
  (v, p, out) => {
    if (typeof v !== "string" || !allowed.includes(v)) {
      out.push(`${p} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${describe(v)}`);
    }
  };
export const stringArray: Check = (v, p, out) => {
  if (!Array.isArray(v)) return void out.push(`${p} must be an array of strings, got ${describe(v)}`);
  for (const [i, s] of v.entries()) str(s, `${p}[${i}]`, out);
};
export const params: Check = (v, p, out) => {
  if (!isObject(v)) return void out.push(`${p} must be an object, got ${describe(v)}`);
  for (const [k, x] of Object.entries(v)) {
    const ok =
      typeof x === "string" || typeof x === "boolean" || (typeof x === "number" && Number.isFinite(x));
    if (!ok) out.push(`${p}.${k} must be a string, a finite number or a boolean, got ${describe(x)}`);
  }
};

export function object(shape: Record<string, Check>): Check {
  return (v, p, out) => {
    if (!isObject(v)) return void out.push(`${p} must be an object, got ${describe(v)}`);
    for (const [key, check] of Object.entries(shape)) {
      if (!(key in v)) out.push(`${p}.${key} is missing`);
      else check(v[key], `${p}.${key}`, out);
    }
  };
}

export const minMedMax =
  (lo: string, mid: string, hi: string): Check =>
  (v, p, out) => {
    if (!isObject(v)) return;
    const a = v[lo];
    const b = v[mid];
    const c = v[hi];
    if (typeof a === "number" && typeof b === "number" && typeof c === "number" && !(a <= b && b <= c)) {
      out.push(`${p} must have ${lo} <= ${mid} <= ${hi}, got ${a}, ${b}, ${c}`);
    }
  };

export const all =
  (...checks: Check[]): Check =>
  (v, p, out) => {
    for (const c of checks) c(v, p, out);
  };

export const arrayOf =
  (item: Check, uniqueKey?: string): Check =>
  (v, p, out) => {
    if (!Array.isArray(v)) return void out.push(`${p} must be an array, got ${describe(v)}`);
    const seen = new Set<unknown>();
    v.forEach((x, i) => {
      item(x, `${p}[${i}]`, out);
      if (uniqueKey && isObject(x)) {
        const key = x[uniqueKey];
        if (seen.has(key)) out.push(`${p}[${i}].${uniqueKey} ${describe(key)} is not unique`);
        seen.add(key);
      }
    });
  };
