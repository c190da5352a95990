import type { Module } from "@quantkit/nn";
import { FakeQuantize } from "./FakeQuantize";

function each(model: Module, fn: (fq: FakeQuantize) => void): Module {
  for (const [, m] of model.namedModules()) if (m instanceof FakeQuantize) fn(m);
  return model;
}

/**
 * Freezes every FakeQuantize's range (PyTorch's `model.apply(torch.ao.quantization.disable_observer)`):
 * the scales and zero points stop changing; fake quantization goes on. Do it before evaluating a QAT
 * model (the observers would otherwise adapt to the test data) or for the last part of training.
 *
 * @example
 * disableObserver(qat); // then evaluate or convert
 */
export function disableObserver<M extends Module>(model: M): M {
  return each(model, (fq) => void (fq.observerEnabled = false)) as M;
}

/**
 * Lets every FakeQuantize's observer update again (PyTorch's `enable_observer`).
 *
 * @example
 * enableObserver(qat);
 */
export function enableObserver<M extends Module>(model: M): M {
  return each(model, (fq) => void (fq.observerEnabled = true)) as M;
}

/**
 * Turns fake quantization off everywhere (PyTorch's `disable_fake_quant`): the model computes in float
 * while the observers may still record ranges.
 *
 * @example
 * disableFakeQuant(qat); // a float forward pass through the QAT model
 */
export function disableFakeQuant<M extends Module>(model: M): M {
  return each(model, (fq) => void (fq.fakeQuantEnabled = false)) as M;
}

/**
 * Turns fake quantization on everywhere (PyTorch's `enable_fake_quant`).
 *
 * @example
 * enableFakeQuant(qat);
 */
export function enableFakeQuant<M extends Module>(model: M): M {
  return each(model, (fq) => void (fq.fakeQuantEnabled = true)) as M;
}
