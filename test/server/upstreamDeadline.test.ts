import { describe, expect, it } from "vitest";
import { SmartbillsAuthError } from "../../src/core/errors";
import { createClientCredentialsClient } from "../../src/server/createClientCredentialsClient";
import { AUTHORITY, CLIENT_ID, SECRET, call, codeForm, createFakeUpstream, expectNoSecret, makeHandler, post } from "./helpers";

/** Issue 14 item 4: a custom fetch that never settles and never looks at its abort signal. */
function deafUpstream() {
  let calls = 0;
  const fetch = ((_input: RequestInfo | URL, _init?: RequestInit) => {
    calls += 1;
    return new Promise<Response>(() => {});
  }) as typeof globalThis.fetch;
  return { fetch, calls: () => calls };
}

/** Fails the test instead of hanging it: the wait itself is bounded. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))]);
}

describe("a fetch that ignores the abort signal (issue 14)", () => {
  it("the token handler still answers 504 temporarily_unavailable at timeoutMs", async () => {
    const deaf = deafUpstream();
    const { handler } = makeHandler({ ...createFakeUpstream(), fetch: deaf.fetch }, { timeoutMs: 60 });
    const started = performance.now();
    const { status, body } = await within(call(handler, post(codeForm().toString())), 1_500);
    const elapsed = performance.now() - started;
    expect(status).toBe(504);
    expect(body.error).toBe("temporarily_unavailable");
    expect(elapsed).toBeGreaterThanOrEqual(55);
    expect(elapsed).toBeLessThan(1_000);
    expect(deaf.calls()).toBe(1);
  });

  it("the client-credentials client still rejects with a typed network_error at timeoutMs", async () => {
    const deaf = deafUpstream();
    const client = createClientCredentialsClient({ clientId: CLIENT_ID, clientSecret: SECRET, authority: AUTHORITY, fetch: deaf.fetch, timeoutMs: 60 });
    const started = performance.now();
    const error = await within(
      client.getToken().then(
        () => null,
        (e: unknown) => e,
      ),
      1_500,
    );
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(SmartbillsAuthError);
    expect((error as SmartbillsAuthError).code).toBe("network_error");
    expect((error as SmartbillsAuthError).description).toContain("timed out");
    expectNoSecret(String(error));
    expect(elapsed).toBeGreaterThanOrEqual(55);
    expect(elapsed).toBeLessThan(1_000);
  });
});
