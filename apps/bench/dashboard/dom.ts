/** Small DOM builders shared by the dashboard's sections. */

/** An element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A table with a header row; `numeric` columns are right-aligned. */
export function table(
  head: string[],
  rows: (string | Node)[][],
  attrs: Record<string, string> = {},
  numeric = new Set<number>(),
): HTMLTableElement {
  return el(
    "table",
    attrs,
    el("thead", {}, el("tr", {}, ...head.map((h, i) => el("th", numeric.has(i) ? { class: "num" } : {}, h)))),
    el(
      "tbody",
      {},
      ...rows.map((r) =>
        el("tr", {}, ...r.map((c, i) => el("td", numeric.has(i) ? { class: "num" } : {}, c))),
      ),
    ),
  );
}

/** Adds a titled section (`<section id>` with its `<h2>`) to the report and returns it. */
export type Section = (title: string, id: string) => HTMLElement;
