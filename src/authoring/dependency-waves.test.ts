import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DependencyCycleError, UnknownDependencyError } from './authoring-errors.ts';
import { dependencyWaves, type WaveNode } from './dependency-waves.ts';

const node = (name: string, dependsOn: string[] = [], minWave?: number): WaveNode => ({ name, dependsOn, ...(minWave !== undefined ? { minWave } : {}) });

test('dependencies become waves one step above what they depend on', () => {
  const cases: Array<{ name: string; nodes: WaveNode[]; step?: number; want: Record<string, number> }> = [
    { name: 'independent apps share wave 0', nodes: [node('a'), node('b')], want: { a: 0, b: 0 } },
    { name: 'a chain', nodes: [node('c', ['b']), node('b', ['a']), node('a')], want: { a: 0, b: 10, c: 20 } },
    { name: 'a diamond takes the longest path', nodes: [node('top'), node('left', ['top']), node('right', ['left']), node('bottom', ['left', 'right'])],
      want: { top: 0, left: 10, right: 20, bottom: 30 } },
    { name: 'a minimum wave is kept when higher', nodes: [node('db', [], 100), node('app', ['db'])], want: { db: 100, app: 110 } },
    { name: 'a minimum wave below its dependencies is raised', nodes: [node('db', [], 50), node('app', ['db'], 20)], want: { db: 50, app: 60 } },
    { name: 'negative minimum waves', nodes: [node('crds', [], -10), node('app', ['crds'])], want: { crds: -10, app: 0 } },
    { name: 'a custom step', nodes: [node('a'), node('b', ['a'])], step: 1, want: { a: 0, b: 1 } },
    { name: 'a dependency listed twice counts once', nodes: [node('a'), node('b', ['a', 'a'])], want: { a: 0, b: 10 } },
  ];
  for (const c of cases) assert.deepEqual(Object.fromEntries(dependencyWaves(c.nodes, c.step)), c.want, c.name);
});

test('a dependency cycle is an error naming the apps of the cycle in order', () => {
  const cases: Array<{ name: string; nodes: WaveNode[]; cycle: string[] }> = [
    { name: 'two apps', nodes: [node('a', ['b']), node('b', ['a'])], cycle: ['a', 'b', 'a'] },
    { name: 'itself', nodes: [node('a', ['a'])], cycle: ['a', 'a'] },
    { name: 'a longer cycle behind a healthy app', nodes: [node('root'), node('x', ['root', 'y']), node('y', ['z']), node('z', ['x'])], cycle: ['x', 'y', 'z', 'x'] },
  ];
  for (const c of cases) {
    assert.throws(() => dependencyWaves(c.nodes), (err: unknown) => {
      assert.ok(err instanceof DependencyCycleError, c.name);
      assert.deepEqual(err.cycle, c.cycle, c.name);
      assert.equal(err.message, `dependency cycle between applications: ${c.cycle.join(' → ')}`);
      assert.equal(err.code, 'DependencyCycle');
      return true;
    });
  }
});

test('a dependency on an unknown app names the app, the dependency and the apps there are', () => {
  assert.throws(() => dependencyWaves([node('backstage-dev', ['postgres']), node('redis')]), (err: unknown) => {
    assert.ok(err instanceof UnknownDependencyError);
    assert.equal(err.message, 'application "backstage-dev" depends on "postgres", which is not an application of this platform (applications: backstage-dev, redis)');
    return true;
  });
});
