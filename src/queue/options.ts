/**
 * The job queue's public options: where Redis is. Kept apart from the connection code so the public type
 * declarations never name ioredis (whose types need @types/node).
 */
import { z } from 'zod';
import { vocabulary as v } from '../vocabulary.js';

/** A Redis connection given as an object (TLS certificates can be given only this way; URLs use the system's CAs). */
export const RedisEndpointSchema = z
  .object({
    /** Host name or address (default 127.0.0.1). */
    host: z.string().min(1).default('127.0.0.1'),
    /** Port (default 6379). */
    port: z.number().int().min(1).max(65535).default(6379),
    /** ACL user name. */
    username: z.string().min(1).optional(),
    /** Password (never printed). */
    password: z.string().min(1).optional(),
    /** Database number (default 0). */
    db: z.number().int().min(0).max(10000).default(0),
    /** TLS: `true` for the system's CAs, or Node's TLS options (e.g. `{ ca }` with a PEM string). */
    tls: z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional(),
  })
  .strict();

/** Options of a job queue: where Redis is, and how long a submitter waits for it when it is unreachable. */
export const QueueOptionsSchema = z
  .object({
    /** `redis://[user:password@]host[:port][/db]`, `rediss://...` (TLS), or an object. */
    connection: v.connection.schema,
    /** How long to keep reconnecting to an unreachable Redis before failing (ms, default 60000). */
    reconnectMs: v.reconnectMs.withDefault(),
  })
  .strict();

/** Options of a job queue, as accepted. */
export type QueueOptions = z.input<typeof QueueOptionsSchema>;
