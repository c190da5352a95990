/**
 * The dashboard's exactness section: per suite, implementation and backend, whether the outputs equal
 * the reference (summed over shapes, inexact first), then every record. Self-contained (its own DOM
 * building); main.ts gives it a section element.
 */
import { describeExactness, summarizeExactness } from "../src/exactness";
import type { BenchResultFile } from "../src/schema";

function cell(tag: "td" | "th", text: string, className?: string): HTMLElement {
  const c = document.createElement(tag);
  c.textContent = text;
  if (className) c.className = className;
  return c;
}

function exactTable(
  id: string,
  head: string[],
  rows: { cells: string[]; inexact: boolean }[],
): HTMLTableElement {
  const t = document.createElement("table");
  t.id = id;
  const tr = document.createElement("tr");
  tr.append(...head.map((h) => cell("th", h)));
  t.createTHead().append(tr);
  const body = t.createTBody();
  for (const r of rows) {
    const row = document.createElement("tr");
    if (r.inexact) row.className = "inexact";
    row.append(...r.cells.map((c) => cell("td", c)));
    body.append(row);
  }
  return t;
}

/**
 * Fills `section` with the run's exactness: one line per implementation and backend ("onnxruntime-node
 * MatMulInteger (ort-cpu): 2,431 of 262,144 outputs differ on this CPU…"), then a table per record.
 */
export function renderExactness(section: HTMLElement, run: BenchResultFile): void {
  const summary = summarizeExactness(run);
  const p = (text: string, className?: string) => {
    const e = document.createElement("p");
    e.textContent = text;
    if (className) e.className = className;
    return e;
  };
  const h3 = (text: string) => {
    const e = document.createElement("h3");
    e.textContent = text;
    return e;
  };
  if (summary.length === 0) {
    section.append(
      p(
        "This run recorded no exactness (a file written before the bench compared outputs with the reference).",
        "empty",
      ),
    );
    return;
  }
  section.append(
    p(
      "Every int8 result is compared with a plain-loop reference before it is timed. quantkit's must equal it (a suite fails otherwise); a peer's exactness is measured, and an inexact peer is still timed: its speed is that of a different result.",
    ),
    exactTable(
      "exactness-summary",
      ["suite", "implementation (backend): outputs against the reference"],
      summary.map((s) => ({ cells: [s.suite, s.text], inexact: s.differing > 0 })),
    ),
    h3("Per shape"),
    exactTable(
      "exactness-table",
      ["suite", "implementation", "backend", "shape", "result"],
      run.suites.flatMap((s) =>
        (s.exactness ?? []).map((e) => ({
          cells: [s.id, e.label, e.backend, e.shape ?? "–", describeExactness(e)],
          inexact: !e.equal,
        })),
      ),
    ),
  );
}
