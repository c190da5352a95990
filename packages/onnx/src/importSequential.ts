import { Conv2d, Linear, type Module, Sequential } from "@quantkit/nn";
import { _checkOptions, _show } from "./_errors";
import type { ModelProto, NodeProto, TensorProto } from "./_gen/onnx_pb";
import {
  _batchNorm,
  _channelVector,
  _conv,
  _flatten,
  _gemm,
  _matMul,
  _maxPool,
  type _NodeContext,
  _relu,
  _reshape,
} from "./_importLayers";
import { getAttribute } from "./attribute";
import { constantTensor } from "./constantTensor";
import { _typeOf } from "./valueInfo";

/** Options of {@link importSequential}. */
export interface ImportSequentialOptions {
  /**
   * One sample's input shape (`[1, 28, 28]`), when the graph input's dimensions after the batch are not
   * all fixed numbers; it must agree with those that are. Without a known shape, Reshape nodes that
   * need the feature count are refused.
   */
  inputShape?: readonly number[];
}

/** The ops importSequential takes, for its error messages. */
const SUPPORTED =
  "Gemm, MatMul (by a constant, + Add of a bias), Conv (2-D, + Add of a bias), BatchNormalization, Relu, MaxPool, Flatten (axis 1), Reshape (to [batch, features]), Identity, Dropout";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$|^[0-9]+$/;

/** A child name for a node: the weight's module path ("conv1.weight" -> "conv1"), else the node's scope ("/relu1/Relu" -> "relu1"). */
function _childName(node: NodeProto, taken: Set<string>): string {
  const weight = node.input[1];
  const candidates: string[] = [];
  if (weight?.endsWith(".weight")) candidates.push(weight.slice(0, -".weight".length));
  const parts = node.name.split("/").filter((p) => p !== "");
  if (parts.length > 1) candidates.push(parts.slice(0, -1).join("_"));
  else if (parts.length === 1) candidates.push(parts[0]!);
  for (const raw of candidates) {
    const name = raw.replace(/[^A-Za-z0-9_]/g, "_");
    if (NAME.test(name) && !taken.has(name)) return name;
  }
  const base = node.opType.toLowerCase();
  let i = 0;
  while (taken.has(`${base}${i}`)) i++;
  return `${base}${i}`;
}

/**
 * Reads a float ONNX model whose graph is a chain of supported nodes (one input, one output, every node
 * reading the previous node's output and constants) into an @quantkit/nn {@link Sequential}, ready for
 * quantization-aware training (`prepareQat` of @quantkit/qat) or PTQ: Gemm (transA 0, transB 0/1,
 * alpha, beta) and MatMul by a constant [in, out] become `Linear` (an `Add` of a per-channel constant
 * right after becomes its bias), Conv (2-D, symmetric pads, strides, dilations, groups) `Conv2d` (an
 * Add after it too), BatchNormalization `BatchNorm2d` with the running statistics (prepare/prepareQat
 * fold it into the Conv before it), Relu `ReLU`, MaxPool `MaxPool2d`, Flatten (axis 1) and a Reshape
 * to [batch, features] `Flatten`; Identity and Dropout (inference) disappear. Children are named after
 * the weights (PyTorch's `conv1.weight` gives "conv1") or the node's scope (`/relu1/Relu` gives
 * "relu1"), so a PyTorch state dict's names carry over. The model comes back in eval mode.
 *
 * Errors name the node, its op and what is supported: an unsupported op, a weight that is not a
 * constant, asymmetric pads, a graph that branches or has more than one input or output.
 *
 * @example
 * import { readFileSync } from "node:fs";
 * import { readModel } from "@quantkit/onnx";
 * import { importSequential } from "@quantkit/onnx/nn";
 * const model = importSequential(readModel(readFileSync("fixtures/fashion-cnn/model.onnx")));
 * model.names(); // ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc"]
 * model.forward(new Float32Array(2 * 784), [2, 1, 28, 28]).shape; // [2, 10]
 */
export function importSequential(model: ModelProto, options?: ImportSequentialOptions): Sequential {
  _checkOptions("importSequential", options, ["inputShape"]);
  const graph = model?.graph;
  if (graph === undefined)
    throw new TypeError(`importSequential: model must be a ModelProto with a graph, got ${_show(model)}`);
  const constants = new Map<string, TensorProto>();
  for (const t of graph.initializer) constants.set(t.name, t);
  const computed: NodeProto[] = [];
  for (const node of graph.node) {
    if (node.opType === "Constant" && (node.domain === "" || node.domain === "ai.onnx"))
      constants.set(node.output[0]!, constantTensor(node));
    else computed.push(node);
  }
  const inputs = graph.input.filter((i) => !constants.has(i.name));
  if (inputs.length !== 1 || graph.output.length !== 1) {
    throw new RangeError(
      `importSequential: a Sequential has one input and one output; the graph has inputs ${_show(inputs.map((i) => i.name))} and outputs ${_show(graph.output.map((o) => o.name))}`,
    );
  }
  const input = inputs[0]!;
  const declared = _typeOf(input)?.shape;
  const batch = typeof declared?.[0] === "number" ? declared[0] : null;
  let shape = _inputShape(declared, options?.inputShape, input.name);
  const readers = new Map<string, NodeProto[]>();
  for (const node of computed) {
    for (const name of new Set(node.input)) {
      if (name === "" || constants.has(name)) continue;
      readers.set(name, [...(readers.get(name) ?? []), node]);
    }
  }
  const sole = (tensor: string) => {
    const r = readers.get(tensor) ?? [];
    return r.length === 1 ? r[0]! : undefined;
  };
  const output = graph.output[0]!.name;
  const children: Array<[string, Module]> = [];
  const taken = new Set<string>();
  const used = new Set<NodeProto>();
  let current = input.name;
  while (current !== output) {
    const next = readers.get(current) ?? [];
    if (next.length !== 1) {
      throw new RangeError(
        next.length === 0
          ? `importSequential: no node reads ${_show(current)} and it is not the graph output ${_show(output)}`
          : `importSequential: ${_show(current)} feeds ${next.length} nodes (${next.map((n) => `${_show(n.name)} (${n.opType})`).join(", ")}); a Sequential is a chain`,
      );
    }
    const node = next[0]!;
    used.add(node);
    const c = _context(node, constants, shape);
    if (node.input[0] !== current) throw c.fail(`must read ${_show(current)} as its first input`);
    for (const [i, name] of node.output.entries()) {
      if (i > 0 && name !== "" && readers.has(name))
        throw c.fail(`its output ${i} (${_show(name)}) is read; only the first output is supported`);
    }
    let module: Module | null;
    let out = node.output[0]!;
    // A bias added right after a MatMul, Gemm or Conv folds into the layer.
    const biasAdd = () => {
      const add = sole(out);
      if (add?.opType !== "Add" || add.input[0] === add.input[1]) return null;
      const other = add.input[0] === out ? add.input[1]! : add.input[0]!;
      const t = constants.get(other);
      if (t === undefined) return null;
      const weight = constants.get(node.input[1] ?? "");
      if (weight === undefined || weight.dims.length < 2) return null; // the layer's own check names it
      const transB = node.opType === "Gemm" && getAttribute(node, "transB") === 1n;
      const channels = Number(weight.dims[node.opType === "Conv" || transB ? 0 : 1]);
      const values = _channelVector(_context(add, constants, shape), t, channels, "the added bias");
      used.add(add);
      out = add.output[0]!;
      return values;
    };
    try {
      switch (node.opType) {
        case "Gemm":
          module = _gemm(c, biasAdd());
          break;
        case "MatMul":
          module = _matMul(c, biasAdd());
          break;
        case "Conv":
          module = _conv(c, biasAdd());
          break;
        case "BatchNormalization":
          module = _batchNorm(c);
          break;
        case "Relu":
          module = _relu();
          break;
        case "MaxPool":
          module = _maxPool(c);
          break;
        case "Flatten":
          module = _flatten(c);
          break;
        case "Reshape":
          module = _reshape(c, batch);
          break;
        case "Identity":
        case "Dropout":
          module = null;
          break;
        default:
          throw c.fail(`is not supported; supported: ${SUPPORTED}`);
      }
      if (module !== null) {
        const name = _childName(node, taken);
        taken.add(name);
        children.push([name, module]);
        module.eval();
        if (shape !== null)
          shape = module
            .forward(new Float32Array(shape.reduce((a, b) => a * b, 1)), [1, ...shape])
            .shape.slice(1);
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("importSequential:")) throw error;
      throw c.fail((error as Error).message);
    }
    current = out;
  }
  const left = computed.filter((n) => !used.has(n));
  if (left.length > 0) {
    throw new RangeError(
      `importSequential: nodes off the chain from ${_show(input.name)} to ${_show(output)}: ${left.map((n) => `${_show(n.name)} (${n.opType})`).join(", ")}`,
    );
  }
  if (!children.some(([, m]) => m instanceof Linear || m instanceof Conv2d)) {
    throw new RangeError("importSequential: the graph has no Gemm, MatMul or Conv to learn");
  }
  return new Sequential(children).eval();
}

/** The node context of a converter. */
function _context(
  node: NodeProto,
  constants: Map<string, TensorProto>,
  shape: readonly number[] | null,
): _NodeContext {
  return {
    node,
    constant: (name) => constants.get(name),
    inputShape: shape,
    fail: (message) =>
      new RangeError(`importSequential: node ${_show(node.name)} (${node.opType}): ${message}`),
  };
}

/** One sample's shape from the graph input's declared dims and options.inputShape (null when unknown). */
function _inputShape(
  declared: ReadonlyArray<number | string | null> | undefined,
  given: readonly number[] | undefined,
  name: string,
): number[] | null {
  const fixed = declared?.slice(1);
  if (given !== undefined) {
    if (!Array.isArray(given) || given.length === 0 || !given.every((d) => Number.isInteger(d) && d > 0)) {
      throw new RangeError(
        `importSequential: options.inputShape must be positive integers, got ${_show(given)}`,
      );
    }
    if (
      fixed !== undefined &&
      (fixed.length !== given.length || fixed.some((d, i) => typeof d === "number" && d !== given[i]))
    ) {
      throw new RangeError(
        `importSequential: options.inputShape ${_show(given)} does not fit input ${_show(name)} of shape ${_show(declared)}`,
      );
    }
    return [...given];
  }
  return fixed?.every((d) => typeof d === "number") === true ? (fixed as number[]) : null;
}
