/**
 * The HTTP front of the stand-in: answers the operations we add (transactions, Streams) and
 * hands every other request, body untouched, to dynalite's own request handler.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { Readable } from 'node:stream';
import { isServiceError, serviceError, validationError, type StreamSpecification } from './dynalite-internals';
import { type ExtendedStore } from './store-hooks';
import { createStreamsApi } from './streams-api';
import { createTimeToLive } from './time-to-live';
import { changesIndexes, createIndexUpdates } from './index-updates';
import { changesStream, createStreamUpdates } from './stream-updates';
import { createTransactions } from './transactions';

const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const STREAM_VIEW_TYPES = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];

type Handler = (body: Record<string, unknown>) => Promise<Record<string, unknown>>;

function send(res: http.ServerResponse, status: number, body: unknown) {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('x-amzn-RequestId', randomBytes(39).toString('base64').toUpperCase().replace(/[+/]/g, '0'));
  res.setHeader('Content-Type', 'application/x-amz-json-1.0');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/** DynamoDB reads StreamSpecification at CreateTable; dynalite drops it, so we keep it aside. */
function streamSpecificationOf(body: Record<string, unknown>): StreamSpecification | null {
  const spec = body.StreamSpecification as Record<string, unknown> | undefined;
  if (spec == null) return null;
  if (typeof spec !== 'object' || typeof spec.StreamEnabled !== 'boolean') {
    throw validationError('StreamSpecification must have StreamEnabled set to true or false');
  }
  if (!spec.StreamEnabled) return null;
  if (!STREAM_VIEW_TYPES.includes(spec.StreamViewType as string)) {
    throw validationError(
      'Stream View Type must be one of KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES when streams are enabled',
    );
  }
  return { StreamEnabled: true, StreamViewType: spec.StreamViewType as StreamSpecification['StreamViewType'] };
}

function parseBody(raw: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw serviceError('SerializationException', 'Start of structure or map found where not expected');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw serviceError('SerializationException', 'Start of structure or map found where not expected');
  }
  return parsed as Record<string, unknown>;
}

export function createRouter(ext: ExtendedStore, dynaliteHandler: http.RequestListener): http.RequestListener {
  const transactions = createTransactions(ext);
  const streams = createStreamsApi(ext);
  const timeToLive = createTimeToLive(ext);
  const indexUpdates = createIndexUpdates(ext);
  const streamUpdates = createStreamUpdates(ext, streamSpecificationOf);
  const ours: Record<string, Handler> = {
    'DynamoDB_20120810.TransactWriteItems': transactions.transactWriteItems,
    'DynamoDB_20120810.TransactGetItems': transactions.transactGetItems,
    'DynamoDB_20120810.UpdateTimeToLive': timeToLive.updateTimeToLive,
    'DynamoDB_20120810.DescribeTimeToLive': timeToLive.describeTimeToLive,
  };
  for (const [name, handler] of Object.entries(streams)) ours[`DynamoDBStreams_20120810.${name}`] = handler;

  async function answer(
    target: string,
    raw: Buffer,
    res: http.ServerResponse,
    handler: Handler | undefined = ours[target],
  ) {
    try {
      if (!handler) return send(res, 400, { __type: 'com.amazon.coral.service#UnknownOperationException' });
      if (raw.length === 0) throw serviceError('SerializationException', 'Request body is empty');
      send(res, 200, await handler(parseBody(raw)));
    } catch (err) {
      if (isServiceError(err)) return send(res, err.statusCode, err.body);
      console.error('[dynamodb-local]', err);
      send(res, 500, {
        __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
        message: 'Internal server error',
      });
    }
  }

  return (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (tooLarge) {
        res.statusCode = 413;
        return res.end();
      }
      const raw = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method === 'POST' && (target in ours || target.startsWith('DynamoDBStreams_20120810.'))) {
        return void answer(target, raw, res);
      }
      if (req.method === 'POST' && target === 'DynamoDB_20120810.UpdateTable' && raw.length > 0) {
        const body = (() => {
          try {
            return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
          } catch {
            return null;
          }
        })();
        if (body && typeof body === 'object' && changesIndexes(body))
          return void answer(target, raw, res, indexUpdates.updateTable);
        if (body && typeof body === 'object' && changesStream(body))
          return void answer(target, raw, res, streamUpdates.updateTable);
      }
      if (req.method === 'POST' && target === 'DynamoDB_20120810.CreateTable' && raw.length > 0) {
        try {
          const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
          const spec = typeof body === 'object' && body ? streamSpecificationOf(body) : null;
          if (spec && typeof body.TableName === 'string') {
            const tableName = body.TableName;
            ext.expectStream(tableName, spec);
            res.once('finish', () => ext.forgetStream(tableName));
          }
        } catch (err) {
          // Unparseable JSON is dynalite's to answer (SerializationException); a bad spec is ours.
          if (isServiceError(err)) return send(res, err.statusCode, err.body);
        }
      }
      const replay = Object.assign(Readable.from(raw.length ? [raw] : []), {
        headers: req.headers,
        method: req.method,
        url: req.url,
      });
      dynaliteHandler(replay as unknown as http.IncomingMessage, res);
    });
  };
}
