// The virtual size of a qcow2 image from its header (what glance's format_inspector reads):
// magic 'QFI\xfb' at offset 0, big-endian 64-bit disk size at offset 24.

/** Bytes of the image start needed to read the qcow2 virtual size. */
export const QCOW2_HEADER_BYTES = 32;

const QCOW2_MAGIC = Buffer.from([0x51, 0x46, 0x49, 0xfb]);
const SIZE_OFFSET = 24;

/** True when `header` starts with the qcow2 magic. */
export function isQcow2(header: Uint8Array): boolean {
  return header.length >= QCOW2_MAGIC.length && QCOW2_MAGIC.equals(header.subarray(0, QCOW2_MAGIC.length));
}

/** The virtual disk size in bytes, or null when `header` is not (a long enough start of) a qcow2 image. */
export function qcow2VirtualSize(header: Uint8Array): number | null {
  if (!isQcow2(header) || header.length < QCOW2_HEADER_BYTES) return null;
  const size = Buffer.from(header.buffer, header.byteOffset, header.byteLength).readBigUInt64BE(SIZE_OFFSET);
  return size <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(size) : null;
}
