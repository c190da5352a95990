import type { Shape, Tensor } from "@quantkit/tensor";
import { Module } from "./module";

/** What {@link Sequential} accepts: named children in order, or bare modules (named "0", "1", ...). */
export type SequentialChildren =
  | ReadonlyArray<readonly [string, Module]>
  | Record<string, Module>
  | readonly Module[];

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$|^[0-9]+$/;

/**
 * Named children run in order (PyTorch's `nn.Sequential` with an `OrderedDict`): `forward` chains
 * them through {@link Module.call} (so their hooks run), `backward` runs them in reverse. Children
 * can be looked up, replaced, inserted and removed by name, which is how PTQ inserts observers after
 * layers and QAT swaps a Linear for a fake-quantized one, without patching any method.
 *
 * @example
 * const model = new Sequential([
 *   ["fc1", new Linear(784, 100)],
 *   ["relu1", new ReLU()],
 *   ["fc2", new Linear(100, 10)],
 * ]);
 * model.get("fc1")                    // the first Linear
 * model.insertAfter("fc1", "obs1", observer);
 * model.set("fc2", new Linear(100, 10, { seed: 1 }));
 */
export class Sequential extends Module {
  private entries: Array<[string, Module]>;

  constructor(children: SequentialChildren = []) {
    super();
    const list: ReadonlyArray<readonly [string, Module]> = Array.isArray(children)
      ? children.map((c, i) =>
          c instanceof Module ? ([String(i), c] as const) : (c as readonly [string, Module]),
        )
      : Object.entries(children as Record<string, Module>);
    this.entries = [];
    for (const [name, module] of list) this.append(name, module);
  }

  override children(): ReadonlyArray<readonly [string, Module]> {
    return this.entries;
  }

  /** The number of children. */
  get length(): number {
    return this.entries.length;
  }

  /** The children's names, in order. */
  names(): string[] {
    return this.entries.map(([n]) => n);
  }

  /** Whether a child of that name exists. */
  has(name: string): boolean {
    return this.indexOf(name) >= 0;
  }

  /** The child of that name; throws a RangeError listing the names when absent. */
  get(name: string): Module {
    return this.entries[this.mustFind(name)]![1];
  }

  /** Replaces the child of that name, keeping its position. */
  set(name: string, module: Module): this {
    this.checkModule(module);
    this.entries[this.mustFind(name)]![1] = module;
    return this;
  }

  override replaceChild(name: string, module: Module): void {
    this.set(name, module);
  }

  /** Adds a child at the end. */
  append(name: string, module: Module): this {
    return this.insertAt(this.entries.length, name, module);
  }

  /** Inserts a child right after the child `after` (e.g. an observer after a layer). */
  insertAfter(after: string, name: string, module: Module): this {
    return this.insertAt(this.mustFind(after) + 1, name, module);
  }

  /** Inserts a child right before the child `before` (e.g. a QuantStub before the first layer). */
  insertBefore(before: string, name: string, module: Module): this {
    return this.insertAt(this.mustFind(before), name, module);
  }

  /** Removes the child of that name and returns it. */
  remove(name: string): Module {
    const [entry] = this.entries.splice(this.mustFind(name), 1);
    return entry![1];
  }

  forward(x: Float32Array, shape: Shape): Tensor {
    let y: Tensor = { data: x, shape };
    for (const [, m] of this.entries) y = m.call(y.data, y.shape);
    return y;
  }

  backward(gradOut: Float32Array, needInputGrad = true): Float32Array {
    // Without an input gradient, the children before the first one with parameters need no backward
    // at all, and that one needs no input gradient.
    const first = needInputGrad ? -1 : this.entries.findIndex(([, m]) => m.parameters().length > 0);
    let g = gradOut;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (!needInputGrad && i <= first - 1) return new Float32Array(0);
      g = this.entries[i]![1].backward(g, needInputGrad || i > first);
    }
    return needInputGrad || first >= 0 ? g : new Float32Array(0);
  }

  private insertAt(index: number, name: string, module: Module): this {
    if (typeof name !== "string" || !NAME.test(name)) {
      throw new RangeError(
        `child name must be an identifier or an index (no dots), got ${JSON.stringify(name)}`,
      );
    }
    if (this.has(name))
      throw new RangeError(
        `a child named "${name}" already exists; use set("${name}", module) to replace it`,
      );
    this.checkModule(module);
    this.entries.splice(index, 0, [name, module]);
    return this;
  }

  private checkModule(module: Module): void {
    if (!(module instanceof Module)) {
      throw new TypeError(`a child must be a Module, got ${Object.prototype.toString.call(module)}`);
    }
    if (module === this || module.namedModules().some(([, m]) => m === this)) {
      throw new RangeError("a Sequential cannot contain itself");
    }
  }

  private indexOf(name: string): number {
    return this.entries.findIndex(([n]) => n === name);
  }

  private mustFind(name: string): number {
    const i = this.indexOf(name);
    if (i < 0) throw new RangeError(`no child named "${name}"; children are [${this.names().join(", ")}]`);
    return i;
  }
}

/**
 * The modules a (nested) Sequential runs, in order, with their dotted paths: Sequentials are walked
 * into, any other module is a leaf (a model that is not a Sequential is its own only leaf, path "").
 *
 * @example
 * sequentialLeaves(new Sequential([["fc1", new Linear(4, 2)], ["act", new Sequential([["relu", new ReLU()]])]]))
 *   .map(([path]) => path) // ["fc1", "act.relu"]
 */
export function sequentialLeaves(model: Module, prefix = ""): Array<[string, Module]> {
  if (!(model instanceof Sequential)) return [[prefix, model]];
  const out: Array<[string, Module]> = [];
  for (const [name, child] of model.children())
    out.push(...sequentialLeaves(child, prefix === "" ? name : `${prefix}.${name}`));
  return out;
}
