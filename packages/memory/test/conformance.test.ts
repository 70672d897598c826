// A backend's test runs the shared suite (style.md); only this test file depends on it.
import { runConformanceSuite } from '@recon/conformance';
import { MemoryBackend } from '../src/index.ts';

// Durability for the memory backend means "the same process": a reopened handle is the same
// instance, so scenario 24 (and the multi-instance scenarios 23 and 26) run on one shared store.
let backend: MemoryBackend | undefined;

runConformanceSuite('memory', {
  create: async ({ clock, options }) =>
    (backend = new MemoryBackend({ clock, workqueue: options })),
  reopen: async () => backend!,
});
