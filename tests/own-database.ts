/**
 * A database of a test's own on the DATABASE_URL server (`<name>_<suffix>`), created on first
 * use: tests that run the job runner, or take the server away, must not disturb others'.
 */
import pg from 'pg';

const INSUFFICIENT_PRIVILEGE = '42501';
const DUPLICATE_DATABASE = '42P04';

export async function ownDatabase(url: string, suffix: string): Promise<string> {
  const own = new URL(url);
  const name = `${own.pathname.slice(1) || 'postgres'}_${suffix}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      try {
        await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      } catch (error) {
        const code = (error as { code?: string }).code;
        // A role without CREATEDB shares the given database (and its risk); a parallel run may
        // have created ours meanwhile.
        if (code === INSUFFICIENT_PRIVILEGE) return url;
        if (code !== DUPLICATE_DATABASE) throw error;
      }
    }
  } finally {
    await client.end();
  }
  own.pathname = `/${name}`;
  return own.toString();
}
