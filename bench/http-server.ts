/**
 * The HTTP API in its own process, for the load test: opens the benchmark database,
 * creates a sign-in account for the practice's owner, listens on 127.0.0.1 and prints
 * {"port": n} once ready. Usage: tsx bench/http-server.ts <postgres-url> <practice> <password>
 */
import { buildServer } from '../src/server/main.js';
import { Accounts } from '../src/store/auth/accounts.js';
import { ChartGuard } from '../src/store/chartguard.js';

const [url, practice, password] = process.argv.slice(2);
if (!url || !practice || !password) throw new Error('usage: http-server.ts <postgres-url> <practice> <password>');
const cg = await ChartGuard.open({ url, migrate: false });
const accounts = new Accounts(cg);
await accounts.createUser(practice, 'm0000', `owner@${practice}`, password);
const app = await buildServer({ chartguard: cg, accounts, webRoot: null, signInPerMinute: 1000 });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }) + '\n');
process.on('SIGTERM', () => {
  void app.close().then(() => cg.close()).then(() => process.exit(0));
});
