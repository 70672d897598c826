// Bundles a TypeScript entry point into one ESM file that Node 24 runs with no node_modules.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build, type Message } from 'esbuild';
import { BundleError, ImageInputError } from './errors.ts';

export interface BundleOptions {
  /** Path of the TypeScript (or JavaScript) entry point. */
  readonly entry: string;
  /** When set, the bundle is also written to `<outDir>/<fileName>`. Default: kept in memory only. */
  readonly outDir?: string;
  /** Module specifiers left as runtime imports (they must exist in the image). Default: none. */
  readonly external?: readonly string[];
  /** Name of the output file. Default: the entry's base name with `.mjs`, e.g. `main.mjs`. */
  readonly fileName?: string;
  /** Minify the output. Default: false (readable stack traces in production logs). */
  readonly minify?: boolean;
  readonly signal?: AbortSignal;
}

export interface Bundle {
  readonly fileName: string;
  readonly contents: Uint8Array;
  /** Where the bundle was written, when `outDir` was given. */
  readonly path?: string;
  /** Source files that went into the bundle, relative to the entry's directory, sorted. */
  readonly inputs: readonly string[];
}

// Bundled CommonJS dependencies call `require` (through esbuild's `__require`) and read
// `__dirname`/`__filename`, none of which exist in ESM. esbuild renames any top-level binding named
// `require` in bundled code, so declaring one in the banner cannot clash; `__dirname` and
// `__filename` are not renamed, so they are mapped with `define`, which touches only free
// (undeclared) references and leaves a module's own `const __dirname = ...` alone.
const BANNER =
  "import { createRequire as __reconCreateRequire } from 'node:module';\n" +
  'const require = __reconCreateRequire(import.meta.url);';

function formatMessage(message: Message): string {
  const where = message.location
    ? `${message.location.file}:${message.location.line}:${message.location.column}: `
    : '';
  return `${where}${message.text}`;
}

function defaultFileName(entry: string): string {
  return `${path.basename(entry, path.extname(entry))}.mjs`;
}

/**
 * Bundles `entry` for Node 24 (platform node, ESM, target node24).
 *
 * The output depends only on the source files and the esbuild version, not on where the tree is
 * checked out: esbuild runs with the entry's directory as working directory, so the path comments
 * it writes are relative to it.
 */
export async function bundleEntry(options: BundleOptions): Promise<Bundle> {
  options.signal?.throwIfAborted();
  if (options.entry === '') throw new ImageInputError('entry', 'must name a file');
  const entry = path.resolve(options.entry);
  const workDir = path.dirname(entry);
  const fileName = options.fileName ?? defaultFileName(entry);
  if (fileName.includes('/') || fileName.includes('\\') || fileName.startsWith('.')) {
    throw new ImageInputError('fileName', `${JSON.stringify(fileName)} must be a plain file name`);
  }

  let result;
  try {
    result = await build({
      entryPoints: [entry],
      absWorkingDir: workDir,
      outfile: path.join(workDir, fileName),
      write: false,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      external: [...(options.external ?? [])],
      minify: options.minify ?? false,
      banner: { js: BANNER },
      define: { __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' },
      metafile: true,
      logLevel: 'silent',
    });
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    throw new BundleError(entry, errors ? errors.map(formatMessage) : [String(err)], {
      cause: err,
    });
  }
  options.signal?.throwIfAborted();

  const output = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
  if (output === undefined) throw new BundleError(entry, ['esbuild produced no output file']);
  const inputs = Object.keys(result.metafile.inputs).sort();

  let written: string | undefined;
  if (options.outDir !== undefined) {
    await mkdir(options.outDir, { recursive: true });
    written = path.join(options.outDir, fileName);
    await writeFile(written, output.contents, { signal: options.signal });
  }
  return {
    fileName,
    contents: output.contents,
    inputs,
    ...(written === undefined ? {} : { path: written }),
  };
}
