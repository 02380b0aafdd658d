// `capstan up --package DIR` / `--synth DIR`: the idpbuilder packages of a
// running local platform. At start it synthesizes the programs, publishes every
// cnoe:// folder as a local git repository (recording the URL in the
// repository map the engine rewrites fetches with) and queues the package
// Applications; each tick it applies the next wave once the earlier waves have
// settled, and when a program's sources or a package folder change it
// synthesizes again and publishes again — a new commit per changed folder, the
// apps that read it refreshed — as re-running `idpbuilder create` does. A
// failing synth or a bad package is reported and the running platform keeps
// what it had.
import path from 'node:path';
import { applicationRefreshAnnotation, type Application } from '../api/application.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { describeError } from '../errors.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import { readPackageDirs, type PackageApp } from './cnoe-packages.ts';
import { syncFolderToRepo } from './example-repos.ts';
import { folderFingerprint } from './folder-fingerprint.ts';
import { nextRollout, type RolloutItem } from './package-rollout.ts';
import { synthPlatform, synthTargetOf, type SynthTarget } from './synth-platform.ts';

export interface PackageSessionOptions {
  readonly packageDirs: readonly string[];
  readonly synthDirs: readonly string[];
  readonly home: string;
  /** Where Applications that name no namespace go (the engine's control namespace). */
  readonly namespace: string;
  /** URL → local repository, read by the engine at fetch time; updated before any Application using it is applied. */
  readonly repoMap: Map<string, string>;
  readonly onRepoMapChanged: () => void;
  readonly out: (line: string) => void;
}

interface Pending extends RolloutItem {
  readonly object: KubeObject;
  readonly refresh: boolean;
}

const refreshAnnotations: Record<string, [string, string]> = {
  Application: [applicationRefreshAnnotation, 'normal'],
  ApplicationSet: ['argocd.argoproj.io/application-set-refresh', 'true'],
};

export class PackageSession {
  private readonly targets: SynthTarget[];
  private readonly sourcePrints = new Map<string, string>();
  private packagesPrint = '';
  private pending: Pending[] = [];
  private readonly applied = new Map<string, RolloutItem>();
  private readonly commits = new Map<string, string>();
  private known = new Set<string>();
  private readonly lastApplied = new Map<string, string>();
  /** Applications changed or refreshed, by name → when; their status says nothing until they are reconciled after that. */
  private readonly awaiting = new Map<string, number>();

  constructor(private readonly options: PackageSessionOptions) {
    this.targets = options.synthDirs.map((d) => synthTargetOf(d));
  }

  private get dirs(): string[] {
    return [...this.options.packageDirs.map((d) => path.resolve(d)), ...this.targets.map((t) => t.outdir)];
  }

  /**
   * True when nothing waits to be applied, and every applied Application is in `live` and reconciled since it was
   * last changed or refreshed (so the caller can judge its sync and health).
   */
  doneIn(live: readonly Application[]): boolean {
    const names = new Set(live.map((a) => a.metadata.name));
    return this.pending.length === 0 && this.staleIn(live).size === 0
      && [...this.applied.values()].every((a) => a.kind !== 'Application' || names.has(a.name));
  }

  /** The awaited apps `live` does not show reconciled yet (reconciledAt from the same second on, refresh annotation gone). */
  private staleIn(live: readonly Application[]): Set<string> {
    const byName = new Map(live.map((a) => [a.metadata.name, a]));
    for (const [name, since] of this.awaiting) {
      const app = byName.get(name);
      const reconciled = Date.parse(app?.status?.reconciledAt ?? '') >= Math.floor(since / 1000) * 1000;
      if (app !== undefined && reconciled && app.metadata.annotations?.[refreshAnnotations['Application']![0]] === undefined) this.awaiting.delete(name);
    }
    return new Set(this.awaiting.keys());
  }

  /** Synthesizes and publishes; an error here stops `capstan up` (nothing runs yet). */
  async start(): Promise<void> {
    for (const t of this.targets) await this.synth(t);
    this.publish();
  }

  /** One step of the live loop: picks up changes, then applies the next wave when it may. */
  async tick(client: KubeClient, live: readonly Application[]): Promise<void> {
    for (const t of this.targets) {
      if (this.sourcePrints.get(t.dir) === this.sourcePrint(t)) continue;
      this.options.out(`${path.basename(t.dir)} changed: synthesizing again`);
      await this.synth(t).catch((err: unknown) => this.options.out(`error: ${describeError(err)} (the platform keeps what it had)`));
    }
    if (this.packagesPrint !== this.packagePrint()) {
      try {
        this.publish();
      } catch (err) {
        this.options.out(`error: ${describeError(err)} (the platform keeps what it had)`);
      }
    }
    // Wave after wave while nothing changes (an unchanged app needs no waiting), then the next tick.
    for (;;) {
      const batch = nextRollout(this.pending, [...this.applied.values()], live, this.staleIn(live));
      let acted = false;
      for (const item of batch) acted = await this.applyItem(client, item) || acted;
      if (batch.length === 0 || acted) break;
    }
  }

  private sourcePrint(t: SynthTarget): string {
    return folderFingerprint(t.dir, [path.relative(t.dir, t.outdir)]);
  }

  private packagePrint(): string {
    return this.dirs.map((d) => folderFingerprint(d)).join(',');
  }

  private async synth(t: SynthTarget): Promise<void> {
    const print = this.sourcePrint(t);
    const t0 = Date.now();
    try {
      await synthPlatform(t);
    } finally {
      // A failed synth is not retried until the sources change again.
      this.sourcePrints.set(t.dir, print);
    }
    this.options.out(`synthesized ${t.dir} → ${t.outdir} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  /** Reads the packages, commits every folder that changed, and queues every Application. */
  private publish(): void {
    // Recorded first: packages that fail to read are not read again until they change again.
    this.packagesPrint = this.packagePrint();
    const set = readPackageDirs(this.dirs);
    for (const w of set.warnings) this.options.out(`warning: ${w}`);
    const changed = new Set<string>();
    for (const repo of set.repos) {
      const dir = path.join(this.options.home, 'repos', repo.name);
      const commit = syncFolderToRepo(repo.folder, dir, `package: ${repo.url} from ${repo.folder}`);
      const before = this.commits.get(repo.url);
      if (before !== commit) {
        this.options.out(`repository ${repo.url} → ${dir} @ ${commit.slice(0, 7)}${before ? ' (new commit)' : ''}`);
        if (before !== undefined) changed.add(repo.url);
      }
      this.commits.set(repo.url, commit);
      this.options.repoMap.set(repo.url, dir);
    }
    this.options.onRepoMapChanged();
    const names = new Set(set.apps.map((a) => `${a.object.kind}/${a.object.metadata.name}`));
    for (const gone of [...this.known].filter((k) => !names.has(k))) {
      this.options.out(`${gone.replace('/', ' ')} is no longer in the packages; it is left as it is (idpbuilder does not delete it either)`);
    }
    this.known = names;
    this.pending = set.apps.map((a) => this.pendingOf(a, a.urls.some((u) => changed.has(u))));
  }

  private pendingOf(app: PackageApp, refresh: boolean): Pending {
    const object = { ...app.object, metadata: { ...app.object.metadata, namespace: app.object.metadata.namespace ?? this.options.namespace } };
    return { name: object.metadata.name!, kind: object.kind, wave: app.wave, object, refresh };
  }

  /** Applies an item unless it is what was applied last; refreshes it when a folder it reads has a new commit. True when it did either. */
  private async applyItem(client: KubeClient, item: Pending): Promise<boolean> {
    this.pending = this.pending.filter((p) => p !== item);
    const key = `${item.kind}/${item.name}`;
    const json = JSON.stringify(item.object);
    try {
      const changed = this.lastApplied.get(key) !== json;
      if (changed) await client.apply(item.object, { fieldManager: 'capstan-up', force: true });
      this.lastApplied.set(key, json);
      // Only apps in the control namespace are reconciled (and so waited for); others are applied and reported.
      if (item.object.metadata.namespace === this.options.namespace) this.applied.set(key, { name: item.name, kind: item.kind, wave: item.wave });
      else if (changed) this.options.out(`warning: ${item.kind} ${item.name} is in namespace ${item.object.metadata.namespace}; the engine reconciles only ${this.options.namespace}`);
      if (item.refresh) {
        const [annotation, value] = refreshAnnotations[item.kind]!;
        await client.patch(item.object, { metadata: { annotations: { [annotation]: value } } }, 'merge');
      }
      if (!changed && !item.refresh) return false;
      if (item.kind === 'Application' && this.applied.has(key)) this.awaiting.set(item.name, Date.now());
      this.options.out(`${changed ? 'applied' : 'refreshed'} ${item.kind} ${item.name} (wave ${item.wave})${changed && item.refresh ? ', refreshed' : ''}`);
      return true;
    } catch (err) {
      this.options.out(`error: ${item.kind} ${item.name}: ${describeError(err)}`);
      return false;
    }
  }
}
