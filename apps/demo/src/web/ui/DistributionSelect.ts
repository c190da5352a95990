/**
 * The drop-down of the deck's tensors (uniform, normal, with the outlier, after a ReLU) that
 * sections 4 and 5 quantize.
 */
import { h, type JSX } from "preact";
import { DISTRIBUTIONS, type DistributionKind } from "../lib/distributions";
import { Select } from "./controls";

export function DistributionSelect(props: {
  id: string;
  value: DistributionKind;
  onChange: (kind: DistributionKind) => void;
}): JSX.Element {
  return h(Select<DistributionKind>, {
    id: props.id,
    label: "Distribution",
    value: props.value,
    options: _OPTIONS,
    onChange: props.onChange,
  });
}

const _OPTIONS = DISTRIBUTIONS.map((d) => ({ value: d.kind, label: d.label, title: d.description }));
