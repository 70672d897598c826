// The shared conformance suite (spec 01) on the GCS emulator with the smallest listing: a
// snapshot that holds 2 keys, listed 2 per page. Ordering, delays, priorities and multi-instance
// scenarios must hold when most keys are beyond the window; see conformance-suite.ts.
import { gcsConformance } from './conformance-suite.ts';
import { clientRetries } from './emulator.ts';

gcsConformance('gcs, 2-key snapshot window', undefined, clientRetries, {
  snapshotKeys: 2,
  pageSize: 2,
});
