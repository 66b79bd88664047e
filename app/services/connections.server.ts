/**
 * Study buddies: requests between classmates, accepted only by the person asked. The pair's
 * id is derived from the two user ids (connectionIdFor), so a repeated or crossed request
 * can never make a second row; the notification is written in the same transaction.
 */
import { z } from 'zod';
import {
  connectionIdFor,
  type Connection,
  type ConnectionStatus,
  type NewNotification,
  type PageRequest,
  type User,
} from '~/data/repository';
import { notFound } from '~/utils/errors';
import { parseInput } from '~/utils/validation';
import {
  requireMayAcceptConnection,
  requireMayEndConnection,
  requireMayListOwner,
  requireConnectionParty,
  requireMayRequestConnection,
  requireUser,
  type ConnectionEnding,
} from './access.server';
import type { ServiceContext } from './context';
import { displayName, personSummary, type PersonSummary } from './people';

type Ctx = Pick<ServiceContext, 'repos'>;

export interface ConnectionView extends Connection {
  /** The person on the other side, as shown next to content. */
  otherUser: PersonSummary | null;
}

const requestSchema = z.object({
  requestedId: z
    .string({ error: 'requestedId is required.' })
    .trim()
    .min(1, 'requestedId is required.')
    .max(100, 'requestedId is not a user id.'),
});

function requestNotification(requester: User, requestedId: string): NewNotification {
  return {
    recipientId: requestedId,
    senderId: requester.id,
    senderName: displayName(requester),
    type: 'connection_request',
    title: 'New study-buddy request',
    message: `${displayName(requester)} would like to be your study buddy.`,
    relatedId: connectionIdFor(requester.id, requestedId),
    relatedType: 'connection',
    actionUrl: '/connections',
  };
}

/**
 * Sends a request (always pending: a `status` from the client is never read). An existing
 * pair, in either direction, comes back unchanged with `created: false`.
 */
export async function requestConnection(ctx: Ctx, actor: User | null, input: unknown) {
  const requester = requireUser(actor);
  const { requestedId } = parseInput(requestSchema, input);
  await requireMayRequestConnection(ctx, requester, requestedId);
  const { connection, created } = await ctx.repos.connections.request({
    requesterId: requester.id,
    requestedId,
    notification: requestNotification(requester, requestedId),
  });
  const message = created
    ? 'Study-buddy request sent.'
    : connection.status === 'accepted'
      ? 'You are already study buddies.'
      : connection.requesterId === requester.id
        ? 'You have already sent this request.'
        : 'This person has already asked you: accept their request instead.';
  return { connection, created, message };
}

async function loadConnection(ctx: Ctx, connectionId: string): Promise<Connection> {
  const connection = connectionId ? await ctx.repos.connections.get(connectionId) : null;
  if (!connection) throw notFound('Connection');
  return connection;
}

/** One connection, to either of its two people (404 to anyone else). */
export async function getConnection(ctx: Ctx, actor: User | null, connectionId: string): Promise<Connection> {
  const user = requireUser(actor);
  const connection = await loadConnection(ctx, connectionId);
  requireConnectionParty(user, connection);
  return connection;
}

export async function acceptConnection(ctx: Ctx, actor: User | null, connectionId: string): Promise<Connection> {
  const connection = await loadConnection(ctx, connectionId);
  const user = requireMayAcceptConnection(actor, connection);
  return ctx.repos.connections.accept(connection.connectionId, {
    recipientId: connection.requesterId,
    senderId: user.id,
    senderName: displayName(user),
    type: 'connection_accepted',
    title: 'Study-buddy request accepted',
    message: `${displayName(user)} accepted your study-buddy request.`,
    relatedId: connection.connectionId,
    relatedType: 'connection',
    actionUrl: `/users/${user.id}`,
  });
}

/** Decline, cancel or remove: all delete the row, each allowed to its own side. */
export async function endConnection(
  ctx: Ctx,
  actor: User | null,
  connectionId: string,
  ending: ConnectionEnding,
): Promise<void> {
  const connection = await loadConnection(ctx, connectionId);
  requireMayEndConnection(actor, connection, ending);
  await ctx.repos.connections.remove(connection.connectionId);
}

const listSchema = z.object({
  userId: z.string().trim().min(1).max(100).optional(),
  status: z.enum(['pending', 'accepted'], { error: 'status must be pending or accepted.' }).optional(),
});

/** The connections as shown: each with the other person, looked up in one batch. */
async function withOtherUsers(ctx: Ctx, userId: string, connections: Connection[]): Promise<ConnectionView[]> {
  const otherId = (c: Connection) => (c.requesterId === userId ? c.requestedId : c.requesterId);
  const people = connections.length ? await ctx.repos.users.getMany([...new Set(connections.map(otherId))]) : [];
  const byId = new Map(people.map((p) => [p.id, personSummary(p)]));
  return connections.map((c) => ({ ...c, otherUser: byId.get(otherId(c)) ?? null }));
}

/** `GET /api/connections?userId=`: your own (admins: anyone's), optionally one status. */
export async function listConnections(
  ctx: Ctx,
  actor: User | null,
  query: Record<string, unknown>,
  page: PageRequest = {},
): Promise<{ connections: ConnectionView[]; nextCursor: string | null }> {
  const user = requireUser(actor);
  const filter = parseInput(listSchema, { userId: query.userId || undefined, status: query.status || undefined });
  const userId = requireMayListOwner(user, filter.userId);
  const result = await ctx.repos.connections.listByUser(userId, { status: filter.status }, page);
  return { connections: await withOtherUsers(ctx, userId, result.items), nextCursor: result.nextCursor };
}

/** Bounds that keep suggestions a fixed amount of work, however big the school. */
const SUGGESTION_COURSES = 20;
const SUGGESTION_ROSTER = 100;
/** connections.getMany reads at most 100 ids in one batch. */
const SUGGESTION_CANDIDATES = 100;

/**
 * Classmates (students of the caller's courses) with no connection or request either way:
 * the first roster page of each of the caller's first courses, one batch read of the
 * candidate pairs, one batch read of the people.
 */
export async function suggestConnections(ctx: Ctx, actor: User | null, limit = 12): Promise<PersonSummary[]> {
  const user = requireUser(actor);
  const courses = await ctx.repos.enrollments.listByUser(user.id, { limit: SUGGESTION_COURSES });
  const rosters = await Promise.all(
    courses.items.map((e) => ctx.repos.enrollments.listByCourse(e.courseId, { limit: SUGGESTION_ROSTER })),
  );
  const candidates = [
    ...new Set(
      rosters.flatMap((r) => r.items.filter((e) => e.role === 'student' && e.userId !== user.id).map((e) => e.userId)),
    ),
  ].slice(0, SUGGESTION_CANDIDATES);
  if (!candidates.length) return [];
  const existing = await ctx.repos.connections.getMany(candidates.map((id) => connectionIdFor(user.id, id)));
  const taken = new Set(existing.flatMap((c) => [c.requesterId, c.requestedId]));
  const fresh = candidates.filter((id) => !taken.has(id)).slice(0, limit);
  if (!fresh.length) return [];
  const people = await ctx.repos.users.getMany(fresh);
  const byId = new Map(people.map((p) => [p.id, p]));
  return fresh.flatMap((id) => {
    const person = byId.get(id);
    return person ? [personSummary(person)] : [];
  });
}

export interface ConnectionsOverview {
  incoming: ConnectionView[];
  outgoing: ConnectionView[];
  buddies: ConnectionView[];
  buddiesNextCursor: string | null;
  suggestions: PersonSummary[];
}

/** Everything the /connections page shows: requests both ways, buddies (paged) and suggestions. */
export async function connectionsOverview(
  ctx: Ctx,
  actor: User | null,
  buddiesPage: PageRequest = {},
): Promise<ConnectionsOverview> {
  const user = requireUser(actor);
  const [pending, accepted, suggestions] = await Promise.all([
    ctx.repos.connections.listByUser(user.id, { status: 'pending' }, { limit: 100 }),
    ctx.repos.connections.listByUser(
      user.id,
      { status: 'accepted' },
      { limit: buddiesPage.limit ?? 20, cursor: buddiesPage.cursor },
    ),
    suggestConnections(ctx, user),
  ]);
  const shown = await withOtherUsers(ctx, user.id, [...pending.items, ...accepted.items]);
  const byStatus = (status: ConnectionStatus) => shown.filter((c) => c.status === status);
  return {
    incoming: byStatus('pending').filter((c) => c.requestedId === user.id),
    outgoing: byStatus('pending').filter((c) => c.requesterId === user.id),
    buddies: byStatus('accepted'),
    buddiesNextCursor: accepted.nextCursor,
    suggestions,
  };
}

/** The caller's connection with one person, if any (the public profile's connect button). */
export async function connectionWith(ctx: Ctx, user: User, personId: string): Promise<Connection | null> {
  if (personId === user.id) return null;
  return ctx.repos.connections.get(connectionIdFor(user.id, personId));
}
