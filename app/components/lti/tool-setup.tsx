/** What ClassCast tells an LMS admin to paste into their LMS (from lti-tool-setup.server.ts). */
export interface ToolSetupData {
  loginUrl: string;
  launchUrl: string;
  deepLinkUrl: string;
  jwksUrl: string;
  redirectUris: string[];
  canvasConfig: Record<string, unknown>;
}

function Value({ term, value }: { term: string; value: string }) {
  return (
    <div className="py-2 sm:grid sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-slate-700">{term}</dt>
      <dd className="mt-1 break-all font-mono text-sm sm:col-span-2 sm:mt-0">{value}</dd>
    </div>
  );
}

/** ClassCast's half of a registration: URLs for Moodle/Blackboard/D2L, the JSON for Canvas. */
export function ToolSetup({ setup, headingId }: { setup: ToolSetupData; headingId: string }) {
  return (
    <section aria-labelledby={headingId} className="card space-y-3">
      <h2 id={headingId} className="text-lg font-semibold">
        ClassCast’s details for your LMS
      </h2>
      <p className="text-sm text-slate-700">
        Paste these into the LMS when you add ClassCast as an LTI 1.3 tool (Canvas: Developer Keys → LTI Key; Moodle:
        External tool → Configure a tool manually).
      </p>
      <dl className="divide-y divide-slate-100">
        <Value term="Login initiation URL" value={setup.loginUrl} />
        <Value term="Redirect URI / launch URL (target link URI)" value={setup.launchUrl} />
        <Value term="Deep linking URL" value={setup.deepLinkUrl} />
        <Value term="Public keyset (JWKS) URL" value={setup.jwksUrl} />
      </dl>
      <details>
        <summary className="cursor-pointer font-medium text-brand-700">Canvas JSON configuration</summary>
        <pre
          tabIndex={0}
          aria-label="Canvas JSON configuration"
          className="mt-2 max-h-96 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100"
          data-testid="canvas-config"
        >
          {JSON.stringify(setup.canvasConfig, null, 2)}
        </pre>
      </details>
    </section>
  );
}
