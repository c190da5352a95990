/** One row of the example-input table: a graph input's name, type, editable shape and fill. */
import { h, type JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { type Fill, type InputSpec, parseShape } from "./exampleInput";

export function InputRow(props: {
  spec: InputSpec;
  onChange: (s: InputSpec) => void;
  index: number;
}): JSX.Element {
  const { spec, onChange, index } = props;
  const [text, setText] = useState(`[${spec.shape.join(", ")}]`);
  const [invalid, setInvalid] = useState<string | undefined>(undefined);
  useEffect(() => setText(`[${spec.shape.join(", ")}]`), [spec.shape.join(",")]);
  return h(
    "tr",
    null,
    h("td", null, h("code", null, spec.name)),
    h("td", null, spec.type),
    h(
      "td",
      null,
      h("input", {
        "data-testid": `ox-shape-${index}`,
        "aria-label": `shape of ${spec.name}`,
        "aria-invalid": invalid ? "true" : undefined,
        value: text,
        onInput: (e: Event) => {
          const t = (e.currentTarget as HTMLInputElement).value;
          setText(t);
          try {
            onChange({ ...spec, shape: parseShape(t) });
            setInvalid(undefined);
          } catch (err) {
            setInvalid((err as Error).message);
          }
        },
      }),
      invalid ? h("span", { class: "control-error", role: "alert" }, invalid) : null,
    ),
    h(
      "td",
      null,
      h(
        "select",
        {
          "data-testid": `ox-fill-${index}`,
          "aria-label": `values of ${spec.name}`,
          value: spec.fill,
          onChange: (e: Event) =>
            onChange({ ...spec, fill: (e.currentTarget as HTMLSelectElement).value as Fill }),
        },
        ["normal", "uniform", "zeros", "constant"].map((f) =>
          h("option", { value: f }, f === "normal" ? "N(0, 1)" : f === "uniform" ? "U(-1, 1)" : f),
        ),
      ),
      spec.fill === "constant"
        ? h("input", {
            "aria-label": `constant value of ${spec.name}`,
            value: String(spec.value),
            style: { width: "6em", marginLeft: "0.5em" },
            onInput: (e: Event) => {
              const v = Number((e.currentTarget as HTMLInputElement).value);
              if (Number.isFinite(v)) onChange({ ...spec, value: v });
            },
          })
        : null,
    ),
  );
}
