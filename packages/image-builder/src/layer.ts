// A reproducible image layer: the same files give the same bytes, hence the same digests.
import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { sha256Digest, type Digest } from './digest.ts';
import { ImageInputError } from './errors.ts';

export interface LayerFile {
  /** Path below the layer root, `/`-separated, e.g. `main.mjs` or `assets/logo.svg`. */
  readonly path: string;
  readonly contents: Uint8Array | string;
  /** Permission bits. Default 0o644; use 0o755 for executables. */
  readonly mode?: number;
}

export interface LayerOptions {
  readonly files: readonly LayerFile[];
  /** Absolute directory the files land in. Default `/app`; `/` puts them at the image root. */
  readonly root?: string;
  /**
   * Modification time of every entry, in seconds since the Unix epoch. Default 0. Pass the
   * build's `SOURCE_DATE_EPOCH` here when there is one (read it in the app, not in a library).
   */
  readonly mtime?: number;
}

export interface Layer {
  /** The gzip'd tar, as pushed to the registry. */
  readonly blob: Uint8Array;
  /** Digest of `blob`: the layer descriptor's digest. */
  readonly digest: Digest;
  /** Digest of the uncompressed tar: the config's `rootfs.diff_ids` entry. */
  readonly diffId: Digest;
  /** Paths of the tar entries, in order (directories end with `/`). */
  readonly entries: readonly string[];
}

export const DEFAULT_APP_ROOT = '/app';
const FILE_MODE = 0o644;
const DIR_MODE = 0o755;
// Byte 9 of a gzip header names the OS that wrote it; zlib fills in the host's, so one fixed value
// keeps the blob identical across machines. 255 means "unknown", which is what Go's gzip writes.
const GZIP_OS_OFFSET = 9;
const GZIP_OS_UNKNOWN = 255;
const GZIP_LEVEL = 9;

function checkRelativePath(field: string, value: string): string[] {
  const parts = value.split('/');
  const bad = parts.find((p) => p === '' || p === '.' || p === '..' || p.includes('\\'));
  if (bad !== undefined || value.includes('\0')) {
    throw new ImageInputError(
      field,
      `${JSON.stringify(value)} must be a normalised relative path (no leading "/", "." or "..")`,
    );
  }
  return parts;
}

/** `/app` → `['app']`, `/srv/app/` → `['srv', 'app']`, `/` → `[]`. */
export function rootComponents(root: string, field = 'root'): string[] {
  if (!root.startsWith('/')) {
    throw new ImageInputError(field, `${JSON.stringify(root)} must be an absolute directory`);
  }
  return root === '/' ? [] : checkRelativePath(field, root.slice(1).replace(/\/$/, ''));
}

interface TarEntry {
  readonly name: string;
  readonly header: Partial<Header> & Pick<Header, 'name'>;
  readonly body?: Uint8Array;
}

function collectEntries(options: LayerOptions): TarEntry[] {
  const root = rootComponents(options.root ?? DEFAULT_APP_ROOT);
  const mtimeSeconds = options.mtime ?? 0;
  if (!Number.isSafeInteger(mtimeSeconds) || mtimeSeconds < 0) {
    throw new ImageInputError(
      'mtime',
      `${mtimeSeconds} must be a non-negative whole number of seconds`,
    );
  }
  const mtime = new Date(mtimeSeconds * 1000);
  const fixed = { uid: 0, gid: 0, uname: '', gname: '', mtime };
  const entries = new Map<string, TarEntry>();
  const addDirs = (field: string, parts: readonly string[]): void => {
    for (let i = 1; i <= parts.length; i++) {
      const name = `${parts.slice(0, i).join('/')}/`;
      if (entries.has(name.slice(0, -1))) {
        throw new ImageInputError(field, `${JSON.stringify(name)} is both a file and a directory`);
      }
      if (!entries.has(name)) {
        entries.set(name, { name, header: { ...fixed, name, type: 'directory', mode: DIR_MODE } });
      }
    }
  };
  addDirs('root', root);
  options.files.forEach((file, i) => {
    const field = `files[${i}]`;
    const parts = checkRelativePath(`${field}.path`, file.path);
    const mode = file.mode ?? FILE_MODE;
    if (!Number.isInteger(mode) || mode < 1 || mode > 0o7777) {
      throw new ImageInputError(`${field}.mode`, `${mode} is not a permission mode (1..0o7777)`);
    }
    const name = [...root, ...parts].join('/');
    if (entries.has(name) || entries.has(`${name}/`)) {
      throw new ImageInputError(`${field}.path`, `${JSON.stringify(file.path)} appears twice`);
    }
    addDirs(`${field}.path`, [...root, ...parts.slice(0, -1)]);
    const body =
      typeof file.contents === 'string' ? new TextEncoder().encode(file.contents) : file.contents;
    entries.set(name, {
      name,
      body,
      header: { ...fixed, name, type: 'file', mode, size: body.byteLength },
    });
  });
  // A directory's name is a prefix of its children's, so plain ordering puts it first.
  return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function writeTar(entries: readonly TarEntry[]): Promise<Uint8Array> {
  const tar = pack();
  for (const entry of entries) {
    if (entry.body === undefined) tar.entry(entry.header);
    // tar-stream takes only a Node Buffer as the body (a plain Uint8Array is ignored).
    else
      tar.entry(
        entry.header,
        Buffer.from(entry.body.buffer, entry.body.byteOffset, entry.body.byteLength),
      );
  }
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Builds the layer: directory entries for the root and every parent, then the files, sorted by
 * path; owner 0:0 with empty owner names; fixed modes and mtime; gzip with no name, no timestamp
 * and a fixed OS byte.
 */
export async function buildLayer(options: LayerOptions): Promise<Layer> {
  const entries = collectEntries(options);
  const tar = await writeTar(entries);
  const blob = gzipSync(tar, { level: GZIP_LEVEL });
  blob[GZIP_OS_OFFSET] = GZIP_OS_UNKNOWN;
  return {
    blob,
    digest: sha256Digest(blob),
    diffId: sha256Digest(tar),
    entries: entries.map((e) => e.name),
  };
}
