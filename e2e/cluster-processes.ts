/**
 * What the WEB_CONCURRENCY spec reads about a cluster from the outside, on Linux's /proc: the
 * primary's worker processes, and which worker holds a given TCP connection. Users never see
 * which process served them; the test finds out the way an operator would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

export const canReadProcesses = (() => {
  try {
    readFileSync('/proc/net/tcp', 'utf8');
    return true;
  } catch {
    return false;
  }
})();

/** The primary's children that run the server (tsx also starts esbuild helpers). */
export function workerPids(primaryPid: number): number[] {
  const children = readdirSync(`/proc/${primaryPid}/task`).flatMap((task) =>
    readFileSync(`/proc/${primaryPid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
  return children.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('e2e-server');
    } catch {
      return false;
    }
  });
}

export function isRunning(pid: number): boolean {
  try {
    // A zombie (exited, not yet reaped) still has a /proc entry: state Z.
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The socket inode of the server's end of the connection from `clientPort` to `serverPort`. */
function serverSocketInode(serverPort: number, clientPort: number): string | undefined {
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const [, local, remote] = fields;
      if (local!.endsWith(`:${hex(serverPort)}`) && remote!.endsWith(`:${hex(clientPort)}`)) return fields[9];
    }
  }
  return undefined;
}

/** Which of `pids` holds the server end of our connection from `clientPort`. */
export function workerHolding(pids: number[], serverPort: number, clientPort: number): number | undefined {
  const inode = serverSocketInode(serverPort, clientPort);
  if (!inode) return undefined;
  const target = `socket:[${inode}]`;
  return pids.find((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`) === target;
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}

export interface PinnedResponse {
  status: number;
  body: string;
  /** The client end of the connection the answer came on. */
  localPort: number;
}

/**
 * One kept-alive connection: every request on it reaches the same worker, so a test can find
 * out which worker that is first and then send what it means to send there.
 */
export function pinnedConnection(baseUrl: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<PinnedResponse>((resolve, reject) => {
      const req = http.request(new URL(path, baseUrl), { method, agent, headers }, (res) => {
        const localPort = res.socket.localPort ?? 0;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, localPort }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

export async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A port nothing listens on right now (the server takes it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * The environment for another scripts/e2e-server.ts: this run's, minus the ports Playwright
 * pinned for its own server's stand-ins (the local Cognito issuer, the local DynamoDB, the mailbox), so the
 * second server's stand-ins take free ports instead of colliding with the first's.
 */
export function serverProcessEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  delete inherited.E2E_OIDC_PORT;
  delete inherited.E2E_DYNAMODB_PORT;
  delete inherited.E2E_MAILBOX_PORT;
  return { ...inherited, ...env };
}

/** scripts/e2e-server.ts in a process of its own, on a free port, once `readyText` is in its output. */
export async function startServerProcess(env: Record<string, string | undefined>, readyText: string) {
  const port = await freePort();
  let log = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/e2e-server.ts'], {
    env: serverProcessEnv({ PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  await until(readyText, 150_000, () => {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${log}`);
    return log.includes(readyText) ? true : undefined;
  });
  return { child, port, url: `http://127.0.0.1:${port}`, log: () => log };
}

/** SIGTERM, and the exit code if it came within `withinMs` ('late' otherwise). */
export async function stopWithin(child: ChildProcess, withinMs: number): Promise<number | null | 'late'> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return Promise.race([exited, new Promise<'late'>((r) => setTimeout(() => r('late'), withinMs))]);
}
