// The Emscripten glue also runs in Node (tests), where it requires "fs" and
// "path"; in the browser those branches never run. The web build maps both
// names to this empty module instead of Vite's "externalized for browser
// compatibility" stand-in, which only adds build warnings.
export default {};
