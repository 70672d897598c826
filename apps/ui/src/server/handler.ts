/**
 * The UI as one request handler for node:http: the page's static files and the JSON API, under an
 * optional base path. Returns false for requests outside it, so a host (the dispatcher's ops
 * server, `startUi`) can answer those itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleApi } from './api.ts';
import { MethodNotAllowedError } from './http-errors.ts';
import { baseHeaders } from './http-io.ts';
import { Live } from './live.ts';
import { resolveUiOptions, type UiHandlerOptions } from './options.ts';
import { sendError } from './send-error.ts';
import { loadStaticFiles, sendStatic, type StaticFiles } from './static-files.ts';

export interface UiHandler {
  (req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The mount point ('' = root). */
  readonly basePath: string;
  /** Stops sampling and ends live streams. */
  close(): Promise<void>;
}

export function createUiHandler(options: UiHandlerOptions): UiHandler {
  const o = resolveUiOptions(options);
  const live = new Live({
    queue: o.queue,
    clock: o.clock,
    readOnly: o.readOnly,
    refreshMs: o.refreshMs,
    stepMs: o.seriesStepMs,
    capacity: o.seriesCapacity,
    ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
    ...(o.counters ? { counters: o.counters } : {}),
  });
  let files: Promise<StaticFiles> | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://ui.invalid');
    const path = url.pathname;
    if (o.basePath !== '') {
      if (path === o.basePath) {
        // Relative links in the page resolve against the trailing slash.
        res.writeHead(308, { ...baseHeaders, location: `${o.basePath}/${url.search}` }).end();
        return true;
      }
      if (!path.startsWith(`${o.basePath}/`)) return false;
    }
    const sub = path.slice(o.basePath.length);
    try {
      if (sub.startsWith('/api/')) {
        live.start();
        await handleApi({ o, live }, sub.slice('/api/'.length), url, req, res);
        return true;
      }
      files ??= loadStaticFiles();
      const file = (await files).get(sub === '/' ? 'index.html' : sub.slice(1));
      if (!file) return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new MethodNotAllowedError('GET');
      live.start();
      sendStatic(res, file, req.method === 'HEAD');
      return true;
    } catch (err) {
      sendError(res, err);
      return true;
    }
  };
  return Object.assign(handle, { basePath: o.basePath, close: () => live.close() });
}
