/**
 * Section 9: quantization-aware training. Train with fake quantization live (loss curve), the
 * straight-through estimator drawn, PTQ vs QAT at 8, 4 and 2 bits on one chart, and the deck's "why
 * it works": a layer's weights before and after QAT. Runs @quantkit/qat in the worker.
 */
import { h, type JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { SectionInfo } from "../sectionInfo";
import { useCurrentModel } from "../ui/currentModel";
import { SectionFrame } from "../ui/layout";
import { useJob } from "../ui/useJob";
import { StePanel } from "./qat/StePanel";
import { SweepPanel } from "./qat/SweepPanel";
import { type QatSettings, TrainPanel } from "./qat/TrainPanel";
import { WeightsPanel } from "./qat/WeightsPanel";

export default function Qat(props: { info: SectionInfo }): JSX.Element {
  const [settings, setSettings] = useState<QatSettings>({
    bits: 4,
    mode: "finetune",
    epochs: 1,
    trainSize: 2000,
  });
  const run = useJob("qat");
  const sweep = useJob("qatSweep");
  const weights = useJob("qatWeights");
  const model = useCurrentModel();
  const [layer, setLayer] = useState<"fc1" | "fc2">("fc2");

  useEffect(() => {
    if (run.result) weights.run({ layer, bits: run.result.bits });
  }, [run.result, layer]);

  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "We insert fake modules in the computational graph of the model to simulate the effect of quantization during training: a quantize followed by a dequantize, on the weights and on the activations. The loss is then computed on weights that constantly suffer from the effect of quantization, and training adapts to it. It usually leads to a more robust model.",
        ),
        h(
          "p",
          null,
          "At the end, the same convert as PTQ produces the integer model: QAT changes the weights, not the inference.",
        ),
      ],
    },
    h(TrainPanel, { settings, onSettings: setSettings, run, sweepRunning: sweep.running, model }),
    h(StePanel, null),
    h(SweepPanel, { settings, sweep, runRunning: run.running, model }),
    h(WeightsPanel, { weights, layer, onLayer: setLayer }),
  );
}
