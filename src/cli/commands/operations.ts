// Placeholder until the owner of this command lands it.
export const summary = '(not built yet)';
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('snconnect operations: not built yet\n');
  return 1;
}
