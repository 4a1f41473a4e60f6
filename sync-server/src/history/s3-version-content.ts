import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, describeS3Error, S3BlobStore, s3Sdk, type S3Config } from '../storage/s3-client';
import { checkedSubject } from './history-store';
import { checkedStamp, type VersionContentStore } from './version-content';

const prefixOf = (subject: string) => `history/${checkedSubject(subject)}/`;
const keyOf = (subject: string, stamp: string) => `${prefixOf(subject)}${checkedStamp(stamp)}.bin`;

/** Content as S3 objects `history/<subject>/<stamp>.bin`, beside the rooms' snapshots in the same bucket. */
export class S3VersionContent implements VersionContentStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly blobs: S3BlobStore;

  /** `client`, when given, is used instead of one made from `config` (tests count its requests). */
  constructor(
    private readonly config: S3Config,
    client?: S3Client,
  ) {
    this.client = client ?? createS3Client(config);
    this.blobs = new S3BlobStore(this.client, config.bucket, config.listPageSize);
  }

  put(subject: string, stamp: string, content: Uint8Array): Promise<void> {
    return this.blobs.putBlob(keyOf(subject, stamp), content, 'application/octet-stream');
  }

  get(subject: string, stamp: string): Promise<Uint8Array | null> {
    return this.blobs.getBlobBytes(keyOf(subject, stamp));
  }

  remove(subject: string, stamps: string[]): Promise<void> {
    return this.blobs.deleteBlobs(stamps.map((stamp) => keyOf(subject, stamp)));
  }

  /** Lists the subject's objects and deletes them a thousand a request: a subject may have thousands of versions. */
  async removeSubject(subject: string): Promise<void> {
    await this.blobs.deleteBlobs(await this.blobs.listBlobs(prefixOf(subject)));
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    try {
      await this.client.send(new (s3Sdk().HeadBucketCommand)({ Bucket: this.config.bucket }), { abortSignal: AbortSignal.timeout(this.config.healthTimeoutMs ?? 2000) });
      return { ok: true };
    } catch (e) {
      return { ok: false, detail: `S3 bucket "${this.config.bucket}" for versions is not usable: ${describeS3Error(e)}` };
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

