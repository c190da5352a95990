import { _crc32 } from "./_crc32";

/** The `__metadata__` key of the checksum quantkit writes: CRC-32 of the whole file, 8 hex digits. */
export const _CHECKSUM_KEY = "quantkit_crc32";
const PLACEHOLDER = "00000000";

function _needle(hex: string): Uint8Array {
  return new TextEncoder().encode(`"${_CHECKSUM_KEY}":"${hex}"`);
}

function _find(bytes: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  outer: for (let i = from; i + needle.length <= to; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** CRC-32 of `bytes` read with the 8 checksum digits at `at` taken as "00000000". */
function _crcWithPlaceholder(bytes: Uint8Array, at: number): number {
  let crc = _crc32(bytes.subarray(0, at));
  crc = _crc32(new TextEncoder().encode(PLACEHOLDER), crc);
  return _crc32(bytes.subarray(at + 8), crc);
}

/** The metadata value to serialize before stamping. */
export function _checksumPlaceholder(): string {
  return PLACEHOLDER;
}

/**
 * Writes the CRC-32 of the whole serialized file (header and data, the digits counted as "00000000")
 * into the placeholder the header holds. `headerEnd` is where the JSON header ends.
 */
export function _stampChecksum(out: Uint8Array, headerEnd: number): void {
  const needle = _needle(PLACEHOLDER);
  const pos = _find(out, needle, 8, headerEnd);
  if (pos < 0) throw new Error("internal: the checksum placeholder is missing from the header");
  const at = pos + needle.length - 9; // the first digit
  const hex = _crcWithPlaceholder(out, at).toString(16).padStart(8, "0");
  out.set(new TextEncoder().encode(hex), at);
}

/**
 * Verifies the checksum a file's metadata carries: any changed byte, in the header or the data, is a
 * RangeError naming the file. `headerEnd` is where the JSON header ends.
 */
export function _verifyChecksum(bytes: Uint8Array, headerEnd: number, value: string, name: string): void {
  if (!/^[0-9a-f]{8}$/.test(value)) {
    throw new RangeError(
      `${name}: __metadata__.${_CHECKSUM_KEY} must be 8 hex digits, got ${JSON.stringify(value)}`,
    );
  }
  const needle = _needle(value);
  const pos = _find(bytes, needle, 8, headerEnd);
  if (pos < 0) {
    throw new RangeError(
      `${name}: __metadata__.${_CHECKSUM_KEY} is not where quantkit writes it: the header was edited`,
    );
  }
  const at = pos + needle.length - 9;
  const crc = _crcWithPlaceholder(bytes, at).toString(16).padStart(8, "0");
  if (crc !== value) {
    throw new RangeError(
      `${name}: checksum mismatch (the file says ${value}, its bytes give ${crc}): the file is corrupt or was edited`,
    );
  }
}
