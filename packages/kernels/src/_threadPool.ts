import { _blockedGemm, type _GemmCall, type _GemmRunner, _KC_STEPS, _MC_PANELS } from "./_wasmEngine";
import type { _WasmRuntime } from "./_wasmRuntime";

/**
 * Worker threads that run slices of the WebAssembly GEMM on the runtime's shared memory. The calls stay
 * synchronous: the main thread writes the job into a shared control block, wakes the workers with
 * Atomics.notify, runs its own slice, then Atomics.waits for the others (Node allows that on the main
 * thread). Work is split by 8-column panels of C, so threads share A read-only and never write the
 * same bytes. Workers are unref'd: they do not keep a process alive.
 */

// Control block (Int32Array): [0] generation, [1] workers done, [2] stop, [3..11] job,
// [16 + 2w, 17 + 2w] slice of worker w, [READY + w] 1 once worker w has instantiated the module (-1: failed).
const JOB = 3;
const SLICES = 16;
const READY = 272;
const MAX_WORKERS = 128;

/**
 * The worker's slice of _blockedGemm (panels n0..n1 of C), with its blocking constants. It is source text
 * for an eval'd worker, so it cannot import the function itself; the tests check that both give the same C.
 */
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, control, index } = workerData;
const ctl = new Int32Array(control);
let x;
try {
  x = new WebAssembly.Instance(module, { env: { memory } }).exports;
  Atomics.store(ctl, ${READY} + index, 1);
} catch (error) {
  Atomics.store(ctl, ${READY} + index, -1);
  throw error;
} finally {
  Atomics.notify(ctl, ${READY} + index);
}
const KC_STEPS = ${_KC_STEPS}, MC_PANELS = ${_MC_PANELS};
let gen = 0;
for (;;) {
  Atomics.wait(ctl, 0, gen);
  gen = Atomics.load(ctl, 0);
  if (Atomics.load(ctl, 2) !== 0) break;
  const kind = ctl[${JOB}], a = ctl[${JOB + 1}] >>> 0, aStride = ctl[${JOB + 2}], b = ctl[${JOB + 3}] >>> 0, bStride = ctl[${JOB + 4}];
  const c = ctl[${JOB + 5}] >>> 0, ldc = ctl[${JOB + 6}], mPanels = ctl[${JOB + 7}], steps = ctl[${JOB + 8}];
  const n0 = ctl[${SLICES} + 2 * index], n1 = ctl[${SLICES + 1} + 2 * index];
  const kernel = kind === 0 ? x.gemm_s16 : x.gemm_f32;
  if (n1 > n0) {
    for (let s0 = 0; s0 < steps; s0 += KC_STEPS) {
      const ks = Math.min(KC_STEPS, steps - s0);
      for (let ip = 0; ip < mPanels; ip += MC_PANELS) {
        kernel(a + ip * aStride + s0 * 16, aStride, b + n0 * bStride + s0 * 32, bStride, c + ip * 4 * ldc + n0 * 32, ldc,
          Math.min(MC_PANELS, mPanels - ip), n1 - n0, ks, s0 > 0 ? 1 : 0);
      }
    }
  }
  Atomics.add(ctl, 1, 1);
  Atomics.notify(ctl, 1);
}
`;

/** Below this many multiply-accumulates a GEMM runs on the calling thread alone (waking workers costs ~50 us). */
const MIN_PARALLEL_MACS = 1 << 21;

interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
}

type WorkerConstructor = new (source: string, options: { eval: boolean; workerData: unknown }) => WorkerLike;

/** node:worker_threads' Worker where the runtime has it (Node >= 20.16), else null. */
function workerConstructor(): WorkerConstructor | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.("node:worker_threads") as { Worker?: WorkerConstructor } | undefined;
  return mod?.Worker ?? null;
}

/** A pool of `threads - 1` workers plus the calling thread, or null where worker threads are missing. */
export class _ThreadPool implements _GemmRunner {
  readonly threads: number;
  /** The calling thread's GEMM: all of a small one, slice 0 of a parallel one. */
  private readonly blocked: _GemmCall;
  private readonly ctl: Int32Array;
  private readonly workers: WorkerLike[] = [];
  /** null until every worker has reported; false when one failed to start (then the caller runs alone). */
  private ready: boolean | null = null;

  private constructor(
    rt: _WasmRuntime,
    module: WebAssembly.Module,
    threads: number,
    Worker: WorkerConstructor,
  ) {
    this.blocked = _blockedGemm(rt);
    this.threads = threads;
    const control = new SharedArrayBuffer((READY + MAX_WORKERS) * 4);
    this.ctl = new Int32Array(control);
    for (let index = 0; index < threads - 1; index++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory: rt.memory, control, index },
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Whether worker threads and shared memory exist here (Node >= 20.16; not browsers' window threads). */
  static supported(): boolean {
    return workerConstructor() !== null && typeof SharedArrayBuffer === "function";
  }

  /** A pool over a runtime with shared memory, or null where Worker or SharedArrayBuffer is missing. */
  static create(rt: _WasmRuntime, module: WebAssembly.Module, threads: number): _ThreadPool | null {
    const Worker = workerConstructor();
    if (!Worker || typeof SharedArrayBuffer !== "function" || threads < 2) return null;
    return new _ThreadPool(rt, module, Math.min(threads, MAX_WORKERS + 1), Worker);
  }

  readonly run: _GemmCall = (kind, a, aStride, b, bStride, c, ldc, mPanels, nPanels, steps) => {
    const macs = mPanels * 4 * nPanels * 8 * steps * (kind === "s16" ? 2 : 1);
    if (macs < MIN_PARALLEL_MACS || nPanels < 2 || this.workers.length === 0 || !this.awaitWorkers()) {
      this.blocked(kind, a, aStride, b, bStride, c, ldc, mPanels, nPanels, steps);
      return;
    }
    const ctl = this.ctl;
    const parts = Math.min(this.threads, nPanels);
    // Slice 0 is the calling thread's; worker w takes slice w + 1 (empty when there are fewer panels).
    const bounds = (t: number) => Math.round((t * nPanels) / parts);
    ctl[JOB] = kind === "s16" ? 0 : 1;
    ctl[JOB + 1] = a;
    ctl[JOB + 2] = aStride;
    ctl[JOB + 3] = b;
    ctl[JOB + 4] = bStride;
    ctl[JOB + 5] = c;
    ctl[JOB + 6] = ldc;
    ctl[JOB + 7] = mPanels;
    ctl[JOB + 8] = steps;
    for (let w = 0; w < this.workers.length; w++) {
      const t = w + 1;
      ctl[SLICES + 2 * w] = t < parts ? bounds(t) : 0;
      ctl[SLICES + 2 * w + 1] = t < parts ? bounds(t + 1) : 0;
    }
    Atomics.store(ctl, 1, 0);
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    const mine = bounds(1);
    this.blocked(kind, a, aStride, b, bStride, c, ldc, mPanels, mine, steps);
    for (;;) {
      const done = Atomics.load(ctl, 1);
      if (done >= this.workers.length) break;
      Atomics.wait(ctl, 1, done, 1000);
    }
  };

  /**
   * Blocks until every worker has instantiated the module (the first call only; ~80 ms on Node 20),
   * so that a job is never handed to a worker that cannot run it. False if one failed.
   */
  private awaitWorkers(): boolean {
    if (this.ready !== null) return this.ready;
    let ok = true;
    for (let w = 0; w < this.workers.length; w++) {
      const deadline = Date.now() + 30_000;
      while (Atomics.load(this.ctl, READY + w) === 0 && Date.now() < deadline)
        Atomics.wait(this.ctl, READY + w, 0, 100);
      if (Atomics.load(this.ctl, READY + w) !== 1) ok = false;
    }
    this.ready = ok;
    return ok;
  }

  /** Stops the workers. */
  async dispose(): Promise<void> {
    Atomics.store(this.ctl, 2, 1);
    Atomics.add(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
