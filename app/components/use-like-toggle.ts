import { useFetcher } from '@remix-run/react';
import { useEffect, useRef, useState, type FormEvent } from 'react';

/**
 * What a like button shows and how a click changes it. Each submit posts the state wanted
 * (`isLiked`), never "toggle". A click while a request is still on its way is held back and
 * sent once that request has finished: two requests in flight can reach the database in
 * either order and leave the opposite of the last click (seen on DynamoDB under load).
 */
export function useLikeToggle<Failure>(server: { liked: boolean; likes: number }) {
  const fetcher = useFetcher<Failure>();
  const form = useRef<HTMLFormElement>(null);
  const [queued, setQueued] = useState<boolean | null>(null);
  const pending = fetcher.formData?.get('isLiked');
  const liked = queued ?? (typeof pending === 'string' ? pending === 'true' : server.liked);
  const likes = server.likes + (liked === server.liked ? 0 : liked ? 1 : -1);
  const busy = fetcher.state !== 'idle';

  useEffect(() => {
    if (busy || queued === null || !form.current) return;
    setQueued(null);
    if (queued === server.liked) return;
    const data = new FormData(form.current);
    data.set('isLiked', String(queued));
    fetcher.submit(data, { method: 'post', action: form.current.getAttribute('action') ?? undefined });
  }, [busy, queued, server.liked, fetcher]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    if (!busy) return;
    event.preventDefault();
    setQueued(!liked);
  };

  return { fetcher, form, liked, likes, saving: busy || queued !== null, onSubmit };
}
