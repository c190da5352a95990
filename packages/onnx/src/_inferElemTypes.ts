import type { GraphProto, NodeProto } from "./_gen/onnx_pb";
import { AttributeProto_AttributeType as AT } from "./_gen/onnx_pb";
import { _typeOf } from "./valueInfo";

/** Element types of a graph's values, falling back to the enclosing scope for outer names. */
export class _TypeScope {
  readonly types = new Map<string, number>();
  constructor(readonly parent: _TypeScope | undefined) {}
  get(name: string): number | undefined {
    return this.types.get(name) ?? this.parent?.get(name);
  }
}

const INT64 = 7;
const BOOL = 9;
const INT32 = 6;
const UINT8 = 2;
const FLOAT = 1;

const _FIXED: Readonly<Record<string, readonly number[]>> = {
  Shape: [INT64],
  Size: [INT64],
  ArgMax: [INT64],
  ArgMin: [INT64],
  NonZero: [INT64],
  NonMaxSuppression: [INT64],
  Equal: [BOOL],
  Less: [BOOL],
  Greater: [BOOL],
  LessOrEqual: [BOOL],
  GreaterOrEqual: [BOOL],
  And: [BOOL],
  Or: [BOOL],
  Xor: [BOOL],
  Not: [BOOL],
  IsNaN: [BOOL],
  IsInf: [BOOL],
  MatMulInteger: [INT32],
  ConvInteger: [INT32],
  DynamicQuantizeLinear: [UINT8, FLOAT, UINT8],
  StringNormalizer: [8],
  TfIdfVectorizer: [FLOAT],
};

/** Types of a node's outputs after the first, where they differ from the first ("indices" outputs). */
const _SECOND_INT64 = new Set(["TopK", "MaxPool", "Unique"]);

function _attrInt(node: NodeProto, name: string): number | undefined {
  const a = node.attribute.find((x) => x.name === name);
  return a === undefined ? undefined : Number(a.i);
}

/**
 * Infers the element type of every value of a graph (and its subgraphs, each in its own scope) from
 * declared types (inputs, value_info, initializers), Constant tensors and per-operator rules; an
 * operator without a rule gives its outputs the type of its first typed input. Declared value_info
 * wins over a rule. Returns the scope of each graph.
 */
export function _inferElemTypes(
  graph: GraphProto,
  parent: _TypeScope | undefined,
  scopes: Map<GraphProto, _TypeScope>,
  inputHints: ReadonlyArray<number | undefined> = [],
): _TypeScope {
  const scope = new _TypeScope(parent);
  scopes.set(graph, scope);
  const declared = new Map<string, number>();
  for (const list of [graph.input, graph.valueInfo, graph.output]) {
    for (const v of list) {
      const t = _typeOf(v);
      if (t !== undefined && t.elemType !== 0) declared.set(v.name, t.elemType);
    }
  }
  graph.input.forEach((v, i) => {
    const t = declared.get(v.name) ?? inputHints[i];
    if (t !== undefined) scope.types.set(v.name, t);
  });
  for (const t of graph.initializer) scope.types.set(t.name, t.dataType);
  for (const node of graph.node) {
    const outs = _ruleTypes(node, scope, scopes);
    node.output.forEach((name, i) => {
      if (name === "") return;
      const t = declared.get(name) ?? outs[i];
      if (t !== undefined) scope.types.set(name, t);
    });
  }
  return scope;
}

function _ruleTypes(
  node: NodeProto,
  scope: _TypeScope,
  scopes: Map<GraphProto, _TypeScope>,
): Array<number | undefined> {
  const op = node.domain === "" || node.domain === "ai.onnx" ? node.opType : `${node.domain}:${node.opType}`;
  const input = (i: number) => {
    const name = node.input[i];
    return name === undefined || name === "" ? undefined : scope.get(name);
  };
  // Subgraphs first: their scopes see this graph's values.
  const subOutputs: Array<number | undefined>[] = [];
  for (const a of node.attribute) {
    const subs = a.g !== undefined ? [a.g, ...a.graphs] : a.graphs;
    for (const g of subs) {
      const hints =
        op === "Loop"
          ? [INT64, BOOL, ...node.input.slice(2).map((_, i) => input(i + 2))]
          : op === "Scan"
            ? node.input.map((_, i) => input(i))
            : [];
      const s = _inferElemTypes(g, scope, scopes, hints);
      if (a.name === "then_branch" || a.name === "body") subOutputs.push(g.output.map((o) => s.get(o.name)));
    }
  }
  const fixed = _FIXED[op];
  if (fixed !== undefined) return [...fixed];
  switch (op) {
    case "Cast":
      return [_attrInt(node, "to")];
    case "CastLike":
      return [input(1)];
    case "Constant": {
      const a = node.attribute[0];
      if (a?.type === AT.TENSOR && a.t !== undefined) return [a.t.dataType];
      if (a?.name === "value_float" || a?.name === "value_floats") return [FLOAT];
      if (a?.name === "value_int" || a?.name === "value_ints") return [INT64];
      if (a?.name === "value_string" || a?.name === "value_strings") return [8];
      return [undefined];
    }
    case "ConstantOfShape": {
      const a = node.attribute.find((x) => x.name === "value");
      return [a?.t?.dataType ?? FLOAT];
    }
    case "RandomNormal":
    case "RandomUniform":
      return [_attrInt(node, "dtype") ?? FLOAT];
    case "RandomNormalLike":
    case "RandomUniformLike":
    case "EyeLike":
    case "Bernoulli":
      return [_attrInt(node, "dtype") ?? input(0)];
    case "HannWindow":
    case "HammingWindow":
    case "BlackmanWindow":
    case "MelWeightMatrix":
      return [_attrInt(node, "output_datatype") ?? FLOAT];
    case "Multinomial":
      return [_attrInt(node, "dtype") ?? INT32];
    case "QuantizeLinear":
      return [_attrInt(node, "output_dtype") || input(2) || UINT8];
    case "DequantizeLinear":
      return [_attrInt(node, "output_dtype") || input(1)];
    case "QLinearConv":
    case "QLinearMatMul":
      return [input(7)];
    case "Where":
      return [input(1)];
    case "OneHot":
      return [input(2)];
    case "If":
    case "Loop":
    case "Scan":
      return subOutputs[0]?.slice(op === "Loop" ? 1 : 0) ?? [];
    default: {
      let first: number | undefined;
      for (let i = 0; i < node.input.length && first === undefined; i++) first = input(i);
      if (_SECOND_INT64.has(op)) return [first, INT64, INT64, INT64];
      return node.output.map(() => first);
    }
  }
}
