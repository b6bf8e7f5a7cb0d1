// Types of kernel-digest.mjs, for the test that reads them.
export function sourceDigest(dir?: string): string;
export function fileDigest(path: string): string;
export function recordBuild(artifact: 'wasm' | 'native', path: string): void;
