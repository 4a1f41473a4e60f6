import * as prng from 'lib0/prng';
import { CLOSE } from '../../../shared/src/codes';
import type { HostilePlan } from './fuzz-connection';
import { hostileFrame, type FrameTargets, type HostileFrame } from './fuzz-frames';
import { judge } from './fuzz-oracle';

/** A room the fuzzers attack, with the tokens that open it read-only and writable. */
export interface FuzzRoom {
  name: string;
  readToken: string;
  /** Absent for rooms nobody may write over the network (the system volume). */
  writeTokens?: string[];
}

/** Tokens that must not get in: each with the close code the server answers it with. */
export type Strangers = Array<{ token?: string; code: number }>;

export interface PlanContext {
  rooms: readonly FuzzRoom[];
  strangers: Strangers;
  targets: FrameTargets;
  /** MAX_MESSAGES_PER_SECOND of the server. */
  perSecond: number;
}

type Gen = prng.PRNG;

/**
 * Frames until the first one the server must refuse (sometimes a few more after it, which the
 * closed connection must ignore), at most `max`, staying well under MAX_MESSAGE_BYTES in total
 * so frames held while a room loads never add up to a 1009 on their own.
 *
 * A writable connection never sends a decodable Yjs update before its first refused frame: that
 * would be a legitimate write, and the document must stay byte-identical to a run without the
 * fuzzer. After a refused frame it may: the server must have closed it by then, so it is
 * ignored, and a write that got through would show in storage.
 */
function framesFor(gen: Gen, ctx: PlanContext, writable: boolean, max: number): HostileFrame[] {
  const frames: HostileFrame[] = [];
  // Some connections get to their first bad frame at once, others only after many good ones.
  const wellFormed = prng.oneOf(gen, [0.2, 0.6, 0.9]);
  const extra = prng.int32(gen, 0, 2) === 0 ? prng.int32(gen, 1, 3) : 0;
  let refusedAt = -1;
  let bytes = 0;
  while (frames.length < max && bytes < ctx.targets.maxBytes / 2) {
    if (refusedAt >= 0 && frames.length - refusedAt > extra) break;
    const frame = hostileFrame(gen, ctx.targets, wellFormed);
    const verdict = judge(frame.data, ctx.targets.maxBytes);
    if (writable && refusedAt < 0 && verdict.accepted && verdict.update) continue;
    frames.push(frame);
    if (verdict.accepted || verdict.code !== CLOSE.messageTooBig.code) bytes += frame.data.length;
    if (!verdict.accepted && refusedAt < 0) refusedAt = frames.length - 1;
  }
  return frames;
}

/**
 * One hostile connection: a reader (read-only share link, or the system volume), a writer (the
 * owner's token or a write share link), a stranger (no, expired, forged or wrong-room token) or
 * a flood of valid frames faster than the rate limit.
 */
export function drawPlan(gen: Gen, ctx: PlanContext): HostilePlan {
  const room = prng.oneOf(gen, [...ctx.rooms]);
  const early = prng.bool(gen);
  const r = prng.int32(gen, 0, 99);
  if (r < 10) {
    // Not at the system volume, which every signed-in person may read.
    const target = prng.oneOf(gen, ctx.rooms.filter((room) => room.writeTokens));
    const stranger = prng.oneOf(gen, ctx.strangers);
    return { role: 'stranger', room: target.name, token: stranger.token, refusedWith: stranger.code, frames: framesFor(gen, ctx, false, 3), early };
  }
  if (r < 11) {
    // Valid, cheap frames, three times the per-second rate: past the burst of twice the rate.
    const frames = Array.from({ length: 3 * ctx.perSecond }, (): HostileFrame => ({ data: new Uint8Array([3]), kind: 'query-awareness' }));
    return { role: 'flood', room: room.name, token: room.readToken, frames, early };
  }
  const writable = room.writeTokens !== undefined && r < 55;
  return {
    role: writable ? 'writer' : 'reader',
    room: room.name,
    token: writable && room.writeTokens ? prng.oneOf(gen, room.writeTokens) : room.readToken,
    frames: framesFor(gen, ctx, writable, prng.int32(gen, 1, 24)),
    early,
  };
}
