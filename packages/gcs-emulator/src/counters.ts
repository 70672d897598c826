// Operation counters by GCS billing class, so a benchmark can report "GCS operations per key".
// Only operations answered 2xx are billed (GCS does not charge for 4xx/5xx answers); refused
// ones are tallied in `rejected`. Injected faults count as neither.

/** JSON API method names, as GCS's pricing page and audit logs call them. */
export type OperationName =
  | 'objects.insert'
  | 'objects.get'
  | 'objects.patch'
  | 'objects.update'
  | 'objects.delete'
  | 'objects.list'
  | 'objects.copy'
  | 'objects.rewrite'
  | 'objects.compose'
  | 'buckets.insert'
  | 'buckets.get'
  | 'buckets.list'
  | 'buckets.delete';

type BillingClass = 'A' | 'B' | 'free';

const CLASS_OF: Record<OperationName, BillingClass> = {
  'objects.insert': 'A',
  'objects.patch': 'A',
  'objects.update': 'A',
  'objects.copy': 'A',
  'objects.rewrite': 'A',
  'objects.compose': 'A',
  'objects.list': 'A',
  'buckets.insert': 'A',
  'buckets.list': 'A',
  'objects.get': 'B',
  'buckets.get': 'B',
  'objects.delete': 'free',
  'buckets.delete': 'free',
};

export interface OperationCounters {
  /** Object inserts (a resumable upload once, on completion), patch/update, copy/rewrite/compose, lists, bucket insert. */
  readonly classA: number;
  /** Object gets (media and metadata), bucket gets. */
  readonly classB: number;
  /** Object deletes (free in GCS). */
  readonly delete: number;
  /** Answers of 4xx/5xx to API requests (not injected faults): not billed, still round trips. */
  readonly rejected: number;
  /** Billed operations by JSON API method name, e.g. `objects.insert`. */
  readonly byOperation: Record<string, number>;
}

export class Counters {
  private classA = 0;
  private classB = 0;
  private deletes = 0;
  private rejected = 0;
  private byOperation = new Map<OperationName, number>();

  /** Records one answered API operation with its HTTP status. */
  record(operation: OperationName, status: number): void {
    if (status < 200 || status >= 300) {
      this.rejected++;
      return;
    }
    this.byOperation.set(operation, (this.byOperation.get(operation) ?? 0) + 1);
    const cls = CLASS_OF[operation];
    if (cls === 'A') this.classA++;
    else if (cls === 'B') this.classB++;
    else if (operation === 'objects.delete') this.deletes++;
  }

  snapshot(): OperationCounters {
    return {
      classA: this.classA,
      classB: this.classB,
      delete: this.deletes,
      rejected: this.rejected,
      byOperation: Object.fromEntries(this.byOperation),
    };
  }

  reset(): void {
    this.classA = 0;
    this.classB = 0;
    this.deletes = 0;
    this.rejected = 0;
    this.byOperation = new Map();
  }
}
