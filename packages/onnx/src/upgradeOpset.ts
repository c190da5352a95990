import { _show } from "./_errors";
import type { ModelProto, NodeProto } from "./_gen/onnx_pb";
import {
  _attr,
  _cloneSharingBytes,
  _getAttr,
  _intAttr,
  _node,
  _opset,
  type _Scope,
  _scopes,
} from "./_quantGraph";
import { createNameScope, type NameScope } from "./createNameScope";
import { fromArray } from "./fromArray";
import { ensureIrVersion, irVersionForOpset } from "./irVersion";
import { setOpsetVersion } from "./opsetVersion";

/** Ops whose meaning changed between opset 9 and 13 in ways this converter does not rewrite. */
const _REFUSED: Readonly<Record<string, string>> = {
  Upsample: "deprecated in opset 10 (Resize replaces it with other coordinate rules)",
  Resize: "opset 11 changed its coordinate transformation",
  Scatter: "deprecated in opset 11",
};

/**
 * Converts a model of opset 9..12 to opset `target` (13), rewriting the operators whose attributes became
 * inputs or whose meaning changed: Clip (min/max, 11), Slice (starts/ends/axes, 10), Pad (pads/value,
 * 11), TopK (k, 10), Squeeze / Unsqueeze / ReduceSum / Split (axes / split, 13), Dropout (ratio, 12),
 * Softmax / LogSoftmax / Hardmax (opset 13 normalizes along one axis; older versions over all dimensions
 * from `axis` on, so the node becomes Flatten + op + Reshape unless `axis` is the last one). Other ops keep
 * their meaning across these versions. Upsample, opset-10 Resize and Scatter are refused, naming the node.
 * Returns a converted copy; the input is not modified. The copy's tensors share their `raw_data` bytes
 * with the input's (the weights are not duplicated): treat them as read only, as the views
 * {@link readModel} returns.
 *
 * @example
 * ```ts
 * import { opsetVersion, readModel, upgradeOpset } from "@quantkit/onnx";
 * const m13 = upgradeOpset(readModel(ppocrBytes), 13); // PP-OCR models are opset 9
 * opsetVersion(m13); // 13
 * ```
 */
export function upgradeOpset(model: ModelProto, target: number): ModelProto {
  const fn = "upgradeOpset";
  if (target !== 13)
    throw new RangeError(
      `${fn}: target must be 13 (the version this converter writes), got ${_show(target)}`,
    );
  const from = _opset(model);
  if (from === target) return _cloneSharingBytes(model);
  if (from < 9 || from > target) {
    throw new RangeError(`${fn}: the model imports opset ${from}; this converter takes opset 9..12 to 13`);
  }
  const copy = _cloneSharingBytes(model);
  const names = createNameScope(copy);
  for (const scope of _scopes(copy)) {
    const out: NodeProto[] = [];
    for (const node of scope.graph.node) {
      if (node.domain !== "" && node.domain !== "ai.onnx") {
        out.push(node);
        continue;
      }
      const refused = _REFUSED[node.opType];
      if (refused !== undefined && !(node.opType === "Resize" && from >= 11)) {
        throw new RangeError(
          `${fn}: node ${_show(node.name)} (${node.opType}, ${scope.path}) cannot be converted: ${refused}`,
        );
      }
      out.push(..._convert(node, from, scope, names));
    }
    scope.graph.node = out;
  }
  setOpsetVersion(copy, "", target);
  ensureIrVersion(copy, irVersionForOpset(target));
  return copy;
}

function _takeAttr(node: NodeProto, name: string) {
  const i = node.attribute.findIndex((a) => a.name === name);
  if (i < 0) return undefined;
  return node.attribute.splice(i, 1)[0];
}

function _int64(
  scope: _Scope,
  names: NameScope,
  base: string,
  values: readonly number[] | readonly bigint[],
  scalar = false,
): string {
  const name = names.unique(base);
  const data = BigInt64Array.from(values as readonly bigint[], (v) => BigInt(v));
  scope.graph.initializer.push(fromArray(data, { dims: scalar ? [] : [data.length], name }));
  return name;
}

function _float(scope: _Scope, names: NameScope, base: string, value: number): string {
  const name = names.unique(base);
  scope.graph.initializer.push(fromArray(Float32Array.of(value), { dims: [], name }));
  return name;
}

/** The node rewritten for opset 13 (one or more nodes). */
function _convert(node: NodeProto, from: number, scope: _Scope, names: NameScope): NodeProto[] {
  const base = node.name || node.output[0]!;
  switch (node.opType) {
    case "Clip": {
      if (from >= 11) return [node];
      const min = _takeAttr(node, "min");
      const max = _takeAttr(node, "max");
      node.input.length = 1;
      node.input.push(
        min ? _float(scope, names, `${base}_min`, min.f) : "",
        max ? _float(scope, names, `${base}_max`, max.f) : "",
      );
      while (node.input[node.input.length - 1] === "") node.input.pop();
      return [node];
    }
    case "Slice": {
      if (from >= 10) return [node];
      const starts = _takeAttr(node, "starts")!.ints;
      const ends = _takeAttr(node, "ends")!.ints;
      const axes = _takeAttr(node, "axes");
      node.input.push(
        _int64(scope, names, `${base}_starts`, starts),
        _int64(scope, names, `${base}_ends`, ends),
      );
      if (axes) node.input.push(_int64(scope, names, `${base}_axes`, axes.ints));
      return [node];
    }
    case "Pad": {
      if (from >= 11) return [node];
      const pads = _takeAttr(node, "pads")!.ints;
      const value = _takeAttr(node, "value");
      node.input.push(_int64(scope, names, `${base}_pads`, pads));
      if (value) node.input.push(_float(scope, names, `${base}_value`, value.f));
      return [node];
    }
    case "TopK": {
      if (from >= 10) return [node];
      const k = _takeAttr(node, "k")!;
      node.input.push(_int64(scope, names, `${base}_k`, [k.i]));
      return [node];
    }
    case "Dropout": {
      if (from >= 12) return [node];
      _takeAttr(node, "ratio");
      _takeAttr(node, "is_test");
      return [node];
    }
    case "Squeeze":
    case "Unsqueeze":
    case "ReduceSum": {
      const axes = _takeAttr(node, "axes");
      if (axes) node.input.push(_int64(scope, names, `${base}_axes`, axes.ints));
      return [node];
    }
    case "Split": {
      const split = _takeAttr(node, "split");
      if (split) node.input.push(_int64(scope, names, `${base}_split`, split.ints));
      return [node];
    }
    case "Softmax":
    case "LogSoftmax":
    case "Hardmax": {
      const axis = _intAttr(node, "axis", 1);
      if (axis === -1) return [node];
      // Old meaning: over the flattened dimensions axis..end. Flatten(x, axis) -> op(axis 1) -> Reshape(shape(x)).
      const x = node.input[0]!;
      const y = node.output[0]!;
      const shape = names.unique(`${base}_shape`);
      const flat = names.unique(`${base}_flat`);
      const inner = names.unique(`${base}_2d`);
      const a = _getAttr(node, "axis");
      if (a) a.i = 1n;
      else node.attribute.push(_attr("axis", 1));
      node.input[0] = flat;
      node.output[0] = inner;
      return [
        _node("Shape", [x], [shape], names.unique(`${base}_Shape`)),
        _node("Flatten", [x], [flat], names.unique(`${base}_Flatten`), [_attr("axis", axis)]),
        node,
        _node("Reshape", [inner, shape], [y], names.unique(`${base}_Reshape`)),
      ];
    }
    default:
      return [node];
  }
}
