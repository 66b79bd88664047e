/**
 * Safe formatting for user-written text: paragraphs and line breaks, nothing else. React
 * escapes the text, so no markup a user types is ever interpreted.
 */
export function FormattedText({ text, className }: { text: string; className?: string }) {
  const paragraphs = text.split(/\n\s*\n/).filter((p) => p.trim());
  if (!paragraphs.length) return null;
  return (
    <div className={className}>
      {paragraphs.map((p, i) => (
        <p key={i} className="mt-2 first:mt-0">
          {p.split('\n').map((line, j) => (
            <span key={j}>
              {j > 0 ? <br /> : null}
              {line}
            </span>
          ))}
        </p>
      ))}
    </div>
  );
}
