/**
 * The process's structured log (pino): one JSON line per event on stdout, with `time`,
 * `level`, `msg`, and the `requestId` / `userId` of the request that caused it. Every field and
 * message passes redactForLog first: no secrets, no full email addresses.
 */
import pino from 'pino';
import { logLevel } from '~/config.server';
import { redactForLog } from './redact';
import { currentRequest } from './request-context.server';

function makeLogger() {
  return pino({
    level: logLevel(),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (fields) => redactForLog(fields) as Record<string, unknown>,
    },
    mixin() {
      const request = currentRequest();
      return request ? { requestId: request.requestId, ...(request.userId ? { userId: request.userId } : {}) } : {};
    },
    hooks: {
      // The message itself may name someone ("no account for ann@…"): masked like the fields.
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? (redactForLog(arg) as string) : arg)) as Parameters<
            typeof method
          >,
        );
      },
    },
  });
}

export const logger = makeLogger();

export function logError(message: string, error?: unknown): void {
  logger.error(error === undefined ? {} : { error: redactForLog(error) }, message);
}

export function logWarn(message: string, fields: Record<string, unknown> = {}): void {
  logger.warn(fields, message);
}

export function logInfo(message: string, fields: Record<string, unknown> = {}): void {
  logger.info(fields, message);
}

export function logWarning(message: string, fields: Record<string, unknown> = {}): void {
  console.warn(JSON.stringify({ level: 'warn', time: new Date().toISOString(), message, ...fields }));
}
