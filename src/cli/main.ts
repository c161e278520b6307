/**
 * `ruledex` command line: dispatches to one module per command. Commands print what they did
 * and where their output went; only this layer decides exit codes.
 */
type Command = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  build: { summary: 'build the site of the configured sources (or content/, or --source DIRs) into dist/', load: () => import('./commands/build') },
  dev: { summary: 'serve the site with live reload, rebuilding incrementally when a rule changes', load: () => import('./commands/dev') },
  catalog: { summary: 'read rule sources and write the catalog JSON, with a summary', load: () => import('./commands/catalog') },
  parse: { summary: 'parse every query of the sources (or one on stdin) and report', load: () => import('./commands/parse') },
  eval: { summary: 'run queries over events (NDJSON on stdin), or a rule over an events file', load: () => import('./commands/eval') },
  sync: { summary: 'fetch the upstream sources of ruledex.config.json into the cache folder', load: () => import('./commands/sync') },
  attack: { summary: 'print ATT&CK coverage per tactic; write Navigator layers and CSV', load: () => import('./commands/attack') },
};

function usage(): string {
  const lines = ['usage: ruledex <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', 'Run `ruledex <command> --help` for a command\'s options.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`ruledex: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}
