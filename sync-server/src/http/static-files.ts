import fs from 'node:fs/promises';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import express, { type Request, type RequestHandler, type Response } from 'express';

/** Hashed build output: Vite names every file under assets/ after its content. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/**
 * Everything else (index.html, sw.js, the manifest, icons, Pyodide's files, whose names carry its
 * version but no hash) may change under the same name: caches keep it but ask first (ETag,
 * Last-Modified), and get a 304 when nothing changed.
 */
export const REVALIDATE = 'no-cache';

/** What the build writes beside a file (build/precompress.ts), in the order the server prefers them. */
const ENCODINGS = [
  { name: 'br', ext: '.br' },
  { name: 'gzip', ext: '.gz' },
] as const;

type Encoding = (typeof ENCODINGS)[number];

export interface StaticFilesOptions {
  /** Per response, after the cache headers: e.g. the worker scripts' own policies. Gets the file's own path, never the .br/.gz one. */
  setHeaders?: (res: ServerResponse, filePath: string) => void;
}

const cacheControlFor = (urlPath: string) => (urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);

/** The file a GET names, relative to the root (`/` → `/index.html`), or undefined when it names none safely. */
function requestedFile(req: Request): string | undefined {
  let urlPath: string;
  try {
    urlPath = decodeURIComponent(req.path);
  } catch {
    return undefined;
  }
  if (urlPath.includes('\0') || urlPath.split('/').includes('..')) return undefined;
  return urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath;
}

/** The stat of `file`, or undefined when it is not a regular file. */
const fileStat = (file: string) => fs.stat(file).then((s) => (s.isFile() ? s : undefined), () => undefined);

/**
 * The first encoding the client accepts whose copy exists and is at least as new as the file: a copy
 * older than its file (the file was edited or replaced after the build) is never sent for it.
 */
async function pickEncoding(req: Request, file: string): Promise<Encoding | undefined> {
  const accepted = ENCODINGS.filter((e) => req.acceptsEncodings(e.name) === e.name);
  if (accepted.length === 0) return undefined;
  const original = await fileStat(file);
  if (!original) return undefined;
  for (const encoding of accepted) {
    const copy = await fileStat(file + encoding.ext);
    if (copy && copy.mtimeMs >= original.mtimeMs) return encoding;
  }
  return undefined;
}

/**
 * The built web app: each file as the build's brotli or gzip copy when the client accepts one
 * (brotli first), else as it is, with `Vary: Accept-Encoding`; immutable caching for hashed assets
 * and revalidation for the rest. A request with a Range header always gets the plain file, whose
 * bytes the range counts: a range of a compressed stream cannot be decoded on its own.
 */
export function staticFiles(root: string, options: StaticFilesOptions = {}): RequestHandler {
  const dir = path.resolve(root);
  const headersFor = (res: ServerResponse, filePath: string, urlPath: string) => {
    res.setHeader('Cache-Control', cacheControlFor(urlPath));
    options.setHeaders?.(res, filePath);
  };
  const plain = express.static(dir, {
    index: 'index.html',
    setHeaders: (res, filePath) => headersFor(res, filePath, `/${path.relative(dir, filePath).split(path.sep).join('/')}`),
  });

  const sendCompressed = (res: Response, urlPath: string, encoding: Encoding, fallback: () => void) => {
    res.setHeader('Content-Encoding', encoding.name);
    // The type of what the client gets once decoded, not of a .br/.gz file.
    res.type(path.extname(urlPath) || 'application/octet-stream');
    headersFor(res, path.join(dir, urlPath), urlPath);
    res.sendFile(urlPath + encoding.ext, { root: dir, dotfiles: 'ignore', cacheControl: false }, (err?: Error) => {
      if (!err || res.headersSent) return;
      // Gone between the check and the send (a rebuild under a running server): the plain file, then.
      res.removeHeader('Content-Encoding');
      res.removeHeader('Content-Type');
      fallback();
    });
  };

  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const urlPath = requestedFile(req);
    if (!urlPath) return plain(req, res, next);
    res.vary('Accept-Encoding');
    if (req.headers.range) return plain(req, res, next);
    pickEncoding(req, path.join(dir, urlPath)).then(
      (encoding) => (encoding ? sendCompressed(res, urlPath, encoding, () => plain(req, res, next)) : plain(req, res, next)),
      next,
    );
  };
}
