import { describe, expect, it } from 'vitest';
import { versionIdOf, type VersionMeta } from '../../shared/src/history/version';
import type { HistoryStore } from '../src/history/history-store';
import { InvalidNameError } from '../src/storage/storage';
import { closedAfterEach } from './harness/closed-after-each';

/**
 * The one contract every history backend passes (memory, file, Redis index with file or S3
 * content). `open` makes a fresh empty store; `reopen` (for persistent backends) opens the same
 * data again after `close`, as a restarted server would.
 */
export interface HistoryContractTarget {
  open(): Promise<HistoryStore>;
  reopen?: (closed: HistoryStore) => Promise<HistoryStore>;
}

let clock = Date.UTC(2026, 0, 1);

/** A checkpoint (or a named version) of `subject`, each later than the one before. */
export function metaOf(subject: string, name: string | null = null, authors: string[] = ['alice']): VersionMeta {
  const at = (clock += 1000);
  return {
    id: versionIdOf(subject, at, Math.random().toString(36).slice(2, 8).replace(/[^0-9a-z]/g, 'x')),
    room: subject,
    name,
    created_at: new Date(at).toISOString(),
    authors,
    changes: { kind: 'text', added: 1, removed: 0 },
    size: 3,
  };
}

const bytes = (...v: number[]) => new Uint8Array(v);

/** Subject names that no backend may turn into a path or a key: each is refused. */
const BAD_SUBJECTS = ['', '..', 'user/..', 'user/a/skill/..', 'user/a/skill/a.b', 'user/../../etc/x', 'user/a', 'user/a/volume/x', 'nope/a/workflow/w', 'user/a/workflow/w/x', 'user/a%2Fb/workflow/w'];

/** Runs the history contract against one backend. */
export function historyContract(name: string, target: HistoryContractTarget): void {
  describe(`history contract: ${name}`, () => {
    const { fresh, keep } = closedAfterEach(() => target.open());

    it('HIST-1: a subject never versioned has none; unknown and malformed ids are not found', async () => {
      const s = await fresh();
      expect(await s.list('user/u1/workflow/none')).toEqual([]);
      expect(await s.latest('user/u1/workflow/none')).toBeNull();
      expect(await s.get(versionIdOf('user/u1/workflow/none', 1, 'abc'))).toBeNull();
      for (const id of ['', 'x', '../../etc/passwd', 'user.u1.workflow.none', 'user.u1.workflow.w.NOT-A-STAMP']) expect(await s.get(id), id).toBeNull();
    });

    it('HIST-2: versions list newest first and come back byte for byte', async () => {
      const s = await fresh();
      const subject = 'user/u1/workflow/w';
      const metas = [metaOf(subject), metaOf(subject, 'before the refactor', ['alice', 'bob']), metaOf(subject)];
      for (const [i, meta] of metas.entries()) await s.add(meta, bytes(i, i + 1, i + 2));
      expect(await s.list(subject)).toEqual([...metas].reverse());
      expect(await s.latest(subject)).toEqual(metas[2]);
      const got = await s.get(metas[1]!.id);
      expect(got?.meta).toEqual(metas[1]);
      expect([...(got?.content ?? [])]).toEqual([1, 2, 3]);
    });

    it('HIST-3: subjects are independent, even where one name starts another', async () => {
      const s = await fresh();
      const subjects = ['user/u1/workflow/w1', 'user/u1/workflow/w10', 'user/u1/skill/w1', 'user/u1/session/w1', 'team/t-1/workflow/w1'];
      const added = new Map(subjects.map((subject) => [subject, metaOf(subject)]));
      for (const [subject, meta] of added) await s.add(meta, new TextEncoder().encode(subject));
      for (const subject of subjects) {
        expect((await s.list(subject)).map((m) => m.id), subject).toEqual([added.get(subject)!.id]);
        expect(new TextDecoder().decode((await s.get(added.get(subject)!.id))?.content), subject).toBe(subject);
      }
      await s.removeSubject('user/u1/workflow/w1');
      expect(await s.list('user/u1/workflow/w1')).toEqual([]);
      for (const subject of subjects.slice(1)) expect(await s.list(subject), subject).toHaveLength(1);
    });

    it('HIST-4: remove forgets the versions named, content too, and ignores ids it does not hold', async () => {
      const s = await fresh();
      const subject = 'team/t-1/skill/tide';
      const metas = Array.from({ length: 5 }, () => metaOf(subject));
      for (const meta of metas) await s.add(meta, bytes(9));
      await s.remove(subject, [metas[0]!.id, metas[3]!.id, versionIdOf(subject, 5, 'gone')]);
      expect((await s.list(subject)).map((m) => m.id)).toEqual([metas[4]!.id, metas[2]!.id, metas[1]!.id]);
      expect(await s.get(metas[3]!.id)).toBeNull();
      await s.remove(subject, []);
      expect(await s.list(subject)).toHaveLength(3);
    });

    it('HIST-5: removeSubject forgets every version; the subject can be versioned again', async () => {
      const s = await fresh();
      const subject = 'user/u1/session/s';
      const old = metaOf(subject);
      await s.add(old, bytes(1));
      await s.add(metaOf(subject), bytes(2));
      await s.removeSubject(subject);
      expect(await s.list(subject)).toEqual([]);
      expect(await s.get(old.id)).toBeNull();
      await s.removeSubject(subject);
      const again = metaOf(subject);
      await s.add(again, bytes(3));
      expect(await s.list(subject)).toEqual([again]);
    });

    it('HIST-6: a subject that does not parse, or an id of another subject, is refused with an InvalidNameError', async () => {
      const s = await fresh();
      for (const subject of BAD_SUBJECTS) {
        await expect(s.list(subject), subject).rejects.toBeInstanceOf(InvalidNameError);
        await expect(s.remove(subject, []), subject).rejects.toBeInstanceOf(InvalidNameError);
        await expect(s.removeSubject(subject), subject).rejects.toBeInstanceOf(InvalidNameError);
        await expect(s.add({ ...metaOf('user/u1/workflow/w'), room: subject }, bytes(1)), subject).rejects.toBeInstanceOf(InvalidNameError);
      }
      const other = metaOf('user/u1/workflow/other');
      await expect(s.add({ ...other, room: 'user/u1/workflow/w' }, bytes(1))).rejects.toBeInstanceOf(InvalidNameError);
      await expect(s.remove('user/u1/workflow/w', [other.id])).rejects.toBeInstanceOf(InvalidNameError);
      expect(await s.list('user/u1/workflow/w')).toEqual([]);
    });

    it('HIST-7: large content and many concurrent adds to one subject', async () => {
      const s = await fresh();
      const subject = 'user/u1/workflow/busy';
      const big = new Uint8Array(2_000_000).map((_, i) => i % 251);
      const metas = Array.from({ length: 20 }, () => metaOf(subject));
      await Promise.all(metas.map((meta, i) => s.add(meta, i === 7 ? big : bytes(i))));
      expect((await s.list(subject)).map((m) => m.id)).toEqual(metas.map((m) => m.id).reverse());
      // Compared as bytes: a deep equality of two million elements takes the test's whole time.
      expect(Buffer.from((await s.get(metas[7]!.id))?.content ?? []).equals(big)).toBe(true);
    });

    it('HIST-8: health reports ok', async () => {
      expect((await (await fresh()).health()).ok).toBe(true);
    });

    if (target.reopen) {
      const reopen = target.reopen;
      it('HIST-9: versions survive a close and reopen, removals too', async () => {
        const s = await target.open();
        const subject = 'user/u1/workflow/kept';
        const metas = [metaOf(subject), metaOf(subject, 'named'), metaOf(subject)];
        for (const meta of metas) await s.add(meta, bytes(4, 2));
        await s.remove(subject, [metas[0]!.id]);
        await s.close();
        const again = keep(await reopen(s));
        expect(await again.list(subject)).toEqual([metas[2], metas[1]]);
        expect([...((await again.get(metas[1]!.id))?.content ?? [])]).toEqual([4, 2]);
      });
    }
  });
}
