// Comparing two embeddings of the same input (the page's and the CLI's, or
// two preprocessings'): their cosine, 1 for the same direction.
export function cosine(a, b) {
  if (a.length !== b.length) throw new Error(`vectors of ${a.length} and ${b.length} values`);
  let dot = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; ++i) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return dot / Math.sqrt(aa * bb);
}
