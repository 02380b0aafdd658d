import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube-object.ts';
import { parseArgoCdConfigMap } from '../settings/argocd-cm.ts';
import { assessHealth } from './assess-health.ts';
import type { RunLua, RunLuaRequest } from './lua.ts';
import { healthScriptFor } from './lua-health.ts';

const widget = (apiVersion = 'example.com/v1', kind = 'Widget'): KubeObject => ({ apiVersion, kind, metadata: { name: 'w' }, status: { ready: true } });

test('script lookup: exact key first, then wildcard keys; core kinds by Kind', () => {
  const { settings } = parseArgoCdConfigMap({
    'resource.customizations.health.example.com_Widget': 'exact',
    'resource.customizations.health.PersistentVolumeClaim': 'pvc',
    'resource.customizations': '"*.example.com/*":\n  health.lua: wild\n  health.lua.useOpenLibs: true\n"*/Gadget":\n  health.lua: gadget\n',
  });
  const o = settings.resourceOverrides;
  assert.equal(healthScriptFor(o, 'example.com/v1', 'Widget')?.script, 'exact');
  assert.deepEqual(healthScriptFor(o, 'a.example.com/v1', 'Thing'), { key: '*.example.com/*', script: 'wild', useOpenLibs: true });
  assert.equal(healthScriptFor(o, 'x.io/v1', 'Gadget')?.script, 'gadget');
  assert.equal(healthScriptFor(o, 'v1', 'PersistentVolumeClaim')?.script, 'pvc');
  assert.equal(healthScriptFor(o, 'apps/v1', 'Deployment'), undefined);
});

test('results: a valid table is the health; errors and bad values are Unknown, never thrown', () => {
  const { settings } = parseArgoCdConfigMap({ 'resource.customizations.health.example.com_Widget': 'return hs',
    'resource.customizations.useOpenLibs.example.com_Widget': 'true', 'resource.customizations.health.apps_Deployment': 'return nil' });
  const calls: RunLuaRequest[] = [];
  const runner = (value: ReturnType<RunLua>): RunLua => (req) => { calls.push(req); return value; };
  const cases: Array<{ name: string; result: ReturnType<RunLua>; want: { status: string; message?: string } }> = [
    { name: 'healthy', result: { ok: true, value: { status: 'Healthy', message: 'ready' } }, want: { status: 'Healthy', message: 'ready' } },
    { name: 'error', result: { ok: false, error: '<string>:3: attempt to index a nil value' }, want: { status: 'Unknown', message: 'health script for example.com/Widget: <string>:3: attempt to index a nil value' } },
    { name: 'bad status', result: { ok: true, value: { status: 'Fine' } }, want: { status: 'Unknown', message: 'Lua returned an invalid health status' } },
    { name: 'not a table', result: { ok: true, value: 'Healthy' }, want: { status: 'Unknown', message: 'health script for example.com/Widget: expect table output from Lua script, not string' } },
  ];
  for (const c of cases) assert.deepEqual(assessHealth(widget(), { overrides: settings.resourceOverrides, runLua: runner(c.result) }), c.want, c.name);
  assert.deepEqual({ obj: calls[0]!.obj, openLibs: calls[0]!.openLibs, timeoutMs: calls[0]!.timeoutMs }, { obj: widget(), openLibs: true, timeoutMs: 1000 });
  const deploy: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', generation: 1 }, spec: { replicas: 1 },
    status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 } };
  assert.equal(assessHealth(deploy, { overrides: settings.resourceOverrides, runLua: runner({ ok: true, value: null }) })?.status, 'Healthy', 'nil falls back to the built-in');
  assert.equal(assessHealth(widget(), { overrides: settings.resourceOverrides })?.status, 'Unknown', 'no Lua runtime');
  assert.equal(assessHealth({ ...widget(), metadata: { name: 'w', deletionTimestamp: 'x' } }, { overrides: settings.resourceOverrides })?.message, 'Pending deletion');
});
