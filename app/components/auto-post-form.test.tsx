import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AutoPostForm } from './auto-post-form';

const html = () =>
  renderToStaticMarkup(
    <AutoPostForm
      action="https://lms.example.edu/deep_link_return?x=1&y=2"
      fields={{ JWT: 'eyJ.a"b<c>.sig', other: "it's" }}
      title="Returning to your course"
      message="Sending your choice back to the LMS."
    />,
  );

describe('AutoPostForm', () => {
  it('posts the hidden fields, escaped, to the action, with no ClassCast form token', () => {
    const out = html();
    expect(out).toMatch(/<form [^>]*method="post" action="https:\/\/lms\.example\.edu\/deep_link_return\?x=1&amp;y=2"/);
    expect(out).toContain('<input type="hidden" name="JWT" value="eyJ.a&quot;b&lt;c&gt;.sig"/>');
    expect(out).toContain('<input type="hidden" name="other" value="it&#x27;s"/>');
    expect(out).not.toContain('_csrf');
  });

  it('works without JavaScript: a heading, the explanation and a Continue submit button', () => {
    const out = html();
    expect(out).toMatch(/<h1 id="([^"]+)"[^>]*>Returning to your course<\/h1>/);
    const headingId = /<h1 id="([^"]+)"/.exec(out)?.[1];
    expect(out).toContain(`aria-labelledby="${headingId}"`);
    expect(out).toContain('Sending your choice back to the LMS.');
    expect(out).toMatch(/<button type="submit"[^>]*>Continue<\/button>/);
  });

  it('sends itself once with JavaScript: the inline script names this form and marks it', () => {
    const out = html();
    const formId = /<form [^>]*id="([^"]+)"/.exec(out)?.[1];
    expect(formId).toMatch(/^auto-post-[\w-]+$/);
    const script = /<script>([\s\S]*?)<\/script>/.exec(out)?.[1] ?? '';
    expect(script).toContain(`document.getElementById("${formId}")`);
    // Run it against a stand-in document: it submits, and a second run (or the effect) does not.
    const form = {
      submitted: 0,
      submit() {
        this.submitted++;
      },
    } as { submitted: number; submit(): void; __classcastSent?: boolean };
    const run = new Function('document', script);
    run({ getElementById: (id: string) => (id === formId ? form : null) });
    run({ getElementById: (id: string) => (id === formId ? form : null) });
    expect(form.submitted).toBe(1);
    expect(form.__classcastSent).toBe(true);
  });
});
