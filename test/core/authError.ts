import { expect } from "vitest";
import { SmartbillsAuthError } from "../../src/core/errors";

/** Runs `fn` and returns what it threw; fails the test when it throws nothing. */
export function thrownBy(fn: () => unknown): unknown {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    return error;
  }
  throw new Error(`expected a throw, got ${String(result)}`);
}

/** Awaits `promise` and returns its rejection reason; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  let result: unknown;
  try {
    result = await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`expected a rejection, got ${String(result)}`);
}

/** Asserts that `error` is a SmartbillsAuthError with `code`, and narrows it. */
export function expectAuthError(error: unknown, code: string): asserts error is SmartbillsAuthError {
  expect(error).toBeInstanceOf(SmartbillsAuthError);
  expect((error as SmartbillsAuthError).code).toBe(code);
}
