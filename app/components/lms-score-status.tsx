/**
 * One line under a grade: whether the LMS gradebook has it ("Sent to Canvas"), is about to
 * get it, or is waiting for a retry and why. Instructors only (the services never send it to
 * students). Plain text, so it reads the same with JS off and to a screen reader.
 */
export function LmsScoreStatus({ status }: { status: { state: 'pending' | 'sent' | 'retrying'; label: string } }) {
  const tone =
    status.state === 'sent' ? 'text-emerald-800' : status.state === 'retrying' ? 'text-amber-800' : 'text-slate-700';
  return (
    <span className={`block text-xs ${tone}`} data-testid="lms-score-status" data-state={status.state}>
      {status.label}
    </span>
  );
}
