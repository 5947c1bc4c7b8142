/**
 * True in development builds. Bundlers replace `process.env.NODE_ENV` ("production" in production
 * builds, as React itself requires of every app), so text that only a developer reads (why a
 * config is invalid, what went wrong in the flow) is dropped from production bundles; the error
 * codes, and whatever end users see, stay.
 *
 * Browser code only: the server entry must not import this module (worker runtimes have no `process`).
 *
 * The library's own modules define the same constant locally rather than import this one: a
 * bundler that does not hoist modules into one scope (Turbopack, for one) cannot fold a constant
 * imported from another module, and would ship the developer-only text.
 */
// Declared here rather than through @types/node: the browser entry's types must not need Node's.
declare const process: { env: { NODE_ENV?: string } };

export const DEV: boolean = process.env.NODE_ENV !== "production";
