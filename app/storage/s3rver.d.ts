/**
 * Minimal types for s3rver 3.7.1 (the package ships none and there is no @types/s3rver in
 * the installed packages): only what local-s3.server.ts uses.
 */
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  import type { Server } from 'node:http';

  interface S3rverBucketConfig {
    name: string;
    /** CORSConfiguration / WebsiteConfiguration XML documents. */
    configs?: Array<string | Buffer>;
  }

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    serviceEndpoint?: string;
    configureBuckets?: S3rverBucketConfig[];
  }

  /** The few members of Koa's context the local shim uses (s3rver is a Koa app). */
  interface KoaContext {
    method: string;
    /** Still percent-encoded. */
    path: string;
    query: Record<string, string | string[] | undefined>;
    status: number;
    type: string;
    body: unknown;
    set(field: string, value: string): void;
  }

  type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void> | void;

  class S3rver {
    /** Koa's middleware stack; composed when run() starts listening. */
    middleware: KoaMiddleware[];
    constructor(options?: S3rverOptions);
    /** Creates the configured buckets, then listens. */
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    httpServer?: Server;
  }

  export type { KoaContext, KoaMiddleware, S3rverOptions };
  export default S3rver;
}
