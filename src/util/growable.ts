/** A Float64Array that grows by doubling, for outputs whose length is known only at the end (one value per day). */
export class GrowableArray {
  #data: Float64Array;
  #length = 0;

  /** @param capacity - the first allocation, in values */
  constructor(capacity = 256) {
    this.#data = new Float64Array(Math.max(1, capacity));
  }

  /** Values pushed so far. */
  get length(): number {
    return this.#length;
  }

  /** Appends one value. */
  push(value: number): void {
    if (this.#length === this.#data.length) {
      const next = new Float64Array(this.#data.length * 2);
      next.set(this.#data);
      this.#data = next;
    }
    this.#data[this.#length++] = value;
  }

  /** The last value (undefined when empty). */
  last(): number | undefined {
    return this.#length > 0 ? this.#data[this.#length - 1] : undefined;
  }

  /** The values as an array of their exact length (a copy, trimmed). */
  toArray(): Float64Array {
    return this.#data.slice(0, this.#length);
  }
}
