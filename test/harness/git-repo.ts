// Real git repositories for tests, built in a temp dir: write files, commit,
// branch and tag, and get the commit ids back.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class TestRepo {
  readonly dir: string;

  constructor(prefix = 'capstan-repo-') {
    this.dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    this.git('init', '--quiet', '--initial-branch=main');
    this.git('config', 'user.email', 'test@capstan.dev');
    this.git('config', 'user.name', 'Capstan Test');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' }).trim();
  }

  /** Writes files (path → content; undefined deletes) and commits; returns the commit id. */
  commit(files: Record<string, string | undefined>, message = 'change'): string {
    for (const [file, content] of Object.entries(files)) {
      const full = path.join(this.dir, file);
      if (content === undefined) rmSync(full, { force: true, recursive: true });
      else { mkdirSync(path.dirname(full), { recursive: true }); writeFileSync(full, content); }
    }
    this.git('add', '-A');
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Copies a directory tree from disk into the repository (not committed). */
  copyFrom(source: string, into = '.'): void {
    execFileSync('cp', ['-R', `${source}/.`, path.join(this.dir, into)]);
  }

  tag(name: string): void { this.git('tag', name); }
  branch(name: string): void { this.git('checkout', '--quiet', '-b', name); }
  checkout(name: string): void { this.git('checkout', '--quiet', name); }

  remove(): void { rmSync(this.dir, { recursive: true, force: true }); }
}
