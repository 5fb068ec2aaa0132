export async function runServerCommand(command: string, _args: string[]): Promise<number> {
  console.error(`${command}: the server is not built yet`);
  return 1;
}
