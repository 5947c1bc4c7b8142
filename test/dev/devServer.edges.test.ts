// Hostile and edge cases of startSmartbillsDevServer: refused options, a port in use, two servers in
// one process, close() during a sign-in; and the demo wrapper's /auth shape. Real HTTP on 127.0.0.1.
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startAuthServer } from "../../dev/authServer";
import { isAllowedRedirectUri } from "../../src/dev-server/options";
import { startSmartbillsDevServer } from "../../src/dev-server/start";
import type { SmartbillsDevServer, SmartbillsDevServerOptions } from "../../src/dev-server/types";
import { basic, post, signIn } from "./helpers";

const REDIRECT_URI = "http://127.0.0.1:5994/callback";
const started: { close(): Promise<void> }[] = [];
async function start(options: Partial<SmartbillsDevServerOptions> = {}): Promise<SmartbillsDevServer> {
  const dev = await startSmartbillsDevServer({ clients: [{ clientId: "app", redirectUris: [REDIRECT_URI] }], log: false, ...options });
  started.push(dev);
  return dev;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

/** True when something can listen on the port again. */
const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });

describe("options refused at start", () => {
  it.each([
    ["http on a public host", "http://example.com/callback"],
    ["http on a LAN address", "http://192.168.1.10/callback"],
    ["a custom scheme", "myapp://callback"],
    ["javascript:", "javascript:alert(1)"],
    ["a fragment", "https://app.example/callback#x"],
    ["credentials", "https://user:pw@app.example/callback"],
    ["not a URL", "callback"],
  ])("refuses a redirect URI with %s", async (_, uri) => {
    await expect(start({ clients: [{ clientId: "app", redirectUris: [uri] }] })).rejects.toThrow(/neither https nor http on a loopback host/);
  });

  it("accepts https anywhere and http on 127.0.0.1, localhost and [::1]", () => {
    for (const uri of ["https://app.example/cb", "http://127.0.0.1:3000/cb", "http://localhost/cb", "http://[::1]:8080/cb"]) expect(isAllowedRedirectUri(uri)).toBe(true);
  });

  it("refuses a bad redirect URI added later, a bad base path, duplicate clients, a public client-credentials client", async () => {
    const dev = await start();
    expect(() => dev.addRedirectUris("app", ["http://example.com/cb"])).toThrow(/loopback/);
    expect(() => dev.addRedirectUris("nobody", [REDIRECT_URI])).toThrow(/no client/);
    await expect(start({ basePath: "auth/" })).rejects.toThrow(/basePath/);
    await expect(start({ clients: [] })).rejects.toThrow(/at least one client/);
    await expect(start({ clients: [{ clientId: "a", redirectUris: [REDIRECT_URI] }, { clientId: "a", redirectUris: [REDIRECT_URI] }] })).rejects.toThrow(/two clients/);
    await expect(start({ clients: [{ clientId: "job", grants: ["client_credentials"] }] })).rejects.toThrow(/needs a clientSecret/);
    await expect(start({ clients: [{ clientId: "web", clientSecret: "s" }], accessTokenTtlSeconds: 0.5 })).rejects.toThrow(/accessTokenTtlSeconds/);
    await expect(start({ accountHeader: "bad header" })).rejects.toThrow(/accountHeader/);
  });
});

describe("lifecycle", () => {
  it("says on start that it is for development only, on loopback", async () => {
    const lines: string[] = [];
    const dev = await start({ log: (line) => lines.push(line) });
    expect(dev.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines).toEqual([expect.stringMatching(/^Smartbills dev server at http:\/\/127\.0\.0\.1:\d+: for development and tests only .*never for production\.$/)]);
  });

  it("reports a port in use clearly and leaves nothing listening", async () => {
    const dev = await start();
    await expect(start({ port: dev.port })).rejects.toThrow(`port ${dev.port} on 127.0.0.1 is in use`);
  });

  it("runs two servers in one process independently", async () => {
    const [one, two] = await Promise.all([start(), start({ users: [{ sub: "carol", name: "Carol Roy", email: "carol@example.com" }] })]);
    expect(one.port).not.toBe(two.port);
    const signedIn = await signIn(one, { clientId: "app", redirectUri: REDIRECT_URI });
    const form = { grant_type: "authorization_code", code: signedIn.code, redirect_uri: REDIRECT_URI, code_verifier: signedIn.verifier, client_id: "app" };
    expect((await post(two, "/connect/token", form)).body.error).toBe("invalid_grant"); // the other server's code means nothing here
    const { body } = await post(one, "/connect/token", form);
    expect((await fetch(`${two.url}/v1/me`, { headers: { authorization: `Bearer ${body.access_token}` } })).status).toBe(401);
    expect(one.requests.map((r) => r.status)).toEqual([200]);
    expect(two.requests.map((r) => r.status)).toEqual([400]);
    await expect(signIn(two, { clientId: "app", redirectUri: REDIRECT_URI, login: "alice" })).rejects.toThrow(/refused/);
    // Redirect URIs added to one are not the other's (each provider has its own Client class).
    const later = "http://127.0.0.1:5993/callback";
    one.addRedirectUris("app", [later]);
    await expect(signIn(one, { clientId: "app", redirectUri: later })).resolves.toMatchObject({ code: expect.any(String) });
    await expect(signIn(two, { clientId: "app", redirectUri: later, login: "carol" })).rejects.toThrow(/400/);
    await two.close();
    expect((await fetch(`${one.url}/v1/me`, { headers: { authorization: `Bearer ${body.access_token}` } })).status).toBe(200);
  });

  it("close() during a sign-in: the sign-in fails, nothing is unhandled, the port is free after", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const dev = await start();
      let closing: Promise<void> | undefined;
      let calls = 0;
      // Close while the server is answering the sign-in's second request (the login page).
      const closeMidway: typeof fetch = (input, init) => {
        const answer = fetch(input, init);
        if (++calls === 2) closing = dev.close();
        return answer;
      };
      const inFlight = signIn(dev, { clientId: "app", redirectUri: REDIRECT_URI, fetch: closeMidway });
      await expect(inFlight).rejects.toThrow();
      expect(calls).toBeGreaterThanOrEqual(2);
      await closing;
      expect(await portFree(dev.port)).toBe(true);
      await dev.close(); // twice is fine
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("the demo wrapper (dev/authServer.ts)", () => {
  it('keeps startAuthServer as it was and adds basePath "/auth" with a Basic-only confidential client', async () => {
    const server = await startAuthServer({ basePath: "/auth", redirectUris: [REDIRECT_URI], accessTokenTtl: 5 });
    started.push(server);
    expect(server.issuer).toBe(`${server.url}/auth`);
    expect(server.authority).toBe(server.issuer);
    const { clientId, clientSecret } = server.clients.confidential;
    const dev = { authority: server.authority } as SmartbillsDevServer;
    const signedIn = await signIn(dev, { clientId, redirectUri: REDIRECT_URI });
    const form = { grant_type: "authorization_code", code: signedIn.code, redirect_uri: REDIRECT_URI, code_verifier: signedIn.verifier };
    const answer = await post(dev, "/connect/token", form, { authorization: basic(clientId, clientSecret) });
    expect(answer).toMatchObject({ status: 200, body: { expires_in: 5 } });
    expect(server.tokenRequests).toEqual([expect.objectContaining({ grantType: "authorization_code", clientId, status: 200, authMethod: "client_secret_basic" })]);
    // Under /auth every confidential client is Basic only, the service client too.
    const job = await post(dev, "/connect/token", { grant_type: "client_credentials", client_id: server.clients.service.clientId, client_secret: server.clients.service.clientSecret });
    expect(job.status).toBe(401);
  });
});
