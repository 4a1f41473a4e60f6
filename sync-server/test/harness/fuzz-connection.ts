import { WebSocket } from 'ws';
import { CLOSE } from '../../../shared/src/codes';
import type { HostileFrame } from './fuzz-frames';
import { judge } from './fuzz-oracle';

/** One hostile connection: where it goes, with what token, and what it sends. */
export interface HostilePlan {
  /** e.g. `reader`, `writer`, `stranger`, `flood`: for failure messages and statistics. */
  role: string;
  room: string;
  token?: string;
  /** The close code the server must answer the token with (4401, 4403), when it does not let it in. */
  refusedWith?: number;
  frames: HostileFrame[];
  /** Send the moment the socket opens, before the server has greeted it (its room may still be loading). */
  early: boolean;
}

/**
 * What the rules say must happen: closed with one of `closedWith`; or every frame handled, which
 * the connection sees as `answers` sync step 2 replies (one per sync step 1 it sent, plus its
 * final probe, handled after everything before it). A connection sending faster than the rate
 * is slowed, never closed for it (SYNC-5), so a flood too must be answered whole.
 */
export type Expectation = { closedWith: number[]; why: string } | { answers: number };

export type Ending = number | 'answered' | 'hung';

/** The last frame of a connection whose frames should all be accepted: sync step 1 with an empty state vector. */
const PROBE = new Uint8Array([0, 0, 1, 0]);

/** The expectation for a plan on a server whose MAX_MESSAGE_BYTES is `maxBytes`. */
export function expectationOf(plan: HostilePlan, maxBytes: number): Expectation {
  if (plan.refusedWith !== undefined) return { closedWith: [plan.refusedWith], why: `token refused` };
  let answers = 1;
  const verdicts = plan.frames.map((frame) => judge(frame.data, maxBytes));
  for (const [i, verdict] of verdicts.entries()) {
    if (verdict.accepted) {
      if (verdict.answered) answers++;
      continue;
    }
    // Frames sent before the greeting may be held while the room loads; a later one over the
    // size limit is refused by the socket itself on arrival, before the held ones are judged.
    const tooBig = plan.early && verdicts.slice(i + 1).some((v) => !v.accepted && v.code === CLOSE.messageTooBig.code) ? [CLOSE.messageTooBig.code] : [];
    return { closedWith: [verdict.code, ...tooBig], why: `frame ${i} (${plan.frames[i]?.kind}): ${verdict.why}` };
  }
  return { answers };
}

/** Whether an ending is what the expectation allows. */
export function meets(ending: Ending, expected: Expectation): boolean {
  if ('closedWith' in expected) return typeof ending === 'number' && expected.closedWith.includes(ending);
  return ending === 'answered';
}

/**
 * Opens the connection, sends the plan's frames (and the probe when all should be accepted), and
 * resolves with how it ended: the server's close code, `answered` (every reply arrived; we then
 * closed it ourselves), or `hung` when neither happened within `deadlineMs`.
 */
export function runHostile(serverUrl: string, plan: HostilePlan, expected: Expectation, deadlineMs: number): Promise<Ending> {
  const query = plan.token ? `?token=${encodeURIComponent(plan.token)}` : '';
  const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/sync/${plan.room}${query}`);
  return new Promise((resolve) => {
    let sent = false;
    let answers = 0;
    let ending: Ending | null = null;
    const timer = setTimeout(() => {
      ending ??= 'hung';
      ws.terminate();
    }, deadlineMs);
    const send = () => {
      if (sent || ws.readyState !== ws.OPEN) return;
      sent = true;
      for (const frame of plan.frames) ws.send(frame.data);
      if ('answers' in expected) ws.send(PROBE);
    };
    ws.on('open', () => plan.early && send());
    ws.on('message', (data: Buffer) => {
      send();
      if (data[0] === 0 && data[1] === 1 && 'answers' in expected && ++answers === expected.answers) {
        ending ??= 'answered';
        ws.close(CLOSE.normal.code);
      }
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve(ending ?? code);
    });
    ws.on('error', () => undefined);
  });
}
