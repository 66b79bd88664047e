import type { PersonSummary } from '~/services/people';

function initialsOf(name: string): string {
  const parts = name.split(/\s+/).filter(Boolean);
  return (parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0]?.slice(0, 2) ?? '?')).toUpperCase();
}

/** A person's avatar (or their initials on a neutral disc) and name. */
export function PersonBadge({ person }: { person: PersonSummary }) {
  return (
    <span className="flex min-w-0 items-center gap-2">
      {person.avatar ? (
        <img src={person.avatar} alt="" width={32} height={32} className="h-8 w-8 shrink-0 rounded-full object-cover" />
      ) : (
        <span
          aria-hidden="true"
          className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-slate-200 text-xs font-semibold text-slate-800"
        >
          {initialsOf(person.name)}
        </span>
      )}
      <span className="truncate font-medium text-slate-900">{person.name}</span>
    </span>
  );
}
