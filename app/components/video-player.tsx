/**
 * The HTML5 player: the source is a short-lived presigned S3 URL, so the browser streams
 * from S3 with Range requests (seeking works) and no byte passes through the app.
 */
export function VideoPlayer({ src, type, title }: { src: string; type: string; title: string }) {
  return (
    <div className="overflow-hidden rounded-lg bg-black">
      <video
        controls
        preload="metadata"
        className="aspect-video w-full"
        aria-label={`Video: ${title}`}
        data-testid="video-player"
      >
        <source src={src} type={type} />
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
