/**
 * Parallel refit groups on the webgpu engine: they stay in this thread, where every engine shares one GPU device,
 * and up to `concurrency` of them are in flight at once, so one group's host work (windows, uploads, readbacks)
 * overlaps another's GPU work. Worker threads would each open a device of their own.
 */

/**
 * Runs `run` on every group with at most `limit` in flight; results in group order; the first failure rejects
 * (groups already started finish, no new one starts).
 * @internal
 */
export async function sharedDevice<G, R>(
  groups: readonly G[],
  limit: number,
  run: (group: G) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(groups.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < groups.length) {
      const i = next++;
      try {
        results[i] = await run(groups[i]);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, groups.length) }, lane));
  return results;
}
