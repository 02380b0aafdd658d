// The `capstan` command: parses arguments and lazily imports what each
// command needs, so `capstan --help` stays fast.
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

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    reportAndExit(err);
  }
}
