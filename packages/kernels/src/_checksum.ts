const M = 0x01000193;

/**
 * A 32-bit checksum of an integer typed array's bytes: four interleaved polynomial lanes over 32-bit
 * words (h = h * 0x01000193 + word, mod 2^32), folded by multiplying the lanes by distinct odd constants
 * and xoring them. Each lane's multiplier is odd, so a change to any one word always changes the result;
 * several changes collide with probability about 2^-32. It guards cached kernel plans against in-place
 * edits, not against adversaries. Four lanes run about 3x one lane (the imul latency chain, measured);
 * about 25 us for a 100 x 784 int8 weight here (packages/kernels/bench/planCheck.bench.ts).
 */
export function _checksum(a: Int8Array | Uint8Array | Int32Array, seed = 0): number {
  let h0 = (seed ^ a.length) | 0;
  let h1 = 0;
  let h2 = 0;
  let h3 = 0;
  const bytes = a.byteLength;
  let start = 0;
  if (a.byteOffset % 4 === 0) {
    const w = new Int32Array(a.buffer, a.byteOffset, bytes >> 2);
    const n = w.length & ~3;
    let i = 0;
    for (; i < n; i += 4) {
      h0 = (Math.imul(h0, M) + w[i]!) | 0;
      h1 = (Math.imul(h1, M) + w[i + 1]!) | 0;
      h2 = (Math.imul(h2, M) + w[i + 2]!) | 0;
      h3 = (Math.imul(h3, M) + w[i + 3]!) | 0;
    }
    for (; i < w.length; i++) h0 = (Math.imul(h0, M) + w[i]!) | 0;
    start = w.length * 4;
  }
  if (start < bytes) {
    const u8 = new Uint8Array(a.buffer, a.byteOffset + start, bytes - start);
    for (let i = 0; i < u8.length; i++) h0 = (Math.imul(h0, M) + u8[i]!) | 0;
  }
  return (h0 ^ Math.imul(h1, 3) ^ Math.imul(h2, 5) ^ Math.imul(h3, 7)) >>> 0;
}
