/**
 * A TCP proxy in front of PostgreSQL that can freeze the connections that LISTEN, or all of
 * them: bytes stop flowing both ways, no error, no close, as when a NAT or firewall forgets
 * a connection or the server hangs. For the fault tests.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  listener: boolean;
  held: { to: Socket; data: Buffer }[] | null;
}

export class FreezingProxy {
  private readonly pairs = new Set<Pair>();
  private frozen: 'no' | 'listeners' | 'all' = 'no';
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<FreezingProxy> {
    const pairs = new Set<Pair>();
    let proxy: FreezingProxy | null = null;
    const server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      const pair: Pair = { client, upstream, listener: false, held: proxy?.frozenMode === 'all' ? [] : null };
      pairs.add(pair);
      const forward = (to: Socket) => (data: Buffer) => {
        if (to === upstream && /listen "/i.test(data.toString('latin1'))) {
          pair.listener = true;
          if (proxy?.frozenMode === 'listeners') pair.held ??= [];
        }
        if (pair.held) pair.held.push({ to, data });
        else to.write(data);
      };
      client.on('data', forward(upstream));
      upstream.on('data', forward(client));
      const end = () => {
        client.destroy();
        upstream.destroy();
        pairs.delete(pair);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    proxy = new FreezingProxy(server, (server.address() as { port: number }).port);
    (proxy as unknown as { pairs: Set<Pair> }).pairs = pairs;
    return proxy;
  }

  get frozenMode(): 'no' | 'listeners' | 'all' {
    return this.frozen;
  }

  /** Holds every byte of every connection, now and new ones, until thaw(): a frozen server. */
  freezeAll(): void {
    this.frozen = 'all';
    for (const p of this.pairs) p.held ??= [];
  }

  /** Holds every byte of the LISTENing connections (now and new ones) until thaw(). */
  freezeListeners(): number {
    this.frozen = 'listeners';
    let n = 0;
    for (const p of this.pairs) if (p.listener) (p.held ??= [], n++);
    return n;
  }

  thaw(): void {
    this.frozen = 'no';
    for (const p of this.pairs) {
      const held = p.held;
      p.held = null;
      for (const h of held ?? []) h.to.write(h.data);
    }
  }

  async close(): Promise<void> {
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
    await new Promise((r) => this.server.close(r));
  }
}
