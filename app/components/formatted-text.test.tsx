import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FormattedText } from './formatted-text';
import { linkSegments } from './text-links';

const html = (text: string) => renderToStaticMarkup(<FormattedText text={text} />);
const links = (text: string) => linkSegments(text).filter((s) => s.kind === 'link');

describe('FormattedText', () => {
  it('keeps paragraphs and line breaks', () => {
    expect(html('one\ntwo\n\nthree')).toBe(
      '<div><p class="mt-2 break-words first:mt-0"><span>one</span><span><br/>two</span></p>' +
        '<p class="mt-2 break-words first:mt-0"><span>three</span></p></div>',
    );
  });

  it('renders nothing for blank text', () => {
    expect(html('  \n\n ')).toBe('');
  });

  it('links http(s) addresses with rel nofollow ugc noopener noreferrer and no target', () => {
    const out = html('See https://example.org/a?b=1&c=2 now');
    expect(out).toContain(
      '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener noreferrer" class="text-brand-700 underline">https://example.org/a?b=1&amp;c=2</a>',
    );
    expect(out).toContain('See ');
    expect(out).toContain(' now');
    expect(out).not.toContain('target=');
  });

  it('escapes markup instead of interpreting it', () => {
    const out = html('<img src=x onerror=alert(1)> <script>alert(2)</script> **bold**');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(out).toContain('**bold**');
  });

  it('never links javascript: or data: addresses', () => {
    for (const text of [
      'javascript:alert(1)',
      'JavaScript://%0Aalert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'javascript://http://example.org',
      'vbscript:msgbox(1)',
    ]) {
      expect(html(text)).not.toContain('<a');
    }
  });

  it('does not let a URL break out of its attribute', () => {
    const out = html('https://example.org/"onmouseover="alert(1)');
    expect(out).toContain('href="https://example.org/"');
    expect(out).not.toMatch(/<a [^>]*onmouseover/);
  });
});

describe('linkSegments', () => {
  it('joined back together, the segments are the input', () => {
    const line = 'a https://x.test/p, (see http://y.test/q) and https://z.test.';
    expect(
      linkSegments(line)
        .map((s) => s.text)
        .join(''),
    ).toBe(line);
  });

  it('leaves sentence punctuation and unopened brackets outside the link', () => {
    expect(links('Go to https://x.test/p.').map((s) => s.text)).toEqual(['https://x.test/p']);
    expect(links('(see https://x.test/q)').map((s) => s.text)).toEqual(['https://x.test/q']);
    expect(links('https://en.wikipedia.org/wiki/Osmosis_(biology)!').map((s) => s.text)).toEqual([
      'https://en.wikipedia.org/wiki/Osmosis_(biology)',
    ]);
  });

  it('finds several links and is case-insensitive about the scheme', () => {
    expect(links('HTTPS://A.test and http://b.test/x').map((s) => s.href)).toEqual([
      'https://a.test/',
      'http://b.test/x',
    ]);
  });

  it('does not start a link inside a word or another address', () => {
    expect(links('xhttps://a.test')).toEqual([]);
    expect(links('https://')).toEqual([]);
  });
});
