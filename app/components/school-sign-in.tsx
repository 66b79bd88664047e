/**
 * "Sign in with <school account>": a plain link that opens top-level, because Cognito's hosted
 * page refuses to be framed (X-Frame-Options: deny) and ClassCast may sit in an LMS iframe.
 */
export function SchoolSignIn({ label, redirectTo }: { label: string; redirectTo: string | null }) {
  const href = `/auth/cognito${redirectTo ? `?${new URLSearchParams({ redirectTo })}` : ''}`;
  return (
    <div className="mt-6 space-y-3">
      <a href={href} target="_top" className="btn-secondary block w-full text-center" data-testid="school-sign-in">
        Sign in with {label}
      </a>
      <p className="text-center text-sm text-slate-600">or use your ClassCast email and password</p>
    </div>
  );
}
