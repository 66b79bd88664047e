import type { ServerBuild } from '@remix-run/node';
import { describe, expect, it } from 'vitest';
import { routePatternMatcher } from './route-patterns';

const route = (id: string, path: string | undefined, extra: object = {}) => ({ id, path, parentId: 'root', ...extra });
const routes = {
  root: { id: 'root', path: '' },
  'routes/_index': route('routes/_index', undefined, { index: true }),
  'routes/api.videos.$videoId': route('routes/api.videos.$videoId', 'api/videos/:videoId'),
  'routes/api.videos': route('routes/api.videos', 'api/videos'),
  'routes/api.$': route('routes/api.$', 'api/*'),
  'routes/$': route('routes/$', '*'),
} as unknown as ServerBuild['routes'];

describe('routePatternMatcher', () => {
  const patternOf = routePatternMatcher(routes);
  it.each([
    ['/', '/'],
    ['/api/videos', '/api/videos'],
    ['/api/videos/6f1c2d9e-0000-4000-8000-000000000001', '/api/videos/:videoId'],
    ['/api/no-such-thing/42', '/api/*'],
    ['/anything/else', '/*'],
  ])('%s → %s', (pathname, pattern) => {
    expect(patternOf(pathname)).toBe(pattern);
  });
});
