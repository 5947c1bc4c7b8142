import { describe, expect, it } from "vitest";
import { redactSecret } from "../../src/server/redactSecret";

describe("redactSecret", () => {
  it("removes the raw, form-encoded, percent-encoded and JSON-escaped secret in any case", () => {
    const secret = 'S3cret:%+é "q"';
    const text = [secret, new URLSearchParams({ s: secret }).toString().slice(2), encodeURIComponent(secret).toLowerCase(), JSON.stringify(secret), secret.toUpperCase()].join(" | ");
    const out = redactSecret(text, secret, "fallback");
    expect(out).not.toMatch(/s3cret/i);
    expect(out).toContain("[redacted]");
  });

  it("leaves text without the secret unchanged", () => {
    expect(redactSecret("The code has expired.", "topsecret1", "fallback")).toBe("The code has expired.");
  });

  it("cuts a secret out when it occurs inside the redaction marker", () => {
    expect(redactSecret("a e b", "e", "fallback")).toBe("a  b");
  });

  it("removes occurrences that replacing creates", () => {
    expect(redactSecret("aabb", "ab", "fallback")).not.toContain("ab");
  });

  it("returns the fallback when the text cannot be cleaned in a bounded number of passes", () => {
    const secret = "d]b";
    expect(redactSecret(`d]b${"b".repeat(20)}`, secret, "fallback")).toBe("fallback");
  });
});
