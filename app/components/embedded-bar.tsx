import { useMatches } from '@remix-run/react';
import { CsrfField } from '~/components/csrf-field';
import type { HeaderUser } from '~/components/site-header';

/** What the root loader tells the compact layout (null: the full site header). */
export interface EmbeddedView {
  /** Opens the page top-level; for a signed-in person it carries a handoff token (the frame's cookie stays in the frame). */
  newTabUrl: string;
  /**
   * A Cognito session's logout ends at Cognito's /logout, which refuses to be framed: that
   * form leaves the frame. An LTI session's cookie lives only in the frame's jar, so its
   * logout must be posted from the frame (a top-level post would not carry the cookie).
   */
  logoutLeavesFrame: boolean;
}

/**
 * The compact bar ClassCast shows inside an LMS iframe instead of the site header: the LMS
 * has its own navigation around us, so only who is signed in and the ways out remain.
 */
export function EmbeddedBar({ user, view }: { user: HeaderUser | null; view: EmbeddedView }) {
  const courseTitle = useCourseTitle();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
        <span className="min-w-0">
          <span className="font-bold text-brand-800">ClassCast</span>
          {courseTitle ? (
            <span className="ml-2 break-words text-slate-700" data-testid="embedded-course-title">
              {courseTitle}
            </span>
          ) : null}
        </span>
        <nav aria-label="ClassCast" className="flex flex-wrap items-center gap-2">
          {user ? (
            <span className="font-medium text-slate-700" data-testid="embedded-user-name">
              {user.name}
            </span>
          ) : null}
          <a
            href={view.newTabUrl}
            target="_blank"
            rel="noopener"
            className="rounded-md px-2 py-1 font-medium text-brand-700 underline hover:bg-slate-100"
            data-testid="open-in-new-tab"
          >
            Open in a new tab<span className="sr-only"> (opens a new tab)</span>
          </a>
          {user ? (
            // A plain form: Remix's would post by fetch and ignore the target.
            <form method="post" action="/logout" target={view.logoutLeavesFrame ? '_top' : undefined}>
              <CsrfField />
              <button type="submit" className="btn-secondary py-1">
                Log out
              </button>
            </form>
          ) : (
            // The login page is no place for the LMS's frame (its cookie would not stick here).
            <a href="/login" target="_top" className="btn-secondary py-1">
              Log in
            </a>
          )}
        </nav>
      </div>
    </header>
  );
}

/**
 * The course the page is about, when its route's data names one (`course.title`: the
 * course, assignment, grading and submission pages do). Read from the loaders' data the page
 * already has, so the bar asks nothing more of the server.
 */
function useCourseTitle(): string | null {
  const matches = useMatches();
  for (let i = matches.length - 1; i >= 0; i--) {
    const data = matches[i]?.data as { course?: { title?: unknown } } | null | undefined;
    const title = data && typeof data === 'object' ? data.course?.title : undefined;
    if (typeof title === 'string' && title) return title;
  }
  return null;
}
