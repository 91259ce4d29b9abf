// Types of bundle.mjs (the command line's bundle: build, freshness), for the TypeScript that imports it.
/** Where bin.mjs looks for the bundle (dist/cli/). */
export declare const BUNDLE_DIR: string
/** The URL of the entry of the bundle in `dir` (BUNDLE_DIR by default) when it exists and none of its inputs changed since it was built. */
export declare const freshBundle: (dir?: string) => string | undefined
/** Builds the bundle of adapters/cli/main.ts and the worker threads into `dir` (BUNDLE_DIR by default, emptied first); returns the number of chunks and of inputs. */
export declare const build: (dir?: string) => Promise<{ chunks: number; inputs: number }>
