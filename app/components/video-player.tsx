/**
 * The HTML5 player: the source is a short-lived presigned S3 URL, so the browser streams
 * from S3 with Range requests (seeking works) and no byte passes through the app.
 *
 * `startAt` opens the video at a moment without JavaScript: a media fragment (`#t=`) on the
 * source, which the browser honours and never sends to S3 (so the signature still holds).
 * Moment links find the element by PLAYER_ID to seek it when JavaScript runs.
 */
export const PLAYER_ID = 'player';

export function VideoPlayer({
  src,
  type,
  title,
  startAt,
}: {
  src: string;
  type: string;
  title: string;
  startAt?: number | null;
}) {
  const source = startAt != null && startAt > 0 ? `${src}#t=${startAt}` : src;
  return (
    <div id={PLAYER_ID} className="scroll-mt-4 overflow-hidden rounded-lg bg-black">
      <video
        controls
        preload="metadata"
        className="aspect-video w-full"
        aria-label={`Video: ${title}`}
        data-testid="video-player"
      >
        <source src={source} type={type} />
        <p className="p-4 text-white">
          Your browser cannot play this video here.{' '}
          <a href={src} className="underline">
            Download it
          </a>
          .
        </p>
      </video>
    </div>
  );
}

/** The page's player element, for moment links and "at current time" (JavaScript only). */
export function findPlayer(): HTMLVideoElement | null {
  return document.querySelector<HTMLVideoElement>(`#${PLAYER_ID} video`);
}
