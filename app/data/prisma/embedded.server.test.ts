/**
 * The embedded database's thread: sessions stay serialized across the thread boundary, data
 * survives a restart, and failures (start-up, a dead thread) surface instead of hanging.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.server';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'classcast-embedded-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const started: EmbeddedPostgres[] = [];
const clients: pg.Client[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.end()));
  await Promise.allSettled(started.splice(0).map((s) => s.stop()));
});

async function start(opts: Parameters<typeof startEmbeddedPostgres>[0]) {
  const server = await startEmbeddedPostgres(opts);
  started.push(server);
  return server;
}

async function client(url: string) {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined); // a test may end the server under it
  await c.connect();
  clients.push(c);
  return c;
}

// --- a raw wire-protocol client, to split one extended-protocol cycle across two writes ---

function frame(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
const cstr = (s: string) => Buffer.from(`${s}\0`);
const int16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

/** Collects backend messages; `until(type)` resolves with all messages up to one of that type. */
class RawSession {
  private buffer = Buffer.alloc(0);
  private messages: Array<{ type: string; body: Buffer }> = [];
  private waiter: (() => void) | null = null;
  /** TCP chunks received: how many writes the server's answers took (on loopback, 1:1). */
  chunks = 0;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks += 1;
      this.buffer = Buffer.concat([this.buffer, chunk]);
      while (this.buffer.length >= 5) {
        const length = this.buffer.readInt32BE(1);
        if (this.buffer.length < length + 1) break;
        this.messages.push({ type: String.fromCharCode(this.buffer[0]), body: this.buffer.subarray(5, length + 1) });
        this.buffer = this.buffer.subarray(length + 1);
      }
      this.waiter?.();
    });
  }

  static async open(port: number): Promise<RawSession> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const session = new RawSession(socket);
    const params = Buffer.concat([cstr('user'), cstr('postgres'), cstr('database'), cstr('postgres'), cstr('')]);
    const startup = Buffer.concat([int32(params.length + 8), int32(196608), params]);
    socket.write(startup);
    await session.until('Z');
    return session;
  }

  async until(type: string): Promise<Array<{ type: string; body: Buffer }>> {
    for (;;) {
      const index = this.messages.findIndex((m) => m.type === type);
      if (index !== -1) return this.messages.splice(0, index + 1);
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  /**
   * Parse and Bind of `select $1::int + 1` on the unnamed statement and portal, then Flush
   * (no Sync): a server may hold its answers until Sync or Flush, so a client that waits for
   * BindComplete asks with Flush (`flush: false` leaves it out).
   */
  parseAndBind(value: number, { flush = true } = {}): void {
    const parse = frame('P', Buffer.concat([cstr(''), cstr('select $1::int + 1 as n'), int16(0)]));
    const param = Buffer.from(String(value));
    const bind = frame(
      'B',
      Buffer.concat([cstr(''), cstr(''), int16(0), int16(1), int32(param.length), param, int16(0)]),
    );
    this.socket.write(Buffer.concat([parse, bind, ...(flush ? [frame('H', Buffer.alloc(0))] : [])]));
  }

  /** Describe, Execute and Sync of the unnamed portal: the rest of the cycle. */
  executeAndSync(): void {
    const describe = frame('D', Buffer.concat([Buffer.from('P'), cstr('')]));
    const execute = frame('E', Buffer.concat([cstr(''), int32(0)]));
    this.socket.write(Buffer.concat([describe, execute, frame('S', Buffer.alloc(0))]));
  }
}

/** The text of the first column of the first DataRow. */
function firstValue(messages: Array<{ type: string; body: Buffer }>): string | undefined {
  const row = messages.find((m) => m.type === 'D');
  if (!row) return undefined;
  const length = row.body.readInt32BE(2);
  return row.body.subarray(6, 6 + length).toString();
}

const portOf = (url: string) => Number(new URL(url).port);

describe('embedded Postgres in its own thread', () => {
  it("keeps one connection's extended-protocol cycle whole while another connection queries", async () => {
    const server = await start({ dataDir: null });
    const raw = await RawSession.open(portOf(server.url));
    const other = await client(server.url);

    raw.parseAndBind(41);
    await raw.until('2'); // BindComplete: the cycle is open on the session
    let otherDone = false;
    // The same unnamed statement and portal: run in between, it would replace raw's.
    const otherQuery = other.query('select $1::int * 2 as n', [21]).then((r) => {
      otherDone = true;
      return r.rows[0].n as number;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(otherDone).toBe(false); // waits for the open cycle

    raw.executeAndSync();
    const messages = await raw.until('Z');
    expect(messages.some((m) => m.type === 'E')).toBe(false);
    expect(firstValue(messages)).toBe('42');
    expect(await otherQuery).toBe(42);
    raw.socket.destroy();
  });

  it('holds the answers of a pipelined cycle until Sync and sends them in one write', async () => {
    const server = await start({ dataDir: null });
    const raw = await RawSession.open(portOf(server.url));
    const before = raw.chunks;
    raw.parseAndBind(1, { flush: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(raw.chunks).toBe(before); // ParseComplete and BindComplete wait for the Sync
    raw.executeAndSync();
    const messages = await raw.until('Z');
    // ParseComplete, BindComplete, RowDescription, DataRow, CommandComplete (then PGlite's
    // ParameterStatus reports) and ReadyForQuery.
    expect(messages.map((m) => m.type).join('')).toMatch(/^12TDCS*Z$/);
    expect(firstValue(messages)).toBe('2');
    expect(raw.chunks).toBe(before + 1);
    raw.socket.destroy();
  });

  it('runs a transaction of one connection whole: the other waits, then sees the commit', async () => {
    const server = await start({ dataDir: null });
    const [a, b] = [await client(server.url), await client(server.url)];
    await a.query('create table marks (id int primary key)');

    const events: string[] = [];
    await a.query('begin');
    await a.query('insert into marks values ($1)', [1]);
    const counted = b.query('select count(*)::int as n from marks').then((r) => {
      events.push('b read');
      return r.rows[0].n as number;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await a.query('insert into marks values ($1)', [2]);
    events.push('a commits');
    await a.query('commit');

    expect(await counted).toBe(2);
    expect(events).toEqual(['a commits', 'b read']);
  });

  it('keeps the data across a stop and a start on the same directory', async () => {
    const dataDir = path.join(scratch, 'restart');
    const first = await startEmbeddedPostgres({ dataDir });
    const c1 = new pg.Client({ connectionString: first.url });
    await c1.connect();
    await c1.query('create table notes (body text)');
    await c1.query('insert into notes values ($1)', ['still here']);
    await c1.end();
    await first.stop();

    const second = await start({ dataDir });
    const c2 = await client(second.url);
    const { rows } = await c2.query('select body from notes');
    expect(rows).toEqual([{ body: 'still here' }]);
  });

  it('rejects when the data directory cannot be used', async () => {
    const file = path.join(scratch, 'not-a-directory');
    await writeFile(file, 'x');
    await expect(startEmbeddedPostgres({ dataDir: path.join(file, 'pg') })).rejects.toThrow(
      /Embedded Postgres did not start: .*(ENOTDIR|not a directory)/,
    );
  });

  it('rejects with EADDRINUSE when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      await expect(startEmbeddedPostgres({ dataDir: null, port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      blocker.close();
    }
  });

  it('reports a dead thread to onCrash, and its port stops answering', async () => {
    let crashed: Error | undefined;
    const server = await start({ dataDir: null, onCrash: (error) => (crashed = error) });
    const c = await client(server.url);
    await server.crash();
    await expect.poll(() => crashed?.message).toMatch(/Embedded Postgres thread died/);
    await expect(c.query('select 1')).rejects.toThrow();
    const fresh = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2000 });
    await expect(fresh.connect()).rejects.toThrow();
  });

  it('is stopped by stop(): the port no longer answers and onCrash stays quiet', async () => {
    let crashed = false;
    const server = await startEmbeddedPostgres({ dataDir: null, onCrash: () => (crashed = true) });
    await server.stop();
    const fresh = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2000 });
    await expect(fresh.connect()).rejects.toThrow();
    expect(crashed).toBe(false);
  });
});
