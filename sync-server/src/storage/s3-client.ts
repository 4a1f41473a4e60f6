import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { onFirstUse } from '../on-first-use';
import { StorageError } from './storage';

/** The S3 SDK, loaded by the first client made: a server without S3_BUCKET never loads it. */
export const s3Sdk = onFirstUse<typeof S3Sdk>('@aws-sdk/client-s3');

/**
 * How to reach one S3 bucket (DESIGN §6): any S3-compatible endpoint. `S3_ENDPOINT`, `S3_BUCKET`,
 * `S3_REGION` and `S3_FORCE_PATH_STYLE=true` map onto the first four fields; without
 * `credentials` the SDK's standard chain applies (`AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`,
 * then shared config files, then instance roles).
 */
export interface S3Config {
  /** E.g. `http://127.0.0.1:9000`; unset means AWS itself. */
  endpoint?: string;
  bucket: string;
  region: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key`; most self-hosted servers need it. */
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Time allowed to open a connection (default 3000 ms). */
  connectTimeoutMs?: number;
  /** Time allowed for a whole request and its response (default 60 s: snapshots can be megabytes). */
  requestTimeoutMs?: number;
  /** Attempts per request, the SDK retrying transient failures with backoff (default 3). */
  maxAttempts?: number;
  /** Time allowed for the health check's HeadBucket (default 2000 ms). */
  healthTimeoutMs?: number;
  /** Keys per ListObjectsV2 page (default: the server's, 1000 on S3); small values test paging. */
  listPageSize?: number;
}

/** Builds an SDK client for a config, with bounded connect and request times. */
export function createS3Client(config: S3Config): S3Client {
  const options: S3ClientConfig = {
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    maxAttempts: config.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: config.connectTimeoutMs ?? 3000,
      requestTimeout: config.requestTimeoutMs ?? 60_000,
      throwOnRequestTimeout: true,
    },
  };
  if (config.endpoint) options.endpoint = config.endpoint;
  if (config.credentials) options.credentials = config.credentials;
  return new (s3Sdk().S3Client)(options);
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  errors?: unknown[];
  $metadata?: { httpStatusCode?: number };
}

/** True for "there is no such object/bucket" answers (GetObject's NoSuchKey, HeadObject's bare 404). */
export function isNotFound(e: unknown): boolean {
  const err = e as SdkError;
  return err?.name === 'NoSuchKey' || err?.name === 'NotFound' || err?.$metadata?.httpStatusCode === 404;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the S3 server running and the endpoint right?)',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host not found (check the endpoint)',
  EAI_AGAIN: 'host name lookup failed (check the endpoint and DNS)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed by the server',
};

/** Says in words why an S3 call failed: the network reason, or the service's error name and status. */
export function describeS3Error(e: unknown): string {
  const err = (e ?? {}) as SdkError;
  // Node reports a failed connect to several addresses as an AggregateError with no message.
  const inner = (err.errors?.[0] ?? {}) as SdkError;
  const code = err.code ?? inner.code;
  if (code && NETWORK_REASONS[code]) return NETWORK_REASONS[code];
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || code === 'ABORT_ERR') {
    return `no answer in time (${err.message || 'timed out'})`;
  }
  if (err.name === 'CredentialsProviderError') {
    return `no S3 credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY): ${err.message}`;
  }
  const status = err.$metadata?.httpStatusCode;
  if (status) {
    const what = err.name && err.name !== 'Unknown' ? err.name : 'error';
    const text = err.message && err.message !== 'UnknownError' && err.message !== err.name ? `: ${err.message}` : '';
    return `${what} (HTTP ${status})${text}`;
  }
  return err.message || String(e);
}

/** Keys one DeleteObjects request may name (S3's limit). */
const DELETE_BATCH = 1000;

/** Keys the snapshot store owns; blobs may not be written there. */
export const RESERVED_PREFIX = 'rooms/';

/** Reasons a blob key or prefix is refused, or null when it is fine. */
function blobKeyProblem(key: string, isPrefix: boolean): string | null {
  if (!isPrefix && key.length === 0) return 'it is empty';
  if (Buffer.byteLength(key) > 1024) return 'it is longer than 1024 bytes';
  if (key.startsWith('/')) return 'it starts with "/"';
  if (key.includes('..')) return 'it contains ".."';
  if (key.includes('\\')) return 'it contains "\\"';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'it contains control characters';
  const segments = key.split('/');
  if (isPrefix && segments.at(-1) === '') segments.pop();
  if (segments.some((s) => s === '' || s === '.')) return 'it has an empty or "." path segment';
  if (key.startsWith(RESERVED_PREFIX)) {
    return `"${RESERVED_PREFIX}" is where room snapshots live`;
  }
  return null;
}

/** Throws a StorageError unless `key` is a safe blob key (relative, no "..", not under `rooms/`). */
export function checkBlobKey(key: string, isPrefix = false): void {
  const problem = blobKeyProblem(key, isPrefix);
  if (problem) throw new StorageError(`invalid blob ${isPrefix ? 'prefix' : 'key'} "${key.slice(0, 200)}": ${problem}`);
}

/**
 * Arbitrary text (or bytes) in the bucket, for the human-readable mirror
 * (`volumes/{volume}/{volumeId}/skills/{id}.md`, `.../workflows/{id}.json`). Keys are checked:
 * relative, no "..", nothing under the snapshots' `rooms/` prefix.
 */
export class S3BlobStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    private readonly listPageSize?: number,
  ) {}

  private fail(op: string, key: string, e: unknown): StorageError {
    return new StorageError(`S3 ${op} of "${key}" in bucket "${this.bucket}" failed: ${describeS3Error(e)}`, undefined, { cause: e });
  }

  async putBlob(key: string, body: string | Uint8Array, contentType = 'text/plain; charset=utf-8'): Promise<void> {
    checkBlobKey(key);
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    try {
      await this.client.send(
        new (s3Sdk().PutObjectCommand)({ Bucket: this.bucket, Key: key, Body: bytes, ContentLength: bytes.length, ContentType: contentType }),
      );
    } catch (e) {
      throw this.fail('put', key, e);
    }
  }

  /** The blob as UTF-8 text, or null when there is none. */
  async getBlob(key: string): Promise<string | null> {
    const bytes = await this.getBlobBytes(key);
    return bytes === null ? null : Buffer.from(bytes).toString('utf8');
  }

  /** The blob's bytes, or null when there is none. */
  async getBlobBytes(key: string): Promise<Uint8Array | null> {
    checkBlobKey(key);
    try {
      const out = await this.client.send(new (s3Sdk().GetObjectCommand)({ Bucket: this.bucket, Key: key }));
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0);
    } catch (e) {
      if (isNotFound(e)) return null;
      throw this.fail('get', key, e);
    }
  }

  /** Deletes a blob; deleting one that is not there is fine. */
  async deleteBlob(key: string): Promise<void> {
    checkBlobKey(key);
    try {
      await this.client.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: this.bucket, Key: key }));
    } catch (e) {
      if (isNotFound(e)) return;
      throw this.fail('delete', key, e);
    }
  }

  /**
   * Deletes many blobs, up to 1,000 a request (S3's limit for DeleteObjects); keys that are not
   * there are fine. Throws naming the first key S3 refused, after trying every batch.
   */
  async deleteBlobs(keys: readonly string[]): Promise<void> {
    for (const key of keys) checkBlobKey(key);
    const refused: Array<{ key: string; why: string }> = [];
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      try {
        const out = await this.client.send(
          new (s3Sdk().DeleteObjectsCommand)({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
        );
        for (const e of out.Errors ?? []) refused.push({ key: e.Key ?? '?', why: `${e.Code ?? 'error'}: ${e.Message ?? ''}`.trim() });
      } catch (e) {
        throw this.fail('delete', batch.length === 1 ? String(batch[0]) : `${batch[0]} (and ${batch.length - 1} more)`, e);
      }
    }
    const first = refused[0];
    if (first) throw new StorageError(`S3 delete of "${first.key}" in bucket "${this.bucket}" failed: ${first.why}${refused.length > 1 ? ` (and ${refused.length - 1} more keys)` : ''}`);
  }

  /** Every blob key under `prefix` (e.g. `volumes/user/alice/`), sorted; snapshots are never listed. */
  async listBlobs(prefix: string): Promise<string[]> {
    checkBlobKey(prefix, true);
    try {
      const keys = await listKeys(this.client, this.bucket, prefix, this.listPageSize);
      return keys.filter((k) => !k.startsWith(RESERVED_PREFIX));
    } catch (e) {
      throw this.fail('list', prefix || '(all)', e);
    }
  }
}

/** Every key under a prefix, paging through ListObjectsV2, sorted. */
export async function listKeys(client: S3Client, bucket: string, prefix: string, pageSize?: number): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new (s3Sdk().ListObjectsV2Command)({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: pageSize }),
    );
    for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}
