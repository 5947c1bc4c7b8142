const REDACTED = "[redacted]";
const MAX_PASSES = 8;

/**
 * Removes every occurrence of `secret` from `text`, in any letter case: raw, percent-encoded (as
 * `encodeURIComponent` and as a form body writes it) and JSON-escaped, because an upstream that
 * echoes our request back (an error page, a debugging `error_description`) quotes the encoded form
 * body. Returns `fallback` when the text cannot be cleaned. The result differs from `text` exactly
 * when `text` held the secret, which makes this the containment test too.
 *
 * @internal
 */
export function redactSecret(text: string, secret: string, fallback: string): string {
  const variants = secretVariants(secret);
  if (variants.length === 0) return text;
  const pattern = new RegExp(variants.map(escapeRegExp).join("|"), "giu");
  // The marker itself could contain a short secret; then cut occurrences out instead.
  const marker = new RegExp(pattern.source, "iu").test(REDACTED) ? "" : REDACTED;
  let out = text;
  // Replacing can join the text around an occurrence into a new one, so repeat until stable, boundedly.
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = out.replace(pattern, marker);
    if (next === out) return out;
    out = next;
  }
  return fallback;
}

function secretVariants(secret: string): string[] {
  if (secret === "") return [];
  const uri = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const json = JSON.stringify(secret).slice(1, -1);
  // Longest first, so an encoded form is removed whole rather than around a shorter variant.
  return [...new Set([secret, uri, form, json])].filter((v) => v !== "").sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
