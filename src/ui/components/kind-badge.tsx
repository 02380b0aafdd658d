// A resource kind as a short badge (deploy, svc, cm…) with the full kind for
// screen readers and as a tooltip.
import { kindAbbreviation } from '../lib/resource-tree.ts';

export function KindBadge({ kind }: { readonly kind: string }) {
  return <span class={`kind kind-${kindAbbreviation(kind)}`} title={kind}><span aria-hidden="true">{kindAbbreviation(kind)}</span><span class="visually-hidden">{kind}</span></span>;
}
