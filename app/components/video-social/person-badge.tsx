import type { PersonSummary } from '~/services/people';

/** A person next to what they wrote: avatar (or initials) and name, never private fields. */
export function PersonBadge({ person }: { person: PersonSummary }) {
  const initials = person.name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return (
    <span className="inline-flex items-center gap-2 font-semibold text-slate-900">
      {person.avatar ? (
        <img src={person.avatar} alt="" className="h-6 w-6 rounded-full object-cover" />
      ) : (
        <span aria-hidden="true" className="grid h-6 w-6 place-items-center rounded-full bg-slate-200 text-xs">
          {initials}
        </span>
      )}
      {person.name}
      {person.role !== 'student' ? (
        <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">
          {person.role === 'admin' ? 'Admin' : 'Instructor'}
        </span>
      ) : null}
    </span>
  );
}
