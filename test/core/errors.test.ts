import { describe, expect, it } from "vitest";
import { SmartbillsAuthError, SmartbillsErrorCodes, isSmartbillsAuthError, toSmartbillsAuthError } from "../../src/core/errors";

describe("SmartbillsAuthError", () => {
  it("is an Error named SmartbillsAuthError", () => {
    const error = new SmartbillsAuthError("access_denied");

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("SmartbillsAuthError");
  });

  it("carries its code and description", () => {
    const error = new SmartbillsAuthError("access_denied", { description: "The user said no." });

    expect(error.code).toBe("access_denied");
    expect(error.description).toBe("The user said no.");
    expect(error.message).toBe("access_denied: The user said no.");
  });

  it("uses the code as the message when there is no description", () => {
    const error = new SmartbillsAuthError("login_required");

    expect(error.message).toBe("login_required");
  });

  it("exposes OAuth's own field names as getters", () => {
    const error = new SmartbillsAuthError("invalid_grant", { description: "expired" });

    expect(error.error).toBe("invalid_grant");
    expect(error.error_description).toBe("expired");
  });

  it("keeps the HTTP status", () => {
    const error = new SmartbillsAuthError("exchange_failed", { status: 400 });

    expect(error.status).toBe(400);
  });

  it("keeps the response non-enumerable", () => {
    const response = new Response("secret body");
    const error = new SmartbillsAuthError("exchange_failed", { response });

    expect(error.response).toBe(response);
    expect(Object.getOwnPropertyDescriptor(error, "response")?.enumerable).toBe(false);
    expect(Object.keys(error)).not.toContain("response");
  });

  it("keeps the cause non-enumerable", () => {
    const cause = new Error("fetch https://app.example/callback?code=SECRETCODE failed");
    const error = new SmartbillsAuthError("network_error", { cause });

    expect(error.cause).toBe(cause);
    expect(Object.getOwnPropertyDescriptor(error, "cause")?.enumerable).toBe(false);
  });

  it("has no cause when none is given", () => {
    expect("cause" in new SmartbillsAuthError("network_error")).toBe(false);
  });

  it("serialises to JSON with only name, code, description and status", () => {
    const error = new SmartbillsAuthError("exchange_failed", {
      description: "refused",
      status: 400,
      response: new Response("RESPONSEBODY"),
      cause: new Error("CAUSEMESSAGE"),
    });

    const json = JSON.parse(JSON.stringify(error));

    expect(json).toEqual({ name: "SmartbillsAuthError", code: "exchange_failed", description: "refused", status: 400 });
  });

  it("leaves description and status out of its JSON when absent", () => {
    const json = JSON.parse(JSON.stringify(new SmartbillsAuthError("login_required")));

    expect(json).toEqual({ name: "SmartbillsAuthError", code: "login_required" });
  });

  it("replaces control characters in a description", () => {
    const error = new SmartbillsAuthError("access_denied", { description: "line1\r\nline2\u0000" });

    expect(error.description).toBe("line1  line2 ");
  });

  it("clips a very long description", () => {
    const error = new SmartbillsAuthError("access_denied", { description: "x".repeat(10_000) });

    expect(error.description?.length).toBeLessThanOrEqual(501);
  });
});

describe("isSmartbillsAuthError", () => {
  it("recognises the error, optionally by code", () => {
    const error = new SmartbillsAuthError("login_required");

    expect(isSmartbillsAuthError(error)).toBe(true);
    expect(isSmartbillsAuthError(error, "login_required")).toBe(true);
    expect(isSmartbillsAuthError(error, "network_error")).toBe(false);
    expect(isSmartbillsAuthError(new Error("x"))).toBe(false);
  });
});

describe("toSmartbillsAuthError", () => {
  it("returns an existing SmartbillsAuthError unchanged", () => {
    const error = new SmartbillsAuthError("access_denied");

    expect(toSmartbillsAuthError(error, "exchange_failed")).toBe(error);
  });

  it("maps an AbortError to network_error", () => {
    const result = toSmartbillsAuthError(new DOMException("aborted", "AbortError"), "exchange_failed");

    expect(result.code).toBe(SmartbillsErrorCodes.NETWORK_ERROR);
  });

  it("maps a TimeoutError to network_error", () => {
    const result = toSmartbillsAuthError(new DOMException("timed out", "TimeoutError"), "exchange_failed");

    expect(result.code).toBe(SmartbillsErrorCodes.NETWORK_ERROR);
  });

  it("maps a fetch TypeError to network_error when that is the fallback", () => {
    const cause = new TypeError("Failed to fetch");
    const result = toSmartbillsAuthError(cause, "network_error");

    expect(result.code).toBe("network_error");
    expect(result.cause).toBe(cause);
  });

  it("uses the fallback code for an unknown error", () => {
    const result = toSmartbillsAuthError(new Error("boom"), "exchange_failed");

    expect(result.code).toBe("exchange_failed");
  });

  it("does not copy an unknown error's message", () => {
    const result = toSmartbillsAuthError(new Error("GET https://app.example/callback?code=LEAKEDCODE123"), "exchange_failed");

    expect(result.message).not.toContain("LEAKEDCODE123");
    expect(String(result)).not.toContain("LEAKEDCODE123");
    expect(JSON.stringify(result)).not.toContain("LEAKEDCODE123");
  });

  it("accepts a thrown non-error value", () => {
    const result = toSmartbillsAuthError("a string", "invalid_response");

    expect(result).toBeInstanceOf(SmartbillsAuthError);
    expect(result.code).toBe("invalid_response");
  });
});
