/**
 * Browser tests' harness: the real server as a child process (`chartguard start` on a free
 * port, in-memory database, the demo practice), the web app freshly built, and Debian's
 * Chromium driven by playwright-core with a fresh profile. scripts/screenshots.ts uses it too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export function haveChromium(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * Builds the web app into dist/web with the repository's vite.config.ts, once per test run:
 * test files run in parallel forks of one vitest process, so a lock directory serializes
 * them and a stamp naming the run (the forks' parent) lets the later ones skip the build.
 */
export async function buildWeb(): Promise<void> {
  const dist = join(REPO, 'dist');
  const lock = join(dist, '.web-build-lock');
  const stamp = join(dist, '.web-build-run');
  const run = `${process.ppid}`;
  mkdirSync(dist, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true }); // left by a killed run
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const built = existsSync(stamp) && readFileSync(stamp, 'utf8') === run && existsSync(join(dist, 'web/index.html'));
    if (built && process.env.VITEST) return;
    const { build } = await import('vite');
    // Under vitest NODE_ENV is "test", which would give React's development build.
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(REPO, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
    } finally {
      process.env.NODE_ENV = before;
    }
    writeFileSync(stamp, run);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface RunningServer {
  readonly url: string;
  readonly password: string;
  /** The setup link `start --no-demo` printed on the empty database. */
  readonly setupLink: string | null;
  stop(): Promise<void>;
}

/**
 * Starts `chartguard start` on a free port with an in-memory database and the demo practice
 * (`args: ['--no-demo']`: none, and `setupLink` is the link it printed).
 */
export async function startServer(env: Record<string, string> = {}, args: readonly string[] = []): Promise<RunningServer> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: '0', CHARTGUARD_DATA_DIR: 'memory', ...env };
  delete childEnv.DATABASE_URL; // the demo runs on its own embedded database, never the CI server's
  const child: ChildProcess = spawn(process.execPath, [join(REPO, 'bin/chartguard.mjs'), 'start', ...args], { cwd: REPO, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const noDemo = args.includes('--no-demo');
  const started = await new Promise<{ url: string; password: string; setupLink: string | null }>((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 60 s:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const url = /serving on (http:\/\/[^\s]+)/.exec(out)?.[1];
      const setupLink = /(http:\/\/\S+\/setup\/\S+)/.exec(out)?.[1] ?? null;
      if (url && (!noDemo || setupLink)) {
        clearTimeout(timer);
        const password = /password "([^"]+)"/.exec(out)?.[1] ?? '';
        resolveStart({ url, password, setupLink });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before serving:\n${out}`));
    });
  });
  return {
    ...started,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile directory, removed on close. */
export async function launchBrowser(viewport = { width: 1280, height: 860 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'chartguard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the sign-in page (signing out first when someone is signed in). */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/clients`);
  const signOut = page.getByRole('button', { name: 'Sign out' });
  const username_ = page.getByLabel('Username');
  await Promise.race([signOut.waitFor(), username_.waitFor()]);
  if (await signOut.isVisible()) {
    await signOut.click();
    await username_.waitFor();
  }
  await username_.fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
