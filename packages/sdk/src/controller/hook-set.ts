import type { Logger } from '../logger.ts';
import { messageOf } from '../outcomes.ts';
import type { ControllerHooks } from './options.ts';

export type HookInfo<K extends keyof ControllerHooks> = Parameters<
  NonNullable<ControllerHooks[K]>
>[0];

/** The registered outcome hooks; a hook that throws is logged and never reaches the caller. */
export class HookSet {
  readonly #hooks = new Set<ControllerHooks>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  add(hooks: ControllerHooks): () => void {
    this.#hooks.add(hooks);
    return () => {
      this.#hooks.delete(hooks);
    };
  }

  emit<K extends keyof ControllerHooks>(name: K, info: HookInfo<K>): void {
    for (const hooks of this.#hooks) {
      try {
        (hooks[name] as ((i: HookInfo<K>) => void) | undefined)?.call(hooks, info);
      } catch (error) {
        this.#logger.warn('outcome hook threw', { hook: name, error: messageOf(error) });
      }
    }
  }
}
