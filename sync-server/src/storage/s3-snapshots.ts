import type { GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { crc32 } from 'node:zlib';
import { createS3Client, describeS3Error, isNotFound, listKeys, S3BlobStore, s3Sdk, type S3Config } from './s3-client';
import type { Snapshot, SnapshotStore } from './snapshot-store';
import { decodeRoom, encodeRoom } from './room-names';
import { StorageError } from './storage';

export { S3BlobStore, checkBlobKey, type S3Config } from './s3-client';

const PREFIX = 'rooms/';
const SUFFIX = '.snapshot';
/** Object metadata (sent as `x-amz-meta-…`; the SDK lowercases the names it returns). */
const META_UP_TO = 'up-to';
const META_CRC32 = 'crc32';
/** Stream ids and the like: printable ASCII, since metadata travels as an HTTP header. */
const UP_TO_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** A torn read (cut-off body, or body and checksum that disagree) is tried this many times in all. */
const READ_ATTEMPTS = 3;
const pause = (attempt: number) => new Promise((r) => setTimeout(r, 50 * attempt));

/**
 * Compacted room snapshots in an S3 bucket (DESIGN §6), one object per room at
 * `rooms/<room token>.snapshot` (`room-names.ts`): flat, reversible, and never outside its prefix. The body is the snapshot's bytes; `upTo` rides in the object's
 * metadata (`x-amz-meta-up-to`, empty for null) with a CRC-32 of the body
 * (`x-amz-meta-crc32`). One PUT replaces body and metadata together, which S3 makes atomic;
 * the checksum catches S3-compatible servers that are not (stock s3rver rewrites the body in
 * place, then the metadata, and can answer a PUT before the body is on disk): such a torn read,
 * or a body cut off mid-transfer, is read again, and never returned.
 *
 * The same bucket holds the human-readable mirror: `blobs` writes it through the same client.
 */
export class S3SnapshotStore implements SnapshotStore {
  readonly kind = 's3';
  readonly bucket: string;
  /** Text blobs in the same bucket (the mirror's `volumes/...` layout). */
  readonly blobs: S3BlobStore;
  private readonly client: S3Client;
  private readonly where: string;
  private readonly healthTimeoutMs: number;
  private readonly listPageSize: number | undefined;
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;

  constructor(config: S3Config) {
    this.bucket = config.bucket;
    this.client = createS3Client(config);
    this.blobs = new S3BlobStore(this.client, config.bucket, config.listPageSize);
    this.listPageSize = config.listPageSize;
    this.where = config.endpoint ?? `AWS region ${config.region}`;
    this.healthTimeoutMs = config.healthTimeoutMs ?? 2000;
  }

  /** The object key of a room's snapshot; a name that does not parse is an InvalidNameError. */
  static keyOf(room: string): string {
    return `${PREFIX}${encodeRoom(room)}${SUFFIX}`;
  }

  /** The room a key belongs to, or null for a key that is not one of ours. */
  static roomOf(key: string): string | null {
    if (!key.startsWith(PREFIX) || !key.endsWith(SUFFIX)) return null;
    return decodeRoom(key.slice(PREFIX.length, key.length - SUFFIX.length));
  }

  private fail(op: string, room: string, e: unknown): StorageError {
    if (e instanceof StorageError) return e;
    return new StorageError(
      `S3 ${op} of the snapshot of room "${room}" in bucket "${this.bucket}" (${this.where}) failed: ${describeS3Error(e)}`,
      room,
      { cause: e },
    );
  }

  /** Runs an operation unless closed, so `close` can wait for what is in flight. */
  private track<T>(room: string | undefined, op: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StorageError(`S3 snapshot store for bucket "${this.bucket}" is closed`, room));
    const p = op();
    const settled = p.catch(() => undefined);
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return p;
  }

  get(room: string): Promise<Snapshot | null> {
    return this.track(room, async () => {
      const Key = S3SnapshotStore.keyOf(room);
      for (let attempt = 1; ; attempt++) {
        let out: GetObjectCommandOutput;
        try {
          out = await this.client.send(new (s3Sdk().GetObjectCommand)({ Bucket: this.bucket, Key }));
        } catch (e) {
          // The SDK has already retried what it considers transient.
          if (isNotFound(e)) return null;
          throw this.fail('get', room, e);
        }
        const meta = out.Metadata ?? {};
        let data: Uint8Array;
        try {
          data = out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0);
        } catch (e) {
          // A body cut off mid-transfer fails after the SDK's retries: read it again here.
          if (attempt >= READ_ATTEMPTS) throw this.fail('get', room, e);
          await pause(attempt);
          continue;
        }
        const expected = meta[META_CRC32];
        const actual = String(crc32(data));
        if (expected === undefined || expected === actual) {
          const upTo = meta[META_UP_TO];
          return { data, upTo: upTo ? upTo : null };
        }
        if (attempt >= READ_ATTEMPTS) {
          throw new StorageError(
            `the snapshot of room "${room}" in bucket "${this.bucket}" is corrupt: ${data.length} bytes with CRC-32 ${actual}, its metadata says ${expected}`,
            room,
          );
        }
        await pause(attempt);
      }
    });
  }

  put(room: string, snapshot: Snapshot): Promise<void> {
    return this.track(room, async () => {
      const Key = S3SnapshotStore.keyOf(room);
      const { data, upTo } = snapshot;
      if (upTo !== null && !UP_TO_PATTERN.test(upTo)) {
        throw new StorageError(`snapshot of room "${room}": upTo "${String(upTo).slice(0, 200)}" is not a printable ASCII id`, room);
      }
      try {
        await this.client.send(
          new (s3Sdk().PutObjectCommand)({
            Bucket: this.bucket,
            Key,
            Body: data,
            ContentLength: data.length,
            ContentType: 'application/octet-stream',
            Metadata: { [META_UP_TO]: upTo ?? '', [META_CRC32]: String(crc32(data)) },
          }),
        );
      } catch (e) {
        throw this.fail('put', room, e);
      }
    });
  }

  delete(room: string): Promise<void> {
    return this.track(room, async () => {
      const Key = S3SnapshotStore.keyOf(room);
      try {
        // S3 answers a delete of a missing key with success too.
        await this.client.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: this.bucket, Key }));
      } catch (e) {
        throw this.fail('delete', room, e);
      }
    });
  }

  list(): Promise<string[]> {
    return this.track(undefined, async () => {
      let keys: string[];
      try {
        keys = await listKeys(this.client, this.bucket, PREFIX, this.listPageSize);
      } catch (e) {
        throw new StorageError(`S3 list of snapshots in bucket "${this.bucket}" (${this.where}) failed: ${describeS3Error(e)}`, undefined, {
          cause: e,
        });
      }
      const rooms = keys.map((k) => S3SnapshotStore.roomOf(k)).filter((r): r is string => r !== null);
      return rooms.sort();
    });
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    if (this.closed) return { ok: false, detail: `S3 snapshot store for bucket "${this.bucket}" is closed` };
    const signal = AbortSignal.timeout(this.healthTimeoutMs);
    try {
      await this.client.send(new (s3Sdk().HeadBucketCommand)({ Bucket: this.bucket }), { abortSignal: signal });
      return { ok: true };
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      let reason: string;
      if (signal.aborted) reason = `no answer within ${this.healthTimeoutMs} ms`;
      else if (status === 404) reason = 'no such bucket';
      else if (status === 403) reason = 'access denied (check the credentials and the bucket policy)';
      else reason = describeS3Error(e);
      return { ok: false, detail: `S3 bucket "${this.bucket}" at ${this.where} is not usable: ${reason}` };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.pending]);
    this.client.destroy();
  }
}
