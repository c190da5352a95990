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

/** Builds an IDX file by hand: header then big-endian elements, written with DataView. */
export function idx(typeByte: number, shape: number[], values: number[], size: number): Uint8Array {
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + values.length * size);
  const view = new DataView(bytes.buffer);
  bytes[2] = typeByte;
  bytes[3] = shape.length;
  for (let i = 0; i < shape.length; i++) view.setUint32(4 + 4 * i, shape[i]!, false);
  values.forEach((v, i) => {
    const at = header + i * size;
    if (typeByte === 0x08) view.setUint8(at, v);
    else if (typeByte === 0x09) view.setInt8(at, v);
    else if (typeByte === 0x0b) view.setInt16(at, v, false);
    else if (typeByte === 0x0c) view.setInt32(at, v, false);
    else if (typeByte === 0x0d) view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  });
  return bytes;
}
