/**
 * The world the controller acts on: a simulated fleet of devices. A real controller would call a
 * device-management API here; the simulation keeps the same shape — slow firmware installs that
 * finish on their own, configuration that applies at once, and devices that change behind the
 * controller's back (a factory reset) and announce it with a CloudEvent, or silently.
 *
 * Time comes from the injected clock, so a test drives installs with a FakeClock.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '@recon/core';
import type { ReconEvent } from '@recon/sdk';

export interface FleetDevice {
  uid: string;
  /** The firmware it runs. */
  firmware: string;
  config: Record<string, string>;
  /** An install in progress: `firmware` runs from `doneAt` on. */
  installing?: { firmware: string; doneAt: number };
}

export interface SimulatedFleetOptions {
  /** Default systemClock. */
  clock?: Clock;
  /** How long a firmware install takes. Default 2 s. */
  installMs?: number;
  /** The firmware of a new or factory-reset device. Default `0.0.0`. */
  factoryFirmware?: string;
  /** CloudEvents `source` of the fleet's events. Default `/fleet/simulated`. */
  source?: string;
}

export type FleetListener = (event: ReconEvent) => void | Promise<unknown>;

/** Event types the fleet announces (the controller watches `io.example.device.*`). */
export const fleetEventTypes = {
  reset: 'io.example.device.reset',
  heartbeat: 'io.example.device.heartbeat',
} as const;

export class SimulatedFleet {
  readonly #devices = new Map<string, FleetDevice>();
  readonly #listeners = new Set<FleetListener>();
  readonly #clock: Clock;
  readonly #installMs: number;
  readonly #factoryFirmware: string;
  readonly #source: string;

  constructor(options: SimulatedFleetOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#installMs = options.installMs ?? 2000;
    this.#factoryFirmware = options.factoryFirmware ?? '0.0.0';
    this.#source = options.source ?? '/fleet/simulated';
  }

  get uids(): string[] {
    return [...this.#devices.keys()].sort();
  }

  /** The device as it is now (an install whose time has come is finished); undefined if unknown. */
  observe(uid: string): FleetDevice | undefined {
    const d = this.#devices.get(uid);
    if (!d) return undefined;
    if (d.installing && this.#clock.now() >= d.installing.doneAt) {
      d.firmware = d.installing.firmware;
      delete d.installing;
    }
    return structuredClone(d);
  }

  /** Brings a device under management, with factory firmware and no configuration. */
  enroll(uid: string): FleetDevice {
    if (!this.#devices.has(uid)) {
      this.#devices.set(uid, { uid, firmware: this.#factoryFirmware, config: {} });
    }
    return this.observe(uid) as FleetDevice;
  }

  /** Starts installing `firmware` (replacing an install in progress); it runs after `installMs`. */
  install(uid: string, firmware: string): void {
    const d = this.#device(uid);
    d.installing = { firmware, doneAt: this.#clock.now() + this.#installMs };
  }

  configure(uid: string, config: Record<string, string>): void {
    this.#device(uid).config = { ...config };
  }

  /** Takes a device out of the fleet; false when it was not in it. */
  decommission(uid: string): boolean {
    return this.#devices.delete(uid);
  }

  /**
   * The outside world: the device is reset to factory state. With `announce` (default) it sends
   * `io.example.device.reset`; resolves once every listener has taken the event.
   */
  async factoryReset(uid: string, options: { announce?: boolean } = {}): Promise<void> {
    const d = this.#device(uid);
    d.firmware = this.#factoryFirmware;
    d.config = {};
    delete d.installing;
    if (options.announce ?? true) await this.#emit(fleetEventTypes.reset, uid);
  }

  /** The outside world: the device reports in (nothing changed). */
  async heartbeat(uid: string): Promise<void> {
    this.#device(uid);
    await this.#emit(fleetEventTypes.heartbeat, uid);
  }

  /** Subscribes to the fleet's CloudEvents; returns an unsubscribe function. */
  onEvent(listener: FleetListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #device(uid: string): FleetDevice {
    const d = this.#devices.get(uid);
    if (!d) throw new Error(`no device ${uid} in the fleet`);
    return d;
  }

  async #emit(type: string, uid: string): Promise<void> {
    const event: ReconEvent = {
      specversion: '1.0',
      id: randomUUID(),
      source: this.#source,
      type,
      subject: uid,
      time: new Date(this.#clock.now()).toISOString(),
    };
    for (const listener of this.#listeners) await listener(event);
  }
}
