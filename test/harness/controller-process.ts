// Runs the engine in its own process (for tests that kill it): arguments are
// the kubeconfig path and the control namespace; it runs until killed.
import { startEngine } from '../../src/engine.ts';

const [kubeconfigPath, namespace, cacheDir] = process.argv.slice(2);
await startEngine({ kubeconfigPath: kubeconfigPath!, namespace: namespace!, cacheDir: cacheDir!, waveDelayMs: 0,
  log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write('engine started\n');
setInterval(() => undefined, 1 << 30);
