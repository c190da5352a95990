let table: Int32Array | null = null;

function _table(): Int32Array {
  if (table) return table;
  table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
}

/**
 * CRC-32 (IEEE 802.3, the polynomial of gzip, zip and PNG) of `bytes`, continuing from `crc` (the
 * result of a previous call, 0 to start). Detects every error burst of up to 32 bits and misses a
 * random corruption with probability 2^-32. `_crc32(new TextEncoder().encode("123456789"))` is
 * 0xcbf43926, the standard check value.
 */
export function _crc32(bytes: Uint8Array, crc = 0): number {
  const t = _table();
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
