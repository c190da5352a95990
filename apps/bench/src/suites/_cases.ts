import type { SuiteContext } from "../context";
import type { Params, Timing, TimingRole } from "../schema";

/**
 * The fields {@link caseTiming} reads of a case a package's bench function returns (each package chose
 * its own result type; these are the names they share): a name, median / min / max ms, and the
 * kernel or backend that ran.
 */
export interface PackageCase {
  name?: unknown;
  medianMs?: unknown;
  minMs?: unknown;
  maxMs?: unknown;
  backend?: unknown;
  kernel?: unknown;
}

const num = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);

/** A timing id made from a readable name: lower case, spaces and odd characters to "-". */
export const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9.+]+/g, "-")
    .replace(/^-|-$/g, "");

/**
 * Converts a package's case to a result-file timing, or null when it lacks a time. `op` defaults to the
 * case name without a trailing "(JS kernel)"-style qualifier (the backend field says which kernel ran).
 */
export function caseTiming(
  c: PackageCase,
  spec: {
    id: string;
    op?: string;
    impl: string;
    /** Whose the code is to the reader: quantkit's, a peer library's, or a baseline's (see schema). */
    role: TimingRole;
    size: number;
    sizeUnit: string;
    throughput?: { unit: string; per: number } | null;
    backend?: string;
    shape?: string | null;
    params?: Params;
    samples?: number;
  },
): Timing | null {
  const medianMs = num(c.medianMs);
  if (medianMs === null || medianMs <= 0) return null;
  const minMs = num(c.minMs) ?? medianMs;
  const maxMs = num(c.maxMs) ?? medianMs;
  const name = String(c.name ?? spec.id);
  const backend = spec.backend ?? String(c.backend ?? c.kernel ?? "js");
  const tp = spec.throughput === undefined ? { unit: "Melem/s", per: 1e6 } : spec.throughput;
  return {
    id: spec.id,
    op: spec.op ?? name.replace(/\s*\((js|JS|wasm|WebAssembly)[^)]*\)\s*$/, ""),
    impl: spec.impl,
    role: spec.role,
    backend,
    size: spec.size,
    sizeUnit: spec.sizeUnit,
    shape: spec.shape ?? null,
    params: { ...spec.params, case: name },
    samples: spec.samples ?? 1,
    iterationsPerSample: 1,
    medianMs,
    minMs: Math.min(minMs, medianMs),
    maxMs: Math.max(maxMs, medianMs),
    throughput: tp
      ? {
          unit: tp.unit,
          median: spec.size / (medianMs / 1000) / tp.per,
          min: spec.size / (Math.max(maxMs, medianMs) / 1000) / tp.per,
          max: spec.size / (Math.min(minMs, medianMs) / 1000) / tp.per,
        }
      : null,
  };
}

/** Adds `timing` unless the suite already has one of that id (the paired re-measurement wins). */
export function addUnlessMeasured(ctx: SuiteContext, timing: Timing | null): void {
  if (timing && !ctx.timings.some((t) => t.id === timing.id)) ctx.addTiming(timing);
}
