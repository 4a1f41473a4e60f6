import net from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * A TCP proxy on loopback standing for the network between a browser and the server: it counts
 * the bytes each way and, given a bandwidth, delivers the server's bytes no faster than one shared
 * link of that speed would (all connections queue on it, as on a real access link). Latency is not
 * modelled: loopback's is what remains.
 */
export interface LinkProxy {
  url: string;
  /** Bytes the server sent (headers and bodies) since the last reset. */
  down(): number;
  /** Bytes the client sent since the last reset. */
  up(): number;
  /** Milliseconds since the link last carried a byte either way. */
  idleMs(): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startLinkProxy(target: string, mbitPerSecond?: number): Promise<LinkProxy> {
  const { hostname, port } = new URL(target);
  const bytesPerMs = mbitPerSecond ? (mbitPerSecond * 1e6) / 8 / 1000 : Infinity;
  let down = 0;
  let up = 0;
  let lastByte = performance.now();
  /** When the shared link has delivered everything queued on it so far. */
  let linkFreeAt = 0;
  const sockets = new Set<net.Socket>();

  /** Passes the server's chunks on once the link would have carried them. */
  const throttle = () =>
    new Transform({
      transform(chunk: Buffer, _enc, done: TransformCallback) {
        down += chunk.length;
        lastByte = performance.now();
        if (bytesPerMs === Infinity) return done(null, chunk);
        linkFreeAt = Math.max(linkFreeAt, performance.now()) + chunk.length / bytesPerMs;
        setTimeout(() => done(null, chunk), Math.max(0, linkFreeAt - performance.now()));
      },
    });

  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => (s === client ? upstream : client).destroy());
    }
    client.on('data', (d: Buffer) => {
      up += d.length;
      lastByte = performance.now();
    });
    client.pipe(upstream);
    upstream.pipe(throttle()).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${proxyPort}`,
    down: () => down,
    up: () => up,
    idleMs: () => performance.now() - lastByte,
    reset: () => {
      down = 0;
      up = 0;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
