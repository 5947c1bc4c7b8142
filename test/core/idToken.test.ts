import { describe, expect, it } from "vitest";
import { assertSameSubject, decodeJwtPayload, MAX_IAT_SKEW_MS, validateIdToken } from "../../src/core/idToken";
import { SmartbillsAuthError } from "../../src/core/errors";

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const ISSUER = "https://api.smartbills.io/auth";
const CLIENT = "app_1";
const NONCE = "n".repeat(43);

const b64url = (value: string) => Buffer.from(value, "utf8").toString("base64url");
function jwt(claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: "RS256", kid: "k1" }))}.${b64url(JSON.stringify(claims))}.c2lnbmF0dXJl`;
}
const good = (over: Record<string, unknown> = {}) =>
  jwt({ iss: ISSUER, aud: CLIENT, sub: "u_1", exp: NOW / 1000 + 300, iat: NOW / 1000, nonce: NONCE, name: "Zoé Ada", email: "ada@example.com", ...over });
const expected = { issuer: ISSUER, clientId: CLIENT, nonce: NONCE, now: NOW };

function refusal(run: () => unknown): SmartbillsAuthError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SmartbillsAuthError);
    return error as SmartbillsAuthError;
  }
  throw new Error("expected a refusal");
}

describe("validateIdToken", () => {
  it("returns every claim as issued, non-ASCII included, for a token that matches", () => {
    const user = validateIdToken(good(), expected);

    expect(user).toMatchObject({ sub: "u_1", name: "Zoé Ada", email: "ada@example.com", iss: ISSUER });
  });

  it("ignores one trailing slash on either issuer", () => {
    expect(validateIdToken(good({ iss: `${ISSUER}/` }), expected).sub).toBe("u_1");
    expect(validateIdToken(good(), { ...expected, issuer: `${ISSUER}/` }).sub).toBe("u_1");
  });

  it("accepts several audiences when azp is this client", () => {
    expect(validateIdToken(good({ aud: [CLIENT, "api"], azp: CLIENT }), expected).sub).toBe("u_1");
  });

  it("does not check the nonce when none is expected (a refresh)", () => {
    expect(validateIdToken(good({ nonce: undefined }), { ...expected, nonce: undefined }).sub).toBe("u_1");
  });

  it.each([
    ["not a JWT", "not-a-jwt"],
    ["a JWE-shaped token", "a.b.c.d.e"],
    ["a payload that is not JSON", `${b64url("{}")}.${b64url("hello")}.sig`],
    ["a payload that is a JSON array", `${b64url("{}")}.${b64url("[1]")}.sig`],
    ["a payload that is not UTF-8", `${b64url("{}")}.${Buffer.from([0xff, 0xfe]).toString("base64url")}.sig`],
    ["a huge token", `a.${"b".repeat(20_000)}.c`],
    ["a foreign aud", good({ aud: "other_app" })],
    ["several aud without azp", good({ aud: [CLIENT, "other_app"] })],
    ["several aud with a foreign azp", good({ aud: [CLIENT, "other_app"], azp: "other_app" })],
    ["an aud that is not a string", good({ aud: 42 })],
    ["another nonce", good({ nonce: "m".repeat(43) })],
    ["no nonce at sign-in", good({ nonce: undefined })],
    ["another iss", good({ iss: "https://evil.example" })],
    ["an issuer that only starts like ours", good({ iss: `${ISSUER}.evil.example` })],
    ["an expired exp", good({ exp: NOW / 1000 - 1 })],
    ["an exp that is a string", good({ exp: String(NOW / 1000 + 300) })],
    ["no exp", good({ exp: undefined })],
    ["an iat too far ahead", good({ iat: (NOW + MAX_IAT_SKEW_MS + 1000) / 1000 })],
    ["no sub", good({ sub: undefined })],
    ["an empty sub", good({ sub: "" })],
  ])("refuses %s with invalid_id_token and no claim value in the message", (_, token) => {
    const error = refusal(() => validateIdToken(token, expected));

    expect(error.code).toBe("invalid_id_token");
    expect(error.message).not.toContain("evil");
    expect(error.message).not.toContain(NONCE);
  });

  it("accepts an iat a little ahead (clock skew)", () => {
    expect(validateIdToken(good({ iat: (NOW + 60_000) / 1000 }), expected).sub).toBe("u_1");
  });
});

describe("decodeJwtPayload", () => {
  it("decodes base64url without padding", () => {
    expect(decodeJwtPayload(jwt({ sub: "ü?>" }))).toEqual({ sub: "ü?>" });
  });
});

describe("assertSameSubject", () => {
  it("passes for the same sub, or when there was no user", () => {
    expect(() => assertSameSubject({ sub: "u_1" }, { sub: "u_1" })).not.toThrow();
    expect(() => assertSameSubject(null, { sub: "u_2" })).not.toThrow();
  });

  it("refuses a refresh that names another user", () => {
    expect(refusal(() => assertSameSubject({ sub: "u_1" }, { sub: "u_2" })).code).toBe("invalid_id_token");
  });
});
