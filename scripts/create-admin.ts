/**
 * `npm run create-admin -- --email a@b.c --first Ada --last Admin` (password from the
 * ADMIN_PASSWORD variable or prompted). The only way besides the demo seed to make an admin.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { config } from '~/config.server';
import { createUserWithRole } from '~/services/accounts.server';
import { buildContainer } from '~/container.server';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    first: { type: 'string', default: 'Admin' },
    last: { type: 'string', default: 'User' },
  },
});
if (!values.email) {
  console.error('Usage: npm run create-admin -- --email you@school.edu [--first Ada] [--last Admin]');
  process.exit(2);
}
let password = process.env.ADMIN_PASSWORD;
if (!password) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  password = await rl.question('Password (8+ characters): ');
  rl.close();
}
const cfg = { ...config(), SEED_DEMO: false };
const container = await buildContainer(cfg);
try {
  const user = await createUserWithRole(container.services, {
    email: values.email,
    password,
    firstName: values.first ?? 'Admin',
    lastName: values.last ?? 'User',
    role: 'admin',
  });
  console.log(`Admin created: ${user.email} (${user.id})`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await container.stop();
}
