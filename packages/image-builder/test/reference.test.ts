import { describe, expect, it } from 'vitest';
import {
  formatReference,
  ImageInputError,
  parseChallenges,
  parseReference,
  parseRepository,
} from '../src/index.ts';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('parseReference', () => {
  it('normalises Docker Hub short names', () => {
    expect(parseReference('node:24-slim')).toEqual({
      registry: 'docker.io',
      repository: 'library/node',
      tag: '24-slim',
    });
    expect(parseReference('bitnami/node')).toEqual({
      registry: 'docker.io',
      repository: 'bitnami/node',
      tag: 'latest',
    });
  });

  it('keeps registry hosts with ports, tags and digests', () => {
    expect(parseReference(`127.0.0.1:5000/recon/base:v1@${DIGEST}`)).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'recon/base',
      tag: 'v1',
      digest: DIGEST,
    });
    expect(parseReference(`us-docker.pkg.dev/p/r/img@${DIGEST}`)).toEqual({
      registry: 'us-docker.pkg.dev',
      repository: 'p/r/img',
      digest: DIGEST,
    });
    expect(parseReference('localhost/x')).toMatchObject({ registry: 'localhost', repository: 'x' });
  });

  it('formats with the registry spelled out', () => {
    expect(formatReference(parseReference('node:24'))).toBe('docker.io/library/node:24');
  });

  it('names the field on bad input', () => {
    const cases = ['Node:24', 'a//b', 'x@sha256:short', 'x:-bad', 'host.io/'];
    for (const value of cases) {
      const err = (() => {
        try {
          parseReference(value, 'baseImage');
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(ImageInputError.is(err), value).toBe(true);
      expect((err as ImageInputError).field).toBe('baseImage');
    }
  });

  it('parses repositories without tags', () => {
    expect(parseRepository('127.0.0.1:5000/recon/hello')).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'recon/hello',
    });
  });
});

describe('parseChallenges', () => {
  it('reads Bearer parameters, commas inside quotes included', () => {
    const [challenge] = parseChallenges(
      'Bearer realm="https://us-docker.pkg.dev/v2/token",service="us-docker.pkg.dev",' +
        'scope="repository:p/r/img:pull,push"',
    );
    expect(challenge).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://us-docker.pkg.dev/v2/token',
        service: 'us-docker.pkg.dev',
        scope: 'repository:p/r/img:pull,push',
      },
    });
  });

  it('reads several challenges and unquoted values', () => {
    expect(parseChallenges('Basic realm=test, Bearer realm="r"')).toEqual([
      { scheme: 'basic', params: { realm: 'test' } },
      { scheme: 'bearer', params: { realm: 'r' } },
    ]);
  });
});
