// Types for node-gyp-build (the prebuild loader; it ships none): the function loads a package's native addon,
// `path` only finds it.
declare module 'node-gyp-build' {
  interface Load {
    (dir: string): unknown;
    path(dir: string): string;
  }
  const load: Load;
  export default load;
}
