import { z } from 'zod';
import type { LiveEvent } from './bus';

const position = z.object({ at: z.string().min(1), id: z.string().min(1) });

/** What another process may put on the bus: read as untrusted input, like any payload off the wire. */
const LiveEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('notification'),
    userId: z.string().min(1),
    notificationId: z.string().min(1),
    position,
    unreadCount: z.number().int().min(0),
  }),
  z.object({
    type: z.literal('message'),
    userId: z.string().min(1),
    messageId: z.string().min(1),
    conversationId: z.string().min(1),
    fromUserId: z.string().min(1),
    toUserId: z.string().min(1),
    position,
    unreadMessages: z.number().int().min(0),
  }),
  z.object({ type: z.literal('session-ended'), userId: z.string().min(1), sessionId: z.string().min(1) }),
]);

export function parseLiveEvent(value: unknown): LiveEvent | null {
  const parsed = LiveEventSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
