/**
 * The page: plain files from `apps/ui/static`, read once into memory and served by exact name
 * only (no path is ever joined from a request). The Content-Security-Policy allows this origin
 * and nothing else, so the page cannot reach any other host even by mistake.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseHeaders } from './http-io.ts';

export const staticDir = fileURLToPath(new URL('../../static/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface StaticFile {
  type: string;
  body: Buffer;
}

export type StaticFiles = ReadonlyMap<string, StaticFile>;

/** Every servable file under `dir`, by its path relative to it (`app.js`, `views/key.js`). */
export async function loadStaticFiles(dir: string = staticDir): Promise<StaticFiles> {
  const files = new Map<string, StaticFile>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const type = contentTypes[extname(entry.name)];
    if (!type) continue;
    const full = join(entry.parentPath, entry.name);
    const name = relative(dir, full).split(sep).join('/');
    files.set(name, { type, body: await readFile(full) });
  }
  return files;
}

export function sendStatic(res: ServerResponse, file: StaticFile, head: boolean): void {
  res.writeHead(200, {
    ...baseHeaders,
    'cache-control': 'no-cache',
    'content-type': file.type,
    'content-length': file.body.length,
    'content-security-policy': contentSecurityPolicy,
  });
  res.end(head ? undefined : file.body);
}
