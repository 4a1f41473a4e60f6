import { crc32 } from 'node:zlib';

/**
 * The one record format of the file room log (DUR-4):
 * `u32 length | u32 crc32 | u64 sequence | update`, little-endian, where `length` counts the
 * update's bytes and the CRC-32 covers sequence and update. The sequence is the entry's id.
 */
const HEADER = 16;
const TWO_32 = 2 ** 32;

/** One entry as stored: its sequence number and its update. */
export interface LogRecord {
  seq: number;
  update: Uint8Array;
}

/** A record's bytes: the header, then the update itself (not copied), for one `writev`. */
export function encodeRecord(seq: number, update: Uint8Array): Buffer[] {
  const header = Buffer.allocUnsafe(HEADER);
  header.writeUInt32LE(update.length, 0);
  header.writeUInt32LE(seq % TWO_32, 8);
  header.writeUInt32LE(Math.floor(seq / TWO_32), 12);
  header.writeUInt32LE(crc32(update, crc32(header.subarray(8, HEADER))), 4);
  return [header, Buffer.from(update.buffer, update.byteOffset, update.length)];
}

/**
 * The records of a file up to the first one whose length or checksum does not hold (a torn tail
 * from a crash mid-write, which was never acknowledged), and the length of the part that holds.
 */
export function decodeRecords(bytes: Buffer): { records: LogRecord[]; validLength: number } {
  const records: LogRecord[] = [];
  let pos = 0;
  while (pos + HEADER <= bytes.length) {
    const length = bytes.readUInt32LE(pos);
    const end = pos + HEADER + length;
    if (end > bytes.length) break;
    if (crc32(bytes.subarray(pos + 8, end)) !== bytes.readUInt32LE(pos + 4)) break;
    const seq = bytes.readUInt32LE(pos + 12) * TWO_32 + bytes.readUInt32LE(pos + 8);
    records.push({ seq, update: new Uint8Array(bytes.subarray(pos + HEADER, end)) });
    pos = end;
  }
  return { records, validLength: pos };
}
