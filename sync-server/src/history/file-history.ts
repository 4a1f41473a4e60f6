import fs from 'node:fs/promises';
import path from 'node:path';
import { subjectOfVersionId, type VersionMeta } from '../../../shared/src/history/version';
import { replaceFile, syncDirectory } from '../storage/replace-file';
import { RoomSerializer } from '../storage/room-serializer';
import { StorageError, type StorageHealth } from '../storage/storage';
import { checkedMeta, checkedSubject, ListedHistory, newestFirst, stampOf, storedMeta, type HistoryStore, type StoredVersion } from './history-store';
import { FileVersionContent } from './version-content';

const INDEX = 'index.jsonl';

/**
 * Versions under `DATA_DIR/history/<subject>/`: `<stamp>.bin` holds each version's content
 * (written whole first), and `index.jsonl` one line of meta per version, appended and synced
 * after it. A crash mid-append leaves a torn last line, which reading skips and the next append
 * starts a new line after; a line whose content is missing (a crash between the two writes can
 * only leave content without a line) is never written. Removing rewrites the index whole
 * (`replaceFile`), then deletes the content it no longer names.
 */
export class FileHistory extends ListedHistory implements HistoryStore {
  readonly kind = 'file';
  private readonly serial = new RoomSerializer('file history');

  private constructor(private readonly content: FileVersionContent) {
    super();
  }

  /** Opens (creating) `DATA_DIR/history`. */
  static async open(dataDir: string): Promise<FileHistory> {
    return new FileHistory(await FileVersionContent.open(dataDir));
  }

  private indexOf(subject: string): string {
    return path.join(this.content.folderOf(subject), INDEX);
  }

  /** The metas of a subject's index, in the order added; a torn or unreadable line is skipped. */
  private async read(subject: string): Promise<VersionMeta[]> {
    let text: string;
    try {
      text = await fs.readFile(this.indexOf(subject), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new StorageError(`cannot read the versions of "${subject}": ${(e as Error).message}`, undefined, { cause: e });
    }
    const metas: VersionMeta[] = [];
    for (const line of text.split('\n')) {
      const meta = line.trim() === '' ? null : storedMeta(line, subject);
      if (meta) metas.push(meta);
    }
    return metas;
  }

  async add(meta: VersionMeta, content: Uint8Array): Promise<void> {
    const stamp = checkedMeta(meta);
    return this.serial.run(meta.room, async () => {
      await this.content.put(meta.room, stamp, content);
      const file = this.indexOf(meta.room);
      const fh = await fs.open(file, 'a+');
      try {
        const { size } = await fh.stat();
        // After a torn line, the new one starts on a line of its own.
        let torn = false;
        if (size > 0) {
          const last = Buffer.alloc(1);
          await fh.read(last, 0, 1, size - 1);
          torn = last[0] !== 0x0a;
        }
        await fh.appendFile(`${torn ? '\n' : ''}${JSON.stringify(meta)}\n`);
        await fh.datasync();
        if (size === 0) await syncDirectory(path.dirname(file));
      } finally {
        await fh.close();
      }
    });
  }

  async list(subject: string): Promise<VersionMeta[]> {
    checkedSubject(subject);
    return this.serial.run(subject, async () => newestFirst(await this.read(subject)));
  }

  async get(id: string): Promise<StoredVersion | null> {
    const subject = subjectOfVersionId(id);
    if (subject === null) return null;
    const meta = (await this.list(subject)).find((m) => m.id === id);
    const content = meta ? await this.content.get(subject, stampOf(subject, id)) : null;
    return meta && content ? { meta, content } : null;
  }

  async remove(subject: string, ids: string[]): Promise<void> {
    checkedSubject(subject);
    const stamps = ids.map((id) => stampOf(subject, id));
    const gone = new Set(ids);
    return this.serial.run(subject, async () => {
      const metas = await this.read(subject);
      const kept = metas.filter((m) => !gone.has(m.id));
      if (kept.length === metas.length) return;
      await replaceFile(this.indexOf(subject), kept.map((m) => `${JSON.stringify(m)}\n`).join(''));
      await this.content.remove(subject, stamps);
    });
  }

  async removeSubject(subject: string): Promise<void> {
    checkedSubject(subject);
    return this.serial.run(subject, () => this.content.removeSubject(subject));
  }

  health(): Promise<StorageHealth> {
    return this.content.health();
  }

  close(): Promise<void> {
    return this.serial.close();
  }
}
