// autocannon ships no types; the benchmark uses this much of it.
declare module 'autocannon' {
  interface Histogram {
    average: number;
    p50: number;
    p99: number;
  }
  interface Result {
    requests: Histogram;
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  /** `requests`: each connection cycles through these in order. */
  interface Request {
    method?: string;
    path: string;
    headers?: Record<string, string>;
  }
  function autocannon(options: { url: string; headers?: Record<string, string>; connections?: number; duration?: number; pipelining?: number; requests?: readonly Request[] }): Promise<Result>;
  export default autocannon;
}
