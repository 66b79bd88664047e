/**
 * What a person inside the LMS reads when their browser refused ClassCast's cookie there
 * (Safari; third-party cookies blocked): ClassCast works in a tab of its own.
 */
export function CookieBlockedNotice({ openUrl, linkNote }: { openUrl: string | null; linkNote: string }) {
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">Open ClassCast in a new tab</h1>
      <p className="mt-3 text-slate-800">
        Your browser blocked ClassCast&apos;s cookie inside the LMS, so ClassCast cannot keep you signed in on this
        page. You can carry on in a new tab: you stay signed in there, and the LMS stays open in this one.
      </p>
      {openUrl ? (
        <p className="mt-6">
          <a
            href={openUrl}
            target="_blank"
            rel="noopener noreferrer"
            className="btn-primary"
            data-testid="open-in-new-tab"
          >
            Open ClassCast in a new tab
            <span className="sr-only"> (opens a new tab)</span>
          </a>
        </p>
      ) : null}
      <p className="mt-4 text-sm text-slate-700">{linkNote}</p>
    </div>
  );
}
