"use client";
export { MockSmartbillsProvider } from "./testing/MockSmartbillsProvider";
export type { MockSmartbillsProviderProps } from "./testing/MockSmartbillsProvider";
