import { findPlayer, PLAYER_ID } from '~/components/video-player';
import { formatMoment } from '~/utils/moment';

/**
 * A time-coded comment's moment. With JavaScript a click seeks the page's player and plays;
 * without, the link reloads the page with `?t=` and the player opens at that moment.
 */
export function MomentLink({ seconds }: { seconds: number }) {
  const label = formatMoment(seconds);
  return (
    <a
      href={`?t=${seconds}#${PLAYER_ID}`}
      className="rounded bg-brand-50 px-1.5 py-0.5 font-mono text-sm font-semibold text-brand-700 underline"
      aria-label={`Play from ${label}`}
      data-testid="moment-link"
      onClick={(event) => {
        const player = findPlayer();
        if (!player) return;
        event.preventDefault();
        player.currentTime = seconds;
        player.scrollIntoView({ block: 'nearest' });
        void player.play().catch(() => undefined);
      }}
    >
      {label}
    </a>
  );
}
