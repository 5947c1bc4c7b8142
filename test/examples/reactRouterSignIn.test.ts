/**
 * Runs examples/react-router's own end-to-end test (e2e/signIn.test.ts: the dev server, the built
 * app, a sign-in in Chromium) in `npm test`. Needs `npm run build` first, as the other example tests:
 * the example imports the package by name, which resolves to dist/. The path is not a literal so that
 * the root typecheck leaves the file to the example's own tsconfig (examples.test.ts type-checks it).
 */
export {};

const exampleTest = "../../examples/react-router/e2e/signIn.test.ts";
await import(/* @vite-ignore */ exampleTest);
