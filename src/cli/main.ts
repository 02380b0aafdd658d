// The `capstan` command: parses arguments and lazily imports what each
// command needs, so `capstan --help` stays fast. Output that nobody reads any
// more (a closed pipe or terminal: EPIPE) is dropped instead of crashing the
// command, so `capstan up` still stops the clusters it started.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { registerAppCommand } from './commands/app.ts';
import { registerAppSetCommand } from './commands/appset.ts';
import { registerClusterCommand } from './commands/cluster.ts';
import { registerControllerCommand } from './commands/controller.ts';
import { registerRenderCommand } from './commands/render.ts';
import { registerServerCommand } from './commands/server.ts';
import { registerUpCommand } from './commands/up.ts';
import { reportAndExit } from './exit.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('capstan')
    .description('A GitOps engine for Argo CD Applications, ApplicationSets and AppProjects')
    .version(pkg.version, '-v, --version')
    .showHelpAfterError()
    .enablePositionalOptions();
  registerClusterCommand(program);
  registerControllerCommand(program);
  registerServerCommand(program);
  registerAppCommand(program);
  registerAppSetCommand(program);
  registerUpCommand(program);
  registerRenderCommand(program);
  return program;
}

/** Lets writes to a stream whose reader is gone fail quietly; other stream errors still surface. */
export function tolerateClosedOutput(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => { if (err.code !== 'EPIPE') throw err; });
}

export async function main(argv: string[]): Promise<void> {
  tolerateClosedOutput(process.stdout);
  tolerateClosedOutput(process.stderr);
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    reportAndExit(err);
  }
}
