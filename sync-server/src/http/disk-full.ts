import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/** Methods that only read: served whatever the disk. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * While the disk under DATA_DIR is full, requests that would change something are answered 507
 * before they touch a room: applied in memory and then refused by the disk, a change would fail
 * its room and close every client in it (the volume index every open app holds, say).
 */
export function refuseWritesWhileDiskFull(disk: { readonly full: boolean }): RequestHandler {
  return (req, _res, next) => {
    if (!disk.full || READS.has(req.method)) return next();
    next(new HttpError('insufficient_storage', "The server's disk is full, so nothing of this request was stored; send it again once space is freed under its DATA_DIR."));
  };
}
