/**
 * Finds the web addresses in user-written text, so FormattedText can make them links.
 * Only absolute http(s) URLs are ever linked: a scheme like `javascript:` or `data:` can
 * never start a match, and every candidate must parse as a URL with an http(s) protocol.
 */

export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// Not preceded by a letter, digit or slash, so "xhttp://" or "…//http://" is not a start.
const CANDIDATE = /(?<![\p{L}\p{N}/])https?:\/\/[^\s<>"'`]+/giu;
// Sentence punctuation right after a URL belongs to the sentence, not the address.
const TRAILING = /[.,;:!?*'"]+$/;
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Drops trailing punctuation and closing brackets that the URL did not open itself. */
function trimEnd(candidate: string): string {
  let url = candidate;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING, '');
    const last = url.at(-1);
    if (last && last in CLOSERS) {
      const opens = url.split(CLOSERS[last]).length - 1;
      const closes = url.split(last).length - 1;
      if (closes > opens) url = url.slice(0, -1);
    }
    if (url === before) return url;
  }
}

function safeHref(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname) return null;
  return url.href;
}

/** Splits one line of text into plain text and links, in order; joined, the texts are the input. */
export function linkSegments(line: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let at = 0;
  const pushText = (text: string) => {
    if (!text) return;
    const last = segments.at(-1);
    if (last?.kind === 'text') last.text += text;
    else segments.push({ kind: 'text', text });
  };
  for (const match of line.matchAll(CANDIDATE)) {
    const start = match.index;
    const text = trimEnd(match[0]);
    const href = safeHref(text);
    if (!href) continue;
    pushText(line.slice(at, start));
    segments.push({ kind: 'link', text, href });
    at = start + text.length;
  }
  pushText(line.slice(at));
  return segments;
}
