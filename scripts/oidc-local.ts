/**
 * The local Cognito stand-in on its own, for trying "Sign in with school account" on a laptop:
 *   npm run oidc:local -- [--port 9400] [--app http://127.0.0.1:3000]
 * prints the COGNITO_* settings to start the app with. Users: `student` (the default without a
 * login_hint) and `instructor`; add more with POST /local/users (see tools/oidc-local).
 */
import { parseArgs } from 'node:util';
import { startLocalIssuer } from '../tools/oidc-local';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '9400' }, app: { type: 'string', default: 'http://127.0.0.1:3000' } },
});
const issuer = await startLocalIssuer({ port: Number(values.port) });
console.log(`Local Cognito stand-in at ${issuer.url}. Start the app with:\n`);
console.log(
  Object.entries(issuer.env(values.app))
    .map(([name, value]) => `${name}=${value}`)
    .join(' \\\n'),
  '\\\nnpm start',
);
const stop = () => void issuer.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
