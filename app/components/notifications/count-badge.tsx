/** A small unread number beside an icon or link; the words are for screen readers. */
export function CountBadge({ count, testId }: { count: number; testId: string }) {
  if (count <= 0) {
    return (
      <span className="sr-only" data-testid={testId} data-count="0">
        , none unread
      </span>
    );
  }
  return (
    <>
      <span
        aria-hidden="true"
        className="ml-1 inline-flex min-w-5 items-center justify-center rounded-full bg-red-700 px-1.5 text-xs font-bold leading-5 text-white"
      >
        {count > 99 ? '99+' : count}
      </span>
      <span className="sr-only" data-testid={testId} data-count={count}>
        , {count} unread
      </span>
    </>
  );
}
