/**
 * The change log behind the Streams API. Every write to an item goes through commit(): the item
 * and index changes and their stream records land in ONE LevelDB batch (so a restart never
 * finds a write without its record, or the reverse), and commits run one at a time so sequence
 * numbers are handed out in the order the writes become visible — a reader that has seen
 * record N can never later find a record below N appear.
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { type Item, type LevelDb, type LevelOperation, type Table } from './dynalite-internals';

const COUNTER_KEY = 'streamseq~last';
const SEQUENCE_DIGITS = 21;

export interface ItemChange {
  table: Table;
  oldItem: Item | null;
  newItem: Item | null;
}

export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
}

const recordPrefix = (streamArn: string) => `stream~${streamArn}~`;
export const formatSequenceNumber = (n: bigint) => n.toString().padStart(SEQUENCE_DIGITS, '0');

export class StreamLog {
  private last = 0n;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: LevelDb,
    private readonly region: string,
  ) {}

  /** Picks up the sequence counter of an on-disk store, so numbers keep rising after a restart. */
  async open(): Promise<void> {
    const stored = await this.db.get(COUNTER_KEY).catch(() => undefined);
    if (typeof stored === 'string' && /^\d+$/.test(stored)) this.last = BigInt(stored);
  }

  /** The newest sequence number handed out (what LATEST starts after). */
  get lastSequenceNumber(): bigint {
    return this.last;
  }

  /**
   * Writes `ops` plus a stream record for each change on a table with a stream, atomically,
   * after every earlier commit has landed. `moreOps` is computed inside the queue, for writes
   * that must see every earlier commit (an index backfill).
   */
  commit(ops: LevelOperation[], changes: ItemChange[], moreOps?: () => Promise<LevelOperation[]>): Promise<void> {
    const run = this.queue.then(async () => {
      const batch = [...ops, ...(moreOps ? await moreOps() : [])];
      let next = this.last;
      for (const change of changes) {
        const record = this.recordFor(change, next + 1n);
        if (!record) continue;
        next += 1n;
        batch.push({
          type: 'put',
          key: recordPrefix(change.table.LatestStreamArn!) + record.dynamodb.SequenceNumber,
          value: record,
        });
      }
      if (next !== this.last) batch.push({ type: 'put', key: COUNTER_KEY, value: next.toString() });
      await this.db.batch(batch);
      this.last = next;
    });
    // A failed batch must not wedge every later write.
    this.queue = run.catch(() => {});
    return run;
  }

  /** Records of one stream with a sequence number above `after`, oldest first. */
  async read(streamArn: string, after: bigint, limit: number): Promise<StreamRecord[]> {
    const prefix = recordPrefix(streamArn);
    const values = await this.db.values({ gt: prefix + formatSequenceNumber(after), lt: `${prefix}\xff`, limit }).all();
    return values as StreamRecord[];
  }

  private recordFor({ table, oldItem, newItem }: ItemChange, sequence: bigint): StreamRecord | null {
    const spec = table.StreamSpecification;
    if (!spec?.StreamEnabled || !table.LatestStreamArn) return null;
    // DynamoDB writes no record for a write that leaves the item as it was.
    if (!oldItem && !newItem) return null;
    if (oldItem && newItem && isDeepStrictEqual(oldItem, newItem)) return null;
    const view = spec.StreamViewType ?? 'KEYS_ONLY';
    const image = (newItem ?? oldItem)!;
    const Keys: Item = {};
    for (const { AttributeName } of table.KeySchema) Keys[AttributeName] = image[AttributeName];
    const dynamodb: StreamRecord['dynamodb'] = {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys,
      SequenceNumber: formatSequenceNumber(sequence),
      SizeBytes: 0,
      StreamViewType: view,
    };
    if (newItem && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) dynamodb.NewImage = newItem;
    if (oldItem && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) dynamodb.OldImage = oldItem;
    dynamodb.SizeBytes = Buffer.byteLength(
      JSON.stringify({ Keys, NewImage: dynamodb.NewImage, OldImage: dynamodb.OldImage }),
    );
    return {
      eventID: randomBytes(16).toString('hex'),
      eventName: !oldItem ? 'INSERT' : !newItem ? 'REMOVE' : 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.region,
      dynamodb,
    };
  }
}
