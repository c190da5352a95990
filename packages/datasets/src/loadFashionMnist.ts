import type { DatasetSplit } from "./dataset";
import { loadMnistIdx } from "./loadMnistIdx";

/** Where Debian's `dataset-fashion-mnist` package installs the files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist/";

/** Fashion-MNIST's ten classes, by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

/**
 * Loads Fashion-MNIST (60,000 training and 10,000 test images, 28x28, ten classes) from an
 * MNIST-format directory (Node only), by default where Debian's `dataset-fashion-mnist` puts it.
 * Pixels are scaled to [0, 1].
 *
 * @example
 * const { train, test } = await loadFashionMnist();
 * train.count // 60000
 * test.count  // 10000
 */
export function loadFashionMnist(dir: string = FASHION_MNIST_DIR): Promise<DatasetSplit> {
  return loadMnistIdx(dir);
}
