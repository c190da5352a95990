/**
 * Section 8: post-training quantization. Train the deck's MLP on the bundled MNIST digits in the
 * worker (or load a checkpoint the command line saved), pick a calibrator, calibrate and convert with
 * @quantkit/ptq, and compare accuracy and size; every run stays in a table for comparison.
 */
import { h, type JSX } from "preact";
import { useState } from "preact/hooks";
import type { SectionInfo } from "../sectionInfo";
import { useCurrentModel } from "../ui/currentModel";
import { SectionFrame } from "../ui/layout";
import { useJob } from "../ui/useJob";
import type { PtqOutput } from "../worker/ptq";
import { ConvertPanel, type PtqSettings } from "./ptq/ConvertPanel";
import { RunsPanel } from "./ptq/RunsPanel";
import { TrainPanel } from "./ptq/TrainPanel";

export default function Ptq(props: { info: SectionInfo }): JSX.Element {
  const [runs, setRuns] = useState<PtqOutput[]>([]);
  const model = useCurrentModel();
  const train = useJob("trainMlp");
  const load = useJob("loadCheckpoint");
  const ptq = useJob("ptq");

  const quantize = async (input: PtqSettings) => {
    const out = await ptq.run(input);
    if (out) setRuns((r) => [...r, out]);
  };

  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "Post-training quantization takes a model already trained in floating point. It inserts observers that watch the activations while some representative data flows through (calibration), picks each layer's range with them, then converts: int8 weights, int32 biases, uint8 activations, fixed-point requantization between layers.",
        ),
        h(
          "p",
          null,
          "Here the deck's notebook runs in your browser: its MLP (784-100-100-10, ReLU) trained on MNIST digits with Adam, then PyTorch's recipe through quantkit's ptq package.",
        ),
      ],
    },
    h(TrainPanel, { train, load, model }),
    h(ConvertPanel, { ptq, quantize, trainRunning: train.running, model }),
    h(RunsPanel, { runs, model }),
  );
}
