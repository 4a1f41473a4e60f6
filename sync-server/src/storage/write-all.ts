import { writev as writevCallback } from 'node:fs';

/**
 * Writes every buffer to `fd`, continuing after a short write, with the callback API (cheaper
 * than FileHandle's). A single `writev` may write only part of what it was given and still
 * succeed: on a disk about to fill, the bytes that fit go in and the call returns their count,
 * and only the next call fails with ENOSPC. Anything that stops at one call would take a cut
 * file for a whole one.
 */
export function writeAll(fd: number, buffers: readonly Uint8Array[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const total = buffers.reduce((n, b) => n + b.length, 0);
    if (total === 0) return resolve();
    const step = (list: readonly Uint8Array[], left: number) =>
      writevCallback(fd, list as NodeJS.ArrayBufferView[], (error, written) => {
        if (error) return reject(error);
        if (written >= left) return resolve();
        let skip = written;
        const rest: Uint8Array[] = [];
        for (const b of list) {
          if (skip >= b.length) skip -= b.length;
          else {
            rest.push(skip > 0 ? b.subarray(skip) : b);
            skip = 0;
          }
        }
        step(rest, left - written);
      });
    step(buffers, total);
  });
}
