// Makes inner tensors visible as outputs of the main graph, as ONNX Runtime's calibrate.py augments a
// model; unlike it, also from inside If branches (Silero VAD computes everything there): the branch gets
// the tensor as an extra output, its sibling branch an empty float placeholder, and the If node an extra
// output that is exposed in turn from the enclosing graph.
import type { GraphProto, ModelProto } from "./_gen/onnx_pb";
import { _inferElemTypes, type _TypeScope } from "./_inferElemTypes";
import {
  _attr,
  _cloneSharingBytes,
  _floatInfo,
  _node,
  type _Scope,
  _scopes,
  _valueInfo,
} from "./_quantGraph";
import { createNameScope } from "./createNameScope";
import { DataType } from "./dataType";
import { fromArray } from "./fromArray";

/** The augmented copy, the main-graph output that carries each exposed tensor, and what could not be exposed. */
export interface _Exposed {
  model: ModelProto;
  outputs: Map<string, string>;
  skipped: Map<string, string>;
}

/** Exposes `names` (tensors produced by nodes in any graph) as main-graph outputs of a copy of `model`. */
export function _exposeTensors(model: ModelProto, names: Iterable<string>): _Exposed {
  return _exposeTensorsInPlace(_cloneSharingBytes(model), names);
}

/** {@link _exposeTensors} on `copy` itself, a copy the caller made (and owns): no second copy. */
export function _exposeTensorsInPlace(copy: ModelProto, names: Iterable<string>): _Exposed {
  const scopes = _scopes(copy);
  const producer = new Map<string, _Scope>();
  for (const s of scopes)
    for (const n of s.graph.node) for (const o of n.output) if (o !== "") producer.set(o, s);
  const mainOutputs = new Set(copy.graph!.output.map((o) => o.name));
  // A branch output must declare its type; only float32 tensors are lifted out of branches.
  const types = new Map<GraphProto, _TypeScope>();
  _inferElemTypes(copy.graph!, undefined, types);
  const fresh = createNameScope(copy);
  const outputs = new Map<string, string>();
  const skipped = new Map<string, string>();

  const expose = (name: string, scope: _Scope): string | null => {
    if (scope.owner === null) {
      if (!mainOutputs.has(name)) {
        copy.graph!.output.push(_valueInfo(name));
        mainOutputs.add(name);
      }
      return name;
    }
    const owner = scope.owner;
    if (owner.opType !== "If" || owner.domain !== "") return null;
    const parent = scope.parent!;
    for (const a of owner.attribute) {
      if (a.g === undefined) continue;
      if (a.g === scope.graph) {
        // Through an Identity: a branch may already return the tensor, and a graph that lists one name
        // twice among its outputs crashes onnxruntime (segfault, 1.30).
        const copyName = fresh.unique(`${name}__copy`);
        a.g.node.push(_node("Identity", [name], [copyName], copyName));
        a.g.output.push(_floatInfo(copyName));
      } else {
        const empty = fresh.unique(`${name}__empty`);
        const tensor = fromArray(new Float32Array(0), { dims: [0], name: empty });
        a.g.node.push(_node("Constant", [], [empty], empty, [_attr("value", tensor)]));
        a.g.output.push(_floatInfo(empty));
      }
    }
    const lifted = fresh.unique(`${name}__exposed`);
    owner.output.push(lifted);
    return expose(lifted, parent);
  };

  for (const name of names) {
    if (outputs.has(name) || skipped.has(name)) continue;
    const scope = producer.get(name);
    if (scope === undefined) {
      skipped.set(name, "no node produces it");
      continue;
    }
    const elemType = types.get(scope.graph)?.get(name);
    if (scope.owner !== null && elemType !== undefined && elemType !== DataType.FLOAT) {
      skipped.set(name, `${DataType[elemType] ?? elemType}, not float32`);
      continue;
    }
    const out = expose(name, scope);
    if (out === null)
      skipped.set(
        name,
        `inside the body of ${scope.owner!.opType} ${JSON.stringify(scope.owner!.name)}, which cannot return it`,
      );
    else outputs.set(name, out);
  }
  return { model: copy, outputs, skipped };
}
