import { DataConflictError, DataNotFoundError } from '../errors';
import {
  clampLimit,
  connectionIdFor,
  systemClock,
  type Clock,
  type Connection,
  type ConnectionsRepository,
} from '../repository';
import type { Connection as ConnectionRow } from '../../../generated/prisma/client';
import type { PrismaClient } from './client';
import { keysetPageBy, readKeyset } from './keyset';
import { isRecordNotFound, missingReferenceError } from './mapping';
import { notificationRefs, notifyIfWritten } from './notification-sql';
import type { OutboxSignal } from './outbox';
import { CONNECTION_COLUMNS } from './raw-sql';
import { CONNECTION } from './columns';
import { keysetStatements, readKeysetRows, statement, type Reader } from './statements';

const BY_ID = statement('connections.byId', `SELECT ${CONNECTION} FROM connections WHERE id = $1`);
const BY_IDS = statement('connections.byIds', `SELECT ${CONNECTION} FROM connections WHERE id = ANY($1::text[])`);
/**
 * Both sides, most recently updated first: an OR across the two
 * (requester_id | requested_id, updated_at DESC, id DESC) indexes (a BitmapOr), with the keyset
 * and status filters before LIMIT so pages are full.
 */
const EITHER_SIDE = `SELECT ${CONNECTION} FROM connections WHERE (requester_id = $1 OR requested_id = $1)`;
const recentFirst = { at: 'updated_at', id: 'id', dir: 'DESC' } as const;
const BY_USER = {
  all: keysetStatements('connections.byUser', EITHER_SIDE, 1, recentFirst),
  status: keysetStatements(
    'connections.byUserStatus',
    `${EITHER_SIDE} AND status = $2::connection_status`,
    2,
    recentFirst,
  ),
};

const iso = (date: Date): string => date.toISOString();

export function toConnection(row: ConnectionRow): Connection {
  return {
    connectionId: row.id,
    requesterId: row.requesterId,
    requestedId: row.requestedId,
    status: row.status,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

/** A request can only vanish between our INSERT and read if someone removes it that instant. */
const REQUEST_ATTEMPTS = 3;

export function prismaConnections(
  prisma: PrismaClient,
  reader: Reader,
  signal: OutboxSignal,
  clock: Clock = systemClock,
): ConnectionsRepository {
  return {
    async get(connectionId) {
      const [row] = await reader.rows<ConnectionRow>(BY_ID, [connectionId]);
      return row ? toConnection(row) : null;
    },

    async getMany(connectionIds) {
      if (connectionIds.length === 0) return [];
      const rows = await reader.rows<ConnectionRow>(BY_IDS, [[...new Set(connectionIds)]]);
      return rows.map(toConnection);
    },

    /**
     * One statement: INSERT ... ON CONFLICT DO NOTHING on the pair's id (the same whoever asks),
     * with the notification in a CTE that runs only if the row was inserted. A pair that
     * already has a row — either direction, any status — comes back unchanged.
     */
    async request({ requesterId, requestedId, notification }) {
      const id = connectionIdFor(requesterId, requestedId);
      for (let attempt = 0; attempt < REQUEST_ATTEMPTS; attempt++) {
        const at = clock();
        let inserted: ConnectionRow[];
        try {
          inserted = await prisma.$queryRaw<ConnectionRow[]>`
            WITH inserted AS (
              INSERT INTO connections (id, requester_id, requested_id, status, created_at, updated_at)
              VALUES (${id}, ${requesterId}, ${requestedId}, 'pending', ${iso(at)}::timestamptz, ${iso(at)}::timestamptz)
              ON CONFLICT (id) DO NOTHING
              RETURNING ${CONNECTION_COLUMNS}
            )${notifyIfWritten('inserted', notification, at)}
            SELECT * FROM inserted`;
        } catch (error) {
          throw (
            missingReferenceError(error, {
              connections_requester_id_fkey: ['user', requesterId],
              connections_requested_id_fkey: ['user', requestedId],
              ...notificationRefs(notification),
            }) ?? error
          );
        }
        if (inserted[0]) {
          if (notification) signal.written();
          return { connection: toConnection(inserted[0]), created: true };
        }
        const existing = await prisma.connection.findUnique({ where: { id } });
        if (existing) return { connection: toConnection(existing), created: false };
      }
      throw new Error(`Connection ${id} kept vanishing during request`);
    },

    /** A conditional UPDATE (status = 'pending'), with the notification only if it matched. */
    async accept(connectionId, notification) {
      const at = clock();
      const accepted = await prisma.$queryRaw<ConnectionRow[]>`
        WITH accepted AS (
          UPDATE connections SET status = 'accepted', updated_at = ${iso(at)}::timestamptz
          WHERE id = ${connectionId} AND status = 'pending'
          RETURNING ${CONNECTION_COLUMNS}
        )${notifyIfWritten('accepted', notification, at)}
        SELECT * FROM accepted`;
      if (accepted[0]) {
        if (notification) signal.written();
        return toConnection(accepted[0]);
      }
      const exists = await prisma.connection.findUnique({ where: { id: connectionId }, select: { id: true } });
      throw exists ? new DataConflictError('status') : new DataNotFoundError('connection', connectionId);
    },

    async remove(connectionId) {
      try {
        await prisma.connection.delete({ where: { id: connectionId }, select: { id: true } });
      } catch (error) {
        if (isRecordNotFound(error)) throw new DataNotFoundError('connection', connectionId);
        throw error;
      }
    },

    async listByUser(userId, filter = {}, page = {}) {
      const limit = clampLimit(page.limit);
      const list = 'connections.byUser';
      const scope = `${userId}|${filter.status ?? 'all'}`;
      const after = readKeyset(page.cursor, list, scope);
      const rows = filter.status
        ? await readKeysetRows<ConnectionRow>(reader, BY_USER.status, [userId, filter.status], after, limit)
        : await readKeysetRows<ConnectionRow>(reader, BY_USER.all, [userId], after, limit);
      return keysetPageBy(rows, limit, list, scope, (r) => ({ at: r.updatedAt, id: r.id }), toConnection);
    },
  };
}
