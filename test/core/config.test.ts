import { describe, expect, it } from "vitest";
import { DEFAULT_AUTHORITY, DEFAULT_SCOPE, resolveConfig, type SmartbillsConfig } from "../../src/core/config";
import { thrownBy } from "./authError";

const ORIGIN = "https://app.example";
const storageObject = { getItem: () => null, setItem: () => {}, removeItem: () => {} };

/** Asserts that resolving `input` throws a TypeError whose message names `prop`. */
function expectConfigError(input: unknown, prop: string, origin: string | undefined = ORIGIN): void {
  const error = thrownBy(() => resolveConfig(input as SmartbillsConfig, origin));
  expect(error).toBeInstanceOf(TypeError);
  expect((error as TypeError).message).toContain(`"${prop}"`);
}

describe("resolveConfig defaults", () => {
  it("uses https://api.smartbills.io as the authority", () => {
    const config = resolveConfig({ clientId: "c" }, ORIGIN);

    expect(config.authority).toBe("https://api.smartbills.io");
    expect(DEFAULT_AUTHORITY).toBe("https://api.smartbills.io");
  });

  it("builds the authorize endpoint from the authority", () => {
    const config = resolveConfig({ clientId: "c" }, ORIGIN);

    expect(config.authorizeEndpoint).toBe("https://api.smartbills.io/connect/authorize");
  });

  it("uses the authority as the issuer", () => {
    const config = resolveConfig({ clientId: "c", authority: "https://login.example" }, ORIGIN);

    expect(config.issuer).toBe("https://login.example");
  });

  it("posts to the authority's token endpoint as a public client when no exchangeEndpoint is given", () => {
    const config = resolveConfig({ clientId: "c", authority: "https://login.example" }, ORIGIN);

    expect(config.tokenEndpoint).toBe("https://login.example/connect/token");
    expect(config.isPublicClient).toBe(true);
  });

  it("is not a public client when an exchangeEndpoint is given", () => {
    const config = resolveConfig({ clientId: "c", exchangeEndpoint: "https://backend.example/token" }, ORIGIN);

    expect(config.tokenEndpoint).toBe("https://backend.example/token");
    expect(config.isPublicClient).toBe(false);
  });

  it("uses the origin's /callback as the redirect URI", () => {
    const config = resolveConfig({ clientId: "c" }, ORIGIN);

    expect(config.redirectUri).toBe("https://app.example/callback");
  });

  it("asks for openid offline_access", () => {
    const config = resolveConfig({ clientId: "c" }, ORIGIN);

    expect(config.scope).toBe("openid offline_access");
    expect(DEFAULT_SCOPE).toBe("openid offline_access");
  });

  it("keeps tokens in session storage", () => {
    const config = resolveConfig({ clientId: "c" }, ORIGIN);

    expect(config.storage).toBe("session");
  });

  it("trusts the authority's origin", () => {
    const config = resolveConfig({ clientId: "c", authority: "https://login.example/tenant" }, ORIGIN);

    expect(config.trustedOrigins).toContain("https://login.example");
  });

  it("trusts the origin of each apiOrigins entry, not its path", () => {
    const config = resolveConfig({ clientId: "c", apiOrigins: ["https://api.one.example/v1/", "https://api.two.example:8443"] }, ORIGIN);

    expect(config.trustedOrigins).toEqual(["https://api.smartbills.io", "https://api.one.example", "https://api.two.example:8443"]);
  });

  it("returns a frozen object", () => {
    const config = resolveConfig({ clientId: "c" }, ORIGIN);

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.trustedOrigins)).toBe(true);
  });
});

describe("resolveConfig normalisation", () => {
  it("resolves a relative exchangeEndpoint against the origin", () => {
    const config = resolveConfig({ clientId: "c", exchangeEndpoint: "/api/smartbills/token" }, ORIGIN);

    expect(config.tokenEndpoint).toBe("https://app.example/api/smartbills/token");
  });

  it("resolves a relative redirectUri against the origin", () => {
    const config = resolveConfig({ clientId: "c", redirectUri: "/auth/done" }, ORIGIN);

    expect(config.redirectUri).toBe("https://app.example/auth/done");
  });

  it("strips a trailing slash from the authority", () => {
    const config = resolveConfig({ clientId: "c", authority: "https://login.example/" }, ORIGIN);

    expect(config.authority).toBe("https://login.example");
    expect(config.tokenEndpoint).toBe("https://login.example/connect/token");
  });

  it("strips a trailing slash from the issuer", () => {
    const config = resolveConfig({ clientId: "c", issuer: "https://issuer.example/tenant/" }, ORIGIN);

    expect(config.issuer).toBe("https://issuer.example/tenant");
  });

  it("trims the scope", () => {
    const config = resolveConfig({ clientId: "c", scope: "  openid  " }, ORIGIN);

    expect(config.scope).toBe("openid");
  });

  it("accepts http for localhost", () => {
    const config = resolveConfig({ clientId: "c", authority: "http://localhost:4000" }, ORIGIN);

    expect(config.authority).toBe("http://localhost:4000");
  });

  it("accepts http for 127.0.0.1", () => {
    const config = resolveConfig({ clientId: "c", authority: "http://127.0.0.1:4000" }, ORIGIN);

    expect(config.authority).toBe("http://127.0.0.1:4000");
  });

  it("accepts a storage object with getItem, setItem and removeItem", () => {
    const config = resolveConfig({ clientId: "c", storage: storageObject }, ORIGIN);

    expect(config.storage).toBe(storageObject);
  });

  it("accepts cookie storage with an exchangeEndpoint", () => {
    const config = resolveConfig({ clientId: "c", exchangeEndpoint: "/api/token", storage: "cookie" }, ORIGIN);

    expect(config.storage).toBe("cookie");
  });

  it.each(["memory", "session", "local"] as const)("accepts storage %s", (storage) => {
    const config = resolveConfig({ clientId: "c", storage }, ORIGIN);

    expect(config.storage).toBe(storage);
  });
});

describe("resolveConfig under server rendering (no origin)", () => {
  it("does not throw and leaves the redirect URI undefined", () => {
    const config = resolveConfig({ clientId: "c" }, undefined);

    expect(config.redirectUri).toBeUndefined();
  });

  it("keeps a relative exchangeEndpoint as given", () => {
    const config = resolveConfig({ clientId: "c", exchangeEndpoint: "/api/token" }, undefined);

    expect(config.tokenEndpoint).toBe("/api/token");
  });

  // Regression (was a bug): a relative redirectUri is accepted in the browser but throws a TypeError where there is no
  // origin, so a provider rendered on the server with the same props crashes (a relative
  // exchangeEndpoint is kept as-is there instead).
  it("does not throw for a relative redirectUri", () => {
    expect(() => resolveConfig({ clientId: "c", redirectUri: "/callback" }, undefined)).not.toThrow();
  });
});

describe("resolveConfig refuses wrong input with a TypeError naming the prop", () => {
  it("refuses a missing config", () => {
    expectConfigError(null, "config");
  });

  it("refuses a missing clientId", () => {
    expectConfigError({}, "clientId");
  });

  it("refuses an empty clientId", () => {
    expectConfigError({ clientId: "  " }, "clientId");
  });

  it("refuses an authority that is not a URL", () => {
    expectConfigError({ clientId: "c", authority: "not a url" }, "authority");
  });

  it("refuses an ftp authority", () => {
    expectConfigError({ clientId: "c", authority: "ftp://x" }, "authority");
  });

  it("refuses a plain http authority on a public host", () => {
    expectConfigError({ clientId: "c", authority: "http://example.com" }, "authority");
  });

  it("refuses an authority with credentials", () => {
    expectConfigError({ clientId: "c", authority: "https://user:pass@login.example" }, "authority");
  });

  it("refuses an issuer that is not a URL", () => {
    expectConfigError({ clientId: "c", issuer: "not a url" }, "issuer");
  });

  it("refuses an exchangeEndpoint that is not a URL", () => {
    expectConfigError({ clientId: "c", exchangeEndpoint: "not a url" }, "exchangeEndpoint");
  });

  it("refuses a protocol-relative exchangeEndpoint", () => {
    expectConfigError({ clientId: "c", exchangeEndpoint: "//evil.com" }, "exchangeEndpoint");
  });

  it("refuses a backslash-tricked exchangeEndpoint", () => {
    expectConfigError({ clientId: "c", exchangeEndpoint: "/\\evil.com" }, "exchangeEndpoint");
  });

  // Regression (was a bug): "/\t/evil.com" passes the "path on this origin" check (/^\/(?![/\\])/), but the URL parser
  // drops the tab, reads "//evil.com" and resolves it to https://evil.com/: the code and verifier
  // would be posted to another origin. Expected a TypeError (or a URL on the app's origin).
  it("never resolves a path-looking exchangeEndpoint to another origin", () => {
    for (const exchangeEndpoint of ["/\t/evil.com", "/\n/evil.com", "/\r/evil.com"]) {
      let tokenEndpoint: string | undefined;
      try {
        tokenEndpoint = resolveConfig({ clientId: "c", exchangeEndpoint }, ORIGIN).tokenEndpoint;
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
        continue;
      }
      expect(new URL(tokenEndpoint).origin).toBe(ORIGIN);
    }
  });

  it("refuses an unknown storage name", () => {
    expectConfigError({ clientId: "c", exchangeEndpoint: "/api/token", storage: "indexeddb" }, "storage");
  });

  it("refuses cookie storage without an exchangeEndpoint", () => {
    expectConfigError({ clientId: "c", storage: "cookie" }, "storage");
  });

  it("refuses a storage object without removeItem", () => {
    expectConfigError({ clientId: "c", storage: { getItem: () => null, setItem: () => {} } }, "storage");
  });

  it("refuses apiOrigins that is not an array", () => {
    expectConfigError({ clientId: "c", apiOrigins: "https://api.example" }, "apiOrigins");
  });

  it("refuses an apiOrigins entry that is not a URL, naming its index", () => {
    expectConfigError({ clientId: "c", apiOrigins: ["https://ok.example", "nope"] }, "apiOrigins[1]");
  });

  it("refuses an absolute redirectUri with a fragment", () => {
    expectConfigError({ clientId: "c", redirectUri: "https://app.example/callback#x" }, "redirectUri");
  });

  // Regression (was a bug): the fragment check runs only on absolute redirect URIs; "/callback#x" resolves to
  // "https://app.example/callback#x" with no error (RFC 6749 §3.1.2 forbids the fragment).
  it("refuses a relative redirectUri with a fragment", () => {
    expectConfigError({ clientId: "c", redirectUri: "/callback#x" }, "redirectUri");
  });

  // Regression (was a bug): like exchangeEndpoint, redirectUri "/\t/evil.com" resolves to https://evil.com/.
  it("never resolves a path-looking redirectUri to another origin", () => {
    let redirectUri: string | undefined;
    try {
      redirectUri = resolveConfig({ clientId: "c", redirectUri: "/\t/evil.com" }, ORIGIN).redirectUri;
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError);
      return;
    }
    expect(new URL(redirectUri as string).origin).toBe(ORIGIN);
  });

  it("refuses a redirectUri that is not a URL", () => {
    expectConfigError({ clientId: "c", redirectUri: "not a url" }, "redirectUri");
  });

  it("refuses an empty scope", () => {
    expectConfigError({ clientId: "c", scope: " " }, "scope");
  });

  // Regression (was a bug): an authority with a query is accepted and the endpoints are glued after it:
  // authority "https://login.example?x=1" gives authorizeEndpoint
  // "https://login.example/?x=1/connect/authorize". Expected a TypeError naming "authority".
  it("refuses an authority with a query", () => {
    expectConfigError({ clientId: "c", authority: "https://login.example?x=1" }, "authority");
  });
});
