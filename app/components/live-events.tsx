import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import {
  LIVE_STREAM_EVENT_NAMES,
  LIVE_STREAM_PATH,
  type LiveStreamEventName,
  type LiveStreamEvents,
} from '~/realtime/wire';

type Listener = (data: unknown) => void;
type Subscribe = (name: LiveStreamEventName, listener: Listener) => () => void;

const LiveEventsContext = createContext<Subscribe | null>(null);

/**
 * ONE EventSource per tab (browsers allow ~6 HTTP/1.1 connections per origin), opened while
 * someone is signed in and closed when they sign out or the tab goes away. Components listen
 * through `useLiveEvent`; without JS nothing here runs and pages show the state of each load.
 * EventSource reconnects by itself and sends Last-Event-ID, so the server replays what was
 * missed.
 */
export function LiveEventsProvider({ userId, children }: { userId: string | null; children: ReactNode }) {
  const listeners = useRef(new Map<LiveStreamEventName, Set<Listener>>());
  const subscribe = useRef<Subscribe>((name, listener) => {
    const set = listeners.current.get(name) ?? new Set<Listener>();
    listeners.current.set(name, set);
    set.add(listener);
    return () => set.delete(listener);
  });

  useEffect(() => {
    if (!userId || typeof EventSource === 'undefined') return;
    const source = new EventSource(LIVE_STREAM_PATH);
    const dispatch = (name: LiveStreamEventName) => (event: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      for (const listener of listeners.current.get(name) ?? []) listener(data);
    };
    for (const name of LIVE_STREAM_EVENT_NAMES) source.addEventListener(name, dispatch(name));
    return () => source.close();
  }, [userId]);

  return <LiveEventsContext.Provider value={subscribe.current}>{children}</LiveEventsContext.Provider>;
}

/** Calls `handler` for each `name` event of this tab's live stream (the latest handler wins). */
export function useLiveEvent<N extends LiveStreamEventName>(name: N, handler: (data: LiveStreamEvents[N]) => void) {
  const subscribe = useContext(LiveEventsContext);
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (!subscribe) return;
    return subscribe(name, (data) => latest.current(data as LiveStreamEvents[N]));
  }, [subscribe, name]);
}
