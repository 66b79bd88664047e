/**
 * `instanceof` that also holds across copies of a module: server.ts (run by tsx) builds the
 * repositories and storage, while the Remix build bundles its own copy of the same classes,
 * so a plain prototype check would fail between the two. Each error class carries a global
 * brand (Symbol.for) and answers instanceof by it.
 */
export function brandedInstanceCheck(brand: string) {
  const key = Symbol.for(`classcast.error.${brand}`);
  return {
    key,
    hasInstance: (value: unknown): boolean =>
      typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[key] === true,
  };
}
