// Entry of the embedded database's thread: compiles TypeScript on load as the main thread
// does under tsx (Node 20 ignores `--import` in a worker's execArgv for the entry module).
import { register } from 'tsx/esm/api';

register();
await import('./embedded-worker.server.ts');
