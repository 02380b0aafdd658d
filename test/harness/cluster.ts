// Shared test fixture: one real local cluster per test run (not per test), and
// one namespace per test. The runner (scripts/run-tests.ts) starts the cluster
// once and hands its kubeconfig to every test file through
// CAPSTAN_TEST_KUBECONFIG; a file run on its own starts a private cluster and
// stops it when the process exits.
import type { TestContext } from 'node:test';

export interface TestCluster {
  readonly name: string;
  readonly kubeconfigPath: string;
  /** https://127.0.0.1:PORT */
  readonly server: string;
  /** Directory holding etcd, kube-*, kwok, kustomize and helm. */
  readonly binDir: string;
}

export declare function useTestCluster(): Promise<TestCluster>;
export declare function createTestNamespace(t: TestContext, cluster: TestCluster): Promise<string>;
