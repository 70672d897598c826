/**
 * The soak's two dispatcher processes and what is done to them: one is killed with SIGKILL at
 * random intervals (its keys become orphans another dispatcher recovers after the lease), the
 * other is stopped with SIGTERM (it must drain: requeue in-flight keys at once, uncounted, and
 * exit 0). Each is started again at once. Any exit nobody asked for is an incident.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDispatcherProcess, type ServiceProcess } from '../bench/lib/services.ts';
import { between, type Random } from './random.ts';

export interface DispatcherSetOptions {
  bucket: string;
  emulatorUrl: string;
  target: string;
  env: Record<string, string>;
  workDir: string;
  random: Random;
  /** Called whenever the set of live dispatcher URLs changes (for the notification fan-out). */
  onTargets: (urls: string[]) => void;
  log: (line: string) => void;
}

export interface ChaosStats {
  kills: number;
  sigterms: number;
  restarts: number;
  /** Exits nobody asked for, and SIGTERM stops that did not exit 0. */
  incidents: string[];
}

type Mode = 'kill' | 'term';

class Slot {
  readonly name: string;
  process: ServiceProcess | undefined;
  /** True while we are the ones stopping it. */
  stopping = false;
  generation = 0;

  constructor(name: string) {
    this.name = name;
  }
}

export class DispatcherSet {
  readonly stats: ChaosStats = { kills: 0, sigterms: 0, restarts: 0, incidents: [] };
  readonly #o: DispatcherSetOptions;
  readonly #slots: Record<Mode, Slot> = {
    kill: new Slot('dispatcher-a'),
    term: new Slot('dispatcher-b'),
  };

  constructor(options: DispatcherSetOptions) {
    this.#o = options;
  }

  async startAll(): Promise<void> {
    await Promise.all([this.#start(this.#slots.kill), this.#start(this.#slots.term)]);
  }

  /** Kills and restarts until `signal`; both dispatchers are running when it resolves. */
  async chaos(
    signal: AbortSignal,
    intervals: { killMs: [number, number]; termMs: [number, number] },
  ): Promise<void> {
    const wait = (range: [number, number]) =>
      sleep(between(this.#o.random, range[0], range[1]), undefined, { signal }).then(
        () => true,
        () => false,
      );
    const killer = async () => {
      while (await wait(intervals.killMs)) {
        await this.#kill9(this.#slots.kill);
        await sleep(between(this.#o.random, 500, 3000));
        await this.#start(this.#slots.kill);
      }
    };
    const terminator = async () => {
      while (await wait(intervals.termMs)) {
        await this.#sigterm(this.#slots.term);
        await this.#start(this.#slots.term);
      }
    };
    await Promise.all([killer(), terminator()]);
  }

  /** SIGTERM both (drain) and wait for them to exit. */
  async stopAll(): Promise<void> {
    await Promise.all([this.#sigterm(this.#slots.kill), this.#sigterm(this.#slots.term)]);
  }

  pids(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const slot of Object.values(this.#slots)) {
      if (slot.process?.child.running) out[slot.name] = slot.process.child.pid;
    }
    return out;
  }

  tails(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const slot of Object.values(this.#slots)) {
      if (slot.process) out[slot.name] = slot.process.child.tail();
    }
    return out;
  }

  async #start(slot: Slot): Promise<void> {
    slot.generation++;
    const name = `${slot.name}-${slot.generation}`;
    const proc = await startDispatcherProcess({
      name,
      bucket: this.#o.bucket,
      emulatorHost: this.#o.emulatorUrl,
      target: this.#o.target,
      env: this.#o.env,
      logFile: join(this.#o.workDir, `${name}.log`),
    });
    if (slot.generation > 1) this.stats.restarts++;
    slot.process = proc;
    slot.stopping = false;
    void proc.child.exited.then(({ code, signal }) => {
      if (!slot.stopping) {
        this.stats.incidents.push(
          `${name} exited on its own (${signal ?? `code ${code}`}): ${proc.child.tail().slice(-5).join(' | ')}`,
        );
        this.#o.log(`${name} exited unexpectedly; restarting`);
        slot.process = undefined;
        this.#publish();
        void this.#start(slot);
      }
    });
    this.#publish();
  }

  async #kill9(slot: Slot): Promise<void> {
    const proc = slot.process;
    if (!proc?.child.running) return;
    slot.stopping = true;
    proc.child.signal('SIGKILL');
    await proc.child.exited;
    slot.process = undefined;
    this.stats.kills++;
    this.#publish();
  }

  async #sigterm(slot: Slot): Promise<void> {
    const proc = slot.process;
    if (!proc?.child.running) return;
    slot.stopping = true;
    // Out of the fan-out first, as Cloud Run stops routing to an instance it is stopping.
    slot.process = undefined;
    this.#publish();
    const began = performance.now();
    const { code, signal } = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
    }>((resolve) => {
      const timer = setTimeout(() => proc.child.signal('SIGKILL'), 15_000);
      proc.child.signal('SIGTERM');
      void proc.child.exited.then((r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
    this.stats.sigterms++;
    if (code !== 0) {
      this.stats.incidents.push(
        `${proc.child.name} did not stop cleanly on SIGTERM (${signal ?? `code ${code}`} after ${Math.round(performance.now() - began)} ms): ${proc.child.tail().slice(-5).join(' | ')}`,
      );
    }
  }

  #publish(): void {
    const urls: string[] = [];
    for (const slot of Object.values(this.#slots)) if (slot.process) urls.push(slot.process.url);
    this.#o.onTargets(urls);
  }
}
