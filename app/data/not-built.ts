/**
 * TEMPORARY while the community aggregates are built: a repository whose methods not yet
 * written reject. Removed when both adapters implement the whole community port.
 */
export function notBuilt<T extends object>(name: string, built: Partial<T> = {}): T {
  return new Proxy(built as T, {
    get: (target, method) =>
      method in target
        ? (target as Record<string | symbol, unknown>)[method]
        : () => Promise.reject(new Error(`${name}.${String(method)} is not built yet`)),
  });
}
