/**
 * The JSON API's one envelope, one error mapping, one body reader, one pagination reader.
 * Success: { success: true, ...payload }. Error: { success: false, error, code, details? }
 * (the original ClassCast API's keys, see docs/decisions/003-api-error-envelope.md).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import {
  DataConflictError,
  DataNotFoundError,
  DataStoreBusyError,
  DataStoreUnavailableError,
  InvalidCursorError,
} from '~/data/errors';
import { MAX_PAGE_SIZE, type PageRequest } from '~/data/repository';
import { StorageError } from '~/storage/storage';
import { AppError } from './errors';
import { logError, logWarning } from './log.server';
import { parseInput } from './validation';

const NO_STORE = { 'Cache-Control': 'private, no-store' };

/** Throttling outlasted the SDK's retries (up to 3 s of them): a short pause usually clears it. */
export const DATA_STORE_RETRY_AFTER_SECONDS = 2;
/** A database that went away is usually back (failover, restart) within seconds. */
export const DATA_STORE_DOWN_RETRY_AFTER_SECONDS = 5;
/** Storage hiccups are short too; the browser's upload retries on its own. */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/**
 * The one list response (docs/decisions/012-one-list-shape.md): the items under the
 * original API's key, where the original put them, plus `nextCursor` at the top level
 * (null on the last page).
 */
export function apiList(payload: Record<string, unknown>, nextCursor: string | null): Response {
  return apiOk({ ...payload, nextCursor });
}

export function apiOk(
  payload: Record<string, unknown>,
  init: { status?: number; headers?: HeadersInit } = {},
): Response {
  const headers = new Headers(init.headers);
  for (const [k, v] of Object.entries(NO_STORE)) headers.set(k, v);
  return Response.json({ success: true, ...payload }, { status: init.status ?? 200, headers });
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof InvalidCursorError)
    return new AppError('INVALID_CURSOR', 'The cursor is not valid for this list.');
  if (error instanceof DataNotFoundError) return new AppError('NOT_FOUND', `That ${error.entity} was not found.`);
  if (error instanceof DataConflictError) return new AppError('CONFLICT', `That ${error.constraint} is already taken.`);
  if (error instanceof StorageError) return storageAppError(error);
  if (error instanceof DataStoreBusyError) {
    logWarning('data store busy', { operation: error.operation });
    return new AppError(
      'DATA_STORE_BUSY',
      'ClassCast is very busy right now. Nothing was changed; please try again in a moment.',
      {
        retryAfterSeconds: DATA_STORE_RETRY_AFTER_SECONDS,
      },
    );
  }
  if (error instanceof DataStoreUnavailableError) {
    logWarning('data store unavailable', { reason: error.reason });
    return new AppError(
      'DATA_STORE_UNAVAILABLE',
      "ClassCast can't reach its database right now. Please try again in a moment.",
      { retryAfterSeconds: DATA_STORE_DOWN_RETRY_AFTER_SECONDS },
    );
  }
  logError('unhandled error', error);
  return new AppError('INTERNAL_ERROR', 'Something went wrong on our side. Please try again.');
}

function storageAppError(error: StorageError): AppError {
  switch (error.code) {
    case 'NotFound':
    case 'NoSuchUpload':
      return new AppError('NOT_FOUND', 'That upload was not found (it may have been cancelled or finished already).');
    case 'InvalidPart':
    case 'EntityTooSmall':
    case 'InvalidArgument':
      return new AppError('VALIDATION_ERROR', `The upload could not be completed: ${error.message}`);
    default:
      logError('storage unavailable', error);
      return new AppError('STORAGE_UNAVAILABLE', 'Video storage is unavailable right now. Please try again.', {
        retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS,
      });
  }
}

export function apiError(error: unknown): Response {
  const appError = toAppError(error);
  const headers = new Headers(NO_STORE);
  if (appError.details?.retryAfterSeconds) headers.set('Retry-After', String(appError.details.retryAfterSeconds));
  const body: Record<string, unknown> = { success: false, error: appError.message, code: appError.code };
  if (appError.details?.fields) body.details = { fields: appError.details.fields };
  return Response.json(body, { status: appError.status, headers });
}

type Handler<A> = (args: A) => Promise<Response>;

/** Wraps a resource-route loader/action: every throw becomes the JSON error envelope. */
export function apiRoute<A extends LoaderFunctionArgs | ActionFunctionArgs>(handler: Handler<A>): Handler<A> {
  return async (args) => {
    try {
      return await handler(args);
    } catch (error) {
      if (error instanceof Response) return error;
      return apiError(error);
    }
  };
}

function methodNotAllowed(method: string, allowed: string[]): Response {
  return Response.json(
    { success: false, error: `Method ${method} is not allowed here.`, code: 'METHOD_NOT_ALLOWED' },
    { status: 405, headers: { Allow: allowed.join(', '), ...NO_STORE } },
  );
}

/** Lets an action declare which methods it serves. */
export function requireMethod(request: Request, ...methods: string[]): void {
  if (!methods.includes(request.method.toUpperCase())) throw methodNotAllowed(request.method, methods);
}

/** The loader of an endpoint without GET: GET answers 405 in the JSON envelope, naming what is allowed. */
export function loaderAllowing(...methods: string[]) {
  return async ({ request }: LoaderFunctionArgs): Promise<Response> => methodNotAllowed(request.method, methods);
}

/** The loader of a POST-only endpoint. */
export const postOnlyLoader = loaderAllowing('POST');

const MAX_JSON_BYTES = 1_000_000;

/** JSON body (or a form post, for the same endpoint used by a plain HTML form). */
export async function readBody(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get('Content-Type') ?? '';
  if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
    const form = await request.formData();
    return Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'));
  }
  const length = Number(request.headers.get('Content-Length') ?? 0);
  if (length > MAX_JSON_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large.');
  const text = await request.text();
  if (text.length > MAX_JSON_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large.');
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('INVALID_JSON', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('INVALID_JSON', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

const pageSchema = z.object({
  limit: z.coerce
    .number({ error: 'limit must be a number.' })
    .int('limit must be a whole number.')
    .min(1, 'limit must be at least 1.')
    .max(MAX_PAGE_SIZE, `limit must be at most ${MAX_PAGE_SIZE}.`)
    .optional(),
  cursor: z.string().max(2048).optional(),
});

/** The one pagination reader: `?limit=&cursor=`. */
export function readPage(url: URL): PageRequest {
  return parseInput(pageSchema, {
    limit: url.searchParams.get('limit') || undefined,
    cursor: url.searchParams.get('cursor') || undefined,
  });
}
