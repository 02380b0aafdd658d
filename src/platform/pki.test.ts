import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPki } from './pki.ts';

test('PKIs made at once each sign with their own random serials and share no serial file', async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'capstan-pki-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const all = await Promise.all(Array.from({ length: 6 }, (_, i) => createPki(path.join(home, `pki-${i}`))));
  const serials = new Set<string>();
  for (const pki of all) {
    const ca = new X509Certificate(readFileSync(pki.caCert));
    for (const file of [pki.serverCert, pki.adminCert]) {
      const cert = new X509Certificate(readFileSync(file));
      assert.ok(cert.verify(ca.publicKey), `${file} is signed by its CA`);
      assert.ok(cert.serialNumber.length >= 32, `${file}: a 128-bit serial (${cert.serialNumber})`);
      serials.add(cert.serialNumber);
    }
    // `-CAcreateserial` kept the CA's next serial in ca.srl, read and rewritten by both signings at once.
    assert.equal(existsSync(path.join(pki.dir, 'ca.srl')), false, 'no serial file to race on');
  }
  assert.equal(serials.size, all.length * 2, 'every certificate has its own serial');
});
