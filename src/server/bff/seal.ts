/**
 * The BFF's cryptography, all WebCrypto: one `secret` gives three independent keys through HKDF
 * (RFC 5869), so that a leak of one use never weakens another.
 *
 * - `seal` / `unseal`: AES-256-GCM with a fresh 96-bit IV per record and the store key as
 *   additional data, so a record copied under another session's key does not open.
 * - `storeKey`: HMAC-SHA-256 of the session id, so a store dump holds no usable session id.
 * - `sign` / `verify`: HMAC-SHA-256 of the login cookie.
 *
 * @internal
 */

/** Shorter secrets are refused: 32 bytes is the key size every derived key has. */
export const MIN_SECRET_BYTES = 32;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });
const SEAL_VERSION = "v1.";
const IV_BYTES = 12;

/** The keys derived from one secret. @internal */
export interface BffKeys {
  seal(storeKey: string, plaintext: string): Promise<string>;
  /** `null` for anything that is not a record sealed under this key and `storeKey`. */
  unseal(storeKey: string, sealed: string): Promise<string | null>;
  storeKey(sessionId: string): Promise<string>;
  sign(payload: string): Promise<string>;
  verify(payload: string, signature: string): Promise<boolean>;
}

/**
 * Derives the keys of {@link BffKeys} from `secret`. Throws a `TypeError` when the secret is
 * shorter than 32 bytes (UTF-8): a short one could be guessed offline from one sealed record.
 *
 * @internal
 */
export function deriveBffKeys(secret: string, caller: string): BffKeys {
  const raw = typeof secret === "string" ? encoder.encode(secret) : new Uint8Array(0);
  if (raw.byteLength < MIN_SECRET_BYTES) throw new TypeError(`${caller}: "secret" must be at least ${MIN_SECRET_BYTES} bytes.`);
  const subtle = globalThis.crypto.subtle;
  const base = subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
  const derive = (info: string, algorithm: AesKeyGenParams | HmacImportParams, usages: KeyUsage[]) =>
    base.then((key) =>
      subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: encoder.encode(info) }, key, algorithm, false, usages),
    );
  const sealKey = derive("smartbills-bff session seal v1", { name: "AES-GCM", length: 256 }, ["encrypt", "decrypt"]);
  const idKey = derive("smartbills-bff session id v1", { name: "HMAC", hash: "SHA-256", length: 256 }, ["sign"]);
  const cookieKey = derive("smartbills-bff login cookie v1", { name: "HMAC", hash: "SHA-256", length: 256 }, ["sign", "verify"]);
  // A failed derivation surfaces at first use; this only keeps it from being an unhandled rejection.
  for (const key of [sealKey, idKey, cookieKey]) key.catch(() => {});
  // Every request of an active session asks for the same two answers: computed once, kept boundedly.
  const storeKeys = new BoundedMap<string, string>(CACHE_ENTRIES);
  const opened = new BoundedMap<string, { sealed: string; plain: string }>(CACHE_ENTRIES);

  return {
    async seal(storeKey, plaintext) {
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const cipher = await subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(storeKey) }, await sealKey, encoder.encode(plaintext));
      const out = new Uint8Array(IV_BYTES + cipher.byteLength);
      out.set(iv, 0);
      out.set(new Uint8Array(cipher), IV_BYTES);
      const sealed = SEAL_VERSION + toBase64Url(out);
      opened.set(storeKey, { sealed, plain: plaintext });
      return sealed;
    },
    async unseal(storeKey, sealed) {
      if (typeof sealed !== "string" || !sealed.startsWith(SEAL_VERSION)) return null;
      const known = opened.get(storeKey);
      if (known && known.sealed === sealed) return known.plain;
      const bytes = fromBase64Url(sealed.slice(SEAL_VERSION.length));
      if (bytes === null || bytes.byteLength < IV_BYTES + 16) return null;
      try {
        const plain = await subtle.decrypt(
          { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: encoder.encode(storeKey) },
          await sealKey,
          bytes.subarray(IV_BYTES),
        );
        const text = decoder.decode(plain);
        opened.set(storeKey, { sealed, plain: text });
        return text;
      } catch {
        return null;
      }
    },
    async storeKey(sessionId) {
      const known = storeKeys.get(sessionId);
      if (known !== undefined) return known;
      const key = toBase64Url(new Uint8Array(await subtle.sign("HMAC", await idKey, encoder.encode(sessionId))));
      storeKeys.set(sessionId, key);
      return key;
    },
    async sign(payload) {
      return toBase64Url(new Uint8Array(await subtle.sign("HMAC", await cookieKey, encoder.encode(payload))));
    },
    async verify(payload, signature) {
      const bytes = fromBase64Url(signature);
      if (bytes === null || bytes.byteLength !== 32) return false;
      // WebCrypto's verify compares in constant time.
      return subtle.verify("HMAC", await cookieKey, bytes, encoder.encode(payload));
    },
  };
}

const CACHE_ENTRIES = 10_000;

/** A Map that forgets its oldest entries past `limit` (insertion order; a hit moves to the back). */
class BoundedMap<K, V> {
  readonly #map = new Map<K, V>();
  constructor(readonly limit: number) {}
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.limit) this.#map.delete(this.#map.keys().next().value as K);
  }
}

/** 32 random bytes, base64url: a session id, a state, a nonce or a lock token. @internal */
export function randomToken(bytes = 32): string {
  return toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 PKCE challenge of `verifier` (RFC 7636 §4.2). @internal */
export async function s256(verifier: string): Promise<string> {
  return toBase64Url(new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", encoder.encode(verifier))));
}

/** Base64url without padding (RFC 4648 §5). @internal */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Strict base64url decoding; `null` for anything else. @internal */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** UTF-8 text to base64url. @internal */
export function encodeText(text: string): string {
  return toBase64Url(encoder.encode(text));
}

/** Base64url to UTF-8 text; `null` when not valid. @internal */
export function decodeText(text: string): string | null {
  const bytes = fromBase64Url(text);
  if (bytes === null) return null;
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}
