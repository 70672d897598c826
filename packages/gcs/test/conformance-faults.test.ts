// The shared conformance suite (spec 01) on the GCS emulator with 10% 503 answers and 1% dropped
// connections (half of them after the write was applied); see conformance-suite.ts. Only the
// backend retries here: the client's own retries wait at least 1 s each, too slow for hundreds.
import { gcsConformance } from './conformance-suite.ts';
import { noClientRetries } from './emulator.ts';

gcsConformance(
  'gcs, 10% 503 + 1% dropped connections',
  { errorRate: 0.1, errorStatuses: [503], dropRate: 0.01 },
  noClientRetries,
);
