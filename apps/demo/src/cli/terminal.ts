/**
 * What the terminal the command writes to can show: its width in columns and whether to use colour.
 * Colour follows the common conventions (no-color.org, force-color.org, as Node's own util does):
 * FORCE_COLOR (set and not "0") turns it on, even when piped; otherwise NO_COLOR (set and not empty)
 * turns it off; otherwise colour is on exactly when the stream is a terminal (TERM=dumb excepted).
 */

/** Environment variables that decide colour. */
export type ColorEnv = Readonly<Record<string, string | undefined>>;

/**
 * Whether to write ANSI colours to a stream.
 *
 * @example
 * shouldColor(true, {}) // true: a terminal
 * shouldColor(true, { NO_COLOR: "1" }) // false
 * shouldColor(false, { FORCE_COLOR: "1" }) // true: piped, but forced
 */
export function shouldColor(isTTY: boolean, env: ColorEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return isTTY;
}

/** ANSI styles, or plain text when colour is off. */
export interface Styles {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** The styles for a stream that shows colour (`enabled`) or not. */
export function styles(enabled: boolean): Styles {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    enabled,
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

/** The visible width of text that may hold ANSI colour codes. */
export function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences are what is removed
  return text.replace(/\u001b\[[0-9;]*m/g, "").length;
}

/**
 * The width to lay output out for: the terminal's columns, else COLUMNS, else undefined (piped: no
 * wrapping, one line per note, the wide table).
 */
export function outputColumns(
  stream: { isTTY?: boolean; columns?: number },
  env: ColorEnv,
): number | undefined {
  if (stream.isTTY && stream.columns !== undefined && stream.columns > 0) return stream.columns;
  const c = Number(env.COLUMNS);
  return Number.isInteger(c) && c > 0 ? c : undefined;
}

/**
 * Wraps `text` at word boundaries to `width` columns; lines after the first start with `indent`.
 * A word longer than a line stays whole on its own line (never broken mid-word).
 *
 * @example
 * wrapText("- a b c", 4, "  ") // "- a\n  b c"
 */
export function wrapText(text: string, width: number | undefined, indent = ""): string {
  if (width === undefined || text.length <= width) return text;
  const words = text.split(" ");
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    const candidate = line === "" ? w : `${line} ${w}`;
    if (line !== "" && candidate.length > width) {
      lines.push(line);
      line = `${indent}${w}`;
    } else line = candidate;
  }
  if (line !== "") lines.push(line);
  return lines.join("\n");
}
