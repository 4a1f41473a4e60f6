import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { randomEdit } from './random-edits';

/**
 * Hostile y-websocket frames for the protocol fuzz test, drawn from a seeded PRNG so that a
 * failing run replays frame for frame. Three families:
 *
 * - well-formed frames: sync step 1 with made-up state vectors, sync step 2 and updates made in
 *   a scratch document (some from a well-behaved client's id, some waiting on structs nobody
 *   sent, some deleting ranges nobody inserted), awareness updates (huge clocks, odd JSON,
 *   deeply nested states, others' client ids) and query-awareness;
 * - those frames mutated: bit flips, cuts, inserted, deleted or duplicated bytes, runs of 0xff
 *   (varints that never end), special bytes, or the Yjs update inside a well-formed envelope
 *   corrupted and wrapped again with its right length;
 * - garbage that breaks one rule each: random bytes, empty and text frames, bad varints, huge
 *   claimed lengths, unknown message types and sync subtypes, client auth messages, trailing
 *   bytes, bogus awareness JSON or UTF-8, messages over the size limit.
 *
 * Whether the server must accept a frame or close the connection is not decided here but by
 * the protocol rules in `fuzz-oracle.ts`.
 */
export interface HostileFrame {
  data: Uint8Array | string;
  /** How it was made, e.g. `update(pending) > flip > cut`, for failure messages and statistics. */
  kind: string;
}

export interface FrameTargets {
  /** The well-behaved clients' ids, so some frames impersonate them. */
  clientIds: readonly number[];
  /** MAX_MESSAGE_BYTES of the server. */
  maxBytes: number;
}

type Gen = prng.PRNG;

/** A few ids shared by all fuzzers: awareness states set under them outlive the connection that set them. */
const SHARED_IDS = [1, 2, 3];

const message = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

const chance = (gen: Gen, percent: number): boolean => prng.int32(gen, 0, 99) < percent;

function clientId(gen: Gen, targets: FrameTargets): number {
  if (chance(gen, 25)) return prng.oneOf(gen, [...targets.clientIds]);
  if (chance(gen, 20)) return prng.oneOf(gen, SHARED_IDS);
  return prng.uint53(gen, 0, 2 ** 32 - 1);
}

const clock = (gen: Gen): number => (chance(gen, 20) ? prng.uint53(gen, 0, Number.MAX_SAFE_INTEGER) : prng.int32(gen, 0, 50));

const syncFrame = (subtype: number, payload: Uint8Array): Uint8Array =>
  message((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, subtype);
    encoding.writeVarUint8Array(e, payload);
  });

const awarenessFrame = (payload: Uint8Array): Uint8Array =>
  message((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, payload);
  });

function syncStep1(gen: Gen, targets: FrameTargets): HostileFrame {
  const sv = new Map<number, number>();
  for (let i = prng.int32(gen, 0, 4); i > 0; i--) sv.set(clientId(gen, targets), clock(gen));
  return { data: syncFrame(0, Y.encodeStateVector(sv)), kind: 'sync-step-1' };
}

/** Yjs updates made in a scratch document, each a different way of being unwelcome. */
function yjsUpdate(gen: Gen, targets: FrameTargets): { update: Uint8Array; kind: string } {
  const doc = new Y.Doc();
  doc.clientID = clientId(gen, targets);
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  try {
    switch (prng.int32(gen, 0, 3)) {
      case 0: {
        for (let i = prng.int32(gen, 1, 8); i > 0; i--) randomEdit(gen, doc);
        return { update: Y.encodeStateAsUpdate(doc), kind: 'update(new content)' };
      }
      case 1: {
        // Only the last of several changes: it refers to structs the server never received.
        doc.getText('text').insert(0, prng.word(gen, 1, 8));
        doc.getArray('array').insert(0, [prng.int32(gen, 0, 9)]);
        doc.getMap('map').set('k', prng.int32(gen, 0, 9));
        return { update: updates[updates.length - 1] as Uint8Array, kind: 'update(pending)' };
      }
      case 2: {
        // Deletes of ranges the server never saw inserted.
        const text = doc.getText('text');
        text.insert(0, prng.word(gen, 4, 12));
        text.delete(prng.int32(gen, 0, 2), prng.int32(gen, 1, 2));
        return { update: updates[updates.length - 1] as Uint8Array, kind: 'update(unknown deletes)' };
      }
      default:
        return { update: Y.encodeStateAsUpdate(doc), kind: 'update(empty)' };
    }
  } finally {
    doc.destroy();
  }
}

function updateFrame(gen: Gen, targets: FrameTargets): HostileFrame {
  const { update, kind } = yjsUpdate(gen, targets);
  return { data: syncFrame(prng.oneOf(gen, [1, 2]), update), kind };
}

const deep = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

function awarenessState(gen: Gen): { json: string; kind: string } {
  switch (prng.int32(gen, 0, 7)) {
    case 0:
      return { json: 'null', kind: 'null' };
    case 1:
      return { json: JSON.stringify({ user: { name: prng.word(gen), color: '#30bced' }, cursor: { anchor: prng.int32(gen, 0, 99) } }), kind: 'cursor' };
    case 2:
      return { json: JSON.stringify(prng.utf16String(gen, 40)), kind: 'string' };
    case 3:
      return { json: String(prng.int32(gen, -1000, 1000)), kind: 'number' };
    case 4:
      // Around the server's nesting limit, or far past what JSON.stringify can recurse into.
      return { json: deep(prng.bool(gen) ? prng.int32(gen, 1, 40) : prng.int32(gen, 41, 8000)), kind: 'deep' };
    case 5:
      return { json: JSON.stringify({ blob: 'x'.repeat(prng.int32(gen, 1000, 20_000)) }), kind: 'big' };
    case 6:
      return { json: JSON.stringify(Object.fromEntries(Array.from({ length: prng.int32(gen, 0, 50) }, (_, i) => [`k${i}`, i]))), kind: 'wide' };
    default:
      return { json: JSON.stringify([prng.bool(gen), {}, [], '']), kind: 'mixed' };
  }
}

function awareness(gen: Gen, targets: FrameTargets): HostileFrame {
  const kinds: string[] = [];
  const payload = message((e) => {
    const count = prng.int32(gen, 0, 3);
    encoding.writeVarUint(e, count);
    for (let i = 0; i < count; i++) {
      encoding.writeVarUint(e, clientId(gen, targets));
      encoding.writeVarUint(e, clock(gen));
      const state = awarenessState(gen);
      kinds.push(state.kind);
      encoding.writeVarString(e, state.json);
    }
  });
  return { data: awarenessFrame(payload), kind: `awareness(${kinds.join(',')})` };
}

const queryAwareness = (): HostileFrame => ({ data: new Uint8Array([3]), kind: 'query-awareness' });

/** A well-formed frame of any type. */
export function wellFormedFrame(gen: Gen, targets: FrameTargets): HostileFrame {
  switch (prng.int32(gen, 0, 3)) {
    case 0:
      return syncStep1(gen, targets);
    case 1:
      return updateFrame(gen, targets);
    case 2:
      return awareness(gen, targets);
    default:
      return queryAwareness();
  }
}

const at = (gen: Gen, bytes: Uint8Array): number => prng.int32(gen, 0, Math.max(0, bytes.length - 1));
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
};
const ENDLESS_VARINT = new Uint8Array(10).fill(0xff);

/** Byte-level mutations; each returns a new array. */
const MUTATIONS: Record<string, (gen: Gen, b: Uint8Array) => Uint8Array> = {
  flip: (gen, b) => {
    const c = b.slice();
    if (c.length > 0) c[at(gen, c)]! ^= 1 << prng.int32(gen, 0, 7);
    return c;
  },
  cut: (gen, b) => b.slice(0, at(gen, b)),
  insert: (gen, b) => {
    const i = prng.int32(gen, 0, b.length);
    return concat(b.subarray(0, i), prng.uint8Array(gen, prng.int32(gen, 1, 8)), b.subarray(i));
  },
  delete: (gen, b) => {
    const i = at(gen, b);
    return concat(b.subarray(0, i), b.subarray(i + prng.int32(gen, 1, 8)));
  },
  duplicate: (gen, b) => {
    const i = at(gen, b);
    const slice = b.subarray(i, i + prng.int32(gen, 1, 16));
    return concat(b.subarray(0, i), slice, slice, b.subarray(i + slice.length));
  },
  endless: (gen, b) => {
    const i = at(gen, b);
    return concat(b.subarray(0, i), ENDLESS_VARINT, b.subarray(i + 1));
  },
  byte: (gen, b) => {
    const c = b.slice();
    if (c.length > 0) c[at(gen, c)] = prng.oneOf(gen, [0, 1, 0x7f, 0x80, 0xff]);
    return c;
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

function mutate(gen: Gen, bytes: Uint8Array, names: string[]): Uint8Array {
  let b = bytes;
  for (let n = prng.int32(gen, 1, 3); n > 0; n--) {
    const name = prng.oneOf(gen, MUTATION_NAMES);
    names.push(name);
    b = (MUTATIONS[name] as (gen: Gen, b: Uint8Array) => Uint8Array)(gen, b);
  }
  return b;
}

/** A well-formed frame, mutated: the envelope, or only the Yjs update inside a valid envelope. */
export function mutatedFrame(gen: Gen, targets: FrameTargets): HostileFrame {
  const names: string[] = [];
  if (chance(gen, 35)) {
    const { update, kind } = yjsUpdate(gen, targets);
    const corrupt = mutate(gen, update, names);
    return { data: syncFrame(prng.oneOf(gen, [1, 2]), corrupt), kind: `${kind} with corrupt structs > ${names.join(' > ')}` };
  }
  const base = wellFormedFrame(gen, targets);
  const data = mutate(gen, base.data as Uint8Array, names);
  return { data, kind: `${base.kind} > ${names.join(' > ')}` };
}

const varUint = (n: number): Uint8Array => message((e) => encoding.writeVarUint(e, n));

/** Garbage that breaks one rule of the protocol. */
export function garbageFrame(gen: Gen, targets: FrameTargets): HostileFrame {
  switch (prng.int32(gen, 0, 11)) {
    case 0:
      return { data: prng.uint8Array(gen, chance(gen, 90) ? prng.int32(gen, 1, 64) : prng.int32(gen, 65, 4000)), kind: 'random bytes' };
    case 1:
      return { data: new Uint8Array(0), kind: 'empty frame' };
    case 2:
      return { data: prng.utf16String(gen, 30), kind: 'text frame' };
    case 3: {
      const prefix = prng.oneOf(gen, [[], [0], [0, 2], [1]]);
      return { data: concat(new Uint8Array(prefix), new Uint8Array(prng.int32(gen, 10, 20)).fill(0xff), prng.uint8Array(gen, 4)), kind: 'endless varint' };
    }
    case 4: {
      const prefix = prng.oneOf(gen, [[0, 1], [0, 2], [1]]);
      const huge = prng.uint53(gen, 2 ** 20, Number.MAX_SAFE_INTEGER);
      return { data: concat(new Uint8Array(prefix), varUint(huge), prng.uint8Array(gen, 8)), kind: 'huge claimed length' };
    }
    case 5:
      return { data: concat(varUint(prng.uint53(gen, 4, 2 ** 31)), prng.uint8Array(gen, 6)), kind: 'unknown message type' };
    case 6:
      return { data: message((e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint(e, 0), encoding.writeVarString(e, 'let me in'))), kind: 'client auth message' };
    case 7:
      return { data: syncFrame(prng.uint53(gen, 3, 2 ** 20), prng.uint8Array(gen, 4)), kind: 'unknown sync subtype' };
    case 8: {
      const base = wellFormedFrame(gen, targets);
      return { data: concat(base.data as Uint8Array, prng.uint8Array(gen, prng.int32(gen, 1, 8))), kind: `${base.kind} + trailing bytes` };
    }
    case 9: {
      const json = prng.oneOf(gen, ['{', '', 'undefined', "{'a':1}", 'NaN', '[1,]', prng.utf16String(gen, 10)]);
      const payload = message((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint(e, clientId(gen, targets)), encoding.writeVarUint(e, 1), encoding.writeVarString(e, json)));
      return { data: awarenessFrame(payload), kind: 'awareness(bogus JSON)' };
    }
    case 10: {
      const payload = message((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint(e, 7), encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, new Uint8Array([0x22, 0xff, 0xfe, 0x22]))));
      return { data: awarenessFrame(payload), kind: 'awareness(invalid UTF-8)' };
    }
    default: {
      const size = targets.maxBytes + prng.int32(gen, 1, 4096);
      const data = new Uint8Array(size).fill(prng.int32(gen, 0, 255));
      data.set([0, 2], 0);
      return { data, kind: 'over MAX_MESSAGE_BYTES' };
    }
  }
}

/** Any hostile frame: well-formed with probability `wellFormed` (0–1), otherwise mutated or garbage alike. */
export function hostileFrame(gen: Gen, targets: FrameTargets, wellFormed: number): HostileFrame {
  if (prng.real53(gen) < wellFormed) return wellFormedFrame(gen, targets);
  return prng.bool(gen) ? mutatedFrame(gen, targets) : garbageFrame(gen, targets);
}
