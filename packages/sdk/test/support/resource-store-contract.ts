/**
 * The ResourceStore contract, run against every implementation (memory, GCS on the emulator):
 * separate spec/status versions, status CAS, cascading deletes.
 */
import { NotFoundError, ReconError } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { ConflictError, type ResourceChange, type ResourceStore } from '../../src/index.ts';

export function describeResourceStore(name: string, makeStore: () => Promise<ResourceStore>): void {
  describe(`ResourceStore contract: ${name}`, () => {
    it('versions spec (generation) and status separately; identical applies are no-ops', async () => {
      const store = await makeStore();
      const changes: ResourceChange[] = [];
      store.watch((c) => changes.push(c));
      const r1 = await store.apply({ kind: 'db', uid: '1', spec: { size: 1 } });
      expect(r1).toMatchObject({
        generation: 1,
        statusVersion: 0,
        status: undefined,
        ownerRefs: [],
      });
      expect((await store.apply({ kind: 'db', uid: '1', spec: { size: 1 } })).generation).toBe(1);
      expect((await store.apply({ kind: 'db', uid: '1', spec: { size: 2 } })).generation).toBe(2);
      expect(changes.map((c) => c.type)).toEqual(['applied', 'applied']);
      const withStatus = await store.updateStatus('db', '1', { phase: 'Ready' }, 0);
      expect(withStatus).toMatchObject({ generation: 2, statusVersion: 1, spec: { size: 2 } });
      expect(changes).toHaveLength(2); // status writes notify nobody
    });

    it('status CAS: a stale writer gets ConflictError; a status write never clobbers a concurrent spec edit', async () => {
      const store = await makeStore();
      await store.apply({ kind: 'db', uid: '1', spec: { size: 1 } });
      const read = await store.get('db', '1');
      // A user edits the spec while the reconciler works from `read`.
      await store.apply({ kind: 'db', uid: '1', spec: { size: 5 } });
      const written = await store.updateStatus(
        'db',
        '1',
        { observedGeneration: read?.generation },
        read?.statusVersion ?? 0,
      );
      expect(written.spec).toEqual({ size: 5 });
      expect(written.generation).toBe(2);
      const stale = await store
        .updateStatus('db', '1', { x: 1 }, read?.statusVersion ?? 0)
        .catch((e: unknown) => e);
      expect(ConflictError.is(stale)).toBe(true);
      expect(stale).toMatchObject({ expected: 0, actual: 1 });
      const gone = await store.updateStatus('db', 'missing', {}, 0).catch((e: unknown) => e);
      expect(NotFoundError.is(gone)).toBe(true);
    });

    it('of concurrent status writers from one read, exactly one wins', async () => {
      const store = await makeStore();
      await store.apply({ kind: 'db', uid: '1', spec: {} });
      const results = await Promise.allSettled(
        [1, 2, 3, 4].map((n) => store.updateStatus('db', '1', { writer: n }, 0)),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(ConflictError.is(r.reason)).toBe(true);
      expect((await store.get('db', '1'))?.statusVersion).toBe(1);
    });

    it('spec writes can be optimistic too (expectedGeneration)', async () => {
      const store = await makeStore();
      await store.apply({ kind: 'db', uid: '1', spec: {}, expectedGeneration: 0 });
      const err = await store
        .apply({ kind: 'db', uid: '1', spec: { a: 1 }, expectedGeneration: 0 })
        .catch((e: unknown) => e);
      expect(ConflictError.is(err)).toBe(true);
    });

    it('cascades deletes to dependents whose owners are all gone', async () => {
      const store = await makeStore();
      await store.apply({ kind: 'app', uid: 'a', spec: {} });
      await store.apply({ kind: 'app', uid: 'b', spec: {} });
      await store.apply({
        kind: 'svc',
        uid: 's1',
        spec: {},
        ownerRefs: [{ kind: 'app', uid: 'a' }],
      });
      await store.apply({
        kind: 'pod',
        uid: 'p1',
        spec: {},
        ownerRefs: [{ kind: 'svc', uid: 's1' }],
      });
      await store.apply({
        kind: 'cfg',
        uid: 'shared',
        spec: {},
        ownerRefs: [
          { kind: 'app', uid: 'a' },
          { kind: 'app', uid: 'b' },
        ],
      });
      const deletes: string[] = [];
      store.watch(
        (c) => c.type === 'deleted' && deletes.push(`${c.kind}/${c.uid}${c.cascade ? '*' : ''}`),
      );
      expect(await store.delete('app', 'a')).toEqual(['app/a', 'svc/s1', 'pod/p1']);
      expect(deletes).toEqual(['app/a', 'svc/s1*', 'pod/p1*']);
      expect(await store.get('cfg', 'shared')).toBeDefined(); // still owned by app/b
      expect(await store.delete('app', 'b')).toEqual(['app/b', 'cfg/shared']);
      expect(await store.delete('app', 'b')).toEqual([]);
    });

    it('rejects bad refs naming the field; returns copies, never live state', async () => {
      const store = await makeStore();
      await expect(store.apply({ kind: 'a/b', uid: '1', spec: {} })).rejects.toThrow(/kind/);
      await expect(store.apply({ kind: 'a', uid: '', spec: {} })).rejects.toThrow(/uid/);
      const r = await store.apply({ kind: 'a', uid: '1', spec: { list: [1] } });
      (r.spec as { list: number[] }).list.push(2);
      expect((await store.get('a', '1'))?.spec).toEqual({ list: [1] });
      expect(
        ReconError.is(await store.apply({ kind: '', uid: '1', spec: {} }).catch((e: unknown) => e)),
      ).toBe(true);
    });
  });
}
