import { ConfigError } from '@recon/core';
import { describe, expect, it } from 'vitest';
import {
  decodePubsubCloudEvent,
  matchesFilters,
  parseCloudEventsBridgeConfig,
  parseFilters,
} from '../src/index.ts';

describe('decodePubsubCloudEvent', () => {
  it('reads binary mode from ce-* attributes', () => {
    const attrs = decodePubsubCloudEvent({
      attributes: {
        'ce-specversion': '1.0',
        'ce-type': 't',
        'ce-id': '1',
        'ce-pullrequesturl': 'k',
        'content-type': 'application/json',
        other: 'x',
      },
      data: Buffer.from('{"not":"an event"}'),
    });
    expect(attrs).toEqual({ specversion: '1.0', type: 't', id: '1', pullrequesturl: 'k' });
  });

  it('reads structured mode from JSON data, skipping data and non-scalars', () => {
    const event = {
      specversion: '1.0',
      type: 't',
      source: '/s',
      id: '2',
      issueurl: 'k',
      count: 3,
      data: { a: 1 },
      nested: { b: 2 },
    };
    expect(
      decodePubsubCloudEvent({
        data: Buffer.from(JSON.stringify(event)),
        attributes: { 'content-type': 'application/cloudevents+json' },
      }),
    ).toEqual({ specversion: '1.0', type: 't', source: '/s', id: '2', issueurl: 'k', count: '3' });
  });

  it('says undefined for anything else', () => {
    expect(decodePubsubCloudEvent({ data: Buffer.from('hello') })).toBeUndefined();
    expect(
      decodePubsubCloudEvent({ data: Buffer.from('{"type":"no specversion"}') }),
    ).toBeUndefined();
    expect(decodePubsubCloudEvent({ data: Buffer.from('[1]') })).toBeUndefined();
    expect(decodePubsubCloudEvent({})).toBeUndefined();
  });
});

describe('filters', () => {
  const event = {
    type: 'dev.chainguard.github.pull_request',
    source: 'https://github.com/o/r',
    action: 'opened',
  };
  it('OR of exact-match maps; empty list accepts all', () => {
    expect(matchesFilters(event, [])).toBe(true);
    expect(matchesFilters(event, [{}])).toBe(true);
    expect(
      matchesFilters(event, [{ type: 'dev.chainguard.github.pull_request', action: 'opened' }]),
    ).toBe(true);
    expect(
      matchesFilters(event, [{ type: 'dev.chainguard.github.pull_request', action: 'closed' }]),
    ).toBe(false);
    expect(matchesFilters(event, [{ type: 'x' }, { action: 'opened' }])).toBe(true);
    expect(matchesFilters(event, [{ subject: 'o/r' }])).toBe(false);
  });

  it('parses FILTERS, listing every problem', () => {
    const problems: string[] = [];
    expect(parseFilters('[{"type":"a"},{"type":"b","source":"c"}]', 'FILTERS', problems)).toEqual([
      { type: 'a' },
      { type: 'b', source: 'c' },
    ]);
    expect(problems).toEqual([]);
    parseFilters('[{"type":1}, "x", {"Bad-Name":"v"}]', 'FILTERS', problems);
    expect(problems).toEqual([
      'FILTERS[0]: values must be strings (type)',
      'FILTERS[1] must be an object of attribute → value',
      'FILTERS[2]: Bad-Name not CloudEvent attribute names (a-z, 0-9)',
    ]);
    const more: string[] = [];
    parseFilters('{', 'FILTERS', more);
    parseFilters('{}', 'FILTERS', more);
    expect(more).toHaveLength(2);
  });
});

describe('parseCloudEventsBridgeConfig', () => {
  it('fills defaults', () => {
    const config = parseCloudEventsBridgeConfig({
      RECEIVER_URL: 'http://127.0.0.1:9000',
      EXTENSION_KEY: 'pullrequesturl',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      priority: 0,
      filters: [],
      extensionKey: 'pullrequesturl',
    });
    expect(config.subscription).toBeUndefined();
  });

  it('lists every problem at once', () => {
    let err: unknown;
    try {
      parseCloudEventsBridgeConfig({
        PORT: 'x',
        PRIORITY: '99999999999',
        FILTERS: '[1]',
        EXTENSION_KEY: 'Pull-Request',
      });
    } catch (e) {
      err = e;
    }
    expect(ConfigError.is(err)).toBe(true);
    const problems = (err as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'PRIORITY', 'FILTERS[0]', 'EXTENSION_KEY', 'RECEIVER_URL'])
      expect(problems).toContain(name);
  });
});
