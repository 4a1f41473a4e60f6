// The mirrors' listing reads (mirrors/listing-reads.ts): the workflow and session jobs of a volume
// share one read of who its index lists, so a burst of rooms settling does not read and decode the
// whole index once per room, one at a time in the volume's lane (the chaos churn's memory growth:
// the lane fell behind and its backlog of waiting jobs grew with every pass). A change of the index
// made here is seen by the next job at once. Real file storage and blob store; the reader counts
// the reads it passes on to the real one.
// (MIRROR-3)
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { putWorkflowListing } from '../../shared/src/documents/volume-index';
import { writeWorkflowGraph, writeWorkflowMeta } from '../../shared/src/documents/workflow';
import { BlobMirror } from '../src/mirrors/blob-mirror';
import { FileBlobStore } from '../src/mirrors/blob-store';
import { ListingReads } from '../src/mirrors/listing-reads';
import { Mirrors } from '../src/mirrors/mirrors';
import { storedRoomReader, type RoomReader } from '../src/mirrors/stored-rooms';
import { FileStorage } from '../src/storage/file';
import { updateOf } from './harness/stored';
import { teardownEachTest } from './harness/teardown';
import { waitFor } from './harness/wait';

const { cleanups, tempDir } = teardownEachTest('llmunix-listing-reads-');

const NOW = '2025-01-01T00:00:00.000Z';
const INDEX = 'user/default';
/** Workflows listed in the index, as in the chaos churn's volume. */
const LISTED = 300;
/** Workflow rooms that settle at once. */
const BURST = 200;

const listing = (name: string) => ({ name, description: `${name}, described`, created_at: NOW, updated_at: NOW });

/** The real reader of stored rooms, counting the reads of each room it is asked for. */
function countingReader(storage: FileStorage): { reader: RoomReader; reads: Map<string, number> } {
  const stored = storedRoomReader(storage);
  const reads = new Map<string, number>();
  return {
    reads,
    reader: {
      read(room, fn) {
        reads.set(room, (reads.get(room) ?? 0) + 1);
        return stored.read(room, fn);
      },
    },
  };
}

async function setUp() {
  const dataDir = await tempDir();
  const storage = await FileStorage.open(dataDir);
  cleanups.push(() => storage.close());
  const blobs = new FileBlobStore(dataDir);
  const { reader, reads } = countingReader(storage);
  const log = pino({ level: 'silent' });
  const mirrors = new Mirrors(reader, { blobs: new BlobMirror(blobs, log) }, log, storage);
  cleanups.push(() => mirrors.close());
  return { storage, blobs, mirrors, reads };
}

/** A workflow room with a graph and no name of its own: its file takes the name its listing gives. */
const storeWorkflow = (storage: FileStorage, id: string) =>
  storage.append(`${INDEX}/workflow/${id}`, [
    updateOf((doc) => {
      writeWorkflowMeta(doc, { name: '', description: '', created_at: NOW, updated_at: NOW });
      writeWorkflowGraph(doc, { nodes: [{ id: 'n1', skillId: 'sk', label: id, position: { x: 0, y: 0 }, inputs: {} }], edges: [] });
    }),
  ]);

describe('mirror listing reads', () => {
  it('read a volume index once for a burst of its workflow rooms settling, not once per room', async () => {
    const { storage, blobs, mirrors, reads } = await setUp();
    await storage.append(INDEX, [updateOf((doc) => {
      for (let i = 0; i < LISTED; i++) putWorkflowListing(doc, `wf-${i}`, listing(`Workflow ${i}`));
    })]);
    // Half of the burst is listed (its files are written), half is not (the churn's rooms: no file).
    const ids = Array.from({ length: BURST }, (_, i) => (i % 2 === 0 ? `wf-${i}` : `unlisted-${i}`));
    for (const id of ids) await storeWorkflow(storage, id);

    for (const id of ids) mirrors.changed(`${INDEX}/workflow/${id}`);
    await mirrors.close(30_000);

    // One read per job was BURST reads; shared, a handful (one per `maxWaitMs` at most).
    expect(reads.get(INDEX)).toBeLessThanOrEqual(BURST / 20);
    expect(ids.filter((id) => (reads.get(`${INDEX}/workflow/${id}`) ?? 0) > 0)).toHaveLength(BURST / 2);
    const files = (await blobs.listBlobs('volumes/user/default/workflows/')).sort();
    expect(files).toEqual(ids.filter((id) => id.startsWith('wf-')).map((id) => `volumes/user/default/workflows/${id}.json`).sort());
    expect(JSON.parse((await blobs.getBlob('volumes/user/default/workflows/wf-4.json'))!)).toMatchObject({ name: 'Workflow 4' });
  });

  it('see a change of the index made on this instance at the next job, though the last read is fresh', async () => {
    const { storage, blobs, mirrors, reads } = await setUp();
    // One index document edited twice, as a client would: a second edit from a fresh document would be concurrent with the first.
    const index = new Y.Doc();
    const edit = async (change: (doc: Y.Doc) => void) => {
      const before = Y.encodeStateVector(index);
      change(index);
      await storage.append(INDEX, [Y.encodeStateAsUpdate(index, before)]);
    };
    await edit((doc) => putWorkflowListing(doc, 'wf-a', listing('First name')));
    await storeWorkflow(storage, 'wf-a');
    await storeWorkflow(storage, 'wf-b');
    mirrors.changed(`${INDEX}/workflow/wf-a`);
    mirrors.changed(`${INDEX}/workflow/wf-b`);
    await waitFor(async () => (await blobs.getBlob('volumes/user/default/workflows/wf-a.json')) !== null, 'wf-a to be mirrored');
    expect(reads.get(INDEX)).toBe(1);

    // Renamed and another listed, then durable and reported (as the rooms do) while the read above is still fresh.
    await edit((doc) => {
      putWorkflowListing(doc, 'wf-a', listing('Second name'));
      putWorkflowListing(doc, 'wf-b', listing('Listed later'));
    });
    mirrors.changed(INDEX);
    mirrors.changed(`${INDEX}/workflow/wf-a`);
    await mirrors.close(30_000);

    expect(JSON.parse((await blobs.getBlob('volumes/user/default/workflows/wf-a.json'))!)).toMatchObject({ name: 'Second name' });
    expect(JSON.parse((await blobs.getBlob('volumes/user/default/workflows/wf-b.json'))!)).toMatchObject({ name: 'Listed later' });
  });

  it('hold nothing once a read is older than its freshness, nor a read that failed', async () => {
    const dataDir = await tempDir();
    const storage = await FileStorage.open(dataDir);
    cleanups.push(() => storage.close());
    await storage.append(INDEX, [updateOf((doc) => putWorkflowListing(doc, 'wf-a', listing('A')))]);
    const listings = new ListingReads(storedRoomReader(storage), 50);
    expect((await listings.read(INDEX)).workflows.get('wf-a')).toEqual({ name: 'A', description: 'A, described' });
    expect(listings.size).toBe(1);
    await new Promise((r) => setTimeout(r, 120));
    expect(listings.size).toBe(0);

    const failing = new ListingReads({ read: () => Promise.reject(new Error('storage is down')) }, 60_000);
    await expect(failing.read(INDEX)).rejects.toThrow('storage is down');
    expect(failing.size).toBe(0);
  });
});
