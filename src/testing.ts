"use client";
export { MockSmartbillsProvider } from "./testing/MockSmartbillsProvider.js";
export type { MockSmartbillsProviderProps } from "./testing/MockSmartbillsProvider.js";
