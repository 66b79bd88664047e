import type { LiveEvent, LiveListener, RealtimeBus } from './bus';

/**
 * The one-process bus (the embedded default, tests): listeners run on a later tick, so a
 * publisher never runs a stream's work inside its own call, and one failing listener cannot
 * stop the others.
 */
export function createMemoryBus(): RealtimeBus {
  const listeners = new Set<LiveListener>();
  return {
    publish(event: LiveEvent) {
      for (const listener of listeners) {
        queueMicrotask(() => {
          try {
            listener(event);
          } catch {
            // A listener's own failure is its stream's business (it closes itself).
          }
        });
      }
      return Promise.resolve();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // In-process: reachable as long as the process is.
    ping: () => Promise.resolve(),
    close() {
      listeners.clear();
      return Promise.resolve();
    },
  };
}
