import { linkSegments } from './text-links';

/** Links in user text: never followed by search engines, never given our page's context. */
export const USER_LINK_REL = 'nofollow ugc noopener noreferrer';

/**
 * Safe formatting for user-written text: paragraphs, line breaks and links for http(s)
 * addresses, nothing else. It is not markdown; React escapes the text, so no markup a user
 * types is ever interpreted.
 */
export function FormattedText({ text, className }: { text: string; className?: string }) {
  const paragraphs = text.split(/\n\s*\n/).filter((p) => p.trim());
  if (!paragraphs.length) return null;
  return (
    <div className={className}>
      {paragraphs.map((p, i) => (
        <p key={i} className="mt-2 break-words first:mt-0">
          {p.split('\n').map((line, j) => (
            <span key={j}>
              {j > 0 ? <br /> : null}
              {linkSegments(line).map((segment, k) =>
                segment.kind === 'link' ? (
                  <a key={k} href={segment.href} rel={USER_LINK_REL} className="text-brand-700 underline">
                    {segment.text}
                  </a>
                ) : (
                  segment.text
                ),
              )}
            </span>
          ))}
        </p>
      ))}
    </div>
  );
}
