import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/program.ts';
import { cli, testContext } from './support/run-cli.ts';

/** Every command that does something (the leaves of the command tree), with its full name. */
function leaves(command: Command, prefix: string[] = []): string[][] {
  const children = command.commands.filter((c) => c.name() !== 'help');
  if (children.length === 0) return [prefix];
  return children.flatMap((c) => leaves(c, [...prefix, c.name()]));
}

const commands = leaves(buildProgram(testContext({ cwd: '/' })));

describe('the recon program', () => {
  it('has the commands of the spec', () => {
    const names = commands.map((c) => c.join(' '));
    for (const name of [
      'init',
      'enqueue',
      'queue stats',
      'queue get',
      'dlq list',
      'dlq reenqueue',
      'deploy',
      'dev',
    ]) {
      expect(names).toContain(name);
    }
  });

  it.each(commands.map((c) => [c.join(' '), c]))(
    '`recon %s --help` exits 0 with an example',
    async (_name, argv) => {
      const r = await cli([...(argv as string[]), '--help'], { cwd: '/' });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples?:\n {2}(\S+=\S+ )*recon /);
    },
  );

  it('exits 2 for an unknown command', async () => {
    const r = await cli(['enqeue', 'k'], { cwd: '/' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'enqeue'");
  });
});
