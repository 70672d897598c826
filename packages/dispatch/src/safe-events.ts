import type { DispatchEvents } from './types.ts';

/** Every hook present and guaranteed not to throw. */
export type SafeEvents = Required<DispatchEvents>;

/**
 * Hooks feed metrics and logs; a bug in one must never break the attempt that reported it (a
 * throwing onOutcome would otherwise look like a failed write and requeue finished work). A hook
 * that throws is reported to onError once per call; a throwing onError is swallowed.
 */
export function safeEvents(events: DispatchEvents): SafeEvents {
  const onError: SafeEvents['onError'] = (info) => {
    try {
      events.onError?.(info);
    } catch {
      // Nothing is left to report to.
    }
  };
  function guard<K extends Exclude<keyof DispatchEvents, 'onError'>>(name: K): SafeEvents[K] {
    return ((info: never) => {
      const hook = events[name] as ((info: never) => void) | undefined;
      if (!hook) return;
      try {
        hook.call(events, info);
      } catch (error) {
        onError({ where: `events.${name}`, error });
      }
    }) as SafeEvents[K];
  }
  return {
    onTrigger: guard('onTrigger'),
    onPass: guard('onPass'),
    onAttemptStart: guard('onAttemptStart'),
    onOutcome: guard('onOutcome'),
    onLeaseLost: guard('onLeaseLost'),
    onSweep: guard('onSweep'),
    onCounts: guard('onCounts'),
    onError,
  };
}
