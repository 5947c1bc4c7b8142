"use client";
/**
 * A provider that fakes a signed-in (or signed-out) user, for the tests of apps that use `@smartbills/react`.
 *
 * @packageDocumentation
 * @module @smartbills/react/testing
 */
export { MockSmartbillsProvider } from "./testing/MockSmartbillsProvider.js";
export type { MockSmartbillsProviderProps } from "./testing/MockSmartbillsProvider.js";
