// Issue 15, items 10-13 and the "kill during save" and "two writers" parts of the standing adversarial
// suite: a run's files are written as a unit (staging directory, manifest last, swapped in by rename),
// so a reader sees one whole run or the previous one, never a mix, whatever kills the writer.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitRun, readSavedRun, stageRun } from "../src/cli/saveRun";

let root = "";
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "quantkit-saverun-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const file = (name: string, n: number, v: number) => ({ name, bytes: new Uint8Array(n).fill(v) });

describe("--save checks its path before the work and writes runs whole", () => {
  it("a bad path fails at once, naming the option and the path; /proc/x does not hang (item 13)", async () => {
    await expect(stageRun("/proc/x")).rejects.toThrow(/^--save \/proc\/x: cannot write beside it/);
    await expect(stageRun(join(root, "no", "such", "dir"))).rejects.toThrow(
      `--save ${join(root, "no", "such", "dir")}: its parent directory ${join(root, "no", "such")} does not exist`,
    );
    await writeFile(join(root, "plain"), "x");
    await expect(stageRun(join(root, "plain"))).rejects.toThrow(/exists and is not a directory/);
  });

  it("refuses a directory of other files, which replacing the run would move away", async () => {
    const d = join(root, "mine");
    await mkdir(d);
    await writeFile(join(d, "notes.txt"), "keep me");
    await expect(stageRun(d)).rejects.toThrow(/holds files that are not a quantkit run/);
  });

  it("a committed run reads back whole; a second run replaces it whole; nothing is left beside it", async () => {
    const d = join(root, "runs");
    const a = await stageRun(d);
    await commitRun(a, [file("m.safetensors", 10, 1)], { seed: 0 });
    expect((await readSavedRun(d)).runId).toBe(a.runId);
    const b = await stageRun(d);
    await commitRun(b, [file("m.safetensors", 20, 2), file("n.safetensors", 5, 3)], { seed: 1 });
    const read = await readSavedRun(d);
    expect(read.runId).toBe(b.runId);
    expect(Object.keys(read.files).sort()).toEqual(["m.safetensors", "n.safetensors"]);
    expect((await readdir(root)).filter((n) => n.startsWith(".runs."))).toEqual([]);
  });

  it("a file changed after saving is caught by the manifest (results.json's sha256 per file)", async () => {
    const d = join(root, "edited");
    await commitRun(await stageRun(d), [file("m.safetensors", 10, 1)], {});
    await writeFile(join(d, "m.safetensors"), new Uint8Array(10).fill(9));
    await expect(readSavedRun(d)).rejects.toThrow(/m.safetensors: does not match results.json/);
  });
});

describe("adversarial suite: writers killed at random points and two writers at once (items 11, 12)", () => {
  const counts = {
    kills: 0,
    midSave: 0,
    whole: 0,
    partialOrMixed: 0,
    leftoversAfterNextSave: 0,
    writers: 0,
    concurrentWhole: 0,
  };
  afterAll(() => {
    console.log(
      `adversarial suite, saving: ${counts.kills} writers killed (SIGKILL) at random points (${counts.midSave} in the middle of a save), ${counts.partialOrMixed} partial or mixed runs seen (${counts.whole} whole), ${counts.leftoversAfterNextSave} leftovers after the next save; ${counts.writers} pairs of concurrent writers, ${counts.writers - counts.concurrentWhole} invalid results`,
    );
  });

  it("after every SIGKILL the directory holds one whole run, and the next save cleans up", async () => {
    const d = join(root, "killed");
    await commitRun(await stageRun(d), [file("mlp-int8.safetensors", 100, 7)], { first: true });
    let seed = 12345;
    for (let k = 0; k < 8; k++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      const child = spawn(
        process.execPath,
        ["--import", "tsx", join(__dirname, "_saveRunChild.ts"), d, String(seed)],
        {
          cwd: join(__dirname, ".."),
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      // Wait for the first commit (start-up done), then kill at a random moment of the next saves.
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      await new Promise((r) => setTimeout(r, (seed % 400) + 1));
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      counts.kills++;
      if ((await readdir(root)).some((n) => n.startsWith(".killed."))) counts.midSave++;
      try {
        await readSavedRun(d);
        counts.whole++;
      } catch {
        counts.partialOrMixed++;
      }
      // The next writer removes (or moves back) what the killed one left.
      await commitRun(await stageRun(d), [file("mlp-int8.safetensors", 100, k)], { after: k });
      counts.leftoversAfterNextSave += (await readdir(root)).filter((n) => n.startsWith(".killed.")).length;
    }
    expect(counts.partialOrMixed).toBe(0);
    expect(counts.leftoversAfterNextSave).toBe(0);
  }, 60_000);

  it("two writers at once: the directory always ends as one whole run of one of them", async () => {
    for (let t = 0; t < 60; t++) {
      const d = join(root, `pair${t}`);
      const [a, b] = await Promise.all([stageRun(d), stageRun(d)]);
      await Promise.all([
        commitRun(a!, [file("m.safetensors", 1000 + t, 1), file("a.safetensors", 10, 1)], { writer: "a" }),
        commitRun(b!, [file("m.safetensors", 2000 + t, 2), file("b.safetensors", 10, 2)], { writer: "b" }),
      ]);
      counts.writers++;
      const read = await readSavedRun(d).catch(() => null);
      if (read !== null && [a!.runId, b!.runId].includes(read.runId)) counts.concurrentWhole++;
    }
    expect(counts.concurrentWhole).toBe(counts.writers);
  });
});
