/** Minimal structured logging to stdout/stderr (one JSON object a line). */
export function logError(message: string, error?: unknown): void {
  const detail = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error;
  console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), message, error: detail }));
}

export function logInfo(message: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), message, ...fields }));
}

export function logWarning(message: string, fields: Record<string, unknown> = {}): void {
  console.warn(JSON.stringify({ level: 'warn', time: new Date().toISOString(), message, ...fields }));
}
