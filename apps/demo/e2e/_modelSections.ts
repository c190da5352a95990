/**
 * Sections 6-10 of the explainer in Chromium (granularity, integer matmul, PTQ, QAT, drawing a
 * digit). They share one page and its models, in order: section 6's worker trains the float MLP
 * (one epoch on the bundled digits), section 8 loads a checkpoint, retrains and quantizes, section
 * 9 fine-tunes with fake quantization, section 10 runs the models they made.
 */
import { expect, it } from "vitest";
import { open, page, screenshot, text } from "./_demoPage";
import { expectYTitleWhole } from "./_expectYTitleWhole";

/** Registers the tests of sections 6-10, in order, in the calling describe block (demo.test.ts). */
export function modelSections(): void {
  it("6. granularity: a trained layer per tensor, per channel, per group", async () => {
    await open("granularity");
    // the worker trains the MLP first (one epoch on the bundled digits)
    await page.getByTestId("g-results").waitFor({ timeout: 150_000 });
    const mse = async (k: string) => Number(await text(`g-mse-${k}`));
    expect(await mse("per_channel")).toBeLessThan(await mse("per_tensor"));
    expect(await mse("per_group")).toBeLessThan(await mse("per_channel"));
    const at4 = await mse("per_tensor");
    await page.getByTestId("g-bits").fill("8");
    await expect.poll(() => mse("per_tensor")).toBeLessThan(at4 / 100); // 4 more bits: about 16x smaller steps
    await page.getByTestId("g-bits").fill("4");
    await screenshot(6, "granularity");
    await page.getByTestId("g-layer-fc2").click();
    await expect.poll(async () => (await text("g-table")).includes("fc2: 10\u202f000 weights")).toBe(true);
  });

  it("7. integer matmul: the MAC walk, requantization, and CPU vs gpu.js WebGL2 kernels", async () => {
    await open("matmul");
    // with every MAC step done, the accumulator equals the GEMM's (+ bias) for each output
    for (const [i, j] of [
      [0, 0],
      [1, 2],
    ] as const) {
      await page.getByTestId(`mm-row-${i}`).click();
      await page.getByTestId(`mm-col-${j}`).click();
      const acc = await text("mm-acc");
      const hint = (await page.getByTestId("mm-acc").locator("xpath=../..").textContent()) ?? "";
      expect(hint).toContain(`the GEMM gives ${acc}`);
    }
    expect(await text("mm-linear-equal")).toBe("same codes ✓");
    // no MAC step yet: the accumulator holds the int32 bias
    await page.getByTestId("mm-step").fill("0");
    const biasCell = await page.getByTestId("mm-bq").locator("td").nth(2).textContent();
    expect(await text("mm-acc")).toBe(biasCell);
    await page.getByTestId("mm-step").fill("4");
    // the timed kernels, in the worker
    await page.getByTestId("mm-size-128").click();
    await page.getByTestId("mm-run").click();
    await page.getByTestId("mm-bench-result").waitFor({ timeout: 120_000 });
    expect(await text("mm-gpu-backend")).toBe("webgl2");
    expect(await text("mm-gpu-equal")).toBe("bit for bit ✓");
    expect(await text("mm-js-equal")).toBe("bit for bit ✓");
    const rows = await page
      .getByTestId("mm-bench-table")
      .locator("tbody tr td:nth-child(2)")
      .allTextContents();
    expect(rows).toEqual(["wasm-simd", "wasm-simd", "js", "webgl2", "webgl2"]);
    await screenshot(7, "matmul");
  });

  it("8. PTQ: load a checkpoint, train on a slice, calibrate, convert, compare accuracy and size", async () => {
    await open("ptq");
    // section 6 trained the float model on all 7,996 digits: "Train again" offers the same, not 2,000
    await expect.poll(() => page.getByTestId("p8-train-size-7996").getAttribute("aria-checked")).toBe("true");
    expect(await text("p8-model")).toBe("model #1: 7\u202f996 digits × 1 epoch");
    // a checkpoint as the command line saves it (the MLP's state dict as safetensors): untrained, so
    // about one digit in ten is right
    const nn = await import("@quantkit/nn");
    const bytes = nn.serializeSafetensors(nn.stateDict(nn.createMlp([784, 100, 100, 10], { seed: 0 })), {
      format: "pt",
    });
    await page.getByTestId("p8-checkpoint").setInputFiles({
      name: "mlp-fp32.safetensors",
      mimeType: "application/octet-stream",
      buffer: Buffer.from(bytes),
    });
    await expect
      .poll(async () => (await page.getByTestId("p8-fp32-acc").locator("xpath=../..").textContent()) ?? "", {
        timeout: 60_000,
      })
      .toContain("loaded checkpoint");
    const untrained = Number.parseFloat(await text("p8-fp32-acc"));
    expect(untrained).toBeGreaterThan(2);
    expect(untrained).toBeLessThan(25);
    // section 6 (still mounted, hidden) now knows its weights are model #1's, not the checkpoint's
    await expect.poll(() => page.getByTestId("g-stale").count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId("p8-train-size-2000").click();
    await page.getByTestId("p8-epochs-1").click();
    await page.getByTestId("p8-train").click();
    await expect.poll(() => text("p8-fp32-acc"), { timeout: 150_000 }).toMatch(/%$/);
    await page.getByTestId("p8-train").getByText("Train again").waitFor({ timeout: 150_000 });
    const fp32 = Number.parseFloat(await text("p8-fp32-acc"));
    expect(fp32).toBeGreaterThan(80);
    expect(await text("p8-model")).toBe("model #3: 2\u202f000 digits × 1 epoch");
    // Stop: the page says "stopped" and keeps the model it had, with its curve, not the aborted run's
    // (a long run, 3 epochs of all the digits, stopped once it is under way)
    await page.getByTestId("p8-train-size-7996").click();
    await page.getByTestId("p8-epochs-3").click();
    await page.getByTestId("p8-train").click();
    await expect.poll(() => text("p8-train-progress"), { timeout: 60_000 }).toMatch(/^step /);
    // (dispatched: the bar redraws every 120 ms, and the sticky header may cover the button's row)
    await page.getByTestId("p8-train-cancel").dispatchEvent("click");
    await page.getByTestId("p8-stopped").waitFor({ timeout: 30_000 });
    await page.getByTestId("p8-train-size-2000").click();
    await page.getByTestId("p8-epochs-1").click();
    expect(await text("p8-stopped")).toContain("model #3");
    expect(await text("p8-model")).toBe("model #3: 2\u202f000 digits × 1 epoch");
    expect(Number.parseFloat(await text("p8-fp32-acc"))).toBe(fp32);
    // the loss chart's y-axis title is drawn whole (it was cut to "loss (nat" at the canvas' top)
    await expectYTitleWhole("p8-loss", "loss (nats)");
    // int8, min-max, 100 calibration digits
    await page.getByTestId("p8-calibrator").selectOption("minmax");
    await page.getByTestId("p8-bits-8").click();
    await page.getByTestId("p8-calib-100").click();
    await page.getByTestId("p8-run").click();
    await page.getByTestId("p8-result").waitFor({ timeout: 120_000 });
    const int8 = Number.parseFloat(await text("p8-acc-int"));
    expect(Math.abs(int8 - fp32)).toBeLessThan(2);
    expect(Number.parseFloat(await text("p8-agree"))).toBeGreaterThan(95);
    // 358 kB of float32 parameters (plus the file header) against about a quarter in int8
    expect(await text("p8-size")).toMatch(/^3(5[89]|60) kB → (9\d(\.\d)?|1[01]\d) kB$/);
    // another calibrator, 4 bits: a second run in the table
    await page.getByTestId("p8-calibrator").selectOption("percentile");
    await page.getByTestId("p8-bits-4").click();
    await page.getByTestId("p8-run").click();
    await expect
      .poll(() => page.getByTestId("p8-runs").locator("tbody tr").count(), { timeout: 120_000 })
      .toBe(2);
    expect(await page.getByTestId("p8-stale").count()).toBe(0);
    // retrain: step 2's results came from model #3, so they are marked stale, with a re-run button
    await page.getByTestId("p8-train").click();
    await expect.poll(() => text("p8-model"), { timeout: 150_000 }).toContain("model #4");
    await page.getByTestId("p8-stale").waitFor({ timeout: 30_000 });
    expect(await text("p8-stale")).toContain("these results come from float model #3");
    expect(await page.getByTestId("p8-result").getAttribute("data-model")).toBe("3");
    await page.getByTestId("p8-stale-rerun").click();
    await expect.poll(() => page.getByTestId("p8-stale").count(), { timeout: 120_000 }).toBe(0);
    expect(await page.getByTestId("p8-result").getAttribute("data-model")).toBe("4");
    expect(await page.getByTestId("p8-runs").locator("tbody tr").count()).toBe(3);
    await screenshot(8, "ptq");
  });

  it("9. QAT: fake-quantized training live, PTQ vs QAT at 8/4/2 bits, weights before and after", async () => {
    await open("qat");
    // fine-tune the float model of section 8 at 4 bits
    await page.getByTestId("q9-bits-4").click();
    await page.getByTestId("q9-mode-finetune").click();
    await page.getByTestId("q9-epochs-1").click();
    await page.getByTestId("q9-train-size-2000").click();
    await page.getByTestId("q9-run").click();
    await page.getByTestId("q9-acc-int").waitFor({ timeout: 150_000 });
    expect(await text("q9-acc-int")).toMatch(/^\d+\.\d %$/);
    await page.getByTestId("q9-weights").waitFor({ timeout: 60_000 });
    await expectYTitleWhole("q9-loss", "loss (nats)");
    // the sweep: PTQ and QAT at 8, 4 and 2 bits
    await page.getByTestId("q9-sweep").click();
    await page.getByTestId("q9-sweep-table").waitFor({ timeout: 170_000 });
    const rows = page.getByTestId("q9-sweep-table").locator("tbody tr");
    expect(await rows.locator("td:first-child").allTextContents()).toEqual(["8", "4", "2"]);
    const cell = async (row: number, col: number) =>
      Number.parseFloat((await rows.nth(row).locator("td").nth(col).textContent()) ?? "");
    // at 2 bits, training through the quantizer recovers much of what PTQ loses
    expect(await cell(2, 2)).toBeGreaterThan(await cell(2, 1));
    // the fair baseline sits in the table, and the caption is computed from the table's numbers
    expect((await rows.nth(0).locator("td").nth(3).textContent()) ?? "").toMatch(/^\d+\.\d %$/);
    const caption = await text("q9-sweep-caption");
    expect(caption).toContain("Against float32 trained the same extra epochs");
    for (const b of ["8", "4", "2"]) expect(caption).toContain(`${b} bits: QAT`);
    expect(caption).not.toContain("recovers what PTQ loses");
    const qatBeatsPtq = [0, 1, 2].map(async (i) => (await cell(i, 2)) > (await cell(i, 1)));
    if ((await Promise.all(qatBeatsPtq)).every(Boolean))
      expect(caption).toContain("QAT beats PTQ at 8, 4 and 2 bits.");
    // the STE figure's caption states what its chart draws
    expect(await text("q9-ste-caption")).toContain("its output spans [-1.00, 1.00]");
    await screenshot(9, "qat");
  });

  it("10. draw a digit: fp32, PTQ int8 and QAT int4 side by side", async () => {
    await open("draw");
    // sections 8 and 9 made the float and PTQ int8 models; the QAT int4 one too (section 9 ran at 4 bits)
    await expect.poll(() => text("d-card-qat4"), { timeout: 30_000 }).toContain("test accuracy");
    // section 8's int8 model came from float model #3 (its re-run after retraining was at 4 bits): stale
    await page.getByTestId("d-stale-ptq8").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("d-stale-qat4").count()).toBe(0);
    await page.getByTestId("d-stale-rerun").click();
    await expect.poll(() => page.getByTestId("d-stale-ptq8").count(), { timeout: 120_000 }).toBe(0);
    // a test digit: the float model reads it right, and the integer models agree with it
    await page.getByTestId("d-test-digit").click();
    await expect.poll(() => text("d-label"), { timeout: 30_000 }).toMatch(/labelled \d$/);
    const label = (await text("d-label")).slice(-1);
    await expect.poll(() => text("d-pred-fp32"), { timeout: 30_000 }).toBe(label);
    await expect.poll(() => text("d-pred-ptq8"), { timeout: 30_000 }).toBe(label);
    // draw a "1": one vertical stroke
    await page.getByTestId("d-clear").click();
    const box = (await page.getByTestId("d-pad").boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.52, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++)
      await page.mouse.move(box.x + box.width * (0.52 - i * 0.004), box.y + box.height * (0.15 + i * 0.06));
    await page.mouse.up();
    for (const id of ["fp32", "ptq8", "qat4"])
      await expect.poll(() => text(`d-pred-${id}`), { timeout: 30_000 }).toBe("1");
    await screenshot(10, "draw");
  });
}
