import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Request, Response, Server } from 'restify';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

interface Asset {
  type: string;
  raw: Buffer;
  gzip: Buffer;
  etag: string;
}

/**
 * Serves the built front-end assets (dist/web) under /assets/, gzip-compressed (at build time, or
 * once here) and kept in memory (the whole set is a few megabytes), with ETags so repeat visits
 * transfer nothing.
 */
export function registerStaticAssets(server: Server, root: string): void {
  const cache = new Map<string, Asset | null>();
  const load = (rel: string): Asset | null => {
    if (cache.has(rel)) return cache.get(rel) ?? null;
    const file = path.join(root, rel);
    const type = TYPES[path.extname(rel)];
    let asset: Asset | null = null;
    if (
      type &&
      file.startsWith(root + path.sep) &&
      fs.existsSync(file) &&
      fs.statSync(file).isFile()
    ) {
      const raw = fs.readFileSync(file);
      // The build writes a .gz beside each file; anything without one is compressed here, once.
      const gz = `${file}.gz`;
      const gzip =
        fs.existsSync(gz) && fs.statSync(gz).mtimeMs >= fs.statSync(file).mtimeMs
          ? fs.readFileSync(gz)
          : zlib.gzipSync(raw, { level: 9 });
      asset = {
        type,
        raw,
        gzip,
        etag: `"${crypto.createHash('sha1').update(raw).digest('base64url')}"`,
      };
    }
    cache.set(rel, asset);
    return asset;
  };
  const send = async (req: Request, res: Response) => {
    const rel = decodeURIComponent(req.path().replace(/^\/assets\//, ''));
    const asset = /^[\w./-]+$/.test(rel) && !rel.includes('..') ? load(rel) : null;
    if (!asset) {
      res.sendRaw(404, 'Not found', { 'Content-Type': 'text/plain; charset=utf-8' });
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': asset.type,
      ETag: asset.etag,
      'Cache-Control': 'public, max-age=3600',
      Vary: 'Accept-Encoding',
    };
    if (req.headers['if-none-match'] === asset.etag) {
      res.sendRaw(304, '', headers);
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) headers['Content-Encoding'] = 'gzip';
    res.sendRaw(200, gzip ? asset.gzip : asset.raw, headers);
  };
  server.get('/assets/*', send);
}
