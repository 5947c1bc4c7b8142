import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkIssuer, hasCallbackParams, parseCallback, stripCallbackParams } from "../../src/core/callback";
import { SmartbillsAuthError } from "../../src/core/errors";
import { expectAuthError, thrownBy } from "./authError";

const ISSUER = "https://api.smartbills.io";

describe("parseCallback", () => {
  it("reads code and state", () => {
    const result = parseCallback("?code=the-code&state=the-state");

    expect(result).toEqual({ kind: "code", code: "the-code", state: "the-state", iss: undefined });
  });

  it("reads iss", () => {
    const result = parseCallback("?code=c&state=s&iss=https%3A%2F%2Fapi.smartbills.io");

    expect(result.iss).toBe(ISSUER);
  });

  it("keeps an empty iss, for checkIssuer to refuse, and reads an empty state as none", () => {
    const result = parseCallback("?code=c&state=&iss=");

    expect(result).toEqual({ kind: "code", code: "c", state: undefined, iss: "" });
  });

  it("reads a query without the leading question mark", () => {
    const result = parseCallback("code=c&state=s");

    expect(result).toMatchObject({ kind: "code", code: "c", state: "s" });
  });

  it("reads error and error_description", () => {
    const result = parseCallback("?error=access_denied&error_description=The+user+said+no&state=s");

    expect(result).toEqual({ kind: "error", error: "access_denied", errorDescription: "The user said no", state: "s", iss: undefined });
  });

  it.each(["code", "state", "iss", "error", "error_description", "error_uri", "session_state"])(
    "refuses a repeated %s with invalid_callback",
    (name) => {
      const base = name === "error" || name.startsWith("error_") ? "error=access_denied&state=s" : "code=c&state=s";
      const search = `?${base}&${name}=one&${name}=two`;

      expectAuthError(thrownBy(() => parseCallback(search)), "invalid_callback");
    },
  );

  it("refuses a repeated code even when one copy is empty", () => {
    expectAuthError(thrownBy(() => parseCallback("?code=&code=c&state=s")), "invalid_callback");
  });

  it("refuses code together with error with invalid_callback", () => {
    expectAuthError(thrownBy(() => parseCallback("?code=c&error=access_denied&state=s")), "invalid_callback");
  });

  it("refuses a response with neither code nor error with missing_code", () => {
    expectAuthError(thrownBy(() => parseCallback("?state=s")), "missing_code");
  });

  it("refuses an empty query with missing_code", () => {
    expectAuthError(thrownBy(() => parseCallback("")), "missing_code");
  });

  it("keeps a hostile error as the raw string", () => {
    const result = parseCallback("?error=<img src=x onerror=alert(1)>&error_description=%E0%A4%A");

    expect(result).toMatchObject({ kind: "error", error: "<img src=x onerror=alert(1)>" });
  });

  it("does not throw on a malformed percent escape", () => {
    const result = parseCallback("?error=<img src=x onerror=alert(1)>&error_description=%E0%A4%A");

    expect(result.kind === "error" && typeof result.errorDescription).toBe("string");
    expect(result.kind === "error" && result.errorDescription?.endsWith("%A")).toBe(true);
  });

  it("refuses an over-long parameter with invalid_callback", () => {
    expectAuthError(thrownBy(() => parseCallback(`?code=${"c".repeat(5000)}&state=s`)), "invalid_callback");
  });

  it("refuses an over-long error_description with invalid_callback", () => {
    expectAuthError(thrownBy(() => parseCallback(`?error=x&error_description=${"d".repeat(5000)}`)), "invalid_callback");
  });

  it("never names the code in its errors", () => {
    const code = "SECRET-CODE-1234567890";
    const error = thrownBy(() => parseCallback(`?code=${code}&code=${code}&state=s`));

    expect(String(error)).not.toContain(code);
    expect(JSON.stringify(error)).not.toContain(code);
  });

  it("never throws anything but a SmartbillsAuthError, whatever the query (property)", () => {
    const fragment = fc.constantFrom("code=", "state=", "iss=", "error=", "error_description=", "session_state=", "&", "=", "%", "%E0", "%A4", "%%", "?", "#", "+", "x", "\u0000", "\uD800", "é");
    const built = fc.array(fragment, { maxLength: 20 }).map((parts) => parts.join(""));
    const anyString = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), built);

    fc.assert(
      fc.property(anyString, (search) => {
        try {
          const result = parseCallback(search);
          return result.kind === "code" || result.kind === "error";
        } catch (error) {
          return error instanceof SmartbillsAuthError;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe("hasCallbackParams", () => {
  it("sees code or error together with state", () => {
    expect(hasCallbackParams("?code=c&state=s")).toBe(true);
    expect(hasCallbackParams("?error=e&state=s")).toBe(true);
    expect(hasCallbackParams("?page=2")).toBe(false);
  });

  it("does not take an app's own ?code= (a promo code on a root redirect URI) for a sign-in", () => {
    expect(hasCallbackParams("?code=SUMMER24")).toBe(false);
    expect(hasCallbackParams("?state=s")).toBe(false);
  });
});

describe("stripCallbackParams", () => {
  it("removes every authorization-response parameter", () => {
    const href = "https://app.example/callback?code=c&state=s&iss=i&error=e&error_description=d&session_state=x&error_uri=u";

    expect(stripCallbackParams(href)).toBe("https://app.example/callback");
  });

  it("keeps other parameters and the hash", () => {
    const href = "https://app.example/callback?tab=1&code=c&state=s&lang=fr#section";

    expect(stripCallbackParams(href)).toBe("https://app.example/callback?tab=1&lang=fr#section");
  });

  it("leaves no code anywhere in the URL", () => {
    const stripped = stripCallbackParams("https://app.example/callback?code=SECRETCODE&state=s#x");

    expect(stripped).not.toContain("SECRETCODE");
    expect(stripped).not.toContain("code=");
  });
});

describe("checkIssuer", () => {
  it("passes an equal issuer", () => {
    expect(() => checkIssuer(ISSUER, ISSUER)).not.toThrow();
  });

  it("ignores one trailing slash on the response's iss", () => {
    expect(() => checkIssuer(`${ISSUER}/`, ISSUER)).not.toThrow();
  });

  it("ignores one trailing slash on the configured issuer", () => {
    expect(() => checkIssuer(ISSUER, `${ISSUER}/`)).not.toThrow();
  });

  it("refuses another issuer with issuer_mismatch", () => {
    expectAuthError(thrownBy(() => checkIssuer("https://evil", ISSUER)), "issuer_mismatch");
  });

  it("refuses a look-alike issuer with issuer_mismatch", () => {
    expectAuthError(thrownBy(() => checkIssuer(`${ISSUER}.evil.example`, ISSUER)), "issuer_mismatch");
  });

  it("refuses an empty iss with issuer_mismatch", () => {
    expectAuthError(thrownBy(() => checkIssuer("", ISSUER)), "issuer_mismatch");
  });

  it("passes when the response has no iss", () => {
    expect(() => checkIssuer(undefined, ISSUER)).not.toThrow();
  });
});
