/**
 * Debian's chromium driven by playwright-core (never a downloaded browser). Tests skip, saying
 * so, where chromium is not installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const artifactsDir = join(repoRoot, 'test-artifacts/ui');

export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      // not this one
    }
  }
  return undefined;
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A laptop-sized page that records every request it makes and every error it logs. */
export async function openPage(
  browser: Browser,
): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r: Request) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // Refusals the tests provoke (400 bad input, 403 read-only, 409 conflict) are logged too.
    const expected = /^Failed to load resource: .* status of (400|403|409) /.test(m.text());
    if (m.type() === 'error' && !expected) errors.push(m.text());
  });
  return { page, requests, errors };
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Requests to anything but this machine. */
export function externalRequests(urls: readonly string[]): string[] {
  return urls.filter((u) => {
    const { protocol, hostname } = new URL(u);
    if (protocol === 'data:' || protocol === 'blob:') return false;
    return !['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
  });
}
