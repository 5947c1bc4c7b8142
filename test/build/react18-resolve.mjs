// Preloaded (`node --import`) into the test workers of vitest.react18.config.ts. Vite's aliases
// cover the files vitest transforms; this covers what Node loads itself: packages vitest leaves to
// Node (externalized) and, above all, react-dom 18's own `require("react")`, which would otherwise
// find React 19 at node_modules/react. Every `react` / `react-dom` import or require, with any
// subpath, goes to the npm aliases `react18` / `react-dom18` (React 18.3).
import Module, { register } from "node:module";

const PATTERN = /^(react|react-dom)(\/.*)?$/;
const redirect = (specifier) => {
  const match = PATTERN.exec(specifier);
  return match ? `${match[1]}18${match[2] ?? ""}` : specifier;
};

// CommonJS `require`.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, typeof request === "string" ? redirect(request) : request, ...rest);
};

// ES module `import`.
const hooks = `
const PATTERN = ${PATTERN};
export async function resolve(specifier, context, next) {
  const match = PATTERN.exec(specifier);
  return next(match ? match[1] + "18" + (match[2] ?? "") : specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
