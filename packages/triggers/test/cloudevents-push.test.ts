import { FakeClock } from '@recon/core';
import { silentLogger } from '@recon/observability';
import { MemoryBackend } from '@recon/workqueue-memory';
import { CloudEvent, HTTP } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveCloudEventsBridgeFromEnv, type TriggerService } from '../src/index.ts';
import { RecordingPort } from './support/ports.ts';

const prUrl = 'https://github.com/chainguard-dev/recon/pull/42';

function event(extensions: Record<string, string>, type = 'dev.chainguard.github.pull_request') {
  return new CloudEvent({
    type,
    source: 'https://github.com/chainguard-dev/recon',
    subject: 'chainguard-dev/recon',
    data: { action: 'opened' },
    ...extensions,
  });
}

/** A Pub/Sub push envelope around a binary-mode CloudEvent, as Pub/Sub POSTs it. */
function binaryEnvelope(ce: CloudEvent<unknown>) {
  const message = HTTP.binary(ce);
  const attributes = Object.fromEntries(
    Object.entries(message.headers)
      .filter(([k]) => k.startsWith('ce-') || k === 'content-type')
      .map(([k, v]) => [k, String(v)]),
  );
  return {
    message: {
      attributes,
      data: Buffer.from(String(message.body)).toString('base64'),
      messageId: '1001',
      publishTime: '2026-01-01T00:00:00Z',
    },
    subscription: 'projects/test/subscriptions/bridge',
  };
}

function structuredEnvelope(ce: CloudEvent<unknown>) {
  return {
    message: {
      attributes: { 'content-type': 'application/cloudevents+json' },
      data: Buffer.from(String(HTTP.structured(ce).body)).toString('base64'),
      messageId: '1002',
    },
    subscription: 'projects/test/subscriptions/bridge',
  };
}

describe('CloudEvents bridge push endpoint over a real socket', () => {
  let service: TriggerService;
  let port: RecordingPort;
  let queue: MemoryBackend;
  const post = async (
    body: unknown,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) => {
    const res = await fetch(`${service.url}/`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.text() };
  };

  beforeAll(async () => {
    queue = new MemoryBackend({ clock: new FakeClock() });
    port = new RecordingPort(queue);
    service = await serveCloudEventsBridgeFromEnv(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        RECEIVER_URL: 'http://127.0.0.1:1',
        EXTENSION_KEY: 'pullrequesturl',
        PRIORITY: '7',
        FILTERS: JSON.stringify([
          { type: 'dev.chainguard.github.pull_request' },
          { type: 'dev.chainguard.github.check_run', action: 'completed' },
        ]),
      },
      { enqueue: port, logger: silentLogger },
    );
  });
  afterAll(async () => {
    await service.stop();
    await queue.close();
  });

  it('enqueues the extension of a binary-mode event at the configured priority', async () => {
    const res = await post(binaryEnvelope(event({ pullrequesturl: prUrl })));
    expect(res).toEqual({ status: 200, body: JSON.stringify({ result: 'enqueued' }) });
    expect(await queue.getKeyState(prUrl)).toMatchObject({ status: 'QUEUED', priority: 7 });
  });

  it('enqueues from a structured-mode event', async () => {
    const key = 'https://github.com/chainguard-dev/recon/pull/43';
    expect((await post(structuredEnvelope(event({ pullrequesturl: key })))).status).toBe(200);
    expect(port.calls.at(-1)).toEqual({ key, priority: 7 });
  });

  it('acknowledges and drops an event without the extension, or with an empty or invalid one', async () => {
    const before = port.calls.length;
    const variants: Record<string, string>[] = [
      {},
      { pullrequesturl: '' },
      { pullrequesturl: 'x'.repeat(1500) },
    ];
    for (const ext of variants) {
      const res = await post(binaryEnvelope(event(ext)));
      expect(res).toEqual({ status: 200, body: JSON.stringify({ result: 'dropped' }) });
    }
    const notAnEvent = {
      message: { data: Buffer.from('hello').toString('base64'), attributes: {} },
      subscription: 's',
    };
    expect(await post(notAnEvent)).toEqual({
      status: 200,
      body: JSON.stringify({ result: 'dropped' }),
    });
    expect(port.calls.length).toBe(before);
  });

  it('acknowledges events the filters reject, enqueueing nothing', async () => {
    const before = port.calls.length;
    const res = await post(
      binaryEnvelope(
        event({ pullrequesturl: prUrl, action: 'created' }, 'dev.chainguard.github.check_run'),
      ),
    );
    expect(res.body).toBe(JSON.stringify({ result: 'filtered' }));
    const passes = await post(
      binaryEnvelope(
        event({ pullrequesturl: prUrl, action: 'completed' }, 'dev.chainguard.github.check_run'),
      ),
    );
    expect(passes.body).toBe(JSON.stringify({ result: 'enqueued' }));
    expect(port.calls.length).toBe(before + 1);
  });

  it('answers 503 (a nack) while the receiver is down, and 200 once it is back', async () => {
    const key = 'https://github.com/chainguard-dev/recon/pull/99';
    port.down = true;
    const down = await post(binaryEnvelope(event({ pullrequesturl: key })));
    expect(down.status).toBe(503);
    expect(await queue.getKeyState(key)).toBeUndefined();
    port.down = false;
    expect((await post(binaryEnvelope(event({ pullrequesturl: key })))).status).toBe(200);
    expect(await queue.getKeyState(key)).toBeDefined();
  });

  it('takes a CloudEvent POSTed directly over HTTP (binary headers)', async () => {
    const key = 'https://github.com/chainguard-dev/recon/pull/100';
    const message = HTTP.binary(event({ pullrequesturl: key }));
    const headers = Object.fromEntries(
      Object.entries(message.headers).map(([k, v]) => [k, String(v)]),
    );
    expect((await post(String(message.body), headers)).status).toBe(200);
    expect(port.calls.at(-1)?.key).toBe(key);
  });

  it('rejects a body that is neither an envelope nor an event with 400', async () => {
    expect((await post('not json')).status).toBe(400);
    expect((await post({ hello: 'world' })).status).toBe(400);
  });

  it('counts every result in /metrics, and serves /healthz', async () => {
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/cloudevents_bridge_events_total\{result="enqueued"\} 5/);
    expect(metrics).toMatch(/cloudevents_bridge_events_total\{result="dropped"\} 4/);
    expect(metrics).toMatch(/cloudevents_bridge_events_total\{result="filtered"\} 1/);
    expect(metrics).toMatch(/cloudevents_bridge_events_total\{result="failed"\} 1/);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });
});
