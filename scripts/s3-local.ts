/**
 * The local S3 stand-in (s3rver) in the foreground, for running the app against it by hand.
 *
 *   tsx scripts/s3-local.ts [--port 4569] [--dir .data/s3] [--bucket classcast-videos]
 *                           [--origin http://127.0.0.1:3000 ...]
 *
 * Creates the bucket and its CORS rule (one AllowedOrigin per --origin, repeatable; default
 * http://127.0.0.1:3000 and http://localhost:3000), prints the endpoint, and stops cleanly on
 * Ctrl-C / SIGTERM. Clients use path-style URLs and the S3RVER/S3RVER credentials.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from '../app/storage/local-s3.server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4569' },
    dir: { type: 'string', default: '.data/s3' },
    bucket: { type: 'string', default: 'classcast-videos' },
    origin: { type: 'string', multiple: true },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port ${values.port}`);
  process.exit(2);
}
const origins = values.origin?.length ? values.origin : ['http://127.0.0.1:3000', 'http://localhost:3000'];
for (const o of origins) {
  if (!/^https?:\/\/[^/]+$/.test(o)) {
    console.error(`invalid --origin ${o} (expected scheme://host[:port], no path)`);
    process.exit(2);
  }
}
const directory = path.resolve(values.dir);

const s3 = await startLocalS3({ directory, port, bucket: values.bucket, corsOrigins: origins });
console.log(`S3 stand-in listening on ${s3.endpoint}`);
console.log(`  bucket      ${values.bucket}   (CORS: ${origins.join(', ')})`);
console.log(`  data        ${directory}`);
console.log(`  credentials ${LOCAL_S3_CREDENTIALS.accessKeyId} / ${LOCAL_S3_CREDENTIALS.secretAccessKey}, path-style`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping S3 stand-in`);
  try {
    await s3.stop();
    process.exit(0);
  } catch (err) {
    console.error(err);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
