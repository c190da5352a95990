// Hand-built IDX files for the tests: headers written with DataView, big-endian as the format says.

/** An MNIST-style images file (magic 0x00000803) of count images, rows x cols, pixel(i, p) each (7 by default). */
export function imagesFile(
  count: number,
  rows: number,
  cols: number,
  pixel: (i: number, p: number) => number = () => 7,
): Uint8Array {
  const bytes = new Uint8Array(16 + count * rows * cols);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x803, false);
  view.setUint32(4, count, false);
  view.setUint32(8, rows, false);
  view.setUint32(12, cols, false);
  for (let i = 0; i < count; i++)
    for (let p = 0; p < rows * cols; p++) bytes[16 + i * rows * cols + p] = pixel(i, p);
  return bytes;
}

/** An MNIST-style labels file (magic 0x00000801). */
export function labelsFile(labels: number[]): Uint8Array {
  const bytes = new Uint8Array(8 + labels.length);
  new DataView(bytes.buffer).setUint32(0, 0x801, false);
  new DataView(bytes.buffer).setUint32(4, labels.length, false);
  bytes.set(labels, 8);
  return bytes;
}
