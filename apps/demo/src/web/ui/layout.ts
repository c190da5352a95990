/**
 * The page's building blocks: a section's frame, panels, figures, stats, tables, formulas, deck
 * quotes and progress bars. Anything that shows a number the browser test checks takes an `id`
 * that becomes its `data-testid`.
 */
import { type ComponentChildren, h, type JSX } from "preact";
import type { SectionInfo } from "../sectionInfo";

/** A section: its number and deck part, its title, the deck's words, then its panels. */
export function SectionFrame(props: {
  info: SectionInfo;
  lead: ComponentChildren;
  children?: ComponentChildren;
}): JSX.Element {
  const { info, lead, children } = props;
  return h(
    "article",
    { class: "section", id: `section-${info.id}`, "data-testid": `section-${info.id}` },
    h(
      "header",
      { class: "section-head" },
      h("p", { class: "kicker" }, h("span", { class: "kicker-num" }, String(info.number)), info.part),
      h("h1", null, info.title),
      h("div", { class: "lead" }, lead),
    ),
    children,
  );
}

/** A titled card holding controls and figures. */
export function Panel(props: {
  title?: string;
  sub?: ComponentChildren;
  children?: ComponentChildren;
  id?: string;
}): JSX.Element {
  return h(
    "section",
    { class: "panel", id: props.id, "data-testid": props.id },
    props.title ? h("h2", { class: "panel-title" }, props.title) : null,
    props.sub ? h("p", { class: "panel-sub" }, props.sub) : null,
    props.children,
  );
}

/** Side-by-side columns that stack on narrow screens. */
export function Columns(props: { children?: ComponentChildren; ratio?: "1-1" | "2-1" | "1-2" }): JSX.Element {
  return h("div", { class: `columns r${props.ratio ?? "1-1"}` }, props.children);
}

/** A figure with a caption (charts carry their axis units; the caption says what to look at). */
export function Figure(props: {
  caption: ComponentChildren;
  children?: ComponentChildren;
  id?: string;
}): JSX.Element {
  return h(
    "figure",
    { class: "figure", "data-testid": props.id },
    props.children,
    h("figcaption", null, props.caption),
  );
}

/** One labelled number. */
export function Stat(props: {
  id?: string;
  label: string;
  value: ComponentChildren;
  unit?: string;
  hint?: ComponentChildren;
  tone?: "good" | "bad" | "accent";
}): JSX.Element {
  const { id, label, value, unit, hint, tone } = props;
  return h(
    "div",
    { class: tone ? `stat ${tone}` : "stat" },
    h("span", { class: "stat-label" }, label),
    h(
      "span",
      { class: "stat-value" },
      h("span", { "data-testid": id }, value),
      unit ? h("span", { class: "stat-unit" }, ` ${unit}`) : null,
    ),
    hint ? h("span", { class: "stat-hint" }, hint) : null,
  );
}

export function Stats(props: { children?: ComponentChildren }): JSX.Element {
  return h("div", { class: "stats" }, props.children);
}

/** A table; `highlight` marks one row (e.g. the best calibrator). */
export function DataTable(props: {
  id?: string;
  head: readonly ComponentChildren[];
  rows: readonly (readonly ComponentChildren[])[];
  highlight?: number;
  numeric?: readonly boolean[];
  caption?: ComponentChildren;
  /** Tighter rows, for long tables. */
  compact?: boolean;
}): JSX.Element {
  const { id, head, rows, highlight, numeric, caption, compact } = props;
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: compact ? "data compact" : "data", "data-testid": id },
      caption ? h("caption", null, caption) : null,
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          head.map((c, i) => h("th", { class: numeric?.[i] ? "num" : undefined }, c)),
        ),
      ),
      h(
        "tbody",
        null,
        rows.map((r, ri) =>
          h(
            "tr",
            { class: ri === highlight ? "hl" : undefined },
            r.map((c, i) => h("td", { class: numeric?.[i] ? "num" : undefined }, c)),
          ),
        ),
      ),
    ),
  );
}

/** A worked formula, monospaced, one step per line. */
export function Formula(props: { children?: ComponentChildren; id?: string }): JSX.Element {
  return h("div", { class: "formula", "data-testid": props.id }, props.children);
}

/** The deck's own words, quoted. */
export function DeckQuote(props: { children?: ComponentChildren }): JSX.Element {
  return h(
    "blockquote",
    { class: "deck" },
    h("span", { class: "deck-tag" }, "From the deck"),
    props.children,
  );
}

/** A short aside: what to try, what to notice. */
export function Note(props: {
  children?: ComponentChildren;
  tone?: "info" | "warn";
  id?: string;
}): JSX.Element {
  return h("p", { class: `note ${props.tone ?? "info"}`, "data-testid": props.id }, props.children);
}

/**
 * Marks a result made from a float model that is no longer the current one, with a button that makes
 * it again from the current model.
 */
export function StaleNote(props: {
  id: string;
  children?: ComponentChildren;
  onRerun: () => void;
  rerunLabel?: string;
  running?: boolean;
}): JSX.Element {
  return h(
    "div",
    { class: "note warn stale", role: "status", "data-testid": props.id },
    h("span", null, h("strong", null, "Out of date: "), props.children),
    h(
      "button",
      {
        type: "button",
        class: "primary small",
        "data-testid": `${props.id}-rerun`,
        disabled: props.running,
        onClick: props.onRerun,
      },
      props.running ? "Running…" : (props.rerunLabel ?? "Re-run with the current model"),
    ),
  );
}

/** A progress bar with a label (fraction in [0, 1]). */
export function ProgressBar(props: { value: number; label: ComponentChildren; id?: string }): JSX.Element {
  const pct = Math.max(0, Math.min(1, props.value)) * 100;
  return h(
    "div",
    { class: "progress", "data-testid": props.id },
    h("div", { class: "progress-track" }, h("div", { class: "progress-fill", style: { width: `${pct}%` } })),
    h("span", { class: "progress-label" }, props.label),
  );
}

/** An error from a worker job, shown where its result would be. */
export function ErrorBox(props: { error: unknown }): JSX.Element | null {
  if (!props.error) return null;
  const e = props.error as Error;
  return h(
    "p",
    { class: "note error", role: "alert" },
    h("strong", null, e.name ?? "Error"),
    ": ",
    e.message ?? String(e),
  );
}
