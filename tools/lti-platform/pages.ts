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
<main>
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
</section>`,
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
