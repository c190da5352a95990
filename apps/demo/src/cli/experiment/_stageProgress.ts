/**
 * The progress of a multi-stage run, for `runSeedExperiment`: the run announces how many stages
 * it has, each stage how many units of work it holds (batches, candidates, timed passes), and every
 * unit done is reported, so that a progress bar advances with the work actually done.
 */

/** One progress report (see `ExperimentProgress`). */
export interface _StageReport {
  readonly stage: string;
  readonly label: string;
  readonly done: number;
  readonly total: number;
  readonly step: number;
  readonly steps: number;
  readonly loss?: number;
}

/** A stage under way: `advance` reports units done (at most `total`), with an optional new label. */
export interface _Stage {
  advance(units?: number, label?: string, loss?: number): void;
  readonly done: number;
}

/** Makes the stages of a run of `steps` stages, reporting through `report`. */
export function _stageProgress(steps: number, report: (p: _StageReport) => void) {
  let step = 0;
  return {
    begin(stage: string, label: string, total: number): _Stage {
      step = Math.min(step + 1, steps);
      const current = step;
      let done = 0;
      let text = label;
      report({ stage, label, done, total, step: current, steps });
      return {
        advance(units = 1, newLabel?: string, loss?: number) {
          done = Math.min(total, done + units);
          if (newLabel !== undefined) text = newLabel;
          report({
            stage,
            label: text,
            done,
            total,
            step: current,
            steps,
            ...(loss !== undefined ? { loss } : {}),
          });
        },
        get done() {
          return done;
        },
      };
    },
  };
}
