import { crc32 } from 'node:zlib';
import type { LogEntry } from './room-log';

/**
 * The one record format of the file room log (DUR-4):
 * `u32 length | u32 crc32 | u64 sequence | update`, little-endian, where `length` counts the
 * update's bytes and the CRC-32 covers sequence and update. The sequence is the entry's id.
 */
const HEADER = 16;
const TWO_32 = 2 ** 32;
/** Below this many bytes a table loop beats zlib's CRC-32, whose every call costs ~100 ns; most updates are shorter. */
const NATIVE_CRC_FROM = 64;

const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

/** zlib's CRC-32 of `bytes[start, end)`, continuing from `crc` as `zlib.crc32(data, crc)` does. */
function crcOf(bytes: Uint8Array, start: number, end: number, crc = 0): number {
  if (end - start >= NATIVE_CRC_FROM) return crc32(bytes.subarray(start, end), crc);
  let c = ~crc;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** One entry as stored: its sequence number and its update; its id is made only when asked for (a load reads thousands). */
export class LogRecord implements LogEntry {
  constructor(
    readonly seq: number,
    readonly update: Uint8Array,
  ) {}

  get id(): string {
    return String(this.seq);
  }
}

/** A record's bytes: the header, then the update itself (not copied), for one `writev`. */
export function encodeRecord(seq: number, update: Uint8Array): Buffer[] {
  const header = Buffer.allocUnsafe(HEADER);
  header.writeUInt32LE(update.length, 0);
  header.writeUInt32LE(seq % TWO_32, 8);
  header.writeUInt32LE(Math.floor(seq / TWO_32), 12);
  header.writeUInt32LE(crcOf(update, 0, update.length, crcOf(header, 8, HEADER)), 4);
  return [header, Buffer.from(update.buffer, update.byteOffset, update.length)];
}

/** A little-endian u32, read by hand: several times cheaper than `Buffer#readUInt32LE` in this loop. */
const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;

/**
 * The records of a file up to the first one whose length or checksum does not hold (a torn tail
 * from a crash mid-write, which was never acknowledged), and the length of the part that holds.
 */
export function decodeRecords(bytes: Uint8Array): { records: LogRecord[]; validLength: number } {
  // A plain view: Buffer's subarray and slice cost more, and a room load decodes every record.
  // Each update is a view into the file's bytes, not a copy: 10,000 small copies cost more than
  // decoding, and Yjs reading a small copy makes V8 move it off its heap (`.buffer`), which cost
  // a third of applying them. A document keeps views of its binary values, so the file's bytes
  // may stay in memory while the room does, as a snapshot's already do.
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const records: LogRecord[] = [];
  let pos = 0;
  while (pos + HEADER <= view.length) {
    const end = pos + HEADER + u32(view, pos);
    if (end > view.length) break;
    if (crcOf(view, pos + 8, end) !== u32(view, pos + 4)) break;
    records.push(new LogRecord(u32(view, pos + 12) * TWO_32 + u32(view, pos + 8), view.subarray(pos + HEADER, end)));
    pos = end;
  }
  return { records, validLength: pos };
}
