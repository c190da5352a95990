import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** The marker results.json carries, telling a quantkit run directory from anything else. */
export const RUN_FORMAT = "quantkit.run";

/** A run directory being written: the staging directory beside it, and the run's id. */
export interface StagedRun {
  /** The directory the run goes to (absolute). */
  dir: string;
  /** Where its files are written first: a hidden sibling of `dir` on the same file system. */
  staging: string;
  /** A random id written into every file of the run. */
  runId: string;
  /** The option that named `dir`, for errors ("--save"). */
  option: string;
}

/** One file of a run, already serialized. */
export interface RunFile {
  name: string;
  bytes: Uint8Array;
}

const LEFTOVER = /^\.(.+)\.quantkit-(\d+)-[0-9a-f]+\.(tmp|old)$/;

function _fail(option: string, dir: string, what: string, error?: unknown): Error {
  const why = error instanceof Error ? ` (${(error as NodeJS.ErrnoException).code ?? error.message})` : "";
  return new Error(`${option} ${dir}: ${what}${why}`);
}

function _alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes what killed saves left beside `dir` (staging `.tmp` and swapped-out `.old` directories of
 * processes that are gone), first moving a swapped-out previous run back when a kill came between the
 * two renames of {@link commitRun} and `dir` is missing. Directories of live processes are left alone
 * (another writer may be using them).
 */
export async function _recoverLeftovers(dir: string): Promise<void> {
  const parent = dirname(dir);
  const base = basename(dir);
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  const mine = names
    .map((n) => ({ n, m: LEFTOVER.exec(n) }))
    .filter((e) => e.m !== null && e.m[1] === base && !_alive(Number(e.m[2])));
  const dirExists = await stat(dir).then(
    () => true,
    () => false,
  );
  if (!dirExists) {
    const old = mine.find((e) => e.m![3] === "old");
    if (old) await rename(join(parent, old.n), dir).catch(() => {});
  }
  for (const e of mine) await rm(join(parent, e.n), { recursive: true, force: true }).catch(() => {});
}

/**
 * Checks `--save DIR` before any work and stages the run: the parent of DIR must be a directory; DIR,
 * when it exists, must be a directory that is empty or holds an earlier quantkit run (never a folder of
 * other files, which the final swap would move away); leftovers of killed saves are recovered or
 * removed; and the staging directory is created now, so that an unwritable place fails in a second
 * with the option and the path named, not after the training. Nothing recursive: `/proc/x` fails at once.
 */
export async function stageRun(dir: string, option = "--save"): Promise<StagedRun> {
  const parent = dirname(dir);
  const st = await stat(parent).catch((e: unknown) => {
    throw _fail(option, dir, `its parent directory ${parent} does not exist`, e);
  });
  if (!st.isDirectory()) throw _fail(option, dir, `its parent ${parent} is not a directory`);
  await _recoverLeftovers(dir);
  const here = await stat(dir).catch(() => null);
  if (here !== null) {
    if (!here.isDirectory()) throw _fail(option, dir, "exists and is not a directory");
    const entries = await readdir(dir);
    if (entries.length > 0) {
      const results = await readFile(join(dir, "results.json"), "utf8").catch(() => "");
      if (!results.includes(`"format": "${RUN_FORMAT}"`)) {
        throw _fail(
          option,
          dir,
          "exists and holds files that are not a quantkit run; choose a new or empty directory (a run replaces the whole directory)",
        );
      }
    }
  }
  const runId = randomBytes(8).toString("hex");
  const staging = join(parent, `.${basename(dir)}.quantkit-${process.pid}-${runId}.tmp`);
  try {
    await mkdir(staging);
  } catch (error) {
    throw _fail(option, dir, `cannot write beside it (creating ${staging} failed)`, error);
  }
  return { dir, staging, runId, option };
}

async function _writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const h = await open(path, "wx");
  try {
    await h.writeFile(bytes);
    await h.sync();
  } finally {
    await h.close();
  }
}

async function _syncDir(path: string): Promise<void> {
  const h = await open(path, "r");
  try {
    await h.sync();
  } catch {
    // some file systems cannot fsync a directory
  } finally {
    await h.close();
  }
}

/** sha256 hex of bytes. */
export function _sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** results.json's text: the object with `format`, `run_id`, every file's size and sha256, and its own checksum. */
export function _resultsText(run: StagedRun, files: readonly RunFile[], results: object): string {
  const body = {
    format: RUN_FORMAT,
    run_id: run.runId,
    files: Object.fromEntries(
      files.map((f) => [f.name, { bytes: f.bytes.length, sha256: _sha256(f.bytes) }]),
    ),
    ...results,
  };
  const text = JSON.stringify(body, null, 2);
  // The checksum covers the text above; a reader removes its line and compares.
  return `${text.slice(0, -2)},\n  "checksum": "sha256:${_sha256(text)}"\n}\n`;
}

/**
 * Writes the run as a unit: every file into the staging directory (flushed), results.json last (the
 * manifest: each file's sha256 and the run id), then swaps the staging directory in for `dir` by two
 * renames (the old run aside, the new one in place) and removes the old one. A reader sees the whole
 * previous run or the whole new one; a kill between the two renames leaves the previous run beside
 * `dir` as `.DIR.quantkit-*.old`, moved back by the next `stageRun` or `readSavedRun`. Two writers at
 * once: the last swap wins, whole. Errors name the option and the path.
 */
export async function commitRun(
  run: StagedRun,
  files: readonly RunFile[],
  results: object,
): Promise<string[]> {
  const { dir, staging, option } = run;
  try {
    for (const f of files) await _writeSynced(join(staging, f.name), f.bytes);
    await _writeSynced(
      join(staging, "results.json"),
      new TextEncoder().encode(_resultsText(run, files, results)),
    );
    await _syncDir(staging);
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => {});
    throw _fail(option, dir, `writing the run failed in ${staging}`, error);
  }
  const old = join(dirname(dir), `.${basename(dir)}.quantkit-${process.pid}-${run.runId}.old`);
  for (let attempt = 0; ; attempt++) {
    let moved = false;
    try {
      await rename(dir, old);
      moved = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        await rm(staging, { recursive: true, force: true }).catch(() => {});
        throw _fail(option, dir, "cannot move the previous run aside", error);
      }
    }
    try {
      await rename(staging, dir);
      if (moved) await rm(old, { recursive: true, force: true });
      await _syncDir(dirname(dir));
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another writer put its run in place between our two renames: move it aside again and retry.
      if ((code === "ENOTEMPTY" || code === "EEXIST") && attempt < 50) {
        if (moved) await rm(old, { recursive: true, force: true });
        continue;
      }
      if (moved) await rename(old, dir).catch(() => {});
      await rm(staging, { recursive: true, force: true }).catch(() => {});
      throw _fail(option, dir, "cannot put the new run in place", error);
    }
  }
  return [...files.map((f) => join(dir, f.name)), join(dir, "results.json")];
}

/** Removes a staged run that will not be committed. */
export async function discardRun(run: StagedRun): Promise<void> {
  await rm(run.staging, { recursive: true, force: true }).catch(() => {});
}

/**
 * Reads a saved run back and verifies it: results.json's own checksum, then every file it lists
 * (size and sha256). Resolves to the run id and the files' bytes; any mismatch (a partial, mixed or
 * edited run) is an error naming the file. A previous run left aside by a kill is moved back first.
 */
export async function readSavedRun(
  dir: string,
): Promise<{ runId: string; files: Record<string, Uint8Array> }> {
  await _recoverLeftovers(dir);
  const path = join(dir, "results.json");
  const text = await readFile(path, "utf8");
  const m = /,\n {2}"checksum": "sha256:([0-9a-f]{64})"\n\}\n$/.exec(text);
  if (m === null) throw new RangeError(`${path}: no checksum line: not a complete quantkit run`);
  const body = `${text.slice(0, m.index)}\n}`;
  if (_sha256(body) !== m[1]) throw new RangeError(`${path}: checksum mismatch: the file is corrupt`);
  const results = JSON.parse(body) as {
    format: string;
    run_id: string;
    files: Record<string, { bytes: number; sha256: string }>;
  };
  if (results.format !== RUN_FORMAT) throw new RangeError(`${path}: not a quantkit run`);
  const files: Record<string, Uint8Array> = {};
  for (const [name, want] of Object.entries(results.files)) {
    const bytes = new Uint8Array(await readFile(join(dir, name)));
    if (bytes.length !== want.bytes || _sha256(bytes) !== want.sha256) {
      throw new RangeError(
        `${join(dir, name)}: does not match results.json (run ${results.run_id}): a partial or mixed run`,
      );
    }
    files[name] = bytes;
  }
  return { runId: results.run_id, files };
}
