// The servers the handler benchmark loads, in their own process so the load tool does not share a
// thread with them: a fake upstream token endpoint, a bare `fetch` forwarder in front of it, and
// `toNodeHandler(createTokenHandler(…))` from the built package in front of it. All on 127.0.0.1.
// Prints one JSON line with the three URLs, then serves until killed.
import { createServer } from "node:http";
import { once } from "node:events";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const root = process.argv[2];
const { createTokenHandler, toNodeHandler } = await import(pathToFileURL(join(root, "dist/server.js")).href);

const REDIRECT_URI = "http://localhost:3000/callback";
const tokenJson = JSON.stringify({ access_token: "a".repeat(40), token_type: "Bearer", expires_in: 3600, refresh_token: "r".repeat(40), scope: "openid offline_access" });

async function listen(server) {
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${server.address().port}`;
}

// The upstream: drains the form body, answers a token response.
const upstream = await listen(
  createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(tokenJson);
    });
  }),
);
const tokenUrl = `${upstream}/connect/token`;

// The baseline: what a hand-written exchange endpoint minimally does (read the body, add the
// secret, forward with fetch, copy the answer back), with no checks.
const bare = await listen(
  createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    body.set("client_secret", "bench-secret");
    const response = await fetch(tokenUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    res.writeHead(response.status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(await response.text());
  }),
);

const handler = await listen(
  createServer(toNodeHandler(createTokenHandler({ clientId: "bench-client", clientSecret: "bench-secret", authority: upstream, allowedRedirectUris: [REDIRECT_URI] }))),
);

process.stdout.write(`${JSON.stringify({ upstream, bare, handler })}\n`);
