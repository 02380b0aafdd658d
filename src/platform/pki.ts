// The local cluster's PKI, made with the openssl CLI: a CA, the API server's
// serving certificate (SANs 127.0.0.1 and localhost), an admin client
// certificate in group system:masters, and the service-account signing key
// pair. EC P-256 keys keep generation fast. The two leaf certificates are
// signed at once, so each gets its own random 128-bit serial number: openssl's
// `-CAcreateserial` would have both read and rewrite one `ca.srl` file, and a
// reader catching the other's write half done fails ("Unable to load number").
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CapstanError } from '../errors.ts';

const run = promisify(execFile);

export interface ClusterPki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
}

export function pkiPaths(dir: string): ClusterPki {
  const at = (name: string): string => path.join(dir, name);
  return {
    dir,
    caCert: at('ca.crt'), caKey: at('ca.key'),
    serverCert: at('apiserver.crt'), serverKey: at('apiserver.key'),
    adminCert: at('admin.crt'), adminKey: at('admin.key'),
    serviceAccountKey: at('sa.key'), serviceAccountPub: at('sa.pub'),
  };
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 30_000 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new CapstanError('PkiFailed', `openssl ${args[0]} failed: ${stderr.trim() || String(err)}`, { cause: err });
  }
}

async function ecKey(file: string): Promise<void> {
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

async function signedCert(pki: ClusterPki, key: string, cert: string, subject: string, ext: string): Promise<void> {
  const csr = `${cert}.csr`;
  const extFile = `${cert}.ext`;
  await writeFile(extFile, ext);
  await openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
  await openssl(['x509', '-req', '-in', csr, '-CA', pki.caCert, '-CAkey', pki.caKey, '-set_serial', randomSerial(),
    '-days', '3650', '-sha256', '-extfile', extFile, '-out', cert]);
}

/** A positive 128-bit serial in openssl's hex form (RFC 5280: at most 20 octets, positive). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40; // positive, and a full 16 octets
  return `0x${bytes.toString('hex')}`;
}

/** Writes a fresh PKI into `dir` and returns the paths. */
export async function createPki(dir: string): Promise<ClusterPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pki = pkiPaths(dir);
  await Promise.all([ecKey(pki.caKey), ecKey(pki.serverKey), ecKey(pki.adminKey), ecKey(pki.serviceAccountKey)]);
  await openssl(['req', '-x509', '-new', '-key', pki.caKey, '-subj', '/CN=capstan-local-ca', '-days', '3650',
    '-sha256', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-out', pki.caCert]);
  await Promise.all([
    signedCert(pki, pki.serverKey, pki.serverCert, '/CN=kube-apiserver',
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' +
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1\n'),
    signedCert(pki, pki.adminKey, pki.adminCert, '/O=system:masters/CN=capstan-admin',
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n'),
    openssl(['pkey', '-in', pki.serviceAccountKey, '-pubout', '-out', pki.serviceAccountPub]),
  ]);
  return pki;
}
