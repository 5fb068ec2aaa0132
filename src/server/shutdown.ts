/**
 * A clean stop on SIGTERM or SIGINT: stop accepting connections, let in-flight requests
 * finish (Fastify's close; new requests on kept-alive connections get 503), then close the
 * database, which releases the data directory's lock. A stop that takes longer than
 * CHARTGUARD_SHUTDOWN_MS (default 10 s), or a second signal, exits at once with 1.
 */
import type { FastifyInstance } from 'fastify';

export function onShutdown(app: FastifyInstance, closeRest: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      app.log.error({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    const limit = Number(process.env.CHARTGUARD_SHUTDOWN_MS) > 0 ? Number(process.env.CHARTGUARD_SHUTDOWN_MS) : 10_000;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    setTimeout(() => {
      app.log.error({ limitMs: limit }, 'shutdown took too long: exiting');
      process.exit(1);
    }, limit).unref();
    void (async () => {
      try {
        await app.close();
        await closeRest();
        app.log.info('stopped');
        process.exit(0);
      } catch (err) {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      }
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
