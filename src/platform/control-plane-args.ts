// Command lines of the local control plane's components. Flags follow the
// components' documented options for a single-node loopback cluster: etcd
// without fsync, kube-apiserver with client-certificate and RBAC auth,
// kube-controller-manager and kube-scheduler without leader election, and kwok
// managing only nodes annotated kwok.x-k8s.io/node=fake.
import path from 'node:path';
import type { BinaryPaths } from '../render/tool-binaries.ts';
import type { ClusterDirs, ClusterPorts } from './cluster-state.ts';
import type { ClusterPki } from './pki.ts';

export interface ComponentCommand {
  readonly component: string;
  readonly binary: string;
  readonly args: string[];
}

export interface ControlPlaneLayout {
  readonly bin: BinaryPaths;
  readonly dirs: ClusterDirs;
  readonly pki: ClusterPki;
  readonly ports: ClusterPorts;
}

export function etcdCommand({ bin, dirs, ports }: ControlPlaneLayout): ComponentCommand {
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return {
    component: 'etcd', binary: bin.etcd, args: [
      '--name=node0', `--data-dir=${dirs.etcdData}`,
      `--listen-client-urls=${client}`, `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=node0=${peer}`, '--initial-cluster-state=new',
      '--unsafe-no-fsync=true', '--quota-backend-bytes=4294967296', '--log-level=warn',
    ],
  };
}

export function apiserverCommand({ bin, pki, ports }: ControlPlaneLayout): ComponentCommand {
  return {
    component: 'kube-apiserver', binary: bin.kubeApiserver, args: [
      `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${ports.apiserver}`,
      `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`, `--client-ca-file=${pki.caCert}`,
      '--service-cluster-ip-range=10.0.0.0/24', `--service-account-issuer=https://127.0.0.1:${ports.apiserver}`,
      `--service-account-key-file=${pki.serviceAccountPub}`, `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--authorization-mode=Node,RBAC', '--allow-privileged=true', '--endpoint-reconciler-type=none',
      '--profiling=false', '--v=1',
    ],
  };
}

function componentAuthArgs(kubeconfig: string, port: number): string[] {
  return [
    `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
    '--leader-elect=false', '--bind-address=127.0.0.1', `--secure-port=${port}`, '--profiling=false',
  ];
}

export function controllerManagerCommand({ bin, dirs, pki, ports }: ControlPlaneLayout): ComponentCommand {
  return {
    component: 'kube-controller-manager', binary: bin.kubeControllerManager, args: [
      ...componentAuthArgs(dirs.kubeconfig, ports.controllerManager),
      `--service-account-private-key-file=${pki.serviceAccountKey}`, `--root-ca-file=${pki.caCert}`,
      `--cluster-signing-cert-file=${pki.caCert}`, `--cluster-signing-key-file=${pki.caKey}`,
      '--use-service-account-credentials=false', '--v=1',
    ],
  };
}

export function schedulerCommand({ bin, dirs, ports }: ControlPlaneLayout): ComponentCommand {
  return {
    component: 'kube-scheduler', binary: bin.kubeScheduler,
    args: [...componentAuthArgs(dirs.kubeconfig, ports.scheduler), '--v=1'],
  };
}

export function kwokCommand({ bin, dirs, ports }: ControlPlaneLayout): ComponentCommand {
  return {
    component: 'kwok', binary: bin.kwok, args: [
      `--kubeconfig=${dirs.kubeconfig}`, `--config=${bin.kwokStages}`,
      '--manage-all-nodes=false', '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--node-ip=127.0.0.1', '--node-lease-duration-seconds=40', `--server-address=127.0.0.1:${ports.kwok}`,
      '--cidr=10.244.0.1/16',
    ],
  };
}

export function logFileFor(dirs: ClusterDirs, component: string): string {
  return path.join(dirs.logs, `${component}.log`);
}
