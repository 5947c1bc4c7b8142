/**
 * The backend for frontend's cost: proxy latency added over a bare `fetch` forwarder to the same
 * local upstream API (median, p99; autocannon, 10 connections, 5 s each, alternating rounds), the
 * throughput ratio, with the memory store and with a real Redis store; and the refresh requests
 * the authorization server gets for 20 concurrent calls with an expired access token (memory
 * store: one instance; Redis: two instances sharing it, 10 calls each).
 *
 *   node scripts/bench/bff.mjs            # prints a markdown table
 *   node scripts/bench/bff.mjs --json     # the numbers as JSON
 *   import { measureBff } from "./bff.mjs" // for scripts/bench/index.mjs
 *
 * The servers run in a child process (loaded through tsx from src/, no build needed), so the load
 * tool does not share a thread with them. Everything listens on 127.0.0.1; Redis is
 * /usr/bin/redis-server on a free port with a temp dir.
 */
import { pool } from "./server.mjs";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const BASE = "/api/smartbills";

/** Measures the bare forwarder and both BFF setups; returns medians, p99s, throughputs and refresh counts. */
export async function measureBff({ connections = 10, duration = 5, rounds = 5, warmup = 1 } = {}) {
  const { default: autocannon } = await import("autocannon");
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--fixture"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const [first] = await Promise.race([
    once(lines, "line"),
    once(child, "exit").then(([code]) => {
      throw new Error(`the BFF bench fixture exited with ${code}`);
    }),
  ]);
  const fixture = JSON.parse(first);
  const load = async (target, seconds) => {
    const latencies = [];
    const instance = autocannon({ url: target.url, connections, duration: seconds, headers: target.headers });
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status === 200) latencies.push(ms);
    });
    const result = await instance;
    return { requests: result.requests.total, seconds: result.duration || seconds, latencies, failures: result.non2xx + result.errors + result.timeouts };
  };
  try {
    const names = ["bare", "adapter", "memory", "redis"];
    for (const name of names) await load(fixture.targets[name], warmup);
    const runs = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < rounds; round += 1) {
      // Rotating order: background load on the machine hits every server alike.
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const name of order) runs[name].push(await load(fixture.targets[name], duration / rounds));
    }
    const pooled = Object.fromEntries(names.map((name) => [name, pool(runs[name])]));
    for (const name of names) if (pooled[name].failures) throw new Error(`non-200 answers under load from ${name}: ${pooled[name].failures}`);
    const versus = (name) => ({
      ...pooled[name],
      addedMedianMs: pooled[name].medianMs - pooled.bare.medianMs,
      addedP99Ms: pooled[name].p99Ms - pooled.bare.p99Ms,
      throughputRatio: pooled[name].perSecond / pooled.bare.perSecond,
    });
    return { connections, duration, rounds, bare: pooled.bare, adapter: versus("adapter"), memory: versus("memory"), redis: versus("redis"), refreshes: fixture.refreshes };
  } finally {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  }
}

/** The result as a markdown table. */
export function formatTable(r) {
  const ms = (x) => `${x.toFixed(2)} ms`;
  const signed = (x) => `${x >= 0 ? "+" : ""}${ms(x)}`;
  const n = (x) => Math.round(x).toLocaleString("en-US");
  const rows = [
    ["bare fetch forwarder: median / p99 latency, throughput", `${ms(r.bare.medianMs)} / ${ms(r.bare.p99Ms)}, ${n(r.bare.perSecond)} req/s`, ""],
  ];
  rows.push([
    "for scale: toNodeHandler(request => fetch(upstream)), no BFF: added median latency, throughput ratio",
    `${signed(r.adapter.addedMedianMs)}, ${r.adapter.throughputRatio.toFixed(2)} (${n(r.adapter.perSecond)} req/s)`,
    "",
  ]);
  for (const [name, label] of [["memory", "memory store"], ["redis", "Redis store"]]) {
    const x = r[name];
    rows.push([`BFF /api proxy, ${label}: added median / p99 latency`, `${signed(x.addedMedianMs)} / ${signed(x.addedP99Ms)} (median ${ms(x.medianMs)}, p99 ${ms(x.p99Ms)})`, name === "memory" ? "≤ 1 ms median" : ""]);
    rows.push([`BFF /api proxy, ${label}: throughput ratio to the bare forwarder`, `${x.throughputRatio.toFixed(2)} (${n(x.perSecond)} vs ${n(r.bare.perSecond)} req/s)`, name === "memory" ? "≥ 0.8" : ""]);
  }
  rows.push(["refresh requests for 20 concurrent calls, expired token, memory store (1 instance)", `${r.refreshes.memory.refreshRequests} (${r.refreshes.memory.ok}/20 answered 200)`, "= 1"]);
  rows.push(["refresh requests for 20 concurrent calls, expired token, Redis store (2 instances)", `${r.refreshes.redis.refreshRequests} (${r.refreshes.redis.ok}/20 answered 200)`, "= 1"]);
  const header = ["Measure", "Result", "Goal"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map(line),
    "",
    `autocannon, ${r.connections} connections, ${r.duration} s per server in ${r.rounds} alternating rounds; GET of a small JSON answer from a local upstream; Node ${process.versions.node}.`,
  ].join("\n");
}

/** The child: the local authorization server, an upstream API, the bare forwarder and the BFFs. Prints one JSON line. */
async function runFixture() {
  const { createServer } = await import("node:http");
  const imp = (path) => import(pathToFileURL(join(root, path)).href);
  const { startAuthServer } = await imp("dev/authServer.ts");
  const { signInWithFetch, CookieJar } = await imp("dev/headlessLogin.ts");
  const { createSmartbillsBff, createMemorySessionStore, createRedisSessionStore } = await imp("src/server/bff/index.ts");
  const { toNodeHandler } = await imp("src/server/toNodeHandler.ts");
  const { startRedis, nodeRedisClient } = await imp("test/support/redis.ts");

  const listen = async (server) => {
    server.keepAliveTimeout = 60_000;
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return server.address().port;
  };
  const answer = JSON.stringify({ id: "rcpt_1", total: 1234, currency: "CAD" });
  const upstreamPort = await listen(
    createServer((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "application/json" });
      res.end(answer);
    }),
  );
  const upstream = `http://127.0.0.1:${upstreamPort}`;
  // The baseline: a hand-written proxy that adds a token and forwards, with no checks and no session.
  const barePort = await listen(
    createServer(async (req, res) => {
      const response = await fetch(`${upstream}${req.url}`, { headers: { authorization: "Bearer bench-token", accept: req.headers.accept ?? "*/*" } });
      res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(Buffer.from(await response.arrayBuffer()));
    }),
  );

  // What the Fetch-API adapter alone costs: the same forward, written as a Request -> Response handler.
  const adapterPort = await listen(
    createServer(
      toNodeHandler(async (request) => {
        const url = new URL(request.url);
        const response = await fetch(`${upstream}${url.pathname}${url.search}`, { headers: { authorization: "Bearer bench-token", accept: request.headers.get("accept") ?? "*/*" } });
        return new Response(await response.arrayBuffer(), { status: response.status, headers: { "content-type": response.headers.get("content-type") ?? "application/octet-stream", "cache-control": "no-store" } });
      }),
    ),
  );

  const auth = await startAuthServer({ redirectUris: ["http://127.0.0.1:1/unused"] });
  const redis = await startRedis();
  let skew = 0;
  const now = () => Date.now() + skew;
  const makeBff = async (sessionStore, appOrigin) => {
    const server = createServer();
    const listening = await listen(server);
    const origin = appOrigin ?? `http://127.0.0.1:${listening}`;
    const bff = createSmartbillsBff({
      clientId: auth.clients.confidential.clientId,
      clientSecret: auth.clients.confidential.clientSecret,
      authority: auth.issuer,
      apiBaseUrl: upstream,
      appOrigin: origin,
      secret: "bench-session-secret-bench-session-secret",
      sessionStore,
      now,
    });
    auth.addRedirectUris("confidential", [`${origin}${BASE}/callback`]);
    server.on("request", toNodeHandler(bff));
    return { origin: `http://127.0.0.1:${listening}`, appOrigin: origin };
  };
  const signIn = async (via) => {
    const jar = new CookieJar();
    const get = async (path) => {
      const url = new URL(path, via);
      const cookie = jar.header(url);
      const response = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: "manual" });
      jar.store(response, url);
      return response;
    };
    const start = await get(`${BASE}/login`);
    const callback = new URL(await signInWithFetch({ authorizeUrl: start.headers.get("location"), login: "alice", password: "any" }));
    await get(callback.pathname + callback.search);
    return jar.header(new URL("/", via));
  };
  const call = (origin, cookie) => fetch(`${origin}${BASE}/api/v1/receipts/1`, { headers: { cookie, "x-smartbills-request": "1" } }).then((r) => r.status);
  const refreshRequests = () => auth.tokenRequests.filter((r) => r.grantType === "refresh_token").length;

  const memory = await makeBff(createMemorySessionStore({ now }));
  const redisClients = [await nodeRedisClient(redis.url), await nodeRedisClient(redis.url)];
  const redisA = await makeBff(createRedisSessionStore({ client: redisClients[0].client }));
  const redisB = await makeBff(createRedisSessionStore({ client: redisClients[1].client }), redisA.appOrigin);
  // Two instances of one app: same secret; B serves the session A created (one origin in production).
  const memoryCookie = await signIn(memory.origin);
  const redisCookie = await signIn(redisA.origin);

  // 20 concurrent calls with an expired access token (the clock moved past its 300 s).
  skew = 301_000;
  auth.resetLogs();
  const memoryStatuses = await Promise.all(Array.from({ length: 20 }, () => call(memory.origin, memoryCookie)));
  const memoryRefreshes = refreshRequests();
  auth.resetLogs();
  const redisStatuses = await Promise.all(Array.from({ length: 20 }, (_, i) => call(i % 2 ? redisB.origin : redisA.origin, redisCookie)));
  const redisRefreshes = refreshRequests();
  const ok = (statuses) => statuses.filter((s) => s === 200).length;

  const target = (origin, cookie) => ({ url: `${origin}${BASE}/api/v1/receipts/1`, headers: { cookie, "x-smartbills-request": "1", accept: "application/json" } });
  process.stdout.write(
    `${JSON.stringify({
      targets: {
        bare: { url: `http://127.0.0.1:${barePort}/v1/receipts/1`, headers: { accept: "application/json" } },
        adapter: { url: `http://127.0.0.1:${adapterPort}/v1/receipts/1`, headers: { accept: "application/json" } },
        memory: target(memory.origin, memoryCookie),
        redis: target(redisA.origin, redisCookie),
      },
      refreshes: {
        memory: { refreshRequests: memoryRefreshes, ok: ok(memoryStatuses) },
        redis: { refreshRequests: redisRefreshes, ok: ok(redisStatuses) },
      },
    })}\n`,
  );
  const stop = async () => {
    for (const { close } of redisClients) await Promise.resolve(close()).catch(() => {});
    await redis.close();
    await auth.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

// Last: the helpers above must be initialised before top-level await runs them.
if (process.argv.includes("--fixture")) {
  await runFixture();
} else if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const result = await measureBff();
  if (process.argv.includes("--json")) console.log(JSON.stringify(result, null, 2));
  else console.log(formatTable(result));
}
