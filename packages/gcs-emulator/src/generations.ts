// Object generations: unique and strictly increasing, also across restarts, like GCS's
// microsecond-based generations. Wall-clock microseconds, bumped past the last one handed out
// (or loaded from disk) so two writes in the same microsecond still differ.

export class GenerationClock {
  private last = 0;
  private readonly nowMs: () => number;

  constructor(nowMs: () => number) {
    this.nowMs = nowMs;
  }

  next(): number {
    this.last = Math.max(Math.floor(this.nowMs() * 1000), this.last + 1);
    return this.last;
  }

  /** Records a generation seen on disk so later ones are larger. */
  observe(generation: number): void {
    if (generation > this.last) this.last = generation;
  }
}
