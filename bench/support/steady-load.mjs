// An open-loop load generator: sends requests at a steady rate, evenly spaced, whatever the server does.
//
// autocannon's `overallRate` is not a steady rate: each connection sends back to back until it has used its
// share of the second, then waits for the next one-second tick, so every second starts with a burst of the
// whole second's requests. This sends request i at start + i / rate on a pool of keep-alive connections, and
// measures each latency from the moment the request was due (so time spent waiting for a free connection
// counts: no coordinated omission).
import http from 'node:http';

/**
 * Keep-alive agents by target and pool size, kept from one run to the next: a measured run that follows its
 * warm-up finds the warm-up's connections open, instead of opening them all in its first second.
 */
const agentPool = new Map();

function agentFor(base, maxSockets) {
  const key = `${base.origin}/${maxSockets}`;
  if (!agentPool.has(key)) agentPool.set(key, new http.Agent({ keepAlive: true, maxSockets }));
  return agentPool.get(key);
}

/** Closes every connection the runs kept open. */
export function closeConnections() {
  for (const agent of agentPool.values()) agent.destroy();
  agentPool.clear();
}

/**
 * @param {object} options
 * @param {string | string[]} options.url base URL, e.g. http://127.0.0.1:3000; several: requests take turns
 *                                    (as behind a round-robin load balancer)
 * @param {number} options.rate       requests per second
 * @param {number} options.duration   seconds
 * @param {number} options.connections the most requests in flight (keep-alive sockets)
 * @param {(i: number) => {method: string, path: string, headers: object, body?: string}} options.request
 * @param {(status: number, body: string) => string} [options.classify] the outcome to count for a response
 */
export function steadyLoad({ url, rate, duration, connections, request, classify }) {
  const targets = (Array.isArray(url) ? url : [url]).map((base) => new URL(base));
  const agents = targets.map((base) => agentFor(base, Math.ceil(connections / targets.length)));
  const total = Math.round(rate * duration);
  const latencies = new Float64Array(total);
  const dueAt = new Float64Array(total);
  const outcomes = {};
  let sent = 0;
  let done = 0;
  let errors = 0;
  /** Connection-level failures by error code (ECONNRESET, …): requests that got no response at all. */
  const errorCodes = {};
  /** The longest gap between two ticks of the sending timer in each second of the run. */
  const worstTickGap = [];
  const start = performance.now();

  return new Promise((resolve) => {
    const finish = () => {
      clearInterval(timer);
      const elapsed = (performance.now() - start) / 1000;
      const sorted = Array.from(latencies.subarray(0, done)).sort((a, b) => a - b);
      // Latencies in milliseconds, to a tenth.
      const tenth = (ms) => Math.round(ms * 10) / 10;
      const at = (q) =>
        sorted.length ? tenth(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]) : null;
      // The worst latency of each second of the run, to tell a steady tail from a stall.
      const worstPerSecond = [];
      for (let i = 0; i < done; i++) {
        const second = Math.floor(dueAt[i] / 1000);
        worstPerSecond[second] = Math.max(worstPerSecond[second] ?? 0, Math.round(latencies[i]));
      }
      resolve({
        worstPerSecond,
        worstTickGap: worstTickGap.slice(0, worstPerSecond.length),
        requests: done,
        errors,
        errorCodes,
        achievedRate: Math.round(done / elapsed),
        latency: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.length ? tenth(sorted.at(-1)) : null },
        outcomes,
      });
    };
    const send = (i, due) => {
      const spec = request(i);
      const target = targets[i % targets.length];
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: spec.method,
          path: spec.path,
          headers:
            spec.body === undefined
              ? spec.headers
              : { ...spec.headers, 'content-length': Buffer.byteLength(spec.body) },
          agent: agents[i % targets.length],
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => {
            dueAt[done] = due - start;
            latencies[done++] = performance.now() - due;
            const outcome = classify
              ? classify(res.statusCode, Buffer.concat(chunks).toString())
              : String(res.statusCode);
            outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
            if (done + errors === total) finish();
          });
        },
      );
      req.on('error', (error) => {
        errors++;
        errorCodes[error.code ?? error.message] = (errorCodes[error.code ?? error.message] ?? 0) + 1;
        if (done + errors === total) finish();
      });
      req.end(spec.body);
    };
    // Every millisecond or so, send every request that is due by now. A long gap between two ticks means the
    // generator itself could not run (its own garbage collection, or no free core): requests due meanwhile are
    // sent late and count that wait.
    let lastTick = start;
    const timer = setInterval(() => {
      const now = performance.now();
      const second = Math.floor((now - start) / 1000);
      worstTickGap[second] = Math.max(worstTickGap[second] ?? 0, Math.round(now - lastTick));
      lastTick = now;
      while (sent < total && start + (sent * 1000) / rate <= now) {
        const i = sent++;
        send(i, start + (i * 1000) / rate);
      }
    }, 1);
  });
}
