/**
 * How a mail leaves: over SMTP (nodemailer, CHARTGUARD_SMTP_URL), or, where no mail server is
 * configured, as a line in the server's log, so a development setup still sees its
 * invitations. A try's outcome is a value: delivered, or refused with whether trying again
 * can help.
 */
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

export type Delivery =
  | { readonly ok: true }
  /** `permanent`: the server refused this mail for good (its address); trying again cannot help. */
  | { readonly ok: false; readonly permanent: boolean; readonly error: string };

export interface MailTransport {
  /** Where mail goes, for the log (never a password). */
  readonly describe: string;
  send(mail: OutgoingMail): Promise<Delivery>;
  close(): void;
}

/** The pino logger's shape (the server's), or anything with the same methods. */
export interface MailLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface MailSettings {
  /** CHARTGUARD_SMTP_URL: smtp://user:password@host:587, or smtps:// for TLS from the start. */
  readonly smtpUrl?: string | undefined;
  /** CHARTGUARD_MAIL_FROM: the sender's address, e.g. "ChartGuard <chartguard@example.org>". */
  readonly from?: string | undefined;
}

/** What is wrong with the settings, as a sentence for an operator; null when they can be used. */
export function mailSettingsProblem(settings: MailSettings): string | null {
  if (!settings.smtpUrl) return null;
  let protocol: string;
  try {
    protocol = new URL(settings.smtpUrl).protocol;
  } catch {
    return 'CHARTGUARD_SMTP_URL is not a URL: write it as smtp://user:password@host:587 (or smtps:// for TLS from the start)';
  }
  if (protocol !== 'smtp:' && protocol !== 'smtps:') return 'CHARTGUARD_SMTP_URL must start with smtp:// or smtps://';
  if (!settings.from) return 'CHARTGUARD_SMTP_URL is set but CHARTGUARD_MAIL_FROM is not: set the address mail is sent from, e.g. "ChartGuard <chartguard@example.org>"';
  return null;
}

/** The transport the settings ask for: SMTP when `smtpUrl` is set, else the log. Throws a TypeError for settings with a problem. */
export function mailTransport(settings: MailSettings, log: MailLog): MailTransport {
  const problem = mailSettingsProblem(settings);
  if (problem) throw new TypeError(problem);
  return settings.smtpUrl ? smtpTransport(settings.smtpUrl, settings.from!) : logTransport(log);
}

/** Delivery over SMTP, one connection per mail, with timeouts well inside the sender's lease. */
export function smtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  const url = new URL(smtpUrl);
  return {
    describe: `${url.protocol}//${url.host}`,
    async send(mail) {
      try {
        await transporter.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.body });
        return { ok: true };
      } catch (err) {
        return { ok: false, permanent: refusedForGood(err), error: err instanceof Error ? err.message : String(err) };
      }
    },
    close: () => transporter.close(),
  };
}

/**
 * A refusal no retry can change: the server rejected the recipient with a 5xx reply, or
 * nodemailer found the address malformed. Anything else (a 4xx, a lost connection, a failed
 * sign-in to the server) is tried again.
 */
function refusedForGood(err: unknown): boolean {
  const e = err as { command?: unknown; responseCode?: unknown; code?: unknown };
  if (e.command === 'RCPT TO' && typeof e.responseCode === 'number') return e.responseCode >= 500;
  return e.command === 'API' && e.code === 'EENVELOPE';
}

/** No mail server: each mail becomes one info line of the server log, and counts as sent. */
export function logTransport(log: MailLog): MailTransport {
  return {
    describe: 'the server log (CHARTGUARD_SMTP_URL is not set)',
    async send(mail) {
      log.info({ mail: { to: mail.to, subject: mail.subject, body: mail.body } }, `mail to ${mail.to} (not sent: no SMTP server configured): ${mail.subject}`);
      return { ok: true };
    },
    close: () => {},
  };
}
