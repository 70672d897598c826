// The shared conformance suite (spec 01) on the GCS emulator; see conformance-suite.ts.
import { gcsConformance } from './conformance-suite.ts';
import { clientRetries } from './emulator.ts';

gcsConformance('gcs', undefined, clientRetries);
