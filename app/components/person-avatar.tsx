/** A person's picture, or their initials when they have none. Decorative: the name is always beside it. */
export function PersonAvatar({
  person,
  size = 'md',
}: {
  person: { name: string; avatar: string | null };
  size?: 'md' | 'lg';
}) {
  const box = size === 'lg' ? 'h-24 w-24 text-2xl' : 'h-10 w-10 text-sm';
  if (person.avatar) {
    return <img src={person.avatar} alt="" className={`${box} shrink-0 rounded-full object-cover`} />;
  }
  const initials = person.name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
  return (
    <span
      aria-hidden="true"
      className={`${box} inline-flex shrink-0 items-center justify-center rounded-full bg-brand-100 font-semibold text-brand-800`}
    >
      {initials || '?'}
    </span>
  );
}
