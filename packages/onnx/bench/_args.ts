// The benches' command line: `--name value` pairs, and the fixtures folder (`--fixtures DIR`).
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);

/** The value after `--<name>` on the command line, else `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
}

/** `--fixtures DIR`, else the repository's fixtures/ folder. */
export function fixturesDir(): string {
  return arg("fixtures", fileURLToPath(new URL("../../../fixtures/", import.meta.url)));
}
