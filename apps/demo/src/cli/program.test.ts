import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../../test/_cli";
import { npyBytes as npy } from "./_npyBytes";
import { memoryIo } from "./io";
import { runCli } from "./program";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "quantkit-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("quantkit (arguments, help, errors)", () => {
  it("--help lists the commands and exits 0; --version prints the version", async () => {
    const help = await cli("--help");
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Usage: quantkit \[options\] \[command\]/);
    for (const c of ["run", "explain", "quantize"]) expect(help.out).toMatch(new RegExp(`\\n  ${c} `));
    const runHelp = await cli("run", "--help");
    for (const o of [
      "--dataset",
      "--data-dir",
      "--epochs",
      "--batch-size",
      "--lr",
      "--seed",
      "--bits",
      "--json",
      "--save",
      "--gpu",
      "--qat",
    ])
      expect(runHelp.out).toContain(o);
    expect((await cli("--version")).out.trim()).toBe("0.1.0");
  });

  it("help speaks plain words, shows list defaults as typed (not JSON arrays) and ends with examples", async () => {
    const main = await cli("--help");
    expect(main.out).toMatch(/\nExamples:\n {2}quantkit run {2,}/);
    const run = await cli("run", "--help");
    expect(run.out).not.toContain("seed's experiment");
    expect(run.out).not.toMatch(/default: \[/);
    expect(run.out.replace(/\s+/g, " ")).toContain("(default: minmax,histogram,percentile,mse,entropy)");
    expect(run.out).toContain("(default: both)");
    expect(run.out).toMatch(/\nExamples:\n {2}quantkit run {2,}/);
    for (const c of ["explain", "quantize"])
      expect((await cli(c, "--help")).out).toMatch(/\nExamples:\n {2}quantkit /);
  });

  it("usage errors exit 2 (unknown option or command, bad value, no command); --help exits 0", async () => {
    expect((await cli("run", "--bogus")).code).toBe(2);
    expect((await cli("run", "--bits", "9")).code).toBe(2);
    expect((await cli("nope")).code).toBe(2);
    expect((await cli("explain")).code).toBe(2); // missing argument
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/Usage: quantkit/);
    expect((await cli("run", "--help")).code).toBe(0);
  });

  it("colours errors only when asked: a terminal or FORCE_COLOR (io.errColor), never when piped", async () => {
    const plain = memoryIo();
    await runCli(["run", "--bogus"], plain);
    expect(plain.stderr).not.toContain("\u001b[");
    const io = Object.assign(memoryIo(), { errColor: true });
    await runCli(["run", "--bogus"], io);
    expect(io.stderr).toContain("\u001b[31merror: unknown option '--bogus'");
  });

  it("bad arguments exit 2 with a message on stderr", async () => {
    const unknown = await cli("run", "--bogus");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown option '--bogus'/);
    const bits = await cli("run", "--bits", "9");
    expect(bits.code).toBe(2);
    expect(bits.err).toMatch(/--bits <n>' argument '9' is invalid. expected an integer in 2..8/);
    expect((await cli("run", "--dataset", "cifar")).err).toMatch(
      /Allowed choices are mnist, fashion-mnist, idx/,
    );
    expect((await cli("run", "--calibrators", "minmax,kl")).err).toMatch(/"kl" is not one of/);
    const idx = await cli("run", "--dataset", "idx", "--no-gpu");
    expect(idx.code).toBe(1);
    expect(idx.err).toMatch(/quantkit: --dataset idx needs --data-dir DIR/);
    const missing = await cli(
      "run",
      "--dataset",
      "fashion-mnist",
      "--data-dir",
      join(dir, "none"),
      "--no-gpu",
    );
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^quantkit: /);
    expect((await cli("nope")).code).toBe(2);
  });
});

describe("quantkit explain", () => {
  it("prints the deck's worked example for 0.15625 in float32", async () => {
    const r = await cli("explain", "0.15625", "--formats", "float32");
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      "0.15625 (float32) = 0 01111100 01000000000000000000000 = (+1) x 2^(124-127) x 1.25 = +0.15625 (exact)\n",
    );
  });

  it("covers every float format, integers in two's complement, and JSON", async () => {
    const r = await cli("explain", "-3");
    expect(r.out.split("\n").filter((l) => /^-3 \((b?float|float8)[^)]*\) = /.test(l)).length).toBe(7);
    expect(r.out).toContain("(bfloat16)");
    expect(r.out).toContain("(float8_e4m3fn)");
    expect(r.out).toContain("-3 (int8) = 11111101 (two's complement)");
    expect(r.out).not.toContain("(uint8)");
    const j = JSON.parse((await cli("explain", "65520", "--json")).out);
    expect(j.floats.map((f: { format: string }) => f.format)).toEqual([
      "float32",
      "float16",
      "bfloat16",
      "float8_e4m3fn",
      "float8_e5m2",
      "float8_e4m3fnuz",
      "float8_e5m2fnuz",
    ]);
    expect(j.floats[1].outcome).toBe("overflow"); // 65520 rounds to +Infinity in float16
    expect((await cli("explain", "0x7f", "--formats", "float16")).out).toMatch(
      /^127 \(float16\) = 0 10101 1111110000 = .* = \+127 \(exact\)/,
    );
  });

  it("rejects what is not a number", async () => {
    const r = await cli("explain", "twelve");
    expect(r.code).toBe(2); // a usage error: the argument is not a number
    expect(r.err).toMatch(/"twelve" is not a number/);
  });
});

describe("quantkit quantize", () => {
  it("prints PyTorch's parameters for the README's example (-1, 0, 0.5, 2 as quint8: scale 3/255, zero point 85)", async () => {
    const file = join(dir, "x.json");
    await writeFile(file, "[-1, 0, 0.5, 2]");
    const r = await cli("quantize", file, "--json");
    expect(r.code).toBe(0);
    const [res] = JSON.parse(r.out).results;
    expect(res.scale[0]).toBe(Math.fround(3 / 255));
    expect(res.zeroPoint).toEqual([85]);
    expect([res.quantMin, res.quantMax, res.qscheme]).toEqual([0, 255, "per_tensor_affine"]);
    // 0.5 is the one value that does not land on a code: it comes back as 127 * 3/255 - 1 ≈ 0.494
    expect(res.maxAbsError).toBeCloseTo(0.5 - (42 * 3) / 255, 6);
    expect(res.clippedFraction).toBe(0);
    const text = await cli("quantize", file);
    expect(text.out).toMatch(/tensor ".*x.json" json \[4\] \(4 values\), min -1.0000 max 2.0000/);
    expect(text.out).toMatch(/minmax\s+-1\.0000\s+2\.0000\s+0\.011765\s+85/);
  });

  it("symmetric 4-bit codes, per channel and per group, every calibrator, from .npy", async () => {
    const file = join(dir, "w.npy");
    const w = new Float32Array(64).map((_, i) => Math.sin(i * 0.7) * (1 + (i % 8)));
    await writeFile(file, npy("<f4", [8, 8], w));
    const sym = JSON.parse(
      (await cli("quantize", file, "--scheme", "symmetric", "--bits", "4", "--json")).out,
    ).results[0];
    expect([sym.quantMin, sym.quantMax, sym.zeroPoint[0]]).toEqual([-8, 7, 0]);
    let maxAbs = 0;
    for (const v of w) maxAbs = Math.max(maxAbs, Math.abs(v));
    expect(sym.scale[0]).toBe(Math.fround(maxAbs / 7.5));
    const pc = JSON.parse(
      (await cli("quantize", file, "--scheme", "symmetric", "--granularity", "channel", "--json")).out,
    ).results[0];
    expect(pc.scale).toHaveLength(8);
    expect(pc.sqnrDb).toBeGreaterThan(sym.sqnrDb);
    const group = JSON.parse(
      (await cli("quantize", file, "--granularity", "group", "--axis", "1", "--group-size", "4", "--json"))
        .out,
    ).results[0];
    expect(group.scale).toHaveLength(16);
    const all = await cli("quantize", file, "--calibrator", "all");
    for (const c of ["minmax", "percentile", "mse", "entropy", "histogram", "crossentropy"])
      expect(all.out).toMatch(new RegExp(`\\n  ${c}\\s`));
    expect((await cli("quantize", file, "--granularity", "group")).err).toMatch(/needs --group-size/);
    expect((await cli("quantize", file, "--signed", "--unsigned")).err).toMatch(/exclude each other/);
    expect((await cli("quantize", join(dir, "missing.npy"))).code).toBe(1);
  });
});
