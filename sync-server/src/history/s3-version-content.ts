import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client, describeS3Error, S3BlobStore, type S3Config } from '../storage/s3-client';
import { checkedSubject } from './history-store';
import { checkedStamp, type VersionContentStore } from './version-content';

const prefixOf = (subject: string) => `history/${checkedSubject(subject)}/`;
const keyOf = (subject: string, stamp: string) => `${prefixOf(subject)}${checkedStamp(stamp)}.bin`;

/** Content as S3 objects `history/<subject>/<stamp>.bin`, beside the rooms' snapshots in the same bucket. */
export class S3VersionContent implements VersionContentStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly blobs: S3BlobStore;

  constructor(private readonly config: S3Config) {
    this.client = createS3Client(config);
    this.blobs = new S3BlobStore(this.client, config.bucket, config.listPageSize);
  }

  put(subject: string, stamp: string, content: Uint8Array): Promise<void> {
    return this.blobs.putBlob(keyOf(subject, stamp), content, 'application/octet-stream');
  }

  get(subject: string, stamp: string): Promise<Uint8Array | null> {
    return this.blobs.getBlobBytes(keyOf(subject, stamp));
  }

  async remove(subject: string, stamps: string[]): Promise<void> {
    for (const stamp of stamps) await this.blobs.deleteBlob(keyOf(subject, stamp));
  }

  async removeSubject(subject: string): Promise<void> {
    for (const key of await this.blobs.listBlobs(prefixOf(subject))) await this.blobs.deleteBlob(key);
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket }), { abortSignal: AbortSignal.timeout(this.config.healthTimeoutMs ?? 2000) });
      return { ok: true };
    } catch (e) {
      return { ok: false, detail: `S3 bucket "${this.config.bucket}" for versions is not usable: ${describeS3Error(e)}` };
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

