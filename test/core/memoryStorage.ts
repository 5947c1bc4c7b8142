/**
 * A Web Storage (`sessionStorage`-shaped) implementation in memory, for the node test project,
 * which has no `window`. `failWrites` makes `setItem` throw like a full or blocked storage.
 */
export class MemoryStorage implements Storage {
  // Storage's DOM type carries an index signature; the class must admit it.
  [name: string]: any;
  #items = new Map<string, string>();
  failWrites = false;

  get length(): number {
    return this.#items.size;
  }

  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }

  getItem(key: string): string | null {
    return this.#items.has(key) ? (this.#items.get(key) as string) : null;
  }

  setItem(key: string, value: string): void {
    if (this.failWrites) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    this.#items.set(String(key), String(value));
  }

  removeItem(key: string): void {
    this.#items.delete(key);
  }

  clear(): void {
    this.#items.clear();
  }

  /** Every key, in insertion order. */
  keys(): string[] {
    return [...this.#items.keys()];
  }

  /** Every stored value joined, to search for secrets. */
  dump(): string {
    return [...this.#items.entries()].map(([k, v]) => `${k}=${v}`).join("\n");
  }
}
