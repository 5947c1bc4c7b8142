#!/usr/bin/env node
/**
 * `npm run bench`: builds the package, then measures in one run and prints one table:
 *
 * - bundle sizes of the same kind of app on this library and on its peers (scripts/bench/entries),
 *   with the same esbuild settings for every row, gzip -9 and brotli 11;
 * - tree shaking (a LoginButton-only import carries none of Callback's code);
 * - requests and renders from instrumented runs of dist/ in jsdom (scripts/bench/dom);
 * - the server handler's cost beside a bare fetch forwarder, under autocannon (scripts/bench/server.mjs);
 * - the backend for frontend's proxy beside a bare forwarder, memory and Redis stores, and its refresh
 *   count for 20 concurrent calls (scripts/bench/bff.mjs; needs redis-server; `--no-bff` skips it).
 *
 * Flags: --no-build (measure the dist/ already there), --no-server (skip the 12 s load test),
 * --analyze (also print which modules the app bundle's bytes come from), --json (print the raw
 * results as JSON after the table). Budget misses are marked in the table; the test suite
 * (test/build) is what fails on them.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register();

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const args = new Set(process.argv.slice(2));
const budgets = JSON.parse(readFileSync(join(here, "budgets.json"), "utf8"));
const require = createRequire(import.meta.url);
const versionOf = (name) => require(`${name}/package.json`).version;

function step(label, command, commandArgs, env = {}) {
  process.stderr.write(`… ${label}\n`);
  const result = spawnSync(command, commandArgs, { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}\n${result.stderr}\n✖ ${label} failed\n`);
    process.exit(result.status ?? 1);
  }
}

if (!args.has("--no-build")) step("building the package (npm run build)", "npm", ["run", "--silent", "build"]);

// 1. Sizes.
process.stderr.write("… bundling the app entries\n");
const { SIZE_ROWS, CALLBACK_MARKERS, measureAll, moduleCosts } = await import("./sizes.ts");
const sizes = await measureAll();

// 2. Requests and renders, in jsdom through vitest (fake timers, React act()).
const scratch = mkdtempSync(join(tmpdir(), "smartbills-bench-"));
const domOut = join(scratch, "dom.json");
step("instrumented runs in jsdom (vitest)", "npx", ["vitest", "run", "--config", "scripts/bench/vitest.config.ts"], { SMARTBILLS_BENCH_DOM_OUT: domOut });
const dom = JSON.parse(readFileSync(domOut, "utf8"));
rmSync(scratch, { recursive: true, force: true });

// 3. The server handler under load.
let server = null;
if (!args.has("--no-server")) {
  process.stderr.write("… loading the server handler and a bare forwarder (autocannon, 10 connections, 5 s each)\n");
  const { measureServer } = await import("./server.mjs");
  server = await measureServer(root, { connections: 10, duration: 5, warmup: 1 });
}
// 4. The backend for frontend's proxy beside a bare forwarder, with the memory and the Redis store.
let bff = null;
if (!args.has("--no-server") && !args.has("--no-bff")) {
  process.stderr.write("… loading the BFF proxy (memory and Redis stores) and a bare forwarder (autocannon, 10 connections)\n");
  const { measureBff } = await import("./bff.mjs");
  bff = await measureBff();
}

// The table.
const n = (x) => Math.round(x).toLocaleString("en-US");
const ok = (pass) => (pass ? "✓" : "✗ over budget");
const sizeText = (s) => `${n(s.gzip)} B gzip · ${n(s.brotli)} B br · ${n(s.min)} B min${s.lazyGzip ? ` (+ ${n(s.lazyGzip)} B gzip lazy chunks)` : ""}`;
const get = (id) => sizes.get(id);
const oidcContext = get("react-oidc-context");
const floor = get("floor");
const rows = [];
let misses = 0;
const row = (measure, result, budget = "", pass = null) => {
  if (pass === false) misses += 1;
  rows.push([measure, result, budget, pass === null ? "" : ok(pass)]);
};

const label = Object.fromEntries(SIZE_ROWS.map((r) => [r.id, r.label]));
const appExternal = get("smartbills-rq-external");
row(`${label["smartbills-rq-external"]}, at start-up`, sizeText(appExternal), `≤ ${n(budgets.appGzipReactQueryExternal.max)} B gzip`, appExternal.gzip <= budgets.appGzipReactQueryExternal.max);
const markers = budgets.unusedFeatures.markers;
const unused = [
  ...(appExternal.allCode.includes(markers.useSmartbillsUserInfo) ? ["user info"] : []),
  ...["endSession", "discovery"].filter((feature) => appExternal.code.includes(markers[feature])),
];
row("unused features in the README app: user info (anywhere), end session and discovery (at start-up)", unused.length ? `loaded: ${unused.join(", ")}` : "none loaded", "none", unused.length === 0);
const appBundled = get("smartbills");
row(label.smartbills, sizeText(appBundled), `< react-oidc-context (${n(oidcContext.gzip)} B gzip)`, appBundled.gzip < oidcContext.gzip);
for (const id of ["floor", "react-oauth2-code-pkce", "react-oidc-context", "axa-fr-react-oidc", "auth0-react"]) row(label[id], sizeText(get(id)));
const loginOnly = get("smartbills-login-button");
const leaked = CALLBACK_MARKERS.filter((marker) => loginOnly.code.includes(marker));
const appHasMarkers = CALLBACK_MARKERS.every((marker) => appBundled.code.includes(marker));
row(
  `tree shaking: ${label["smartbills-login-button"]}`,
  `${sizeText(loginOnly)}; Callback code ${leaked.length ? `present (${leaked.join(", ")})` : "absent"}`,
  "no Callback code",
  leaked.length === 0 && appHasMarkers,
);
row("requests per sign-in (Callback mount → signed in, StrictMode)", `${dom.signIn.requests} (${dom.signIn.grants.join(", ")})`, `= ${budgets.signInRequests.equals}`, dom.signIn.requests === budgets.signInRequests.equals);
row(
  `requests per refresh, ${dom.refresh.consumers} consumers at once (getAccessToken + useSmartbillsFetch, StrictMode)`,
  `${dom.refresh.requests}; ${dom.refresh.apiRequests} API calls, ${dom.refresh.allGotFreshToken ? "all with the new token" : "NOT all with the new token"}`,
  `= ${budgets.concurrentRefreshRequests.equals}`,
  dom.refresh.requests === budgets.concurrentRefreshRequests.equals && dom.refresh.allGotFreshToken,
);
row(
  `requests per refresh after ${dom.revoked.consumers} concurrent 401s`,
  `${dom.revoked.requests}; ${dom.revoked.apiRequests} API calls (each retried once), ${dom.revoked.allRetriedOk ? "all 200 on retry" : "NOT all 200 on retry"}`,
  `= ${budgets.concurrent401Requests.equals}`,
  dom.revoked.requests === budgets.concurrent401Requests.equals && dom.revoked.allRetriedOk,
);
row("requests at mount with a valid stored token (10 s idle, StrictMode)", `${dom.mount.requests}; ${dom.mount.notAuthenticatedRenders} loading renders`, `= ${budgets.mountRequests.equals}`, dom.mount.requests === budgets.mountRequests.equals && dom.mount.notAuthenticatedRenders === 0);
row("renders of a useSmartbillsAuth consumer, Callback mount → signed in", `${dom.signIn.renders} (${dom.signIn.statuses.join(" → ")})`, `≤ ${budgets.signInRenders.max}`, dom.signIn.renders <= budgets.signInRenders.max);
row(
  "re-renders of a useSmartbillsLogin-only component across a refresh",
  `${dom.refreshRenders.loginOnlyRerenders} (a useSmartbillsAuth consumer: ${dom.refreshRenders.authRerenders}; ${dom.refreshRenders.requests} refresh)`,
  `= ${budgets.loginOnlyRefreshRerenders.equals}`,
  dom.refreshRenders.requests >= 1 && dom.refreshRenders.loginOnlyRerenders === budgets.loginOnlyRefreshRerenders.equals,
);
if (server) {
  const ms = (x) => `${x.toFixed(2)} ms`;
  row(
    `server: median added latency, toNodeHandler(createTokenHandler) vs bare fetch forwarder (${server.connections} connections, ${server.duration} s each)`,
    `${server.addedMedianMs >= 0 ? "+" : ""}${ms(server.addedMedianMs)} (median ${ms(server.handler.medianMs)} vs ${ms(server.bare.medianMs)})`,
  );
  row("server: throughput ratio, handler / bare forwarder", `${server.throughputRatio.toFixed(2)} (${n(server.handler.perSecond)} vs ${n(server.bare.perSecond)} req/s)`);
}

const header = ["Measure", "Result", "Budget", ""];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
console.log(
  `\nesbuild ${versionOf("esbuild")} --bundle --minify --format=esm --platform=browser --target=es2020, external react, react-dom, react/jsx-runtime` +
    ` (+ @tanstack/react-query where "react-query external"); gzip level 9, brotli quality 11 (node:zlib).` +
    `\nReact ${dom.react}, @tanstack/react-query ${versionOf("@tanstack/react-query")}, Node ${process.versions.node}; floor = the same app hand-written on react-query + pkce-challenge (${n(floor.gzip)} B gzip).` +
    (misses ? `\n${misses} budget(s) missed.` : "\nAll budgets met."),
);

if (bff) {
  const { formatTable } = await import("./bff.mjs");
  console.log(`\nBackend for frontend (scripts/bench/bff.mjs):\n\n${formatTable(bff)}`);
}

if (args.has("--analyze")) {
  for (const id of ["smartbills-rq-external", "smartbills"]) {
    console.log(`\nWhere the bytes of "${label[id]}" come from (minified bytes in the bundle):`);
    for (const { module, bytes } of moduleCosts(get(id))) console.log(`  ${String(bytes).padStart(7)}  ${module}`);
  }
}
if (args.has("--json")) {
  const plainSizes = Object.fromEntries([...sizes].map(([id, s]) => [id, { min: s.min, gzip: s.gzip, brotli: s.brotli }]));
  console.log(JSON.stringify({ sizes: plainSizes, dom, server, bff }, null, 2));
}
