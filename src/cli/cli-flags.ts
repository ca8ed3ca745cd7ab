/** The value after `--name` in a command's arguments (`--from 2026-11-01`), or undefined when the flag is absent. */
export function flag(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
}
