import { FakeClock } from '@recon/core';
import { CloudEvent } from 'cloudevents';
import { afterEach, describe, expect, it } from 'vitest';
import {
  compilePattern,
  Controller,
  type ControllerOptions,
  EventBus,
  type ReconcileFn,
  silentLogger,
} from '../src/index.ts';
import { advance, settle, until } from './support/drive.ts';

const controllers: Controller[] = [];
afterEach(async () => {
  for (const c of controllers.splice(0)) await c.close();
});

function make(reconcile: ReconcileFn, options: Partial<ControllerOptions> = {}) {
  const clock = new FakeClock();
  const controller = new Controller({
    reconciler: reconcile,
    clock,
    logger: silentLogger,
    random: () => 0,
    ...options,
  });
  controllers.push(controller);
  return { controller, clock };
}

const event = (type: string, subject = 'd1') =>
  new CloudEvent({ type, source: '/test', subject, data: {} });

describe('event-type patterns', () => {
  it('matches * as one segment and ** as any number', () => {
    const one = compilePattern('io.example.device.*');
    expect(one('io.example.device.created')).toBe(true);
    expect(one('io.example.device')).toBe(false);
    expect(one('io.example.device.a.b')).toBe(false);
    const deep = compilePattern('io.example.**');
    expect(['io.example', 'io.example.a', 'io.example.a.b.c'].map(deep)).toEqual([
      true,
      true,
      true,
    ]);
    expect(deep('io.other.a')).toBe(false);
    const middle = compilePattern('io.**.created');
    expect(['io.created', 'io.x.created', 'io.x.y.created', 'io.x.deleted'].map(middle)).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(compilePattern('**')('anything.at.all')).toBe(true);
    expect(() => compilePattern('io.dev*')).toThrow(/pattern/);
    expect(() => compilePattern('io..x')).toThrow(/pattern/);
  });

  it('the bus delivers to matching subscribers and reports failures together', async () => {
    const bus = new EventBus();
    const got: string[] = [];
    bus.subscribe('a.*', (e) => void got.push(`one:${e.type}`));
    bus.subscribe('**', (e) => void got.push(`all:${e.type}`));
    const off = bus.subscribe('a.b', () => {
      throw new Error('subscriber broke');
    });
    await expect(bus.publish(event('a.b'))).rejects.toThrow(AggregateError);
    expect(got).toEqual(['one:a.b', 'all:a.b']);
    off();
    expect(await bus.publish(event('a.b.c'))).toBe(1);
    await expect(bus.publish({ ...event('x'), type: '' })).rejects.toThrow(/event\.type/);
  });
});

describe('Controller: event sources', () => {
  it('maps bus events to keys by pattern', async () => {
    const runs: string[] = [];
    const { controller, clock } = make((key) => void runs.push(key));
    controller.watch('io.example.device.*', (e) => `device/${e.subject}`);
    controller.watch('**', (e) =>
      e.type.endsWith('.deleted') ? ['audit/deletes', 'audit/all'] : 'audit/all',
    );
    await controller.start();
    await controller.events.publish(event('io.example.device.created', 'd1'));
    await controller.events.publish(event('io.example.device.firmware.updated', 'd2'));
    await controller.events.publish(event('io.example.device.deleted', 'd3'));
    await settle(clock, controller);
    expect(runs.sort()).toEqual(['audit/all', 'audit/deletes', 'device/d1', 'device/d3']);
  });

  it('a reconcile can emit events that other watches turn into keys', async () => {
    const runs: string[] = [];
    const { controller, clock } = make(async (key, ctx) => {
      runs.push(key);
      if (key === 'order/1') {
        await ctx.emit(
          new CloudEvent({ type: 'io.example.order.paid', source: '/orders', subject: '1' }),
        );
      }
    });
    controller.watch('io.example.order.paid', (e) => `invoice/${e.subject}`);
    await controller.start();
    await controller.enqueue('order/1');
    await settle(clock, controller);
    expect(runs).toEqual(['order/1', 'invoice/1']);
  });

  it('resyncs a key set now and every period', async () => {
    const runs: string[] = [];
    const { controller, clock } = make((key) => void runs.push(key));
    let set = ['x', 'y'];
    controller.resync(() => set, 60_000);
    await controller.start();
    await settle(clock, controller);
    expect(runs.sort()).toEqual(['x', 'y']);
    set = ['z'];
    await advance(clock, 60_000, 1000);
    await settle(clock, controller);
    expect(runs.sort()).toEqual(['x', 'y', 'z']);
  });

  it('enqueues dependents after a success, not after a failure', async () => {
    const runs: string[] = [];
    const { controller, clock } = make(
      (key) => {
        runs.push(key);
        if (key === 'broken') throw new Error('no');
      },
      { retry: { baseMs: 3_600_000, capMs: 3_600_000 } },
    );
    controller.dependents((key) =>
      key === 'parent' ? ['child/1', 'child/2'] : key === 'broken' ? ['never'] : [],
    );
    await controller.start();
    await controller.enqueue('parent');
    await controller.enqueue('broken');
    await settle(clock, controller);
    expect(runs.sort()).toEqual(['broken', 'child/1', 'child/2', 'parent']);
  });
});

describe('Controller: leader gating', () => {
  it('reconciles only while leading; work queued under an older term is discarded', async () => {
    let leader = false;
    const runs: string[] = [];
    const { controller, clock } = make((key) => void runs.push(key), {
      isLeader: () => leader,
      leaderCheckMs: 1000,
    });
    await controller.start();
    expect(controller.isLeader).toBe(false);
    await controller.enqueue('while-follower');
    await advance(clock, 3000, 100);
    expect(runs).toEqual([]);

    leader = true; // term 1
    await until(clock, () => controller.isLeader);
    await settle(clock, controller);
    expect(runs).toEqual(['while-follower']);
    expect(controller.term).toBe(1);

    await controller.enqueue('stale', { delay: '1m' }); // queued under term 1
    leader = false;
    await until(clock, () => !controller.isLeader);
    leader = true; // term 2
    await until(clock, () => controller.isLeader);
    expect(controller.term).toBe(2);
    await controller.enqueue('fresh');
    await advance(clock, 61_000, 500);
    await settle(clock, controller);
    expect(runs).toEqual(['while-follower', 'fresh']);
    expect(await controller.queue.getKeyState('stale')).toBeUndefined(); // discarded, not pending
  });

  it('steps down when the leader check fails', async () => {
    let fail = false;
    const { controller, clock } = make(() => undefined, {
      isLeader: () => {
        if (fail) throw new Error('lease store unreachable');
        return true;
      },
      leaderCheckMs: 500,
    });
    await controller.start();
    expect(controller.isLeader).toBe(true);
    fail = true;
    await until(clock, () => !controller.isLeader);
  });
});
