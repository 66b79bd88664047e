/**
 * A label with its unread number, for a link or button. Screen readers get one phrase
 * ("Messages, 3 unread"): separate pieces in a flex box are read with stray pauses between.
 */
/** The phrase a screen reader hears for a label with its unread number. */
export function countPhrase(label: string, count: number): string {
  return count > 0 ? `${label}, ${count} unread` : label;
}

export function LabelledCount({
  label,
  count,
  showLabel,
  testId,
}: {
  label: string;
  count: number;
  /** false: an icon stands for the label on screen. */
  showLabel: boolean;
  testId: string;
}) {
  return (
    <>
      {showLabel ? <span aria-hidden="true">{label}</span> : null}
      {count > 0 ? (
        <span
          aria-hidden="true"
          className="ml-1 inline-flex min-w-5 items-center justify-center rounded-full bg-red-700 px-1.5 text-xs font-bold leading-5 text-white"
        >
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
      <span className="sr-only" data-testid={testId} data-count={count}>
        {countPhrase(label, count)}
      </span>
    </>
  );
}
