import * as v8 from 'node:v8';

/**
 * The shell parser is WebAssembly: compiled in one quick tier, a short run does not wait at exit for the optimising
 * compiler to finish code it will never use. Set before the CLI's bundle is compiled: V8's code cache is only taken
 * under the flags it was made with.
 */
export function tuneV8ForShortRun(): void {
  v8.setFlagsFromString('--liftoff-only');
  v8.setFlagsFromString('--wasm-lazy-compilation');
}
