const STYLES = {
  open: ['Open', 'bg-green-100 text-green-900'],
  'due-soon': ['Due soon', 'bg-amber-100 text-amber-900'],
  late: ['Late', 'bg-red-100 text-red-900'],
  closed: ['Closed', 'bg-slate-200 text-slate-800'],
  draft: ['Draft', 'bg-slate-100 text-slate-800'],
  archived: ['Archived', 'bg-slate-200 text-slate-800'],
  missing: ['Missing', 'bg-red-100 text-red-900'],
  'not-submitted': ['Not submitted', 'bg-slate-100 text-slate-800'],
  submitted: ['Submitted', 'bg-blue-100 text-blue-900'],
  graded: ['Graded', 'bg-green-100 text-green-900'],
} as const;

export type BadgeKind = keyof typeof STYLES;

export function StatusBadge({ kind }: { kind: BadgeKind }) {
  const [label, style] = STYLES[kind];
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${style}`}>{label}</span>;
}
