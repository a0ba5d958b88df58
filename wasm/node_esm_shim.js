// Emscripten 3.1.6's Node branch reads `__dirname` when the factory runs,
// which an ES module does not have. The module never reads files here
// (Node callers pass `wasmBinary`, read with fs), so an empty directory is
// all it needs. In browsers this variable is unused.
var __dirname = '';
