/**
 * A command's options (Node edge): every `ruledex` command takes options only, among them
 * `--help`/`-h`, and answers unusable arguments and `--help` the same way.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']> & { help: { type: 'boolean'; short?: string } };

/** The option values `parseArgs` gives for `options`. */
export type OptionValues<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: false; strict: true }>>['values'];

/**
 * Parses `args` strictly: the values, or the exit status when the command ends here: 2 for
 * unusable arguments (the reason and the help on stderr), 0 for `--help` (the help on stdout).
 */
export function commandOptions<O extends OptionsConfig>(command: string, args: string[], options: O, help: string): { values: OptionValues<O> } | { exit: number } {
  let values: OptionValues<O>;
  try {
    ({ values } = parseArgs({ args, options, allowPositionals: false, strict: true }));
  } catch (e) {
    process.stderr.write(`ruledex ${command}: ${e instanceof Error ? e.message : String(e)}\n\n${help}\n`);
    return { exit: 2 };
  }
  if ((values as { help?: boolean }).help) {
    process.stdout.write(`${help}\n`);
    return { exit: 0 };
  }
  return { values };
}
