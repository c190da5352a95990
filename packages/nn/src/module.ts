import type { Shape, Tensor } from "@quantkit/tensor";
import type { NamedBuffer, Parameter } from "./parameter";

/** Runs before `forward` (through {@link Module.call}); returning a tensor replaces the input. */
export type ForwardPreHook = (module: Module, input: Tensor) => Tensor | undefined;
/** Runs after `forward` (through {@link Module.call}); returning a tensor replaces the output. */
export type ForwardHook = (module: Module, input: Tensor, output: Tensor) => Tensor | undefined;

/** What a `register…Hook` call returns: `remove()` takes the hook off again. */
export interface HookHandle {
  remove(): void;
}

/**
 * The base of every layer: a plain class with `forward` and `backward` on Float32Array, its
 * `parameters()`, its named children, train/eval modes and forward hooks (PyTorch's `nn.Module`,
 * without autograd).
 *
 * - `forward(x, shape)` computes the output (a new array, or a view where noted) and remembers what
 *   `backward` needs (references to its inputs; do not overwrite them before `backward`).
 * - `backward(gradOut, needInputGrad = true)` takes dLoss/dOutput for the last forward, adds
 *   dLoss/dParameter into each parameter's `grad` (it accumulates, as in PyTorch: call `zeroGrad()`
 *   between steps) and returns dLoss/dInput (or an empty array when `needInputGrad` is false and the
 *   layer can skip it).
 * - `call(x, shape)` is `forward` with the hooks, what containers use (PyTorch's `module(x)`).
 *
 * @example
 * class Scale extends Module {
 *   constructor(readonly factor: number) { super(); }
 *   forward(x: Float32Array, shape: Shape) { return { data: x.map((v) => v * this.factor), shape }; }
 *   backward(g: Float32Array) { return g.map((v) => v * this.factor); }
 * }
 * new Scale(2).forward(new Float32Array([1, 2]), [2]).data // Float32Array [2, 4]
 */
export abstract class Module {
  /** Training (true) or evaluation (false) mode; see {@link Module.train}. */
  training = true;
  private preHooks: ForwardPreHook[] = [];
  private hooks: ForwardHook[] = [];

  /** The output for input `x` of shape `shape`. */
  abstract forward(x: Float32Array, shape: Shape): Tensor;
  /**
   * dLoss/dInput from dLoss/dOutput of the last `forward`; accumulates parameter gradients. With
   * `needInputGrad` false (the model's input needs no gradient: `fit` passes it) a layer may skip
   * computing dLoss/dInput and return an empty array; the parameter gradients are still accumulated.
   */
  abstract backward(gradOut: Float32Array, needInputGrad?: boolean): Float32Array;

  /** This module's own parameters with local names (children's excluded). Layers override it. */
  ownParameters(): Parameter[] {
    return [];
  }

  /** This module's own buffers with local names. Layers with running state override it. */
  ownBuffers(): NamedBuffer[] {
    return [];
  }

  /** Direct children with their names, in order. Containers override it. */
  children(): ReadonlyArray<readonly [string, Module]> {
    return [];
  }

  /**
   * Every parameter of this module and its descendants, named with dotted paths ("fc1.weight") like
   * PyTorch's `named_parameters()`. The objects are fresh but share the `data` and `grad` arrays.
   */
  parameters(): Parameter[] {
    const out: Parameter[] = [];
    // A module reached twice (shared weights) contributes once, under its first name, as in PyTorch.
    const seen = new Set<Float32Array>();
    for (const [path, m] of this.namedModules()) {
      const prefix = path === "" ? "" : `${path}.`;
      for (const p of m.ownParameters()) {
        if (seen.has(p.data)) continue;
        seen.add(p.data);
        out.push({ name: prefix + p.name, data: p.data, grad: p.grad, shape: p.shape });
      }
    }
    return out;
  }

  /** Every buffer, named with dotted paths ("bn1.running_mean"). */
  buffers(): NamedBuffer[] {
    const out: NamedBuffer[] = [];
    for (const [path, m] of this.namedModules()) {
      const prefix = path === "" ? "" : `${path}.`;
      for (const b of m.ownBuffers()) out.push({ ...b, name: prefix + b.name } as NamedBuffer);
    }
    return out;
  }

  /** This module (named "") and every descendant with its dotted path, depth first, like PyTorch's `named_modules()`. */
  namedModules(prefix = ""): Array<[string, Module]> {
    const out: Array<[string, Module]> = [[prefix, this]];
    for (const [name, child] of this.children()) {
      out.push(...child.namedModules(prefix === "" ? name : `${prefix}.${name}`));
    }
    return out;
  }

  /** The descendant at a dotted path ("block.conv"); "" is this module. Throws naming the missing part. */
  getSubmodule(path: string): Module {
    if (path === "") return this;
    let m: Module = this;
    for (const part of path.split(".")) {
      const next = m.children().find(([n]) => n === part);
      if (next === undefined) {
        const names = m.children().map(([n]) => n);
        throw new RangeError(`no submodule "${part}" in "${path}"; children are [${names.join(", ")}]`);
      }
      m = next[1];
    }
    return m;
  }

  /**
   * Replaces the descendant at a dotted path with `module` (PyTorch's `set_submodule`): how PTQ and
   * QAT swap a Linear for an observed or fake-quantized one. The parent must be a container.
   */
  setSubmodule(path: string, module: Module): void {
    const dot = path.lastIndexOf(".");
    const parent = this.getSubmodule(dot < 0 ? "" : path.slice(0, dot));
    parent.replaceChild(dot < 0 ? path : path.slice(dot + 1), module);
  }

  /** Replaces a direct child; containers implement it. */
  replaceChild(name: string, _module: Module): void {
    throw new TypeError(`${this.constructor.name} has no child "${name}" to replace: it is not a container`);
  }

  /** Sets training mode on this module and every descendant (BatchNorm uses batch statistics when training). */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode on this module and every descendant: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Zeroes every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad.fill(0);
  }

  /** `forward` with the registered hooks: pre-hooks, forward, then forward hooks, in registration order. */
  call(x: Float32Array, shape: Shape): Tensor {
    let input: Tensor = { data: x, shape };
    for (const hook of this.preHooks) input = hook(this, input) ?? input;
    let output = this.forward(input.data, input.shape);
    for (const hook of this.hooks) output = hook(this, input, output) ?? output;
    return output;
  }

  /**
   * Registers `hook(module, input)` to run before every {@link Module.call} (PyTorch's
   * `register_forward_pre_hook`): a PTQ input observer, say.
   */
  registerForwardPreHook(hook: ForwardPreHook): HookHandle {
    this.preHooks.push(hook);
    return { remove: () => void (this.preHooks = this.preHooks.filter((h) => h !== hook)) };
  }

  /**
   * Registers `hook(module, input, output)` to run after every {@link Module.call} (PyTorch's
   * `register_forward_hook`): how PTQ observes each layer's output without touching the model. A hook
   * that returns a tensor replaces the output; `backward` does not see hooks, so a hook that changes
   * values should be a module in the model instead when gradients matter.
   */
  registerForwardHook(hook: ForwardHook): HookHandle {
    this.hooks.push(hook);
    return { remove: () => void (this.hooks = this.hooks.filter((h) => h !== hook)) };
  }

  /** The constructor arguments shown by `toString()`, e.g. "in_features=784, out_features=100, bias=True". */
  extraRepr(): string {
    return "";
  }

  /** PyTorch's module print-out: the name, `extraRepr()`, and each child indented. */
  toString(): string {
    const children = this.children();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})`;
    const lines = children.map(([name, child]) => `  (${name}): ${child.toString().replace(/\n/g, "\n  ")}`);
    return `${head}\n${lines.join("\n")}\n)`;
  }
}

/** The error for `backward` before `forward`. */
export function _noForward(module: Module): Error {
  return new Error(`${module.constructor.name}.backward called before forward`);
}

/** Checks a gradient's length against the last forward output's. */
export function _checkGrad(module: Module, gradOut: Float32Array, expected: number): void {
  if (!(gradOut instanceof Float32Array)) {
    throw new TypeError(`${module.constructor.name}.backward: gradOut must be a Float32Array`);
  }
  if (gradOut.length !== expected) {
    throw new RangeError(
      `${module.constructor.name}.backward: gradOut has ${gradOut.length} elements but the last output had ${expected}`,
    );
  }
}

/** Checks the input of a forward: a Float32Array whose length fits the shape. */
export function _checkInput(module: Module, x: Float32Array, shape: Shape): number {
  if (!(x instanceof Float32Array)) {
    throw new TypeError(
      `${module.constructor.name}.forward: x must be a Float32Array, got ${Object.prototype.toString.call(x)}`,
    );
  }
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${module.constructor.name}.forward: bad shape [${shape.join(", ")}]`);
    }
    n *= d;
  }
  if (n !== x.length) {
    throw new RangeError(
      `${module.constructor.name}.forward: x has ${x.length} elements but shape [${shape.join(", ")}] needs ${n}`,
    );
  }
  return n;
}
