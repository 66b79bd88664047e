import { useEffect, useId, useRef } from 'react';

/**
 * A form that carries values to another page by POST and sends itself: the OIDC and LTI
 * hand-offs (the deep-linking response to the LMS's return URL, a login hand-off) are
 * browser round trips, not links. With JavaScript on it submits at once; without, the
 * person reads why they stopped here and presses "Continue" — the same POST either way.
 *
 * A plain <form>, not Remix's: the target is usually another site, and no ClassCast token
 * (the CSRF field) must travel there. Two ways to submit itself, one submission: the inline
 * script runs while the server's HTML is parsed (before hydration, so no flash of the page);
 * the effect covers a client-side render, where React never runs inline scripts. Whichever
 * comes first marks the form, so the other does nothing.
 */
export function AutoPostForm({
  action,
  fields,
  title,
  message,
}: {
  action: string;
  fields: Record<string, string>;
  title: string;
  message: string;
}) {
  const id = `auto-post-${useId().replace(/[^\w-]/g, '')}`;
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const form = formRef.current as SendOnce | null;
    // Hydration keeps the element the inline script marked; StrictMode's second effect sees the mark too.
    if (!form || form[SENT]) return;
    form[SENT] = true;
    form.submit();
  }, []);
  const headingId = `${id}-title`;
  return (
    <div className="mx-auto max-w-xl">
      <h1 id={headingId} className="text-2xl font-bold">
        {title}
      </h1>
      <p className="mt-3 text-slate-800">{message}</p>
      <form ref={formRef} id={id} method="post" action={action} aria-labelledby={headingId} className="mt-6">
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <p className="text-sm text-slate-700">
          If nothing happens in a moment (JavaScript may be turned off), press Continue.
        </p>
        <button type="submit" className="btn-primary mt-3">
          Continue
        </button>
      </form>
      <script
        // The id is React's own (letters, digits, dashes after the replace): nothing user-given.
        dangerouslySetInnerHTML={{
          __html: `(function(){var f=document.getElementById(${JSON.stringify(id)});if(!f||f.${SENT})return;f.${SENT}=true;f.submit();})();`,
        }}
      />
    </div>
  );
}

/**
 * A property on the form element itself, not an attribute: invisible to React's hydration
 * check, and gone with the element (a later page's form starts unsent).
 */
const SENT = '__classcastSent';
type SendOnce = HTMLFormElement & { [SENT]?: boolean };
