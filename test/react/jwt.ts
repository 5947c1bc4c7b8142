/** An unsigned compact JWT with these claims: the library decodes ID tokens, it never verifies them. */
export function makeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.c2lnbmF0dXJl`;
}

/** The claims of a valid ID token for the test client, `overrides` applied (undefined removes a claim). */
export function idTokenClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { iss: "https://api.smartbills.io", aud: "test-client", sub: "user-1", name: "Ada Lovelace", email: "ada@example.com", iat: now, exp: now + 300, ...overrides };
  for (const key of Object.keys(claims)) if (claims[key] === undefined) delete claims[key];
  return claims;
}
