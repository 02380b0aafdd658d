// When an ApplicationSet is reconciled again without any event
// (getMinRequeueAfter): git generators every `requeueAfterSeconds` (default
// 3 minutes), matrix and merge as their most frequent child; list and
// clusters never (cluster Secrets are watched). The smallest non-zero wins;
// 0 means no periodic reconcile.
import type { ApplicationSetGenerator, ApplicationSetNestedGenerator } from '../../api/application-set.ts';
import { defaultGitRequeueSeconds } from './git-generator.ts';

function minNonZero(values: readonly number[]): number {
  return values.reduce((res, t) => (res === 0 ? t : t !== 0 && t < res ? t : res), 0);
}

function requeueOf(gen: ApplicationSetGenerator | ApplicationSetNestedGenerator, defaultSeconds: number): number {
  const own: number[] = [];
  if (gen.git) own.push(gen.git.requeueAfterSeconds ?? defaultSeconds);
  for (const combined of [gen.matrix, gen.merge]) {
    const children = (combined as { generators?: ApplicationSetNestedGenerator[] } | undefined)?.generators;
    if (Array.isArray(children)) own.push(minNonZero(children.map((c) => requeueOf(c, defaultSeconds))));
  }
  return minNonZero(own);
}

/** Seconds until the next periodic reconcile, 0 for none. */
export function requeueAfterSeconds(generators: readonly ApplicationSetGenerator[], defaultSeconds = defaultGitRequeueSeconds): number {
  return minNonZero(generators.map((g) => requeueOf(g, defaultSeconds)));
}

/** The repositories the git generators read (as written; templated URLs of a matrix child are left out). */
export function gitRepositories(generators: readonly (ApplicationSetGenerator | ApplicationSetNestedGenerator)[]): string[] {
  const out = new Set<string>();
  const walk = (gen: ApplicationSetGenerator | ApplicationSetNestedGenerator): void => {
    if (gen.git?.repoURL && !gen.git.repoURL.includes('{{')) out.add(gen.git.repoURL);
    for (const combined of [gen.matrix, gen.merge]) {
      const children = (combined as { generators?: ApplicationSetNestedGenerator[] } | undefined)?.generators;
      if (Array.isArray(children)) children.forEach(walk);
    }
  };
  generators.forEach(walk);
  return [...out];
}
