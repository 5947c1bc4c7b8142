import { describe, expect, it } from "vitest";
import { isOAuthErrorCode } from "../../src/core/oauthErrorCode";

describe("isOAuthErrorCode", () => {
  it("accepts OAuth's own codes", () => {
    for (const code of ["access_denied", "invalid_grant", "temporarily_unavailable", "x"]) expect(isOAuthErrorCode(code)).toBe(true);
  });

  it("refuses quotes, backslashes, control characters, non-ASCII, empty, over-long and non-strings", () => {
    for (const value of ['a"b', "a\\b", "a\nb", "é", "", "x".repeat(65), 42, null, undefined, {}]) expect(isOAuthErrorCode(value)).toBe(false);
  });
});
