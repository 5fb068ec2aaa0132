/**
 * `chartguard start | serve | demo`: the server's command-line entry points.
 *
 * Environment: HOST (default 127.0.0.1), PORT (default 3000), DATABASE_URL (a PostgreSQL
 * server; default embedded PGlite under CHARTGUARD_DATA_DIR, default ./.data),
 * CHARTGUARD_IDLE_MINUTES (automatic logoff, default 15), CHARTGUARD_SECURE_COOKIES=1
 * (behind HTTPS), CHARTGUARD_TRUST_PROXY (behind a reverse proxy: 1, or its addresses),
 * CHARTGUARD_SMTP_URL and CHARTGUARD_MAIL_FROM (the outbox's mail server; without one, mail
 * is written to the log).
 * Operations (README "Operating ChartGuard"): CHARTGUARD_LOG_LEVEL, CHARTGUARD_DISK_MARGIN_MB,
 * CHARTGUARD_WATCHDOG_MS, CHARTGUARD_SHUTDOWN_MS, CHARTGUARD_DB_*_MS, CHARTGUARD_LISTEN_*_MS.
 */
import { Accounts } from '../store/auth/accounts.js';
import { ChartGuard } from '../store/chartguard.js';
import { issueSetupLink } from '../store/auth/practice-setup.js';
import { createDemoPractice, type DemoResult } from '../store/demo.js';
import { keepLogMonthsAhead } from '../store/db/log-partitions.js';
import { MailSender } from '../store/mail/sender.js';
import { mailSettingsProblem, mailTransport } from '../store/mail/transport.js';
import { buildServer } from './app.js';
import { onShutdown } from './shutdown.js';
import { startWatchdog } from './watchdog.js';

export { buildServer } from './app.js';

function settings() {
  const idle = Number(process.env.CHARTGUARD_IDLE_MINUTES ?? 15);
  return {
    host: process.env.HOST || '127.0.0.1',
    port: Number(process.env.PORT || 3000),
    url: process.env.DATABASE_URL || undefined,
    dataDir: process.env.CHARTGUARD_DATA_DIR || '.data',
    idleMs: (Number.isFinite(idle) && idle > 0 ? idle : 15) * 60_000,
    secureCookies: process.env.CHARTGUARD_SECURE_COOKIES === '1',
    trustProxy: trustProxy(process.env.CHARTGUARD_TRUST_PROXY),
    mail: { smtpUrl: process.env.CHARTGUARD_SMTP_URL || undefined, from: process.env.CHARTGUARD_MAIL_FROM || undefined },
  };
}

/** CHARTGUARD_TRUST_PROXY: '1' or 'true' trusts X-Forwarded-For; otherwise a comma-separated list of proxy addresses or CIDRs. */
function trustProxy(value: string | undefined): boolean | string[] | undefined {
  if (!value) return undefined;
  if (value === '1' || value === 'true') return true;
  return value.split(',').map((x) => x.trim()).filter(Boolean);
}

function printLogins(demo: DemoResult): void {
  console.log(`Demo practice "${demo.practice}": sign in with any of these usernames, password "${demo.password}":`);
  for (const l of demo.logins) console.log(`  ${l.username.padEnd(8)} ${l.what}`);
  if (demo.recoveryCodes.length > 0) {
    const owner = demo.logins.find((l) => l.what.startsWith('account owner'))?.username ?? 'the account owner';
    console.log(`Recovery codes of ${owner} (each works once, with the password, in place of the authenticator app's code or past a sign-in backoff; shown only now):`);
    console.log(`  ${demo.recoveryCodes.join('  ')}`);
  }
}

/** `start --no-demo` on a database without a practice: the one-time link where the owner sets one up. */
async function printSetupLink(cg: ChartGuard, address: string): Promise<void> {
  if ((await cg.db.query('select 1 from chartguard.practices limit 1')).length > 0) return;
  const base = (process.env.CHARTGUARD_PUBLIC_URL?.trim() || address).replace(/\/+$/, '');
  const token = await issueSetupLink(cg);
  console.log('No practice yet. Set yours up in a browser with this link (it works once, for one hour; starting again prints a new one):');
  console.log(`  ${base}/setup/${token}`);
  console.log("There you name the practice and choose the account owner's username and password; the owner's recovery codes are shown there, once.");
}

export async function runServerCommand(command: string, args: string[]): Promise<number> {
  const noDemo = command === 'start' && args.includes('--no-demo');
  const unknown = args.filter((a) => !(command === 'start' && a === '--no-demo'));
  if (unknown.length > 0) {
    console.error(`chartguard ${command}: unknown argument ${JSON.stringify(unknown[0])}${command === 'start' ? ' (start takes --no-demo)' : ''}`);
    return 2;
  }
  const env = settings();
  const mailProblem = mailSettingsProblem(env.mail);
  if (mailProblem) {
    console.error(mailProblem);
    return 2;
  }
  const cg = await ChartGuard.open({ url: env.url, dataDir: env.dataDir });
  const accounts = new Accounts(cg, { idleMs: env.idleMs });
  if (command === 'demo' || (command === 'start' && !noDemo)) {
    const anyPractice = (await cg.db.query('select 1 from chartguard.practices limit 1')).length > 0;
    if (command === 'demo' || !anyPractice || (await cg.practiceExists('demo'))) {
      const demo = await createDemoPractice(cg, accounts);
      if (demo.created) console.log('Created the demo practice.');
      printLogins(demo);
    }
    if (command === 'demo') {
      await cg.close();
      return 0;
    }
  }
  const app = await buildServer({
    chartguard: cg,
    accounts,
    secureCookies: env.secureCookies,
    mailConfigured: env.mail.smtpUrl !== undefined,
    publicUrl: process.env.CHARTGUARD_PUBLIC_URL ?? null,
    ...(env.trustProxy !== undefined ? { trustProxy: env.trustProxy } : {}) });
  const address = await app.listen({ host: env.host, port: env.port });
  console.log(`ChartGuard is serving on ${address} (API reference: ${address}/api/docs)`);
  if (noDemo) await printSetupLink(cg, address);
  const stopWatchdog = startWatchdog();
  const stopLogMonths = keepLogMonthsAhead(cg.db, (error) => app.log.error({ err: error }, 'could not create the activity log\'s next months'));
  // The outbox's sender: commands only queue mail; this loop delivers it (src/store/mail/).
  const mail = new MailSender(cg, { transport: mailTransport(env.mail, app.log), log: app.log }).start();
  onShutdown(app, async () => {
    stopLogMonths();
    await mail.stop();
    await stopWatchdog();
    await accounts.settled();
    await cg.close();
  });
  return new Promise<number>(() => {});
}
