/**
 * Where the stream poller keeps each shard's position, so a restart resumes after the last
 * record handled instead of at LATEST (which would skip what arrived meanwhile) or at the
 * horizon (which would redo a day). Lambda keeps its own; this is for the local poller.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ShardCheckpoint {
  /** The last sequence number handled; null: none yet. */
  after: string | null;
  /** The shard is closed and was read to its end. */
  finished: boolean;
}

export interface CheckpointStore {
  load(streamArn: string, shardId: string): Promise<ShardCheckpoint | null>;
  save(streamArn: string, shardId: string, checkpoint: ShardCheckpoint): Promise<void>;
}

const keyOf = (streamArn: string, shardId: string) => `${streamArn} ${shardId}`;

export function memoryCheckpoints(): CheckpointStore & { entries: Map<string, ShardCheckpoint> } {
  const entries = new Map<string, ShardCheckpoint>();
  return {
    entries,
    load: async (arn, shard) => entries.get(keyOf(arn, shard)) ?? null,
    save: async (arn, shard, checkpoint) => {
      entries.set(keyOf(arn, shard), { ...checkpoint });
    },
  };
}

/**
 * One JSON file, rewritten whole through a temporary file and a rename, so a crash leaves the
 * old file or the new one, never half of one. An unreadable file counts as empty: the
 * handlers are idempotent, so starting over costs only work.
 */
export function fileCheckpoints(file: string): CheckpointStore {
  let cache: Map<string, ShardCheckpoint> | null = null;
  let writing: Promise<void> = Promise.resolve();

  async function all(): Promise<Map<string, ShardCheckpoint>> {
    if (cache) return cache;
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as Record<string, ShardCheckpoint>;
      cache = new Map(Object.entries(parsed));
    } catch {
      cache = new Map();
    }
    return cache;
  }

  return {
    async load(arn, shard) {
      return (await all()).get(keyOf(arn, shard)) ?? null;
    },
    async save(arn, shard, checkpoint) {
      const entries = await all();
      entries.set(keyOf(arn, shard), { ...checkpoint });
      const text = JSON.stringify(Object.fromEntries(entries), null, 2);
      // Saves run one after another, so an older snapshot never lands after a newer one.
      writing = writing
        .catch(() => undefined)
        .then(async () => {
          await mkdir(path.dirname(file), { recursive: true });
          const tmp = `${file}.${process.pid}.tmp`;
          await writeFile(tmp, text);
          await rename(tmp, file);
        });
      await writing;
    },
  };
}
