import { beforeAll, describe, expect, it } from 'vitest';
import { envOf, iamMembers, installMocks, resolve, testProject, types } from './pulumi-mocks.ts';
import type { Recorder } from './pulumi-mocks.ts';
import type * as Lib from '../src/index.ts';

let mocks: Recorder;
let lib: typeof Lib;

beforeAll(async () => {
  mocks = await installMocks();
  lib = await import('../src/index.ts');
});

const regions = { 'us-central1': {}, 'europe-west4': {} };
const sa = (id: string) => `serviceAccount:${id}@${testProject}.iam.gserviceaccount.com`;
const patterns = ['^configs/(.+\\.yaml)$', '^(deploy/.+)$'];
const args = {
  project: testProject,
  regions,
  reconciler: { image: 'example.com/paths:1' },
  pathPatterns: patterns,
  resyncPeriodHours: 6,
  githubOwner: 'acme',
  githubRepo: 'infra',
};

describe('GithubPathReconciler', () => {
  let gh: InstanceType<typeof lib.GithubPathReconciler>;
  beforeAll(async () => {
    gh = new lib.GithubPathReconciler('paths', {
      ...args,
      broker: { 'us-central1': 'broker-us', 'europe-west4': 'broker-eu' },
      githubTokenSecret: 'gh-token',
    });
    await mocks.settle();
  });

  it('is a RegionalReconciler plus a push listener per region and a resync job', () => {
    const names = new Set(mocks.of(types.service, 'paths-').map((s) => s.inputs['name']));
    expect([...names].sort()).toEqual(['paths-push', 'paths-rec', 'paths-wq-dsp', 'paths-wq-rcv']);
    const jobs = mocks
      .of(types.job, 'paths-')
      .map((j) => j.inputs['name'])
      .sort();
    expect(jobs).toEqual(['paths-resync', 'paths-wq-reenqueue']);
  });

  it('wires the push listener: broker push events → listener → receiver', () => {
    for (const region of Object.keys(regions)) {
      const listener = mocks.of(types.service, `paths-push-${region}`)[0]!;
      const app = listener.inputs['template'].containers[0];
      expect(app.args).toEqual(['serve', 'github-push']);
      expect(envOf(app)).toEqual({
        GITHUB_OWNER: 'acme',
        GITHUB_REPO: 'infra',
        PATH_PATTERNS: JSON.stringify(patterns),
        RECEIVER_URL: `https://paths-wq-rcv-${region}.run.app`,
        GITHUB_TOKEN: undefined,
      });
    }
    const subs = mocks.of(types.subscription, 'paths-push-');
    expect(subs.map((s) => s.inputs['name']).sort()).toEqual([
      'paths-push-euw4',
      'paths-push-usc1',
    ]);
    const us = subs.find((s) => s.inputs['name'] === 'paths-push-usc1')!.inputs;
    expect(us).toMatchObject({
      topic: 'broker-us',
      filter: 'attributes.ce-type = "dev.chainguard.github.push"',
      pushConfig: {
        pushEndpoint: 'https://paths-push-us-central1.run.app/',
        oidcToken: { serviceAccountEmail: `paths-ghd@${testProject}.iam.gserviceaccount.com` },
      },
    });
  });

  it('runs the resync job hourly from the primary region with the spec env', () => {
    const job = mocks.of(types.job, 'paths-resync')[0]!.inputs;
    expect(job['location']).toBe('us-central1');
    const container = job['template'].template.containers[0];
    expect(container.args).toEqual(['serve', 'resync']);
    expect(envOf(container)).toEqual({
      GITHUB_OWNER: 'acme',
      GITHUB_REPO: 'infra',
      PATH_PATTERNS: JSON.stringify(patterns),
      RECEIVER_URL: 'https://paths-wq-rcv-us-central1.run.app',
      RESYNC_PERIOD_HOURS: '6',
      RESYNC_TICK_MINUTES: '60',
      GITHUB_TOKEN: undefined,
    });
    const schedule = mocks.of(types.scheduler, 'paths-resync')[0]!.inputs;
    expect(schedule).toMatchObject({
      region: 'us-central1',
      schedule: '0 * * * *',
      paused: false,
      httpTarget: {
        httpMethod: 'POST',
        uri: `https://run.googleapis.com/v2/projects/${testProject}/locations/us-central1/jobs/paths-resync:run`,
        oauthToken: { serviceAccountEmail: `paths-rst@${testProject}.iam.gserviceaccount.com` },
      },
    });
  });

  it('grants each trigger only what it needs', () => {
    const invoke = mocks
      .of(types.serviceIam, 'paths-')
      .filter((g) => !g.name.startsWith('paths-wq-'))
      .map((g) => `${g.inputs['member']} -> ${g.inputs['name']}@${g.inputs['location']}`)
      .sort();
    expect(invoke).toEqual([
      `${sa('paths-ghd')} -> paths-push@europe-west4`,
      `${sa('paths-ghd')} -> paths-push@us-central1`,
      `${sa('paths-ghp')} -> paths-wq-rcv@europe-west4`,
      `${sa('paths-ghp')} -> paths-wq-rcv@us-central1`,
      `${sa('paths-rsy')} -> paths-wq-rcv@us-central1`,
    ]);
    const runJob = mocks.of(types.jobIam, 'paths-').map((g) => g.inputs);
    expect(runJob).toEqual([
      expect.objectContaining({
        name: 'paths-resync',
        role: 'roles/run.invoker',
        member: sa('paths-rst'),
      }),
    ]);
    const secrets = mocks
      .of(types.secretIam, 'paths-')
      .map((g) => `${g.inputs['member']} ${g.inputs['role']} ${g.inputs['secretId']}`);
    expect(secrets.sort()).toEqual([
      `${sa('paths-ghp')} roles/secretmanager.secretAccessor gh-token`,
      `${sa('paths-rsy')} roles/secretmanager.secretAccessor gh-token`,
      // The receiver's own metrics-sidecar config (its HTTP metrics are on HEALTH_PORT).
      `${sa('paths-wq-rcv')} roles/secretmanager.secretAccessor paths-wq-rcv-rungmp`,
    ]);
    for (const m of iamMembers(mocks.resources)) {
      expect(String(m.inputs['member'])).not.toMatch(/allUsers|allAuthenticatedUsers/);
    }
  });

  it('registers its outputs', async () => {
    expect(await resolve(gh.receiver.name)).toBe('paths-wq-rcv');
    expect(await resolve(gh.pushListener!.name)).toBe('paths-push');
    expect(await resolve(gh.resyncJob)).toBe('paths-resync');
    expect(await resolve(gh.dashboards)).toEqual(['paths-id']);
  });
});

describe('GithubPathReconciler paused, without a broker', () => {
  beforeAll(async () => {
    new lib.GithubPathReconciler('quiet', { ...args, paused: true });
    new lib.GithubPathReconciler('hush', {
      ...args,
      paused: true,
      broker: { 'us-central1': 'b-us', 'europe-west4': 'b-eu' },
    });
    await mocks.settle();
  });

  it('pauses the resync schedule and delivers no pushes', () => {
    expect(mocks.of(types.scheduler, 'quiet-resync')[0]!.inputs['paused']).toBe(true);
    expect(mocks.of(types.service, 'quiet-push')).toHaveLength(0);
    expect(mocks.of(types.service, 'hush-push')).toHaveLength(2);
    expect(mocks.of(types.subscription, 'hush-push')).toHaveLength(0);
  });
});

describe('GithubPathReconciler validation', () => {
  const problemsOf = (extra: Record<string, unknown>): string[] => {
    try {
      new lib.GithubPathReconciler('v', { ...args, ...extra } as never);
    } catch (err) {
      if (lib.InvalidArgsError.is(err)) return err.problems.map((p) => `${p.field}: ${p.message}`);
      throw err;
    }
    return [];
  };

  it('rejects a bad regex', () => {
    expect(problemsOf({ pathPatterns: ['^([a-z$'] })).toEqual([
      'pathPatterns[0]: "^([a-z$" is not a valid regular expression: Invalid regular expression: /^([a-z$/: Unterminated character class',
    ]);
  });

  it('rejects a regex without exactly one capture group, or unanchored', () => {
    expect(problemsOf({ pathPatterns: ['^docs/.+$', '^(a)/(b)$', 'x/(.+)'] })).toEqual([
      'pathPatterns[0]: "^docs/.+$" has 0 capture groups; exactly one is required (use (?:…) for the others)',
      'pathPatterns[1]: "^(a)/(b)$" has 2 capture groups; exactly one is required (use (?:…) for the others)',
      'pathPatterns[2]: "x/(.+)" must be anchored: start with ^ and end with $',
    ]);
  });

  it('rejects a resync period outside 1–744 h, or over 24 and not a multiple of 24', () => {
    expect(problemsOf({ resyncPeriodHours: 0 })).toEqual(['resyncPeriodHours: 0 is outside 1–744']);
    expect(problemsOf({ resyncPeriodHours: 800 })).toEqual([
      'resyncPeriodHours: 800 is outside 1–744',
    ]);
    expect(problemsOf({ resyncPeriodHours: 30 })).toEqual([
      'resyncPeriodHours: 30 is over 24 and not a multiple of 24 (whole days: 48, 72, …)',
    ]);
    expect(problemsOf({ resyncPeriodHours: 72 })).toEqual([]);
  });

  it('rejects no regions, bad shards and a missing repository', () => {
    expect(problemsOf({ regions: {}, shards: 7, githubRepo: '' })).toEqual([
      'regions: at least one region is required',
      'shards: 7 is outside 1–5',
      'githubRepo: is required: a GitHub owner or repository name (letters, digits, ., _, -)',
    ]);
    expect(() => new lib.GithubPathReconciler('v', { ...args, regions: {} })).toThrow(
      /recon:gcp:GithubPathReconciler "v": invalid arguments:\n {2}- regions: at least one region is required/,
    );
  });
});
