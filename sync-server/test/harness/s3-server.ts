import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export interface S3Server {
  /** `http://127.0.0.1:<port>`; clients need path-style addressing (`forcePathStyle: true`). */
  endpoint: string;
  port: number;
  bucket: string;
  region: string;
  /** The only credentials s3rver accepts (it checks request signatures). */
  accessKeyId: string;
  secretAccessKey: string;
  /** A ready-made config for `S3SnapshotStore` and friends. */
  config: {
    endpoint: string;
    bucket: string;
    region: string;
    forcePathStyle: true;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /** The server's environment for this bucket (S3_* and the AWS credentials), as a deployment sets it. */
  serverEnv: Record<string, string>;
  /** Stops it (keeping its data) and waits until it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

/**
 * The child: s3rver 3.7.1 with three fixes that make it behave like S3 where our code relies on it.
 * - It is run with `--openssl-legacy-provider`: its ListObjectsV2 continuation tokens are
 *   DES-encrypted, which OpenSSL 3 (Node >= 17) refuses, so every truncated page is a 500.
 * - PUT is made atomic: s3rver rewrites the object file in place (and answers before the write
 *   is flushed), then the metadata file, so a concurrent or immediately following GET can read a
 *   short body or the new body with the old metadata. Here the body and metadata are written to
 *   temporary files and renamed, and GET/PUT/DELETE of one key are serialized (a GET holds the
 *   key only until its file is open, so it streams one version whole).
 * - DELETE leaves empty directories in place: s3rver's clean-up can remove a directory that a
 *   concurrent PUT of a sibling key is about to write into.
 * It exits when its stdin closes, so a test process that dies does not leave it running.
 */
const CHILD = String.raw`
'use strict';
const { main, options } = JSON.parse(process.env.S3RVER_HARNESS);
const path = require('path');
const fs = require('fs');
const fsp = fs.promises;
const crypto = require('crypto');
const { Readable, Transform } = require('stream');
const { pipeline } = require('stream/promises');
const S3rver = require(main);
const lib = path.dirname(main);
const FilesystemStore = require(path.join(lib, 'stores', 'filesystem.js'));
const S3Object = require(path.join(lib, 'models', 'object.js'));

const chains = new Map();
function locked(id, op) {
  const run = (chains.get(id) || Promise.resolve()).then(op, op);
  const tail = run.catch(() => {});
  chains.set(id, tail);
  tail.then(() => { if (chains.get(id) === tail) chains.delete(id); });
  return run;
}
let seq = 0;
async function writeAtomic(file, write) {
  const tmp = file + '.' + process.pid + '-' + ++seq + '.tmp';
  try {
    await write(tmp);
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.unlink(tmp).catch(() => {});
    throw e;
  }
}

const proto = FilesystemStore.prototype;
const originalGetObject = proto.getObject;
proto.putMetadata = async function (bucket, key, metadata, md5) {
  const json = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (S3Object.ALLOWED_METADATA.includes(k) || k.startsWith('x-amz-meta-')) json[k] = v;
  }
  if (md5) await writeAtomic(this.getResourcePath(bucket, key, 'object.md5'), (tmp) => fsp.writeFile(tmp, md5));
  await writeAtomic(this.getResourcePath(bucket, key, 'metadata.json'), (tmp) => fsp.writeFile(tmp, JSON.stringify(json, null, 2)));
};
proto.putObject = function (object) {
  return locked(object.bucket + '/' + object.key, async () => {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    await fsp.mkdir(path.dirname(objectPath), { recursive: true });
    const hash = crypto.createHash('md5');
    let size = 0;
    const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    const count = new Transform({
      transform(chunk, encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    await writeAtomic(objectPath, (tmp) => pipeline(source, count, fs.createWriteStream(tmp)));
    const md5 = hash.digest('hex');
    await this.putMetadata(object.bucket, object.key, object.metadata, md5);
    return { size, md5 };
  });
};
proto.getObject = function (bucket, key, options) {
  return locked(bucket + '/' + key, () => originalGetObject.call(this, bucket, key, options));
};
proto.deleteObject = function (bucket, key) {
  return locked(bucket + '/' + key, async () => {
    for (const resource of ['object', 'object.md5', 'metadata.json']) {
      await fsp.unlink(this.getResourcePath(bucket, key, resource)).catch((e) => {
        if (e.code !== 'ENOENT') throw e;
      });
    }
  });
};

const server = new S3rver(options);
server.run().then(
  (address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\n'),
  (e) => {
    process.stderr.write(String((e && e.stack) || e) + '\n');
    process.exit(1);
  },
);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

const S3RVER_MAIN = createRequire(import.meta.url).resolve('s3rver');

/**
 * A real S3-compatible server (s3rver, in a child process) on 127.0.0.1 and a free port, with
 * its own temporary directory and one bucket, logging nothing. See CHILD for what is patched.
 */
export async function startS3Server(options: { bucket?: string } = {}): Promise<S3Server> {
  const bucket = options.bucket ?? 'llmunix-test';
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-s3-'));
  let port = 0;
  let child: ChildProcess | null = null;

  const launch = async () => {
    const config = {
      main: S3RVER_MAIN,
      options: {
        address: '127.0.0.1',
        port,
        silent: true,
        directory,
        // Path-style only: vhost-style would need DNS names like <bucket>.127.0.0.1.
        vhostBuckets: false,
        configureBuckets: [{ name: bucket }],
      },
    };
    const started = spawn(process.execPath, ['--openssl-legacy-provider', '-e', CHILD], {
      env: { ...process.env, S3RVER_HARNESS: JSON.stringify(config) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child = started;
    let stderr = '';
    started.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const ready = await new Promise<{ port: number }>((resolve, reject) => {
      const lines = readline.createInterface({ input: started.stdout! });
      lines.once('line', (line) => resolve(JSON.parse(line) as { port: number }));
      started.once('exit', (code, signal) => reject(new Error(`s3rver exited (${signal ?? code}) before listening:\n${stderr}`)));
      started.once('error', reject);
    });
    port = ready.port;
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill(signal);
    });
  };

  await launch();
  const endpoint = `http://127.0.0.1:${port}`;
  const region = 'us-east-1';
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  return {
    endpoint,
    port,
    bucket,
    region,
    ...credentials,
    config: { endpoint, bucket, region, forcePathStyle: true, credentials },
    serverEnv: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: region,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    stop,
    restart: launch,
    destroy: async () => {
      await stop();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}
