/**
 * What server.ts puts in front of the Remix handler: the CSRF defence and the input checks,
 * answered in the caller's language: the JSON envelope for /api, `?_data=` and `.data`,
 * a plain-language page otherwise. A refused request reaches no loader or action, so
 * nothing is written.
 */
import type { ServerBuild } from '@remix-run/node';
import { csrfRefusal, type CsrfSources } from './csrf.server';
import { bodyProblem, urlProblem, type InputProblem } from './input-guard.server';

type RoutePattern = string[];

/** Every route's full path as segments (":param" for dynamic ones), from the build's manifest. */
export function routePatterns(build: Pick<ServerBuild, 'routes'>): RoutePattern[] {
  const fullPath = (id: string): string => {
    const route = build.routes[id];
    if (!route) return '';
    const parent = route.parentId ? fullPath(route.parentId) : '';
    return [parent, route.path ?? ''].filter(Boolean).join('/');
  };
  return Object.keys(build.routes).map((id) => fullPath(id).split('/').filter(Boolean));
}

/**
 * The dynamic params a URL would get. Like Remix's router, a static segment beats a param:
 * /api/courses/join is the join route, not a course called "join".
 */
export function matchParams(patterns: RoutePattern[], pathname: string): Record<string, string> {
  const segments = pathname.split('/').filter(Boolean);
  let best: { params: Record<string, string>; score: number } | null = null;
  for (const pattern of patterns) {
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = pattern.every((part, i) => {
      const segment = segments[i] ?? '';
      if (part.startsWith(':')) {
        try {
          params[part.slice(1).replace(/\?$/, '')] = decodeURIComponent(segment);
        } catch {
          params[part.slice(1)] = segment;
        }
        return true;
      }
      return part.toLowerCase() === segment.toLowerCase();
    });
    const score = pattern.filter((part) => !part.startsWith(':')).length;
    if (fits && (!best || score > best.score)) best = { params, score };
  }
  return best?.params ?? {};
}

/** `.data` (single fetch) and `?_data=` requests address the route without the suffix. */
function routePathname(url: URL): string {
  if (url.pathname === '/_root.data') return '/';
  return url.pathname.replace(/\.data$/, '');
}

export function wantsJson(url: URL): boolean {
  return url.pathname.startsWith('/api/') || url.searchParams.has('_data') || url.pathname.endsWith('.data');
}

const HEADERS = { 'Cache-Control': 'private, no-store' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function refusal(url: URL, status: number, code: string, message: string, field?: string): Response {
  if (wantsJson(url)) {
    const body: Record<string, unknown> = { success: false, error: message, code };
    if (field) body.details = { fields: { [field]: [message] } };
    return Response.json(body, { status, headers: HEADERS });
  }
  const title = status === 403 ? 'Request refused' : status === 404 ? 'Not found' : 'That request could not be used';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · ClassCast</title></head><body><main><h1>${title}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to ClassCast</a></p></main></body></html>`;
  return new Response(html, { status, headers: { ...HEADERS, 'Content-Type': 'text/html; charset=utf-8' } });
}

function problemResponse(url: URL, problem: InputProblem): Response {
  return refusal(url, problem.status, problem.code, problem.message, problem.field);
}

/** Null when the request may go on to Remix; otherwise the answer to send instead. */
export function createRequestGuard(build: Pick<ServerBuild, 'routes'>, sources: CsrfSources = {}) {
  const patterns = routePatterns(build);
  return async (request: Request): Promise<Response | null> => {
    const url = new URL(request.url);
    const csrf = await csrfRefusal(request, sources);
    if (csrf) return refusal(url, 403, 'CSRF_REFUSED', csrf);
    const urlIssue = urlProblem(url, matchParams(patterns, routePathname(url)));
    if (urlIssue) return problemResponse(url, urlIssue);
    const bodyIssue = await bodyProblem(request);
    if (bodyIssue) return problemResponse(url, bodyIssue);
    return null;
  };
}
