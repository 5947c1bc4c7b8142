/**
 * The server handler's cost: a bare `fetch` forwarder and `toNodeHandler(createTokenHandler(…))`,
 * both in front of the same local fake token endpoint, loaded with autocannon (same connections,
 * same duration, same request: a browser's code exchange). Returns the medians and throughputs.
 */
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

const EXCHANGE_BODY = new URLSearchParams({
  grant_type: "authorization_code",
  code: "c".repeat(32),
  redirect_uri: "http://localhost:3000/callback",
  code_verifier: "v".repeat(64),
  client_id: "bench-client",
}).toString();

/** Starts the fixture process and returns its URLs and a stop function. */
async function startFixture(root) {
  const child = spawn(process.execPath, [join(here, "server-fixture.mjs"), root], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const [first] = await Promise.race([
    once(lines, "line"),
    once(child, "exit").then(([code]) => {
      throw new Error(`the server fixture exited with ${code}`);
    }),
  ]);
  const urls = JSON.parse(first);
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    await once(child, "exit");
  };
  return { urls, stop };
}

/** One autocannon run; latencies are taken per response in float ms (autocannon's histogram keeps whole ms). */
async function load(url, { connections, duration }) {
  const latencies = [];
  const instance = autocannon({
    url,
    connections,
    duration,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost:3000" },
    body: EXCHANGE_BODY,
  });
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode === 200) latencies.push(responseTime);
  });
  const result = await instance;
  return { requests: result.requests.total, seconds: result.duration || duration, latencies, failures: result.non2xx + result.errors + result.timeouts };
}

const median = (sorted) => (sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN);

/** Pools several runs of one server into one result (also used by bff.mjs). */
export function pool(runs) {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const requests = runs.reduce((sum, r) => sum + r.requests, 0);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  return {
    requests,
    perSecond: requests / seconds,
    medianMs: median(latencies),
    p99Ms: latencies.length ? latencies[Math.floor(latencies.length * 0.99)] : NaN,
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
  };
}

/**
 * Measures both servers for `duration` seconds each. After a warm-up (JIT, keep-alive sockets) the
 * time is cut into `rounds` short runs that alternate between the two, so background load on the
 * machine hits both alike; each server's runs are pooled.
 */
export async function measureServer(root, { connections = 10, duration = 5, rounds = 5, warmup = 1 } = {}) {
  const { urls, stop } = await startFixture(root);
  try {
    await load(urls.bare, { connections, duration: warmup });
    await load(urls.handler, { connections, duration: warmup });
    const runs = { bare: [], handler: [] };
    const slice = duration / rounds;
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? ["bare", "handler"] : ["handler", "bare"];
      for (const name of order) runs[name].push(await load(urls[name], { connections, duration: slice }));
    }
    const bare = pool(runs.bare);
    const handler = pool(runs.handler);
    if (bare.failures || handler.failures) {
      throw new Error(`non-200 answers under load: bare ${bare.failures}, handler ${handler.failures} (is the handler refusing the bench request?)`);
    }
    return {
      connections,
      duration,
      rounds,
      bare,
      handler,
      addedMedianMs: handler.medianMs - bare.medianMs,
      throughputRatio: handler.perSecond / bare.perSecond,
    };
  } finally {
    await stop();
  }
}
