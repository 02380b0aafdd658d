// The resource tree and managed resources of one app, fetched when the page
// opens and again whenever the app changes (its watch events carry a new
// resourceVersion after every reconcile), at most once a second.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApplicationTree, ResourceDiff } from '../api/api-types.ts';
import { managedResources, resourceTree } from '../api/endpoints.ts';

export interface AppResources {
  readonly tree?: ApplicationTree;
  readonly managed?: ResourceDiff[];
  readonly treeError?: unknown;
  readonly managedError?: unknown;
  readonly loading: boolean;
}

export function useAppResources(name: string, version: string | undefined): AppResources {
  const [state, setState] = useState<AppResources>({ loading: true });
  const last = useRef(0);
  useEffect(() => {
    let cancelled = false;
    const wait = Math.max(0, last.current + 1000 - Date.now());
    const timer = setTimeout(() => {
      last.current = Date.now();
      void Promise.allSettled([resourceTree(name), managedResources(name)]).then(([tree, managed]) => {
        if (cancelled) return;
        setState((prev) => ({
          loading: false,
          ...(tree.status === 'fulfilled' ? { tree: tree.value } : { ...(prev.tree ? { tree: prev.tree } : {}), treeError: tree.reason }),
          ...(managed.status === 'fulfilled' ? { managed: managed.value.items ?? [] }
            : { ...(prev.managed ? { managed: prev.managed } : {}), managedError: managed.reason }),
        }));
      });
    }, wait);
    return () => { cancelled = true; clearTimeout(timer); };
  }, [name, version]);
  return state;
}
