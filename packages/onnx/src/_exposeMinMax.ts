// Calibration with min-max observers needs only each tensor's minimum and maximum per run: a copy of the
// model computes them where the tensor lives (ReduceMin / ReduceMax to scalars, in If branches too) and
// returns those scalars instead of the tensors, so that onnxruntime can reuse the intermediate buffers
// as it does for inference (the PP-OCRv4 recogniser returns 160 MB of tensors per line otherwise).

import { _exposeTensorsInPlace } from "./_expose";
import type { GraphProto, ModelProto, NodeProto } from "./_gen/onnx_pb";
import { _inferElemTypes, type _TypeScope } from "./_inferElemTypes";
import { _attr, _cloneSharingBytes, _node, type _Scope, _scopes } from "./_quantGraph";
import { createNameScope } from "./createNameScope";
import { DataType } from "./dataType";

/** The augmented copy; per float32 tensor the outputs of its minimum and maximum, per other tensor its own output. */
export interface _ExposedMinMax {
  model: ModelProto;
  minMax: Map<string, [string, string]>;
  outputs: Map<string, string>;
  skipped: Map<string, string>;
}

/** Exposes min and max of the float32 tensors among `names` (the others whole) as main-graph outputs. */
export function _exposeMinMax(model: ModelProto, names: Iterable<string>): _ExposedMinMax {
  const copy = _cloneSharingBytes(model);
  const producer = new Map<string, _Scope>();
  for (const s of _scopes(copy))
    for (const n of s.graph.node) for (const o of n.output) if (o !== "") producer.set(o, s);
  const types = new Map<GraphProto, _TypeScope>();
  _inferElemTypes(copy.graph!, undefined, types);
  const fresh = createNameScope(copy);
  const reduced = new Map<string, [string, string]>();
  const after = new Map<string, NodeProto[]>(); // tensor -> its ReduceMin and ReduceMax
  const whole: string[] = [];
  for (const name of names) {
    if (reduced.has(name)) continue;
    const scope = producer.get(name);
    if (scope === undefined || types.get(scope.graph)?.get(name) !== DataType.FLOAT) {
      whole.push(name);
      continue;
    }
    const lo = fresh.unique(`${name}__min`);
    const hi = fresh.unique(`${name}__max`);
    const keep = [_attr("keepdims", 0)];
    after.set(name, [_node("ReduceMin", [name], [lo], lo, keep), _node("ReduceMax", [name], [hi], hi, keep)]);
    reduced.set(name, [lo, hi]);
  }
  // Each reduction right after its producer: onnxruntime runs nodes in this order, and reductions at the
  // end of the graph would keep every reduced tensor alive until then.
  for (const s of _scopes(copy)) {
    if (!s.graph.node.some((n) => n.output.some((o) => after.has(o)))) continue;
    s.graph.node = s.graph.node.flatMap((n) => [n, ...n.output.flatMap((o) => after.get(o) ?? [])]);
  }
  const exposed = _exposeTensorsInPlace(copy, [...[...reduced.values()].flat(), ...whole]);
  const minMax = new Map<string, [string, string]>();
  const outputs = new Map<string, string>();
  const skipped = new Map<string, string>();
  for (const [name, [lo, hi]] of reduced) {
    const a = exposed.outputs.get(lo);
    const b = exposed.outputs.get(hi);
    if (a !== undefined && b !== undefined) minMax.set(name, [a, b]);
    else skipped.set(name, exposed.skipped.get(lo) ?? exposed.skipped.get(hi) ?? "cannot be returned");
  }
  for (const name of whole) {
    const o = exposed.outputs.get(name);
    if (o !== undefined) outputs.set(name, o);
    else skipped.set(name, exposed.skipped.get(name) ?? "cannot be returned");
  }
  return { model: exposed.model, minMax, outputs, skipped };
}
