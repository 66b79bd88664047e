/** `npm run build`'s postbuild: the brotli and gzip copies of public/ (server/precompress-assets.ts). */
import path from 'node:path';
import { precompressAssets } from '../server/precompress-assets';

const started = Date.now();
const { written } = await precompressAssets(path.resolve('public'));
console.log(`precompressed ${written} static asset copies in ${Date.now() - started} ms`);
