import fs from 'node:fs/promises';
import path from 'node:path';
import { replaceFile, syncDirectory } from '../storage/replace-file';
import { folderHealth } from '../storage/room-files';
import { StorageError } from '../storage/storage';
import { checkedSubject } from './history-store';

/**
 * Where versions' content lives, one blob per version named by its subject and stamp: a file
 * `DATA_DIR/history/<subject>/<stamp>.bin`, or an S3 object `history/<subject>/<stamp>.bin`.
 * Subjects parse (`checkedSubject`) before they name anything, and their parts are ids, so a
 * subject's folder or prefix holds only its own versions.
 */
export interface VersionContentStore {
  readonly kind: string;
  /** Durable when it resolves. */
  put(subject: string, stamp: string, content: Uint8Array): Promise<void>;
  get(subject: string, stamp: string): Promise<Uint8Array | null>;
  remove(subject: string, stamps: string[]): Promise<void>;
  removeSubject(subject: string): Promise<void>;
  health(): Promise<{ ok: boolean; detail?: string }>;
  close(): Promise<void>;
}

/** The folder of versions under DATA_DIR. */
const HISTORY_FOLDER = 'history';

/** A stamp as `versionIdOf` makes them; anything else never names a file. */
const STAMP = /^[0-9a-z]{9,40}$/;

/** The stamp, when it is one; a StorageError otherwise. Backends call it before building a path or key. */
export function checkedStamp(stamp: string): string {
  if (!STAMP.test(stamp)) throw new StorageError(`"${String(stamp).slice(0, 100)}" is not a version stamp`);
  return stamp;
}

/** Content as files under `DATA_DIR/history/`, each written whole (`replaceFile`) before `put` resolves. */
export class FileVersionContent implements VersionContentStore {
  readonly kind = 'file';

  constructor(readonly dir: string) {}

  /** Opens (creating) `DATA_DIR/history`. */
  static async open(dataDir: string): Promise<FileVersionContent> {
    const dir = path.join(dataDir, HISTORY_FOLDER);
    await fs.mkdir(dir, { recursive: true });
    return new FileVersionContent(dir);
  }

  /** A subject's folder. */
  folderOf(subject: string): string {
    return path.join(this.dir, ...checkedSubject(subject).split('/'));
  }

  /** Creates a subject's folder, syncing each parent whose entries it added, so a crash cannot lose the folder of a durable file. */
  async ensureFolder(subject: string): Promise<string> {
    const folder = this.folderOf(subject);
    const created = await fs.mkdir(folder, { recursive: true });
    // Every folder from the one holding `created` down to the one holding `folder` gained an entry.
    if (created !== undefined) {
      for (let dir = path.dirname(folder); ; dir = path.dirname(dir)) {
        await syncDirectory(dir);
        if (dir === path.dirname(created)) break;
      }
    }
    return folder;
  }

  async put(subject: string, stamp: string, content: Uint8Array): Promise<void> {
    const folder = await this.ensureFolder(subject);
    await replaceFile(path.join(folder, `${checkedStamp(stamp)}.bin`), content);
  }

  async get(subject: string, stamp: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await fs.readFile(path.join(this.folderOf(subject), `${checkedStamp(stamp)}.bin`)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async remove(subject: string, stamps: string[]): Promise<void> {
    const folder = this.folderOf(subject);
    for (const stamp of stamps) await fs.rm(path.join(folder, `${checkedStamp(stamp)}.bin`), { force: true });
  }

  /** Removes the subject's folder, and syncs its parent so that the removal survives a crash (the versions cannot come back). */
  async removeSubject(subject: string): Promise<void> {
    const folder = this.folderOf(subject);
    await fs.rm(folder, { recursive: true, force: true });
    try {
      await syncDirectory(path.dirname(folder));
    } catch (e) {
      // No parent: the subject never had a version, and nothing was removed.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  health(): Promise<{ ok: boolean; detail?: string }> {
    return folderHealth(this.dir);
  }

  async close(): Promise<void> {}
}
