import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { adminHealth, type HealthState } from '~/services/admin-health.server';
import { loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Health · Admin · ClassCast' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(() => adminHealth(context.services, actor));
}

function State({ state }: { state: HealthState }) {
  return (
    <span
      className={`rounded px-2 py-0.5 text-xs font-semibold ${state === 'up' ? 'bg-green-100 text-green-900' : 'bg-red-100 text-red-900'}`}
    >
      {state === 'up' ? 'Up' : 'Down'}
    </span>
  );
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

export default function AdminHealthPage() {
  const h = useLoaderData<typeof loader>();
  const ms = (v: number | null) => (v === null ? '' : ` · ${v} ms`);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Health</h1>
      <p className="text-sm text-slate-700">
        Checked at {h.checkedAt.slice(0, 19).replace('T', ' ')} UTC. Reload to check again.
      </p>
      <dl className="card grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-[auto_1fr]" data-testid="health">
        <dt className="font-semibold">Database</dt>
        <dd data-testid="health-database">
          <State state={h.database.state} />
          {h.database.state === 'up' ? (h.database.schemaCurrent ? ' · schema current' : ' · schema NOT current') : ''}
          {ms(h.database.latencyMs)}
        </dd>
        <dt className="font-semibold">Storage</dt>
        <dd data-testid="health-storage">
          <State state={h.storage.state} />
          {ms(h.storage.latencyMs)}
        </dd>
        <dt className="font-semibold">Job queue</dt>
        <dd data-testid="health-jobs">
          <State state={h.jobs.state} />
          {h.jobs.pending !== null ? ` · ${h.jobs.pending} pending` : ''}
          {h.jobs.oldestPendingAgeSeconds !== null ? ` · oldest ${duration(h.jobs.oldestPendingAgeSeconds)} old` : ''}
        </dd>
        <dt className="font-semibold">Mail queue</dt>
        <dd data-testid="health-mail-queue">
          <State state={h.mailQueue.state} />
          {h.mailQueue.pending !== null ? ` · ${h.mailQueue.pending} waiting` : ''}
        </dd>
        <dt className="font-semibold">Mail transport</dt>
        <dd data-testid="health-mail-transport" className="break-all">
          {h.mailTransport.kind === 'smtp'
            ? `SMTP via ${h.mailTransport.host}`
            : `No SMTP configured: writing .eml files to ${h.mailTransport.directory}`}
        </dd>
        <dt className="font-semibold">Uptime</dt>
        <dd>{duration(h.uptimeSeconds)}</dd>
        <dt className="font-semibold">Version</dt>
        <dd>
          {h.version ?? 'unknown'}
          {h.commit ? ` · ${h.commit.slice(0, 12)}` : ''}
        </dd>
      </dl>
    </div>
  );
}
