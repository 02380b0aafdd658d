// Sync, health and operation status as Argo CD's UI shows them: an icon in
// the status's colour beside the word (never the colour alone), with the
// status message as a tooltip and for screen readers.
const healthIcons: Record<string, string> = {
  Healthy: '♥', Progressing: '◔', Degraded: '✖', Suspended: '⏸', Missing: '⚠', Unknown: '?',
};
const syncIcons: Record<string, string> = { Synced: '✔', OutOfSync: '↻', Unknown: '?' };
const phaseIcons: Record<string, string> = { Running: '◔', Terminating: '◔', Succeeded: '✔', Failed: '✖', Error: '✖' };

interface BadgeProps { readonly status: string | undefined; readonly message?: string | undefined; readonly compact?: boolean }

function Badge({ kind, icon, status, message, compact }: BadgeProps & { kind: string; icon: string }) {
  const label = status ?? 'Unknown';
  return (
    <span class={`badge ${kind}-${label}`} title={message || label}>
      <span class="badge-icon" aria-hidden="true">{icon}</span>
      {compact ? <span class="visually-hidden">{label}</span> : <span>{label}</span>}
      {message && compact !== true ? <span class="visually-hidden">: {message}</span> : null}
    </span>
  );
}

export function HealthBadge(props: BadgeProps) {
  return <Badge {...props} kind="health" icon={healthIcons[props.status ?? 'Unknown'] ?? '?'} />;
}

export function SyncBadge(props: BadgeProps) {
  return <Badge {...props} kind="sync" icon={syncIcons[props.status ?? 'Unknown'] ?? '?'} />;
}

export function PhaseBadge(props: BadgeProps) {
  return <Badge {...props} kind="phase" icon={phaseIcons[props.status ?? ''] ?? '•'} />;
}

/** A resource's result in an operation (Synced, SyncFailed, Pruned, PruneSkipped). */
export function ResultBadge({ status }: { readonly status: string | undefined }) {
  const failed = status === 'SyncFailed';
  return <span class={`badge result-${failed ? 'failed' : 'ok'}`}><span class="badge-icon" aria-hidden="true">{failed ? '✖' : '✔'}</span>{status ?? '—'}</span>;
}
