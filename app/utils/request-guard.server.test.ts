import { describe, expect, it } from 'vitest';
import { matchParams, routePatterns } from './request-guard.server';

const build = {
  routes: {
    root: { id: 'root', path: '' },
    'routes/api.courses.$courseId': {
      id: 'routes/api.courses.$courseId',
      parentId: 'root',
      path: 'api/courses/:courseId',
    },
    'routes/api.courses.join': { id: 'routes/api.courses.join', parentId: 'root', path: 'api/courses/join' },
    'routes/courses.$courseId_.edit': {
      id: 'routes/courses.$courseId_.edit',
      parentId: 'root',
      path: 'courses/:courseId/edit',
    },
  },
} as unknown as Parameters<typeof routePatterns>[0];

describe('matchParams', () => {
  const patterns = routePatterns(build);

  it('finds the params of a dynamic route', () => {
    expect(matchParams(patterns, '/courses/01J0/edit')).toEqual({ courseId: '01J0' });
    expect(matchParams(patterns, '/api/courses/..%2F..')).toEqual({ courseId: '../..' });
  });

  it('prefers a static route over a param, as the router does', () => {
    expect(matchParams(patterns, '/api/courses/join')).toEqual({});
  });

  it('answers no params for unknown paths', () => {
    expect(matchParams(patterns, '/nowhere/at/all')).toEqual({});
  });
});
