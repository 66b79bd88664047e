/**
 * For tests of the fake LMS and of the protocol modules without the app: a tiny HTTP server
 * that plays the tool's side the platform calls back, `GET /lti/jwks`, with key pairs made
 * by the real generateToolKeyPair. (The app's own /lti/jwks serves the stored keys.)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, type JWK } from 'jose';
import { generateToolKeyPair } from '../../app/auth/lti/keys';

export interface ToolKey {
  kid: string;
  publicJwk: JWK;
  privateKey: CryptoKey;
}

export interface ToolStandIn {
  url: string;
  jwksUrl: string;
  /** The key that signs, published from the start. */
  signingKey: ToolKey;
  /** A fresh key pair, published only when `publish` is true. */
  newKey(publish: boolean): Promise<ToolKey>;
  /** Replaces the published set (rotation tests). */
  publish(keys: ToolKey[]): void;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  stop(): Promise<void>;
}

async function toolKey(): Promise<ToolKey> {
  const pair = await generateToolKeyPair();
  return {
    kid: pair.kid,
    publicJwk: pair.publicJwk,
    privateKey: (await importJWK(pair.privateJwk, 'RS256')) as CryptoKey,
  };
}

export async function startToolStandIn(): Promise<ToolStandIn> {
  const signingKey = await toolKey();
  let published: ToolKey[] = [signingKey];
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/lti/jwks') {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: published.map((k) => k.publicJwk) }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    jwksUrl: `${url}/lti/jwks`,
    signingKey,
    async newKey(publish) {
      const key = await toolKey();
      if (publish) published = [...published, key];
      return key;
    },
    publish(keys) {
      published = keys;
    },
    jwksFetches: () => fetches,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
