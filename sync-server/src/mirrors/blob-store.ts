import fs from 'node:fs/promises';
import path from 'node:path';
import { replaceFile } from '../storage/replace-file';
import { checkBlobKey } from '../storage/s3-client';
import { StorageError } from '../storage/storage';

/**
 * Where the blob mirror writes: keys are relative paths such as
 * `volumes/user/alice/skills/vqe.md`. S3 (`S3BlobStore`, in the snapshots' bucket) has this
 * shape already; `FileBlobStore` is the same under `DATA_DIR` for the embedded server.
 */
export interface BlobStore {
  putBlob(key: string, body: string, contentType?: string): Promise<void>;
  /** The blob as UTF-8 text, or null when there is none. */
  getBlob(key: string): Promise<string | null>;
  /** Deletes a blob; deleting one that is not there is fine. */
  deleteBlob(key: string): Promise<void>;
  /** Every key under `prefix`, sorted. */
  listBlobs(prefix: string): Promise<string[]>;
}

/** A temporary file of a write in progress: never listed as a blob. */
const TEMP_SUFFIX = '.mirror-tmp';

/**
 * Blobs as files under a root directory (`DATA_DIR`), each replaced whole (`replaceFile`), so a
 * reader sees the old file or the new one, never half of one.
 * Keys pass the same check as S3 keys (relative, no "..", not under `rooms/`), and the resolved
 * path must stay inside the root.
 */
export class FileBlobStore implements BlobStore {
  readonly root: string;
  private seq = 0;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private fileOf(key: string, isPrefix = false): string {
    checkBlobKey(key, isPrefix);
    const file = path.resolve(this.root, key);
    if (file !== this.root && !file.startsWith(this.root + path.sep)) {
      throw new StorageError(`invalid blob key "${key.slice(0, 200)}": it resolves outside ${this.root}`);
    }
    return file;
  }

  async putBlob(key: string, body: string): Promise<void> {
    const file = this.fileOf(key);
    if (file.endsWith(TEMP_SUFFIX)) throw new StorageError(`invalid blob key "${key.slice(0, 200)}": it ends in ${TEMP_SUFFIX}`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}-${++this.seq}${TEMP_SUFFIX}`;
    try {
      await replaceFile(file, body, tmp);
    } catch (e) {
      throw new StorageError(`cannot write ${file}: ${(e as Error).message}`, undefined, { cause: e });
    }
  }

  async getBlob(key: string): Promise<string | null> {
    try {
      return await fs.readFile(this.fileOf(key), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async deleteBlob(key: string): Promise<void> {
    try {
      await fs.unlink(this.fileOf(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StorageError(`cannot delete ${key}: ${(e as Error).message}`, undefined, { cause: e });
      }
    }
  }

  async listBlobs(prefix: string): Promise<string[]> {
    // The prefix names a folder (`volumes/user/alice/`); what is below it is listed recursively.
    const dir = this.fileOf(prefix, true);
    let entries: string[];
    try {
      entries = await fs.readdir(dir, { recursive: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
      throw e;
    }
    const keys: string[] = [];
    for (const entry of entries) {
      if (entry.endsWith(TEMP_SUFFIX)) continue;
      const stat = await fs.stat(path.join(dir, entry)).catch(() => null);
      if (stat?.isFile()) keys.push(path.relative(this.root, path.join(dir, entry)).split(path.sep).join('/'));
    }
    return keys.sort();
  }
}
