import { describe, expect, it } from "vitest";
import { outputColumns, shouldColor, styles, visibleLength, wrapText } from "./terminal";

describe("shouldColor", () => {
  it("colours a terminal, not a pipe; NO_COLOR turns it off, FORCE_COLOR on", () => {
    expect(shouldColor(true, {})).toBe(true);
    expect(shouldColor(false, {})).toBe(false);
    expect(shouldColor(true, { NO_COLOR: "1" })).toBe(false);
    expect(shouldColor(true, { NO_COLOR: "" })).toBe(true); // no-color.org: set and not empty
    expect(shouldColor(false, { FORCE_COLOR: "1" })).toBe(true);
    expect(shouldColor(true, { FORCE_COLOR: "0" })).toBe(false);
    expect(shouldColor(false, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(true); // forced wins, as in Node
    expect(shouldColor(true, { TERM: "dumb" })).toBe(false);
  });
});

describe("styles", () => {
  it("writes ANSI codes only when enabled", () => {
    expect(styles(true).red("x")).toBe("\u001b[31mx\u001b[39m");
    expect(styles(false).red("x")).toBe("x");
    expect(visibleLength(styles(true).bold("abc"))).toBe(3);
  });
});

describe("outputColumns", () => {
  it("is the terminal's width, else COLUMNS, else none (piped)", () => {
    expect(outputColumns({ isTTY: true, columns: 80 }, {})).toBe(80);
    expect(outputColumns({ isTTY: false }, { COLUMNS: "120" })).toBe(120);
    expect(outputColumns({ isTTY: false }, {})).toBeUndefined();
  });
});

describe("wrapText", () => {
  it("breaks at spaces with a hanging indent, never inside a word", () => {
    const text = "- best calibrator chosen on 1,000 held-out training samples: minmax/minmax 90.10%";
    const wrapped = wrapText(text, 30, "  ");
    for (const line of wrapped.split("\n")) expect(line.length).toBeLessThanOrEqual(30);
    expect(wrapped.replace(/\n {2}/g, " ")).toBe(text);
    expect(wrapText("short", 30)).toBe("short");
    expect(wrapText("a verylongwordthatdoesnotfit b", 10, "  ")).toBe("a\n  verylongwordthatdoesnotfit\n  b");
    expect(wrapText(text, undefined)).toBe(text);
  });
});
