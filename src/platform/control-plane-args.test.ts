import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryPathsIn } from '../render/tool-binaries.ts';
import { clusterDirs } from './cluster-state.ts';
import {
  apiserverCommand, controllerManagerCommand, etcdCommand, kwokCommand, schedulerCommand, type ControlPlaneLayout,
} from './control-plane-args.ts';
import { pkiPaths } from './pki.ts';

const dirs = clusterDirs('/h', 'c1');
const layout: ControlPlaneLayout = {
  bin: binaryPathsIn('/bin-dir'), dirs, pki: pkiPaths(dirs.pki),
  ports: { etcdClient: 2001, etcdPeer: 2002, apiserver: 2003, controllerManager: 2004, scheduler: 2005, kwok: 2006 },
};

test('every component listens on loopback only, on its own port', () => {
  const commands = [etcdCommand, apiserverCommand, controllerManagerCommand, schedulerCommand, kwokCommand].map((f) => f(layout));
  for (const cmd of commands) {
    const joined = cmd.args.join(' ');
    assert.doesNotMatch(joined, /(=|\/\/)0\.0\.0\.0/, `${cmd.component} binds no wildcard address`);
    assert.ok(cmd.binary.startsWith('/bin-dir/'), `${cmd.component} runs the cached binary`);
  }
  const api = commands[1]!.args;
  assert.ok(api.includes('--secure-port=2003'));
  assert.ok(api.includes('--etcd-servers=http://127.0.0.1:2001'));
  assert.ok(api.includes('--bind-address=127.0.0.1'));
  assert.ok(commands[2]!.args.includes('--secure-port=2004'));
  assert.ok(commands[3]!.args.includes('--secure-port=2005'));
  assert.ok(commands[4]!.args.includes('--server-address=127.0.0.1:2006'));
  assert.ok(commands[4]!.args.includes('--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake'));
});

test('controllers run without leader election so several clusters never contend', () => {
  for (const f of [controllerManagerCommand, schedulerCommand]) assert.ok(f(layout).args.includes('--leader-elect=false'));
});
