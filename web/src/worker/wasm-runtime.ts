// Loading the lookalike WASM module in the worker. The .wasm file is
// downloaded here (with byte progress, through the data cache) and handed to
// the Emscripten factory as `wasmBinary`, so the factory never fetches.
import createLookalikeModule from '@lookalike-wasm/lookalike_wasm.mjs';
import type { LookalikeModule } from '@lookalike-wasm/lookalike_wasm.mjs';
import wasmUrl from '@lookalike-wasm/lookalike_wasm.wasm?url';
import { fetchBytes, type DownloadProgress } from './cached-fetch';

// The module's types the worker uses, from here with the module itself.
export type {
  DecodeNeed,
  LookalikeModule,
  RgbImage,
  SearchIndex,
  IndexInfo,
  PartitionedIndex,
  PartitionedQuery,
  PartitionedSearchOptions,
  Result,
  SearchHits,
  SearchOptions,
} from '@lookalike-wasm/lookalike_wasm.mjs';

export async function loadLookalikeModule(onProgress: DownloadProgress): Promise<LookalikeModule> {
  // The URL carries Vite's content hash, so cache-first is always current.
  const url = new URL(wasmUrl, self.location.href).href;
  const { bytes } = await fetchBytes(url, { what: 'the WebAssembly module', policy: 'cache-first', onProgress });
  try {
    return await createLookalikeModule({
      wasmBinary: bytes,
      print: (text) => console.log(`lookalike: ${text}`),
      printErr: (text) => console.warn(`lookalike: ${text}`),
    });
  } catch (error) {
    throw new Error(
      `the WebAssembly module did not start: ${(error as Error).message ?? String(error)}` +
        ' (this browser may lack WebAssembly SIMD; current Chrome, Edge, Firefox and Safari have it)',
    );
  }
}
