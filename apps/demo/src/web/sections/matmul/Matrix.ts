/** A small matrix as a table, one cell highlighted or a row or column of them (section 7). */
import { h, type JSX } from "preact";

export function Matrix(props: {
  id: string;
  title: string;
  rows: number;
  cols: number;
  at: (r: number, c: number) => string;
  hl?: (r: number, c: number) => boolean;
}): JSX.Element {
  const { rows, cols, at, hl } = props;
  return h(
    "div",
    { class: "matrix-wrap" },
    h("div", { class: "matrix-title" }, props.title),
    h(
      "table",
      { class: "matrix", "data-testid": props.id },
      h(
        "tbody",
        null,
        Array.from({ length: rows }, (_, r) =>
          h(
            "tr",
            null,
            Array.from({ length: cols }, (_, c) =>
              h("td", { class: hl?.(r, c) ? "hl" : undefined }, at(r, c)),
            ),
          ),
        ),
      ),
    ),
  );
}
