import { type Module, Sequential } from "@quantkit/nn";

/** The modules a (nested) Sequential runs, in order, with dotted paths; containers are walked into. */
export function _leaves(model: Module, prefix = ""): Array<[string, Module]> {
  if (!(model instanceof Sequential)) return [[prefix, model]];
  const out: Array<[string, Module]> = [];
  for (const [name, child] of model.children())
    out.push(..._leaves(child, prefix === "" ? name : `${prefix}.${name}`));
  return out;
}
