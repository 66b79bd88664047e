/** The fake LMS's HTML: small, valid, accessible (lang, title, landmarks, a titled iframe). */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #f4f4f6; }
  header { background: #2d3b45; color: #fff; padding: .75rem 1.5rem; }
  header a { color: #fff; }
  main { padding: 1rem 1.5rem; }
  iframe { width: 100%; height: 70vh; border: 1px solid #8a8a8a; background: #fff; }
  button { font: inherit; padding: .5rem 1rem; }
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<header><p><strong>Fake LMS</strong> — a test platform for ClassCast</p></header>
<main aria-label="Fake LMS">
${body}
</main>
</body>
</html>`;
}

/**
 * A form the browser posts on its own (the OIDC form_post response, LTI 1.3 Core §5.1.1.3);
 * without JavaScript the visible Continue button does it.
 */
export function autoPostPage(title: string, action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
<form method="post" action="${escapeHtml(action)}" id="auto-post">
${inputs}
<p>Taking you to the tool…</p>
<button type="submit">Continue</button>
</form>
<script>document.getElementById('auto-post').submit();</script>`,
  );
}

export function coursePage(p: {
  courseTitle: string;
  userName: string;
  frameSrc: string;
  links: { title: string; href: string }[];
  deepLinkHref: string;
  /** The tool's origin, when the page offers platform storage to the framed tool. */
  storageFor?: string;
}): string {
  const links = p.links.length
    ? `<ul>${p.links.map((l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.title)}</a></li>`).join('')}</ul>`
    : '<p>No ClassCast links in this course yet.</p>';
  return page(
    `${p.courseTitle} — Fake LMS`,
    `<h1>${escapeHtml(p.courseTitle)}</h1>
<p>Signed in to the LMS as ${escapeHtml(p.userName)}.</p>
<iframe title="ClassCast" src="${escapeHtml(p.frameSrc)}" allow="camera; microphone; fullscreen; autoplay; clipboard-write"></iframe>
<section aria-labelledby="course-links">
<h2 id="course-links">Course links</h2>
${links}
<p><a href="${escapeHtml(p.deepLinkHref)}">Add ClassCast content</a></p>
</section>${p.storageFor ? platformStorageScript(p.storageFor) : ''}`,
  );
}

export function messagePage(title: string, message: string, back?: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${
      back ? `<p><a href="${escapeHtml(back)}" target="_top">Back to the course</a></p>` : ''
    }`,
  );
}

/**
 * Platform storage for the framed tool (LTI Client Side postMessages, as Canvas offers it with
 * `lti_storage_target=_parent`): lti.capabilities, lti.put_data and lti.get_data, answered
 * only to the tool's origin and kept per origin, so a browser that refuses the tool's
 * third-party cookies can still carry the login's state and nonce.
 */
function platformStorageScript(toolOrigin: string): string {
  return `
<script>
(() => {
  const toolOrigin = ${JSON.stringify(toolOrigin).replace(/</g, '\\u003c')};
  const store = new Map();
  window.addEventListener('message', (event) => {
    const data = event.data;
    if (event.origin !== toolOrigin || !data || typeof data.subject !== 'string' || !event.source) return;
    const reply = (body) => event.source.postMessage({ subject: data.subject + '.response', message_id: data.message_id, ...body }, event.origin);
    if (data.subject === 'lti.capabilities') {
      reply({ supported_messages: [{ subject: 'lti.capabilities' }, { subject: 'lti.put_data', frame: '_parent' }, { subject: 'lti.get_data', frame: '_parent' }] });
    } else if (data.subject === 'lti.put_data') {
      if (typeof data.key !== 'string' || !data.key) return reply({ error: { code: 'bad_request', message: 'key is required' } });
      if (data.value === undefined || data.value === null) store.delete(data.key); else store.set(data.key, String(data.value));
      reply({ key: data.key, value: data.value });
    } else if (data.subject === 'lti.get_data') {
      if (typeof data.key !== 'string' || !data.key) return reply({ error: { code: 'bad_request', message: 'key is required' } });
      reply({ key: data.key, value: store.has(data.key) ? store.get(data.key) : null });
    } else {
      reply({ error: { code: 'unsupported_subject', message: 'not supported: ' + data.subject } });
    }
  });
})();
</script>`;
}
