import fs from 'node:fs/promises';
import * as Y from 'yjs';
import pino from 'pino';
import { FileStorage } from '../sync-server/src/storage/file';
import { Room } from '../sync-server/src/rooms/room';
const doc = new Y.Doc(); const ups: Uint8Array[] = []; doc.on('update', (u: Uint8Array) => ups.push(u));
for (let i = 0; i < 10000; i++) doc.getMap('m').set(`k${i}`, i);
await fs.rm('/tmp/tl', { recursive: true, force: true });
const st = await FileStorage.open('/tmp/tl');
for (let r = 0; r < 4; r++) await st.append('user/default/workflow/r' + r, ups);
for (let r = 0; r < 4; r++) {
  let t = performance.now(); const stored = await st.load('user/default/workflow/r' + r); const a = performance.now() - t;
  t = performance.now(); const d = new Y.Doc(); d.transact(() => { for (const u of stored.updates) Y.applyUpdate(d, u); }); const b = performance.now() - t;
  t = performance.now(); const room = await Room.load('user/default/workflow/r' + r, st, { compactAfter: 1e9, groupCommitMs: 2, onFailure: () => {} }, pino({ level: 'silent' })); const c = performance.now() - t;
  console.log(`storage.load ${a.toFixed(1)} apply ${b.toFixed(1)} Room.load ${c.toFixed(1)} keys ${room.doc.getMap('m').size}`);
}
