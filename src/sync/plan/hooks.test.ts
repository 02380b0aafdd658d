import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatedHookName, hookDeletePolicies, isHook, isSkipped, syncPhasesOf } from './hooks.ts';
import { waveOf } from './waves.ts';
import { job } from './test-objects.ts';

test('hook phases from Argo and Helm annotations', () => {
  const cases: Array<{ name: string; a: Record<string, string>; hook: boolean; phases: string[] }> = [
    { name: 'plain resource', a: {}, hook: false, phases: ['Sync'] },
    { name: 'PreSync', a: { 'argocd.argoproj.io/hook': 'PreSync' }, hook: true, phases: ['PreSync'] },
    { name: 'list with spaces', a: { 'argocd.argoproj.io/hook': 'PreSync, PostSync' }, hook: true, phases: ['PreSync', 'PostSync'] },
    { name: 'Skip alone', a: { 'argocd.argoproj.io/hook': 'Skip' }, hook: false, phases: [] },
    { name: 'Skip with another type is a hook', a: { 'argocd.argoproj.io/hook': 'Skip,PostSync' }, hook: true, phases: ['PostSync'] },
    { name: 'unknown value: hook with no phase', a: { 'argocd.argoproj.io/hook': 'Whenever' }, hook: true, phases: [] },
    { name: 'helm pre-install', a: { 'helm.sh/hook': 'pre-install' }, hook: true, phases: ['PreSync'] },
    { name: 'helm post-upgrade,post-install', a: { 'helm.sh/hook': 'post-upgrade,post-install' }, hook: true, phases: ['PostSync'] },
    { name: 'helm test hook never runs', a: { 'helm.sh/hook': 'test' }, hook: true, phases: [] },
    { name: 'helm crd-install is no hook', a: { 'helm.sh/hook': 'crd-install' }, hook: false, phases: ['Sync'] },
    { name: 'Argo annotation wins over Helm', a: { 'argocd.argoproj.io/hook': 'Sync', 'helm.sh/hook': 'pre-install' }, hook: true, phases: ['Sync'] },
    { name: 'PreDelete takes no sync phase', a: { 'argocd.argoproj.io/hook': 'PreDelete' }, hook: true, phases: [] },
  ];
  for (const c of cases) {
    const o = job('j', c.a);
    assert.equal(isHook(o), c.hook, `${c.name}: isHook`);
    assert.deepEqual(syncPhasesOf(o), c.phases, `${c.name}: phases`);
  }
  assert.equal(isSkipped(job('j', { 'argocd.argoproj.io/hook': 'Skip' })), true);
});

test('hook delete policies default to BeforeHookCreation and map Helm names', () => {
  const cases: Array<{ a: Record<string, string>; want: string[] }> = [
    { a: {}, want: ['BeforeHookCreation'] },
    { a: { 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }, want: ['HookSucceeded'] },
    { a: { 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded,HookFailed' }, want: ['HookSucceeded', 'HookFailed'] },
    { a: { 'helm.sh/hook-delete-policy': 'hook-succeeded,before-hook-creation' }, want: ['HookSucceeded', 'BeforeHookCreation'] },
    { a: { 'argocd.argoproj.io/hook-delete-policy': 'Bogus' }, want: ['BeforeHookCreation'] },
  ];
  for (const c of cases) assert.deepEqual(hookDeletePolicies(job('j', c.a)), c.want, JSON.stringify(c.a));
});

test('waves: sync-wave, else helm hook-weight, else 0; non-integers ignored', () => {
  const cases: Array<{ a: Record<string, string>; want: number }> = [
    { a: {}, want: 0 },
    { a: { 'argocd.argoproj.io/sync-wave': '5' }, want: 5 },
    { a: { 'argocd.argoproj.io/sync-wave': '-3' }, want: -3 },
    { a: { 'argocd.argoproj.io/sync-wave': '+2' }, want: 2 },
    { a: { 'argocd.argoproj.io/sync-wave': ' 1' }, want: 0 },
    { a: { 'argocd.argoproj.io/sync-wave': '1.5', 'helm.sh/hook-weight': '7' }, want: 7 },
    { a: { 'helm.sh/hook-weight': '-10' }, want: -10 },
  ];
  for (const c of cases) assert.equal(waveOf(job('j', c.a)), c.want, JSON.stringify(c.a));
});

test('generated hook names: generateName + 7 chars of revision + phase + start time, lower-cased', () => {
  assert.equal(generatedHookName('migrate-', 'ABCDEF0123456789', 'PreSync', 1700000000), 'migrate-abcdef0-presync-1700000000');
  assert.equal(generatedHookName('x-', 'abc', 'PostSync', 5), 'x-abc-postsync-5');
  assert.equal(generatedHookName('x-', '12345678', 'Sync', 5), 'x-1234567-sync-5');
});
