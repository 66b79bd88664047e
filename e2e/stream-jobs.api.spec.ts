/**
 * DynamoDB mode: the test server reads the tables' streams with the stream poller
 * (STREAM_JOBS defaults to `poller` on DynamoDB; beside it only the 30 s outbox sweep runs,
 * for entries due later), so a like's notification reaches the owner's open /events stream through
 * classcast-notifications' stream: stand-in → Streams API → poller → outbox relay → bus.
 */
import { newClient } from './course-builders';
import { expect, test } from './fixtures';
import { classmateLikes, classWithBeasVideo } from './notification-builders';
import { eventData, openEventStream } from './sse-client';

test.skip(process.env.E2E_BACKEND !== 'dynamodb', 'streams exist on the DynamoDB backend');

test('a like reaches the owner’s open stream through the notifications table’s stream', async ({
  playwright,
  baseURL,
}) => {
  const [teacher, bea, ana] = await Promise.all([1, 2, 3].map(() => newClient(playwright, baseURL)));
  try {
    const cls = await classWithBeasVideo({ teacher: teacher!, bea: bea! });
    const { cookies } = await bea!.storageState();
    const stream = await openEventStream(`${baseURL}/events`, {
      Cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '),
    });
    try {
      await stream.waitFor((s) => s.events.some((e) => e.event === 'ready'), 5000, 'ready');
      await classmateLikes(ana!, cls, 'Ana');
      await stream.waitFor((s) => s.events.some((e) => e.event === 'notification'), 10_000, 'the notification');
      const [newest] = (await (await bea!.get('/api/notifications')).json()).notifications;
      expect(eventData(stream, 'notification')).toEqual([{ notificationId: newest.notificationId, unreadCount: 1 }]);
      // Delivered once: a later poll of the same stream record has no effect.
      await new Promise((r) => setTimeout(r, 1500));
      expect(eventData(stream, 'notification')).toHaveLength(1);
    } finally {
      stream.close();
    }
  } finally {
    await Promise.all([teacher, bea, ana].map((c) => c!.dispose()));
  }
});
