/**
 * A real SMTP server for tests (the `smtp-server` package) on an ephemeral port: it requires
 * the sign-in it is given, keeps every message it accepts (envelope, headers, decoded text),
 * and refuses a recipient or a message's data with the reply a test sets, as a mail server
 * that is down for a while or rejects an address would.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly envelopeTo: string[];
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

/** A reply refusing the next RCPT TO or DATA: its code (4xx temporary, 5xx for good) and text. */
export interface Refusal {
  readonly at: 'rcpt' | 'data';
  readonly code: number;
  readonly text: string;
}

export interface TestSmtpServer {
  /** smtp://user:pass@127.0.0.1:PORT */
  readonly url: string;
  readonly received: ReceivedMail[];
  /** Every RCPT TO and DATA the server answered, refused or not. */
  readonly tries: { at: 'rcpt' | 'data'; refused: boolean }[];
  /** Decides the answer to each RCPT TO and DATA; null accepts. */
  refuse: (at: 'rcpt' | 'data', to: string) => Refusal | null;
  /** Milliseconds to hold each message's DATA before answering (to interleave two senders). */
  dataDelayMs: number;
  close(): Promise<void>;
}

const USER = 'chartguard';
const PASS = 'mail-secret';

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const state: Omit<TestSmtpServer, 'url' | 'close'> = { received: [], tries: [], refuse: () => null, dataDelayMs: 0 };
  const refusal = (r: Refusal) => Object.assign(new Error(r.text), { responseCode: r.code });
  const server = new SMTPServer({
    logger: false,
    // Plain SMTP on loopback: no STARTTLS (the server's built-in certificate would not verify).
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, done) {
      if (auth.username === USER && auth.password === PASS) done(null, { user: USER });
      else done(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, done) {
      const r = state.refuse('rcpt', address.address);
      state.tries.push({ at: 'rcpt', refused: r !== null });
      done(r ? refusal(r) : undefined);
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const envelopeTo = session.envelope.rcptTo.map((a) => a.address);
        const r = state.refuse('data', envelopeTo.join(','));
        state.tries.push({ at: 'data', refused: r !== null });
        setTimeout(() => {
          if (r) return done(refusal(r));
          state.received.push({ envelopeTo, ...parse(Buffer.concat(chunks).toString('utf8')) });
          done(null);
        }, state.dataDelayMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(state, {
    url: `smtp://${USER}:${PASS}@127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** The headers a test asserts and the text body, decoded (7bit, quoted-printable or base64). */
function parse(raw: string): Omit<ReceivedMail, 'envelopeTo'> {
  const split = raw.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4);
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  if (encoding === 'quoted-printable') {
    body = Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  } else if (encoding === 'base64') {
    body = Buffer.from(body, 'base64').toString('utf8');
  }
  return { from: headers.get('from') ?? '', to: headers.get('to') ?? '', subject: headers.get('subject') ?? '', body: body.replace(/\r\n/g, '\n').replace(/\n$/, '') };
}
