import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from './bus';
import { createPostgresBus, MAX_PAYLOAD_BYTES, type PostgresBus } from './postgres-bus.server';

const databaseUrl = process.env.DATABASE_URL;

const event = (n: number): LiveEvent => ({
  type: 'notification',
  userId: `user-${n}`,
  notificationId: `n-${n}`,
  position: { at: new Date(1_700_000_000_000 + n).toISOString(), id: `n-${n}` },
  unreadCount: n,
});

async function until(check: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!databaseUrl)('Postgres LISTEN/NOTIFY bus (DATABASE_URL)', () => {
  const buses: PostgresBus[] = [];
  const open = async (probeEveryMs?: number) => {
    const bus = createPostgresBus({ url: databaseUrl!, probeEveryMs });
    buses.push(bus);
    await bus.ready;
    return bus;
  };
  afterAll(async () => {
    for (const bus of buses) await bus.close();
  });

  it('delivers an event published on one bus to both, once each', async () => {
    const one = await open();
    const two = await open();
    const seenOne: LiveEvent[] = [];
    const seenTwo: LiveEvent[] = [];
    one.subscribe((e) => seenOne.push(e));
    two.subscribe((e) => seenTwo.push(e));
    await one.publish(event(1));
    await two.publish(event(2));
    await until(() => seenOne.length >= 2 && seenTwo.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(seenOne.map((e) => e.type === 'notification' && e.notificationId)).toEqual(['n-1', 'n-2']);
    expect(seenTwo).toEqual(seenOne);
  });

  it('refuses a payload near the NOTIFY limit instead of losing it', async () => {
    const bus = await open();
    const big = { ...event(3), notificationId: 'x'.repeat(MAX_PAYLOAD_BYTES) } as LiveEvent;
    await expect(bus.publish(big)).rejects.toThrow(/exceeds/);
  });

  it('LISTENs again after its connection is killed, and says a gap happened', async () => {
    const listener = await open(200);
    const publisher = await open();
    const seen: string[] = [];
    let resyncs = 0;
    listener.subscribe((e) => e.type === 'notification' && seen.push(e.notificationId));
    listener.onResync(() => (resyncs += 1));

    const admin = postgres(databaseUrl!, { max: 1 });
    try {
      // Every LISTENing classcast-realtime backend goes, as when the server drops connections.
      await admin`select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = 'classcast-realtime' and query ilike 'listen%' and pid <> pg_backend_pid()`;
    } finally {
      await admin.end();
    }
    await until(() => resyncs > 0);
    await publisher.publish(event(4));
    await until(() => seen.includes('n-4'));
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter((id) => id === 'n-4')).toHaveLength(1);
  });

  it('ignores payloads on the channel that are not live events', async () => {
    const bus = await open();
    const seen: LiveEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    const raw = postgres(databaseUrl!, { max: 1 });
    try {
      await raw.notify('classcast_live', '{"type":"notification","userId":5}');
      await raw.notify('classcast_live', 'not json');
    } finally {
      await raw.end();
    }
    await bus.publish(event(6));
    await until(() => seen.length > 0);
    expect(seen).toHaveLength(1);
  });
});
