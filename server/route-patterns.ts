/**
 * A request's route PATTERN (`/api/videos/:videoId`), never its raw URL: the label that keeps
 * metrics' cardinality bounded and ids out of the access log.
 */
import { matchRoutes, type AgnosticRouteObject } from '@remix-run/router';
import type { ServerBuild } from '@remix-run/node';

type BuildRoute = ServerBuild['routes'][string];

export function routePatternMatcher(routes: ServerBuild['routes']): (pathname: string) => string {
  const children = new Map<string | undefined, BuildRoute[]>();
  for (const route of Object.values(routes)) {
    const siblings = children.get(route.parentId) ?? [];
    siblings.push(route);
    children.set(route.parentId, siblings);
  }
  const tree = (parentId: string | undefined): AgnosticRouteObject[] =>
    (children.get(parentId) ?? []).map((route) =>
      route.index
        ? { id: route.id, path: route.path, index: true, caseSensitive: route.caseSensitive }
        : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children: tree(route.id) },
    );
  const routeTree = tree(undefined);
  return (pathname) => {
    const matches = matchRoutes(routeTree, pathname);
    if (!matches) return 'unmatched';
    const segments = matches.map((m) => m.route.path ?? '').filter((path) => path && path !== '/');
    return `/${segments.join('/')}`.replace(/\/{2,}/g, '/');
  };
}
