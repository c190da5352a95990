import type { Rng } from "@quantkit/tensor";

/**
 * Seeded stand-ins for text-line images, normalized as PaddleOCR feeds them ((v / 255 - 0.5) / 0.5,
 * so white paper is 1 and ink -1): a light, slightly noisy background with dark glyph-like strokes.
 */
export function textLine(rng: Rng, height: number, width: number): Float32Array {
  const plane = new Float32Array(height * width);
  for (let i = 0; i < plane.length; i++) plane[i] = 0.9 + 0.1 * rng.uniform(-1, 1);
  for (let x = 4; x < width - 8; x += 6 + rng.int(6)) {
    const w = 2 + rng.int(5);
    const top = 8 + rng.int(10);
    const bottom = height - 8 - rng.int(10);
    for (let y = top; y < bottom; y++) {
      for (let dx = 0; dx < w; dx++)
        if (rng.uniform(0, 1) < 0.8) plane[y * width + x + dx] = -0.9 + 0.2 * rng.uniform(0, 1);
    }
  }
  const out = new Float32Array(3 * plane.length);
  for (let c = 0; c < 3; c++) out.set(plane, c * plane.length);
  return out;
}

/** Seeded audio frames (16 kHz): voiced harmonics with a moving pitch and envelope, then noise-only stretches. */
export function audioFrames(rng: Rng, frames: number, size = 512): Float32Array[] {
  const out: Float32Array[] = [];
  let t = 0;
  for (let f = 0; f < frames; f++) {
    const frame = new Float32Array(size);
    const voiced = Math.floor(f / 8) % 2 === 0;
    const pitch = 110 + 60 * Math.sin(f / 5);
    for (let i = 0; i < size; i++, t++) {
      const s = t / 16000;
      let v = 0.01 * rng.uniform(-1, 1);
      if (voiced)
        for (let h = 1; h <= 6; h++)
          v +=
            (0.25 / h) * Math.sin(2 * Math.PI * pitch * h * s) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * s));
      frame[i] = v;
    }
    out.push(frame);
  }
  return out;
}
