/** Where CSV text comes from besides a string: a file path (Node.js), a `File`/`Blob`, or a `ReadableStream` of bytes or text. */
import { DataError } from '../../errors.js';

/** A `Blob` or `File`, as stockcast reads it (described by shape, so the declarations need neither DOM nor Node.js types). */
export interface BlobLike {
  /** Its size in bytes. */
  readonly size: number;
  /** Its content as UTF-8 text. */
  text(): Promise<string>;
  /** Its bytes. */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A `ReadableStream` of UTF-8 bytes or strings (a `fetch` response's `body`), as stockcast reads it. */
export interface StreamLike {
  /** Locks the stream to a reader of its chunks. */
  getReader(): {
    /** The next chunk, or `done`. */
    read(): Promise<{
      /** Whether the stream has ended. */
      done: boolean;
      /** The chunk. */
      value?: Uint8Array | string;
    }>;
    /** Unlocks the stream. */
    releaseLock(): void;
  };
}

/** A CSV source: a file path (Node.js only), a `File` or `Blob`, or a `ReadableStream` of UTF-8 bytes or strings (a `fetch` response's `body`). */
export type CsvSource = string | BlobLike | StreamLike;

/** The name errors give a source: a File's name, else `blob` or `stream`. @internal */
export function sourceName(source: BlobLike | StreamLike): string {
  const name = (source as { name?: unknown }).name;
  return typeof name === 'string' && name !== ''
    ? name
    : typeof (source as StreamLike).getReader === 'function'
      ? 'stream'
      : 'blob';
}

/**
 * The whole text of a Blob or stream, decoded as UTF-8 chunk by chunk (a character split between chunks is kept whole).
 * @throws {@link DataError} for anything else, or when reading fails
 * @internal
 */
export async function sourceText(source: BlobLike | StreamLike): Promise<string> {
  const s = source as { text?: unknown; getReader?: unknown };
  try {
    if (typeof s.getReader === 'function') {
      const reader = (source as StreamLike).getReader();
      const decoder = new TextDecoder();
      const parts: string[] = [];
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (value !== undefined)
            parts.push(typeof value === 'string' ? value : decoder.decode(value, { stream: true }));
        }
      } finally {
        reader.releaseLock();
      }
      parts.push(decoder.decode());
      return parts.join('');
    }
    if (typeof s.text === 'function') return await (source as BlobLike).text();
  } catch (e) {
    throw new DataError(
      `cannot read ${sourceName(source)}: ${(e as Error).message}`,
      { file: sourceName(source) },
      { cause: e },
    );
  }
  throw new DataError(
    `expected a file path, a File or Blob, or a ReadableStream, received ${Object.prototype.toString.call(source)}`,
  );
}
