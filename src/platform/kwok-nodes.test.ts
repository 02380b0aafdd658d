import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countReadyNodes, kwokNodeAnnotation, kwokNodeManifest } from './kwok-nodes.ts';

test('kwok node manifests carry the annotation kwok manages', () => {
  const node = kwokNodeManifest(2) as { metadata: { name: string; annotations: Record<string, string> } };
  assert.equal(node.metadata.name, 'kwok-node-2');
  assert.equal(node.metadata.annotations[kwokNodeAnnotation], 'fake');
});

test('countReadyNodes counts Ready=True only', () => {
  const cases = [
    { name: 'empty list', body: { items: [] }, want: 0 },
    { name: 'no status yet', body: { items: [{}] }, want: 0 },
    { name: 'one ready, one not', want: 1, body: { items: [
      { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'MemoryPressure', status: 'True' }] } },
    ] } },
  ];
  for (const c of cases) assert.equal(countReadyNodes(JSON.stringify(c.body)), c.want, c.name);
});
