// Read-only text views: a YAML manifest, and a unified diff with added and
// removed lines marked by colour and by their +/- prefix. Text is rendered as
// text nodes only (never as HTML).
export function YamlView({ text, label }: { readonly text: string; readonly label: string }) {
  return <pre class="code" aria-label={label} tabIndex={0}>{text === '' ? '(empty)' : text}</pre>;
}

export function DiffView({ diff, label }: { readonly diff: string; readonly label: string }) {
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    <pre class="code diff" aria-label={label} tabIndex={0}>
      {lines.map((line, i) => {
        const cls = line.startsWith('@@') ? 'diff-hunk' : line.startsWith('+++') || line.startsWith('---') ? 'diff-file'
          : line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : 'diff-ctx';
        return <span key={i} class={`diff-line ${cls}`}>{line}{'\n'}</span>;
      })}
    </pre>
  );
}
