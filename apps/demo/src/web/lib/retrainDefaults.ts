/**
 * Section 8's "Train again" settings: those of the model in use, when the controls offer them, so that
 * retraining repeats the current recipe unless the learner changes it.
 */

/** The training-set sizes and epochs section 8's controls offer. */
export const TRAIN_SIZES: readonly number[] = [2000, 7996];
export const TRAIN_EPOCHS: readonly number[] = [1, 2, 3];

/**
 * The controls' values for `model` (undefined where the model's value is not offered, e.g. a loaded
 * checkpoint, so that the control keeps its own).
 *
 * @example
 * retrainDefaults({ trained: true, trainSize: 7996, epochs: 1 }) // { trainSize: 7996, epochs: 1 }
 */
export function retrainDefaults(
  model: { trained: boolean; trainSize: number | null; epochs: number | null } | undefined,
): { trainSize?: number; epochs?: number } {
  if (!model?.trained) return {};
  const out: { trainSize?: number; epochs?: number } = {};
  if (model.trainSize !== null && TRAIN_SIZES.includes(model.trainSize)) out.trainSize = model.trainSize;
  if (model.epochs !== null && TRAIN_EPOCHS.includes(model.epochs)) out.epochs = model.epochs;
  return out;
}
