/**
 * Connection failures of the Postgres adapter as the port's DataStoreUnavailableError, in ONE
 * place: every repository method is wrapped once (below), so no adapter file has to remember.
 * Query errors (a constraint, a bad statement) pass through unchanged.
 */
import { DataStoreUnavailableError, UNREACHABLE_SOCKET_CODES, errorChain } from '../errors';

/**
 * Prisma's own codes for "the server is not there": P1001 cannot reach, P1002 timed out,
 * P1008 operation timed out, P1017 server closed the connection, P2024 no pool connection in
 * time, P2028 a transaction could not start in time (a starved or dead pool).
 */
const PRISMA_UNREACHABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);

/** What the driver adapter reports inside Prisma's errors (meta.driverAdapterError.cause.kind). */
const DRIVER_UNREACHABLE = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/**
 * SQLSTATEs: class 08 (connection exception), 57P01-57P03 (the server is shutting down,
 * crashed, or not accepting connections yet), 53300 (too many connections).
 */
function isUnreachableSqlState(code: string): boolean {
  return /^08/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code);
}

/** node-postgres and pg-pool say it in words only. */
const DRIVER_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Query read timeout/i,
];

export function unreachableReason(error: unknown): string | null {
  for (const link of errorChain(error)) {
    if (typeof link !== 'object' || link === null) continue;
    const { code, message, meta } = link as { code?: unknown; message?: unknown; meta?: unknown };
    if (typeof code === 'string') {
      if (PRISMA_UNREACHABLE.has(code)) return `Prisma ${code}`;
      if (UNREACHABLE_SOCKET_CODES.has(code)) return code;
      if (/^[0-9A-Z]{5}$/.test(code) && isUnreachableSqlState(code)) return `SQLSTATE ${code}`;
    }
    const kind = (meta as { driverAdapterError?: { cause?: { kind?: unknown } } } | undefined)?.driverAdapterError
      ?.cause?.kind;
    if (typeof kind === 'string' && DRIVER_UNREACHABLE.has(kind)) return kind;
    if (typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message)))
      return 'connection lost';
  }
  return null;
}

function mapped(error: unknown): unknown {
  if (error instanceof DataStoreUnavailableError) return error;
  const reason = unreachableReason(error);
  return reason ? new DataStoreUnavailableError(reason, { cause: error }) : error;
}

const wrapped = new WeakMap<object, object>();

/**
 * The repositories with every promise-returning method's connection failures mapped. Nested
 * repository objects are wrapped too; synchronous methods (outbox.onWrite) are left alone.
 */
export function mapConnectionFailures<T extends object>(target: T): T {
  const known = wrapped.get(target);
  if (known) return known as T;
  // One wrapper per method, made on first use: the proxy sits on every repository call.
  const methods = new Map<PropertyKey, { original: unknown; wrapper: (...args: unknown[]) => unknown }>();
  const proxy = new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value === 'function') {
        const known = methods.get(key);
        if (known?.original === value) return known.wrapper;
        const wrapper = (...args: unknown[]) => {
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(object, args);
          } catch (error) {
            throw mapped(error);
          }
          return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(mapped(error))) : result;
        };
        methods.set(key, { original: value, wrapper });
        return wrapper;
      }
      if (value && typeof value === 'object' && !Array.isArray(value)) return mapConnectionFailures(value);
      return value;
    },
  });
  wrapped.set(target, proxy);
  return proxy;
}
