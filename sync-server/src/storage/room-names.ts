import { parseRoomName } from '../../../shared/src/rooms';
import { checkedRoom } from './storage';

/**
 * How a room name becomes one flat token in every backend: file names (`rooms/<token>.log`), S3
 * keys (`rooms/<token>.snapshot`), Redis stream, lock and pub/sub names. The token is the
 * URI-encoded name ("/" becomes "%2F"; valid names hold nothing else that encodes), so it is
 * reversible, holds no "/" or ".", and existing data keeps its names. Only names that parse get
 * a token: anything else is an InvalidNameError, whoever forgot to check it.
 */
export const encodeRoom = (room: string): string => encodeURIComponent(checkedRoom(room));

/**
 * The room a token stands for, or null for one that is not a room's: undecodable ("%zz"),
 * encoded differently from how `encodeRoom` would (double-encoded, raw "/"), or not a room name.
 */
export function decodeRoom(token: string): string | null {
  let room: string;
  try {
    room = decodeURIComponent(token);
  } catch {
    return null;
  }
  return parseRoomName(room).ok && encodeURIComponent(room) === token ? room : null;
}
