// A binary min-heap of items by numeric key. Stale items are the caller's to skip (lazy deletion):
// `compact` drops them when they pile up.
export class MinHeap<T> {
  private keys: number[] = [];
  private items: T[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** the smallest key (Infinity when empty) */
  peekKey(): number {
    return this.keys.length ? (this.keys[0] as number) : Infinity;
  }

  /** the item with the smallest key; only when not empty */
  peek(): T {
    return this.items[0] as T;
  }

  push(item: T, key: number): void {
    let i = this.keys.length;
    this.keys.push(key);
    this.items.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((this.keys[p] as number) <= key) break;
      this.keys[i] = this.keys[p] as number;
      this.items[i] = this.items[p] as T;
      i = p;
    }
    this.keys[i] = key;
    this.items[i] = item;
  }

  /** Removes the item with the smallest key; only when not empty. */
  pop(): void {
    const key = this.keys.pop() as number;
    const item = this.items.pop() as T;
    const n = this.keys.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && (this.keys[c + 1] as number) < (this.keys[c] as number)) c++;
      if ((this.keys[c] as number) >= key) break;
      this.keys[i] = this.keys[c] as number;
      this.items[i] = this.items[c] as T;
      i = c;
    }
    this.keys[i] = key;
    this.items[i] = item;
  }

  /** Keeps only the items `keep` accepts. O(size). */
  compact(keep: (item: T, key: number) => boolean): void {
    const entries: Array<[T, number]> = [];
    for (let i = 0; i < this.keys.length; i++) if (keep(this.items[i] as T, this.keys[i] as number)) entries.push([this.items[i] as T, this.keys[i] as number]);
    entries.sort((a, b) => a[1] - b[1]); // a sorted array is a heap
    this.items = entries.map((x) => x[0]);
    this.keys = entries.map((x) => x[1]);
  }
}
