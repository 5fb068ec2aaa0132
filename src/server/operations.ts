/**
 * What an operator sees and relies on (issue 12): a structured log line per request (pino,
 * through Fastify, with a request id), errors logged with their cause, and the disk guard
 * that refuses changes with 507 while the data directory's disk is below its margin.
 *
 * CHARTGUARD_LOG_LEVEL: fatal, error, warn, info (default), debug, trace or silent.
 */
import { randomUUID } from 'node:crypto';
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { onDatabaseEvent } from '../store/db/db-faults.js';
import { DiskSpace, diskMarginBytes } from '../store/db/disk-space.js';

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * `logger` of ServerOptions: false for none, a level, a level and where the lines go, or
 * undefined (or true) for CHARTGUARD_LOG_LEVEL (default info) on standard output.
 */
export type LoggerSetting = boolean | string | { readonly level: string; readonly stream: { write(line: string): void } } | undefined;

/** One line per request, when it completes: method, path, status, milliseconds, request id. */
class RequestLines extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null, req: FastifyRequest, reply: FastifyReply): void {
    const line = { method: req.method, url: req.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 };
    // A fault the server answered on purpose (503, 507) is a warning; a 500 an error.
    if (error || reply.statusCode === 500) reply.log.error({ ...line, ...(error ? { err: error } : {}) }, 'request');
    else if (reply.statusCode >= 500) reply.log.warn(line, 'request');
    else reply.log.info(line, 'request');
  }
}

export function loggerOptions(setting: LoggerSetting): Pick<FastifyServerOptions, 'logger' | 'logController' | 'genReqId'> {
  if (setting === false) return { logger: false };
  const wanted = typeof setting === 'string' ? setting : typeof setting === 'object' ? setting.level : (process.env.CHARTGUARD_LOG_LEVEL ?? 'info').toLowerCase();
  const level = LEVELS.has(wanted) ? wanted : 'info';
  return {
    logger: typeof setting === 'object' ? { level, stream: setting.stream } : { level },
    // One line per request, not Fastify's two.
    logController: new RequestLines(),
    genReqId: () => randomUUID(),
  };
}

/** The x-request-id header, the disk guard, and the database's events in the log. */
export function registerOperations(app: FastifyInstance, disk: DiskSpace | null): void {
  const unsubscribe = onDatabaseEvent((e) => {
    if (e.kind === 'listener_back') app.log.info({ event: e.kind }, e.detail);
    else app.log.warn({ event: e.kind }, e.detail);
  });
  app.addHook('onClose', async () => void unsubscribe());
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  if (disk) {
    // Before the handler (and before any database work): a change below the margin answers 507; reads go on.
    app.addHook('preHandler', async (req) => {
      if (WRITES.has(req.method)) disk.assertWritable();
    });
  }
}

/** The disk guard of a database with a data directory (PGlite on disk); null otherwise. */
export function diskSpaceFor(dataDir: string | undefined, app: FastifyInstance): DiskSpace | null {
  if (!dataDir) return null;
  const disk = new DiskSpace(dataDir, () => diskMarginBytes(), (low, r) => {
    if (low) app.log.error({ freeBytes: r.freeBytes, marginBytes: r.marginBytes, dataDir }, 'disk below its free-space margin: changes are refused (507) until space is freed; reads go on');
    else app.log.warn({ freeBytes: r.freeBytes, marginBytes: r.marginBytes, dataDir }, 'disk space is back above the margin: changes are accepted again');
  });
  try {
    disk.read();
  } catch (err) {
    app.log.warn({ err, dataDir }, 'cannot read the free space of the data directory');
  }
  return disk;
}
