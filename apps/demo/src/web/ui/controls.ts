/**
 * The page's input controls: labelled sliders, selects, segmented buttons, checkboxes, number fields
 * and run buttons. Each takes an `id` that becomes its element id and its `data-testid` (the browser test
 * drives the page through them).
 */
import { type ComponentChildren, h, type JSX } from "preact";

export interface Option<T extends string | number> {
  value: T;
  label: string;
  title?: string;
}

/** A range slider with its label and current value. */
export function Slider(props: {
  id: string;
  label: string;
  min: number;
  max: number;
  step?: number;
  value: number;
  onInput: (value: number) => void;
  format?: (value: number) => string;
  hint?: string;
}): JSX.Element {
  const { id, label, min, max, step = 1, value, onInput, format = String, hint } = props;
  return h(
    "label",
    { class: "control slider", for: id },
    h(
      "span",
      { class: "control-label" },
      label,
      h("output", { class: "control-value", for: id }, format(value)),
    ),
    h("input", {
      id,
      "data-testid": id,
      type: "range",
      min,
      max,
      step,
      value,
      onInput: (e: Event) => onInput(Number((e.currentTarget as HTMLInputElement).value)),
    }),
    hint ? h("span", { class: "control-hint" }, hint) : null,
  );
}

/** A drop-down. */
export function Select<T extends string | number>(props: {
  id: string;
  label: string;
  value: T;
  options: readonly Option<T>[];
  onChange: (value: T) => void;
}): JSX.Element {
  const { id, label, value, options, onChange } = props;
  return h(
    "label",
    { class: "control", for: id },
    h("span", { class: "control-label" }, label),
    h(
      "select",
      {
        id,
        "data-testid": id,
        value: String(value),
        onChange: (e: Event) => {
          const raw = (e.currentTarget as HTMLSelectElement).value;
          const hit = options.find((o) => String(o.value) === raw);
          if (hit) onChange(hit.value);
        },
      },
      options.map((o) => h("option", { value: String(o.value), title: o.title }, o.label)),
    ),
  );
}

/** A row of mutually exclusive buttons (a radio group that looks like a switch). */
export function Segmented<T extends string | number>(props: {
  id: string;
  label: string;
  value: T;
  options: readonly Option<T>[];
  onChange: (value: T) => void;
}): JSX.Element {
  const { id, label, value, options, onChange } = props;
  return h(
    "div",
    { class: "control", role: "radiogroup", "aria-label": label, id, "data-testid": id },
    h("span", { class: "control-label" }, label),
    h(
      "div",
      { class: "segmented" },
      options.map((o) =>
        h(
          "button",
          {
            type: "button",
            role: "radio",
            "aria-checked": o.value === value,
            class: o.value === value ? "seg active" : "seg",
            "data-testid": `${id}-${o.value}`,
            title: o.title,
            onClick: () => onChange(o.value),
          },
          o.label,
        ),
      ),
    ),
  );
}

/** A checkbox with its label beside it (an option that is on or off). */
export function Checkbox(props: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  title?: string;
}): JSX.Element {
  const { id, label, checked, onChange, title } = props;
  return h(
    "label",
    { class: "control check", for: id, title },
    h("input", {
      id,
      "data-testid": id,
      type: "checkbox",
      checked,
      onChange: (e: Event) => onChange((e.currentTarget as HTMLInputElement).checked),
    }),
    h("span", { class: "control-label" }, label),
  );
}

/**
 * A number input that reports only values that parse; what the user is typing stays in the field.
 */
export function NumberField(props: {
  id: string;
  label: string;
  value: number | string;
  onChange: (value: number, text: string) => void;
  step?: number | "any";
  min?: number;
  max?: number;
  width?: string;
  /** Take the row's remaining width (a list of values). */
  grow?: boolean;
  invalid?: string | undefined;
}): JSX.Element {
  const { id, label, value, onChange, step = "any", min, max, width, invalid, grow } = props;
  return h(
    "label",
    { class: `control${invalid ? " invalid" : ""}${grow ? " grow" : ""}`, for: id },
    h("span", { class: "control-label" }, label),
    h("input", {
      id,
      "data-testid": id,
      type: "text",
      inputMode: "decimal",
      spellcheck: false,
      autocomplete: "off",
      value: String(value),
      step,
      min,
      max,
      style: width ? { width } : undefined,
      "aria-invalid": invalid ? "true" : undefined,
      onInput: (e: Event) => {
        const text = (e.currentTarget as HTMLInputElement).value;
        onChange(Number(text), text);
      },
    }),
    invalid ? h("span", { class: "control-error", role: "alert" }, invalid) : null,
  );
}

/** A button that starts a worker job; shows a spinner and disables itself while running. */
export function RunButton(props: {
  id: string;
  label: string;
  running: boolean;
  onClick: () => void;
  onCancel?: () => void;
  disabled?: boolean;
}): JSX.Element {
  const { id, label, running, onClick, onCancel, disabled } = props;
  return h(
    "div",
    { class: "run" },
    h(
      "button",
      { type: "button", class: "primary", id, "data-testid": id, disabled: running || disabled, onClick },
      running ? h("span", { class: "spinner", "aria-hidden": "true" }) : null,
      running ? "Running…" : label,
    ),
    running && onCancel
      ? h(
          "button",
          { type: "button", class: "ghost", "data-testid": `${id}-cancel`, onClick: onCancel },
          "Stop",
        )
      : null,
  );
}

/** A row of controls. */
export function Controls(props: { children?: ComponentChildren }): JSX.Element {
  return h("div", { class: "controls" }, props.children);
}

/** The bit width n of a quantizer, 2 to 8, shown as "4 bits". */
export function BitsSlider(props: {
  id: string;
  label: string;
  value: number;
  onInput: (bits: number) => void;
}): JSX.Element {
  return h(Slider, { ...props, min: 2, max: 8, format: _bitsLabel });
}

const _bitsLabel = (bits: number) => `${bits} bits`;
