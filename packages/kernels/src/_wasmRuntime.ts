import { _WASM_PLAIN_BASE64, _WASM_SHARED_BASE64 } from "./_wasmBytes";

/**
 * The operands of a GEMM on packed panels (byte offsets and strides): C [mPanels x 4 rows, nPanels x 8
 * columns], row stride ldc bytes, = packed A x packed B over `steps` steps (int16 k-pairs or f32 k's).
 */
export type _PanelGemmArgs = [
  a: number,
  aStride: number,
  b: number,
  bStride: number,
  c: number,
  ldc: number,
  mPanels: number,
  nPanels: number,
  steps: number,
];

/** A GEMM export: C stored, or added to when `accum` is 1. */
export type _WasmGemm = (...args: [..._PanelGemmArgs, accum: number]) => void;

/** The functions of the SIMD module (scripts/wasm*.ts document each; every pointer is a byte offset). */
export interface _WasmExports {
  gemm_s16: _WasmGemm;
  gemm_f32: _WasmGemm;
  pack_a_s8(src: number, lda: number, m: number, k: number, zp: number, padRow: number, dst: number): void;
  pack_a_u8(src: number, lda: number, m: number, k: number, zp: number, padRow: number, dst: number): void;
  pack_b_s8(src: number, ldb: number, k: number, n: number, zp: number, dst: number): void;
  pack_b_u8(src: number, ldb: number, k: number, n: number, zp: number, dst: number): void;
  pack_bt_s8(src: number, ldb: number, k: number, n: number, zp: number, dst: number): void;
  pack_bt_u8(src: number, ldb: number, k: number, n: number, zp: number, dst: number): void;
  pack_a_f32(src: number, lda: number, m: number, k: number, padRow: number, dst: number): void;
  pack_b_f32(src: number, ldb: number, k: number, n: number, dst: number): void;
  pack_bt_f32(src: number, ldb: number, k: number, n: number, dst: number): void;
  requant(
    c: number,
    ldc: number,
    m: number,
    n: number,
    bias: number,
    mult: number,
    shift: number,
    perChannel: number,
    byRow: number,
    zp: number,
    qmin: number,
    qmax: number,
    out: number,
    ldo: number,
  ): void;
  bias_f32(c: number, ldc: number, m: number, n4: number, bias: number, byRow: number): void;
  compact_rows(c: number, ldc: number, m: number, rowBytes: number): void;
}

const PAGE = 65536;
const MAX_PAGES = 65536;
/** Alignment of every block: a cache line, so that panels never straddle one needlessly. */
const ALIGN = 64;

const align = (x: number) => Math.ceil(x / ALIGN) * ALIGN;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const modules: { plain?: WebAssembly.Module | null; shared?: WebAssembly.Module | null } = {};

/**
 * The compiled SIMD module (synchronously, once), or null where WebAssembly SIMD is missing (the
 * module does not validate) or synchronous compilation is refused (a browser's main thread may refuse
 * large modules: call {@link _compileWasmAsync} first there).
 */
export function _wasmModule(shared: boolean): WebAssembly.Module | null {
  const key = shared ? "shared" : "plain";
  const cached = modules[key];
  if (cached !== undefined) return cached;
  let compiled: WebAssembly.Module | null = null;
  try {
    if (typeof WebAssembly === "object") {
      const bytes = decodeBase64(shared ? _WASM_SHARED_BASE64 : _WASM_PLAIN_BASE64);
      if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
    }
  } catch {
    compiled = null;
  }
  modules[key] = compiled;
  return compiled;
}

/** Compiles the plain module asynchronously (for browser main threads) and caches it. */
export async function _compileWasmAsync(): Promise<boolean> {
  if (modules.plain) return true;
  try {
    const bytes = decodeBase64(_WASM_PLAIN_BASE64);
    if (typeof WebAssembly !== "object" || !WebAssembly.validate(bytes)) return false;
    modules.plain = await WebAssembly.compile(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A bump allocator over the scratch region of one call (valid until the next call on the runtime). */
export class _Arena {
  end: number;
  constructor(base: number) {
    this.end = base;
  }
  /** Reserves `bytes` plus 64 bytes of readable slack (the packers may read a vector past the end). */
  take(bytes: number): number {
    const p = this.end;
    this.end = align(p + bytes + ALIGN);
    return p;
  }
}

/**
 * One instance of the SIMD module with its memory, the views on it, and two regions: resident blocks
 * at the bottom (packed weights of prepared layers, kept across calls, freed when their layer is
 * garbage-collected) and, above them, the scratch arena of the current call.
 */
export class _WasmRuntime {
  readonly memory: WebAssembly.Memory;
  readonly x: _WasmExports;
  u8!: Uint8Array;
  i16!: Int16Array;
  i32!: Int32Array;
  f32!: Float32Array;
  private buffer: ArrayBufferLike | null = null;
  private top = ALIGN; // address 0 is never handed out: it stands for "no bias" in requant
  private readonly freeBlocks: { ptr: number; size: number }[] = [];
  private readonly residents = new WeakMap<object, number[]>();
  private readonly registry = new FinalizationRegistry<{ ptr: number; size: number }>((block) =>
    this.release(block.ptr, block.size),
  );

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory) {
    this.memory = memory;
    this.x = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as _WasmExports;
    this.refreshViews();
  }

  /** A runtime with its own memory (plain, or shared for worker threads). Null without SIMD. */
  static create(shared = false): _WasmRuntime | null {
    const module = _wasmModule(shared);
    if (!module) return null;
    try {
      const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared });
      return new _WasmRuntime(module, memory);
    } catch {
      return null; // e.g. a shared memory outside a cross-origin isolated page
    }
  }

  private refreshViews(): void {
    const buffer = this.memory.buffer;
    if (buffer === this.buffer) return;
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer);
    this.i16 = new Int16Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f32 = new Float32Array(buffer);
  }

  /** Grows the memory so that bytes [0, end) exist, and refreshes the views. */
  ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) {
        throw new RangeError(
          `the WebAssembly kernels need ${end} bytes of memory, past the 4 GiB of wasm32; use createCpuKernels({ simd: false }) for this size`,
        );
      }
      this.memory.grow(pages);
    }
    this.refreshViews();
  }

  /** The scratch arena of a call, starting above the resident blocks. */
  arena(): _Arena {
    return new _Arena(align(this.top));
  }

  /**
   * Copies `parts` into one resident block the first time `key` is seen and returns each part's
   * address; later calls with the same key return the same addresses without copying.
   */
  resident(key: object, parts: readonly ArrayBufferView[]): number[] {
    const known = this.residents.get(key);
    if (known) return known;
    let size = 0;
    for (const p of parts) size += align(p.byteLength + ALIGN);
    const base = this.alloc(size);
    const ptrs: number[] = [];
    let at = base;
    for (const p of parts) {
      this.u8.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
      ptrs.push(at);
      at += align(p.byteLength + ALIGN);
    }
    this.residents.set(key, ptrs);
    this.registry.register(key, { ptr: base, size });
    return ptrs;
  }

  private alloc(size: number): number {
    for (let i = 0; i < this.freeBlocks.length; i++) {
      const block = this.freeBlocks[i]!;
      if (block.size >= size) {
        const ptr = block.ptr;
        if (block.size === size) this.freeBlocks.splice(i, 1);
        else {
          block.ptr += size;
          block.size -= size;
        }
        return ptr;
      }
    }
    const ptr = this.top;
    this.top += size;
    this.ensure(this.top);
    return ptr;
  }

  private release(ptr: number, size: number): void {
    this.freeBlocks.push({ ptr, size });
    this.freeBlocks.sort((p, q) => p.ptr - q.ptr);
    // Coalesce neighbours, then give a free block that ends at the top back to the scratch region.
    for (let i = this.freeBlocks.length - 1; i > 0; i--) {
      const prev = this.freeBlocks[i - 1]!;
      const cur = this.freeBlocks[i]!;
      if (prev.ptr + prev.size === cur.ptr) {
        prev.size += cur.size;
        this.freeBlocks.splice(i, 1);
      }
    }
    const last = this.freeBlocks[this.freeBlocks.length - 1];
    if (last && last.ptr + last.size === this.top) {
      this.top = last.ptr;
      this.freeBlocks.pop();
    }
  }
}
