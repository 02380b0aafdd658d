// Builds the web UI (src/ui) with Vite into dist/ui, the directory the API
// server serves. Paths in the output are relative, so the files work under
// any prefix. scripts/ensure-deps.sh runs it only when its inputs changed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the built UI goes (and where `capstan up` and the server look for it). */
export const uiBuildDir = path.join(root, 'dist', 'ui');

export async function buildUi(outDir = uiBuildDir): Promise<void> {
  await build({
    root: path.join(root, 'src', 'ui'),
    base: './',
    configFile: false,
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: { outDir, emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400, reportCompressedSize: false },
  });
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildUi(process.argv[2] ?? uiBuildDir);
}
