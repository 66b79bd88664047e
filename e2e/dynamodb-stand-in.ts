/** The stand-in the e2e server started (scripts/e2e-server.ts), reached through its test hooks. */
import type { Throttle } from '../tools/dynamodb-local';

/** Null when the run is not on the stand-in (Postgres, or DYNAMODB_ENDPOINT set by hand). */
export function standInUrl(): string | null {
  const port = process.env.E2E_DYNAMODB_PORT;
  return port ? `http://127.0.0.1:${port}` : null;
}

function hooksUrl(): string {
  const url = standInUrl();
  if (!url) throw new Error('Only a run on the DynamoDB stand-in can throttle it.');
  return `${url}/__stand-in/throttles`;
}

export async function throttleStandIn(rule: Throttle): Promise<void> {
  const res = await fetch(hooksUrl(), { method: 'POST', body: JSON.stringify(rule) });
  if (res.status !== 204) throw new Error(`The stand-in refused the throttle: ${await res.text()}`);
}

export async function clearStandInThrottles(): Promise<void> {
  await fetch(hooksUrl(), { method: 'DELETE' });
}
