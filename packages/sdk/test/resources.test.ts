import { FakeClock } from '@recon/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Controller,
  type ConditionedStatus,
  getCondition,
  isObserved,
  MemoryResourceStore,
  type ReconcileContext,
  setCondition,
  setObservedGeneration,
  silentLogger,
} from '../src/index.ts';
import { settle } from './support/drive.ts';
import { describeResourceStore } from './support/resource-store-contract.ts';

describeResourceStore('memory', async () => new MemoryResourceStore());

describe('conditions', () => {
  it('moves lastTransitionTime only when the status flips', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    let s = setCondition(
      undefined,
      { type: 'Ready', status: 'False', reason: 'Provisioning', message: 'creating' },
      clock,
    );
    const t0 = getCondition(s, 'Ready')?.lastTransitionTime;
    expect(t0).toBe('2026-01-01T00:00:00.000Z');
    await clock.advance(60_000);
    s = setCondition(
      s,
      { type: 'Ready', status: 'False', reason: 'Provisioning', message: 'still creating' },
      clock,
    );
    expect(getCondition(s, 'Ready')).toMatchObject({
      lastTransitionTime: t0,
      message: 'still creating',
    });
    await clock.advance(60_000);
    s = setCondition(s, { type: 'Ready', status: true, reason: 'Available' }, clock);
    expect(getCondition(s, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'Available',
      lastTransitionTime: '2026-01-01T00:02:00.000Z',
    });
    s = setCondition(s, { type: 'Degraded', status: 'False' }, clock);
    expect(s.conditions?.map((c) => c.type)).toEqual(['Ready', 'Degraded']);
  });

  it('records the observed generation', () => {
    const status = setObservedGeneration<ConditionedStatus>(undefined, 3);
    expect(isObserved({ generation: 3, status })).toBe(true);
    expect(isObserved({ generation: 4, status })).toBe(false);
  });
});

describe('Controller with declarative resources', () => {
  const controllers: Controller[] = [];
  afterEach(async () => {
    for (const c of controllers.splice(0)) await c.close();
  });

  it('reconciles each kind on spec changes, writes status with conditions, and cleans up on cascade', async () => {
    const clock = new FakeClock();
    const store = new MemoryResourceStore();
    const log: string[] = [];
    const reconcileDb = async (key: string, ctx: ReconcileContext) => {
      const uid = key.slice('db/'.length);
      const db = await store.get<{ size: number }, ConditionedStatus>('db', uid);
      if (!db) {
        log.push(`cleanup ${key}`);
        return;
      }
      if (isObserved(db)) return;
      log.push(`converge ${key} gen ${db.generation}`);
      const status = setObservedGeneration(
        setCondition(
          db.status,
          { type: 'Ready', status: 'True', reason: 'Sized', message: `size ${db.spec.size}` },
          ctx.clock,
        ),
        db.generation,
      );
      await store.updateStatus('db', uid, status, db.statusVersion);
    };
    const controller = new Controller({
      reconcilers: { db: reconcileDb, app: (key) => void log.push(`app ${key}`) },
      resources: store,
      clock,
      logger: silentLogger,
    });
    controllers.push(controller);
    await controller.start();
    await store.apply({ kind: 'app', uid: 'shop', spec: {} });
    await store.apply({
      kind: 'db',
      uid: 'orders',
      spec: { size: 1 },
      ownerRefs: [{ kind: 'app', uid: 'shop' }],
    });
    await settle(clock, controller);
    await store.apply({ kind: 'db', uid: 'orders', spec: { size: 2 } });
    await settle(clock, controller);
    const db = await store.get<{ size: number }, ConditionedStatus>('db', 'orders');
    expect(db?.status?.observedGeneration).toBe(2);
    expect(getCondition(db?.status, 'Ready')?.message).toBe('size 2');
    await store.delete('app', 'shop');
    await settle(clock, controller);
    expect(log).toEqual([
      'app app/shop',
      'converge db/orders gen 1',
      'converge db/orders gen 2',
      'app app/shop',
      'cleanup db/orders',
    ]);
  });
});
