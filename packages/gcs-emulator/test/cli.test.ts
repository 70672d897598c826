import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArgs, runGcsEmulatorCli } from '../src/index.ts';

describe('parseCliArgs', () => {
  it('defaults to port 4443 in memory, PORT overrides, --port wins', () => {
    expect(parseCliArgs([], {}).options).toMatchObject({
      port: 4443,
      host: '127.0.0.1',
      faults: { errorRate: 0, latencyMs: 0, dropRate: 0 },
    });
    expect(parseCliArgs([], {}).options.dataDir).toBeUndefined();
    expect(parseCliArgs([], { PORT: '9000' }).options.port).toBe(9000);
    expect(parseCliArgs(['--port', '0'], { PORT: '9000' }).options.port).toBe(0);
  });

  it('reads every flag', () => {
    const { options } = parseCliArgs(
      [
        '--data',
        '/tmp/x',
        '--notify',
        'http://127.0.0.1:1/push',
        '--notify-prefix',
        'queued/',
        '--notify-event-types',
        'OBJECT_FINALIZE,OBJECT_DELETE',
        '--error-rate',
        '0.1',
        '--latency-ms',
        '5',
        '--drop-rate',
        '0.2',
        '--seed',
        '3',
        '--host',
        '0.0.0.0',
      ],
      {},
    );
    expect(options).toMatchObject({
      dataDir: '/tmp/x',
      host: '0.0.0.0',
      seed: 3,
      notify: {
        url: 'http://127.0.0.1:1/push',
        prefix: 'queued/',
        eventTypes: ['OBJECT_FINALIZE', 'OBJECT_DELETE'],
      },
      faults: { errorRate: 0.1, latencyMs: 5, dropRate: 0.2 },
    });
  });

  it('lists every problem at once', () => {
    let err: unknown;
    try {
      parseCliArgs(['--port', 'abc', '--error-rate', '2', '--notify-prefix', 'q/'], {});
    } catch (e) {
      err = e;
    }
    expect(CliUsageError.is(err)).toBe(true);
    const problems = (err as CliUsageError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/--port[\s\S]*--error-rate[\s\S]*--notify-prefix/);
    expect(() => parseCliArgs(['--bogus'], {})).toThrow(/bogus/);
    expect(() =>
      parseCliArgs(['--notify', 'not a url', '--notify-event-types', 'NOPE'], {}),
    ).toThrow(/--notify: not a URL/);
  });
});

describe('runGcsEmulatorCli', () => {
  it('prints the listening line, serves, and stops on abort', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    let listening: (url: string) => void = () => {};
    const url = new Promise<string>((resolve) => (listening = resolve));
    const run = runGcsEmulatorCli(
      ['--port', '0'],
      {},
      {
        signal: stop.signal,
        stdout: (line) => {
          lines.push(line);
          const m = /listening on (\S+)/.exec(line);
          if (m) listening(m[1]!);
        },
      },
    );
    const base = await url;
    expect(lines).toEqual([`gcs-emulator listening on ${base}`]);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${base}/_emulator/healthz`)).status).toBe(200);
    stop.abort();
    await run;
    await expect(fetch(`${base}/_emulator/healthz`)).rejects.toThrow();
  });
});
