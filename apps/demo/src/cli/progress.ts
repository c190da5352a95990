import cliProgress from "cli-progress";
import type { CliIo } from "./io";
import { styles } from "./terminal";

/** A stage of `quantkit run` as the experiment reports it, in plain words for the bar. */
const STAGE_NAMES: Record<string, string> = {
  train: "train fp32",
  evaluate: "evaluate fp32",
  calibrate: "calibrate (PTQ)",
  select: "choose calibrator",
  "qat-scratch": "QAT from scratch",
  "qat-finetune": "QAT fine-tune",
  "fp32-finetune": "fp32 fair baseline",
  "weight-only": "weight-only PTQ",
};

/** What one progress report carries (the experiment's `ExperimentProgress`). */
export interface ProgressReport {
  stage: string;
  label: string;
  done: number;
  total: number;
  step?: number;
  steps?: number;
  loss?: number;
}

/**
 * One progress bar per stage on stderr, with a stage counter ("3/7 calibrate (PTQ)"): the bar advances
 * with every unit of work the stage reports, the label beside it says what is being done. Sized to the
 * terminal's width; silent when stderr is not a terminal.
 */
export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private key = "";

  constructor(
    private readonly io: CliIo,
    private readonly enabled: boolean,
  ) {}

  /** The bar's format for a terminal of `columns` (the label shrinks first, then the bar). */
  static format(columns: number, counter: string): { format: string; barsize: number; labelWidth: number } {
    // "3/7 calibrate (PTQ) [bar] 10/20 50% loss 0.1234 eta 3s label"
    const fixed = counter.length + 1 + 2 + 1 + 11 + 1 + 4 + 1 + 11 + 1 + 8;
    const room = Math.max(0, columns - 1 - fixed);
    const barsize = Math.max(8, Math.min(30, Math.floor(room / 2)));
    const labelWidth = Math.max(0, room - barsize);
    return {
      format: `${counter} [{bar}] {value}/{total} {percentage}% {loss}eta {eta_formatted} {label}`,
      barsize,
      labelWidth,
    };
  }

  /**
   * Shows a stage's progress (a new bar when the stage changes; the label only changes the text). Takes
   * a report, or its fields in order (stage, label, done, total, loss) for a run without a stage counter.
   */
  update(report: ProgressReport | string, text?: string, done?: number, total?: number, loss?: number): void {
    const p: ProgressReport =
      typeof report === "string"
        ? {
            stage: report,
            label: text ?? "",
            done: done ?? 0,
            total: total ?? 0,
            ...(loss !== undefined ? { loss } : {}),
          }
        : report;
    if (!this.enabled || this.io.errStream === undefined) return;
    const name = STAGE_NAMES[p.stage] ?? p.stage;
    const counter = p.step !== undefined && p.steps !== undefined ? `${p.step}/${p.steps} ${name}` : name;
    const columns = this.io.errStream.columns ?? 80;
    const { format, barsize, labelWidth } = Progress.format(columns, counter);
    const key = `${p.step ?? ""}\u0000${p.stage}`;
    const st = styles(this.io.errColor === true);
    const shown = p.label.length > labelWidth ? `${p.label.slice(0, Math.max(0, labelWidth - 1))}…` : p.label;
    const payload = { loss: p.loss === undefined ? "" : `loss ${p.loss.toFixed(4)} `, label: st.dim(shown) };
    if (key !== this.key || this.bar === null) {
      this.stop();
      this.key = key;
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.io.errStream,
          format: format.replace(counter, st.cyan(counter)),
          hideCursor: true,
          clearOnComplete: true,
          barsize,
          etaBuffer: 50,
          // redraw as units arrive, at most every 100 ms (the default 10 fps, kept explicit)
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(p.total, 0, payload);
    }
    this.bar.setTotal(p.total);
    this.bar.update(p.done, payload);
  }

  /** Removes the bar. */
  stop(): void {
    this.bar?.stop();
    this.bar = null;
    this.key = "";
  }
}
