/** The Node.js environment: cores from `os`, kernels from the package's wasm/ and prebuilds/ folders, helper threads with worker_threads. */
/// <reference path="./node-gyp-build.d.ts" />
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import nodeGypBuild from 'node-gyp-build';
import { atomicWriteFile } from '../util/fs.js';
import { startWorker } from '../util/start-worker.js';
import type { HelperThread, Platform, WasmModule } from './platform.js';

// wasm/ and prebuilds/ sit at the package root; src/platform and dist/platform are two levels below it.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const requireHere = createRequire(import.meta.url);
const WA = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => WasmModule } }).WebAssembly;

let wasm: WasmModule | Error | undefined;
let addon: unknown;
let gpuEntry: Promise<unknown> | undefined;

/** npm `webgpu` (Dawn), an optional peer, loaded once; an Error naming the package when it is missing or fails. */
function loadGpu(): Promise<unknown> {
  gpuEntry ??= import('webgpu').then(
    (m: { create(options: string[]): unknown }) => {
      try {
        return m.create([]);
      } catch (e) {
        return new Error(`npm webgpu (Dawn) loaded but could not start (${(e as Error).message.split('\n')[0]})`);
      }
    },
    (e: unknown) => {
      const why = (e as Error).message.split('\n')[0];
      return new Error(`the webgpu engine needs the npm package webgpu in Node.js, which could not be loaded (${why})`);
    },
  );
  return gpuEntry;
}

function startHelper(init: Record<string, unknown>): HelperThread {
  const { port1, port2 } = new MessageChannel();
  // The entry has the extension this module runs from (.ts from the sources, .js from dist/).
  const entry = new URL(
    `../models/engines/fused/gradient-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`,
    import.meta.url,
  );
  const worker = startWorker(entry, { ...init, port: port2 }, [port2]);
  return {
    onReady: (listener) => port1.once('message', () => listener()),
    onFailure: (listener) => {
      worker.on('error', listener);
      worker.on('exit', (code) => listener(new Error(`exited with code ${code}`)));
    },
    takeMessage: () => receiveMessageOnPort(port1 as MessagePort)?.message,
    unref: () => {
      worker.unref();
      port1.unref();
    },
    terminate: () => {
      port1.close();
      void worker.terminate();
    },
  };
}

/** The Node.js environment. @internal */
/** A file's size, or undefined when stat cannot read it (the stream then reports why the file cannot be read). */
function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/**
 * A file's bytes in chunks of 4 MiB, all read into one buffer: each chunk is valid until the next is asked for.
 * (A stream's fresh buffer per chunk costs the memory's first touch every time: for an 80 MB file, 20,000 page
 * faults, a third of the reading time on a busy virtual machine.)
 */
function fileChunks(path: string): AsyncIterable<Uint8Array> & { destroy(): void; readonly expectedBytes?: number } {
  let stopped = false;
  return {
    expectedBytes: sizeOf(path),
    destroy: () => {
      stopped = true;
    },
    async *[Symbol.asyncIterator]() {
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.allocUnsafe(1 << 22);
        while (!stopped) {
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
          if (bytesRead === 0) return;
          yield buffer.subarray(0, bytesRead);
        }
      } finally {
        await handle.close();
      }
    },
  };
}

export const nodePlatform: Platform = {
  name: 'node',
  cores: () => availableParallelism(),
  isMainThread: () => isMainThread,
  memoryLimit: () => Math.min(2 ** 32 - 65536, totalmem()),
  setting: (name) => process.env[name],
  wasmKernels() {
    if (wasm === undefined) {
      try {
        wasm = new WA.Module(readFileSync(`${ROOT}wasm/kernels.wasm`));
      } catch (e) {
        wasm = new Error(`wasm/kernels.wasm could not be loaded (${(e as Error).message})`);
      }
    }
    return wasm;
  },
  nativeAddon() {
    if (addon === undefined) {
      if (process.platform !== 'linux' || process.arch !== 'x64') {
        addon = new Error(
          `native kernels are built for Linux x86-64 only (this is ${process.platform}-${process.arch})`,
        );
      } else {
        try {
          // node-gyp-build finds prebuilds/linux-x64/*.node (the STOCKCAST_PREBUILD variable points elsewhere).
          addon = requireHere(nodeGypBuild.path(ROOT));
        } catch (e) {
          const message = (e as Error).message.split('\n')[0];
          addon = new Error(
            /GLIBC|version/.test(message)
              ? `the native kernels need a newer glibc (${message})`
              : `the native kernels could not be loaded (${message})`,
          );
        }
      }
    }
    return addon;
  },
  gpu: loadGpu,
  prepare: async () => undefined,
  threadsUnavailable: () => undefined,
  startHelper,
  canBlock: () => true,
  nextTurn: () => new Promise((resolve) => setImmediate(resolve)),
  textFileStream: (path) => createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }),
  fileByteStream: fileChunks,
  readTextFile: (path) => readFileSync(path, 'utf8'),
  writeTextFile: (path, text) => atomicWriteFile(path, text),
};
