import { describe, expect, it } from "vitest";
import { memoryIo } from "./io";
import { Progress } from "./progress";

/** A terminal of `columns` that records what is drawn. */
function fakeTerminal(columns: number) {
  const writes: string[] = [];
  const stream = {
    isTTY: true,
    columns,
    write(s: string) {
      writes.push(s);
      return true;
    },
    cursorTo() {
      return true;
    },
    clearLine() {
      return true;
    },
    clearScreenDown() {
      return true;
    },
    moveCursor() {
      return true;
    },
    on() {
      return stream;
    },
    removeListener() {
      return stream;
    },
  };
  return { stream: stream as unknown as NodeJS.WriteStream, writes };
}

const plain = (s: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are stripped to measure
  s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");

describe("Progress", () => {
  it("draws a stage counter and a bar that follows each unit of work, within the terminal's width", () => {
    for (const columns of [80, 120]) {
      const { stream, writes } = fakeTerminal(columns);
      const p = new Progress({ ...memoryIo(), errIsTTY: true, errStream: stream }, true);
      for (let done = 0; done <= 20; done++)
        p.update({
          stage: "select",
          label: `minmax / weights mse (${done})`,
          done,
          total: 20,
          step: 4,
          steps: 7,
        });
      p.update({
        stage: "qat-scratch",
        label: "QAT scratch epoch 1/1",
        done: 3,
        total: 800,
        step: 5,
        steps: 7,
        loss: 0.5,
      });
      p.stop();
      const drawn = writes.map(plain).filter((l) => l.trim() !== "");
      expect(drawn.some((l) => l.startsWith("4/7 choose calibrator ["))).toBe(true);
      expect(drawn.some((l) => /\] 20\/20 100% /.test(l))).toBe(true);
      // one bar per stage: the label changing within a stage does not restart it at 0
      const select = drawn.filter((l) => l.startsWith("4/7"));
      const values = select.map((l) => Number(/\] (\d+)\/20/.exec(l)?.[1]));
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(
        drawn.some(
          (l) => l.startsWith("5/7 QAT from scratch [") && l.includes("3/800") && l.includes("loss 0.5000"),
        ),
      ).toBe(true);
      for (const l of drawn) expect(l.length, l).toBeLessThan(columns);
    }
  });

  it("draws nothing when stderr is not a terminal", () => {
    const { stream, writes } = fakeTerminal(80);
    const p = new Progress({ ...memoryIo(), errIsTTY: false, errStream: stream }, false);
    p.update({ stage: "train", label: "fp32 epoch 1/1", done: 1, total: 10, step: 1, steps: 7 });
    p.stop();
    expect(writes).toEqual([]);
  });
});
