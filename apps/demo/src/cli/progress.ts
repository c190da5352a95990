import cliProgress from "cli-progress";
import type { CliIo } from "./io";

/** One progress bar at a time on stderr, redrawn as a stage advances; silent when stderr is not a terminal. */
export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private key = "";

  constructor(
    private readonly io: CliIo,
    private readonly enabled: boolean,
  ) {}

  /** Shows `done / total` of a stage (a new bar when the stage or its label changes). */
  update(stage: string, label: string, done: number, total: number, loss?: number): void {
    if (!this.enabled || this.io.errStream === undefined) return;
    const key = `${stage}\u0000${label}`;
    if (key !== this.key || this.bar === null) {
      this.stop();
      this.key = key;
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.io.errStream,
          format: `${label.padEnd(34).slice(0, 34)} [{bar}] {value}/{total} {percentage}% {loss} eta {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: true,
          barsize: 24,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0, { loss: "" });
    }
    this.bar.update(done, { loss: loss === undefined ? "" : `loss ${loss.toFixed(4)}` });
  }

  /** Removes the bar. */
  stop(): void {
    this.bar?.stop();
    this.bar = null;
    this.key = "";
  }
}
