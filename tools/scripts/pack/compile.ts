// One TypeScript emit of every packed package's sources: JavaScript that Node runs from
// node_modules (where it refuses to strip types), with declarations beside it.
import { join } from 'node:path';
import ts from 'typescript';

export interface CompileResult {
  /** Emitted tree root: `<outDir>/<package rel dir>/src/**` holds each package's output. */
  outDir: string;
  /** Diagnostics as text (type errors do not stop the emit). */
  problems: string[];
}

export function compileSources(
  root: string,
  files: readonly string[],
  outDir: string,
): CompileResult {
  const configPath = join(root, 'tsconfig.base.json');
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const raw = (read.config as { compilerOptions?: object }).compilerOptions ?? {};
  const { options, errors } = ts.convertCompilerOptionsFromJson(raw, root, configPath);
  if (errors.length)
    throw new Error(
      errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')).join('\n'),
    );
  const program = ts.createProgram({
    rootNames: [...files],
    options: {
      ...options,
      noEmit: false,
      declaration: true,
      sourceMap: false,
      declarationMap: false,
      outDir,
      rootDir: root,
      // rewriteRelativeImportExtensions (from the base config) turns './x.ts' into './x.js'.
    },
  });
  const emitted = program.emit();
  if (emitted.emitSkipped) throw new Error('TypeScript skipped the emit');
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  };
  const problems = diagnostics.map((d) => ts.formatDiagnostic(d, host).trim());
  return { outDir, problems };
}
