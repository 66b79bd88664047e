/**
 * Input checks every request passes before any route sees it (server.ts runs them once, in
 * front of Remix), so new routes are covered without remembering to call anything:
 * - every text value (JSON string, form field, path segment, query value, and their keys)
 *   is well-formed Unicode without NUL or other control characters (tab, newline and
 *   CR LF are fine), answered with a 400 that names the field;
 * - every id of ours (a `$courseId` route param, a `courseId` field or query value, ...)
 *   is a ULID before any database sees it;
 * - a body is one the routes can read: a JSON object, a parsable form, nothing else.
 * The routes' own zod schemas then check meaning (lengths, ranges, required fields).
 */
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/i;
/** C0 controls except tab and newline, a CR not starting CR LF, and DEL. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\r(?!\n)/;
/** Half of a surrogate pair without the other half: not text, and Postgres refuses it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_BODY_BYTES = 1_000_000;
/**
 * Names under which our ULIDs travel (route params, body fields, query values). Other
 * "...Id" fields are not ours: a student number (studentId), S3's multipartUploadId.
 */
const ENTITY_ID_NAMES = new Set([
  'userId',
  'instructorId',
  'courseId',
  'assignmentId',
  'submissionId',
  'videoId',
  'postId',
  'commentId',
  'parentId',
]);

export interface InputProblem {
  status: 400 | 404 | 413 | 415;
  code: 'VALIDATION_ERROR' | 'INVALID_JSON' | 'INVALID_BODY' | 'NOT_FOUND' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA';
  message: string;
  field?: string;
}

function invalidText(field: string): InputProblem {
  return {
    status: 400,
    code: 'VALIDATION_ERROR',
    field,
    message: `${field} contains characters that are not allowed (control characters or broken Unicode).`,
  };
}

function textProblem(value: string, field: string): InputProblem | null {
  return LONE_SURROGATE.test(value) || FORBIDDEN_CONTROL.test(value) ? invalidText(field) : null;
}

function isIdName(name: string): boolean {
  return ENTITY_ID_NAMES.has(name);
}

function idProblem(name: string, value: unknown, field: string): InputProblem | null {
  if (!isIdName(name) || typeof value !== 'string' || value === '' || ULID.test(value)) return null;
  return { status: 400, code: 'VALIDATION_ERROR', field, message: `${field} is not a valid id.` };
}

/** Walks a parsed JSON value: every key and string, every `...Id` field. */
function jsonProblem(value: unknown, path: string): InputProblem | null {
  if (typeof value === 'string') return textProblem(value, path || 'body');
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = jsonProblem(item, `${path}[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      const problem = textProblem(key, 'a field name') ?? idProblem(key, item, field) ?? jsonProblem(item, field);
      if (problem) return problem;
    }
  }
  return null;
}

function entriesProblem(entries: Iterable<[string, unknown]>): InputProblem | null {
  for (const [key, value] of entries) {
    const problem =
      textProblem(key, 'a field name') ??
      (typeof value === 'string' ? (textProblem(value, key) ?? idProblem(key, value, key)) : null);
    if (problem) return problem;
  }
  return null;
}

/** The URL: each decoded path segment, each query key and value, ids among the params. */
export function urlProblem(url: URL, params: Record<string, string | undefined>): InputProblem | null {
  for (const segment of url.pathname.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { status: 400, code: 'VALIDATION_ERROR', field: 'path', message: 'The address is not valid.' };
    }
    const problem = textProblem(decoded, 'path');
    if (problem) return problem;
  }
  const queryProblem = entriesProblem(url.searchParams.entries());
  if (queryProblem) return queryProblem;
  for (const [name, value] of Object.entries(params)) {
    // A malformed id in the address names nothing: the same answer as an unknown one.
    if (isIdName(name) && value !== undefined && !ULID.test(value)) {
      return { status: 404, code: 'NOT_FOUND', field: name, message: 'That page or item was not found.' };
    }
  }
  return null;
}

function mediaType(request: Request): string {
  return (request.headers.get('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The body, read from a clone so the route still gets the original stream. */
export async function bodyProblem(request: Request): Promise<InputProblem | null> {
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return null;
  const length = Number(request.headers.get('Content-Length') ?? 0);
  if (length > MAX_BODY_BYTES) return tooLarge();
  const type = mediaType(request);
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await request.clone().formData();
    } catch {
      const hint = type === 'multipart/form-data' ? ' (a multipart body needs a boundary)' : '';
      return { status: 400, code: 'INVALID_BODY', message: `The form data could not be read${hint}.` };
    }
    return entriesProblem(form.entries());
  }
  const text = await request.clone().text();
  if (text.length > MAX_BODY_BYTES) return tooLarge();
  if (!text.trim()) return null;
  // The JSON API also reads bodies sent without a JSON content type (original clients do).
  const isApi = new URL(request.url).pathname.startsWith('/api/');
  if (!isApi && !type.endsWith('json')) {
    return { status: 415, code: 'UNSUPPORTED_MEDIA', message: 'Send a form or a JSON object.' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { status: 400, code: 'INVALID_JSON', message: 'The request body is not valid JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { status: 400, code: 'INVALID_JSON', message: 'The request body must be a JSON object.' };
  }
  return jsonProblem(value, '');
}

function tooLarge(): InputProblem {
  return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' };
}
