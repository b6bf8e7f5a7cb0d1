/**
 * The job queue's optional peers, `bullmq` and `ioredis`: loaded here on first use of a queue (`queue` options,
 * `--redis`, `stockcast worker`), never for local runs, so a user who never queues jobs never installs them.
 */
import { createRequire } from 'node:module';
import type * as BullMQ from 'bullmq';
import type * as IORedis from 'ioredis';
import { QueueError } from '../errors.js';

const requireHere = createRequire(import.meta.url);
const PEERS = ['bullmq', 'ioredis'] as const;

/** The queue libraries, once loaded. @internal */
export interface QueueLibraries {
  bullmq: typeof BullMQ;
  Redis: typeof IORedis.Redis;
}

let loaded: Promise<QueueLibraries> | undefined;

/** Test-only: peers to treat as missing, as if they were not installed. @internal */
export const peerFaults: { missing?: readonly string[] } = {};

function isInstalled(pkg: string): boolean {
  if (peerFaults.missing?.includes(pkg)) return false;
  try {
    requireHere.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads bullmq and ioredis once.
 * @param address - the Redis address the queue was asked for (for the error)
 * @throws {@link QueueError} naming the packages to install when either is missing
 * @internal
 */
export function loadQueueLibraries(address: string): Promise<QueueLibraries> {
  const missing = PEERS.filter((p) => !isInstalled(p));
  if (missing.length > 0) {
    const list = missing.join(' and ');
    return Promise.reject(
      new QueueError(`the job queue needs ${list}, which ${missing.length > 1 ? 'are' : 'is'} not installed`, address, {
        hint: `npm install ${PEERS.join(' ')}: optional peers of stockcast, used only by the job queue (queue options, --redis, stockcast worker)`,
      }),
    );
  }
  loaded ??= Promise.all([import('bullmq'), import('ioredis')]).then(
    ([bullmq, ioredis]) => ({ bullmq, Redis: ioredis.Redis }),
    (cause: unknown) => {
      loaded = undefined;
      throw new QueueError(
        `the job queue could not load bullmq or ioredis: ${(cause as Error)?.message ?? String(cause)}`,
        address,
        { hint: `npm install ${PEERS.join(' ')}`, cause },
      );
    },
  );
  return loaded;
}
