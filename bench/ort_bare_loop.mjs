// The baseline for bench_model_embedding: a bare onnxruntime-node loop over
// already preprocessed tensors (no decoding, no preprocessing, no IPC), the
// fastest this model can run in Node on this machine.
//
//   node ort_bare_loop.mjs NODE_MODULES MODEL INPUT OUTPUT TENSORS.f32 COUNT HEIGHT WIDTH BATCH THREADS [SPIN]
//
// SPIN 0 (the default) lets idle intra-op threads sleep, as lookalike's worker
// does; SPIN 1 keeps ONNX Runtime's own default (threads spin between ops).
//
// Prints one JSON line: {"images", "batch", "threads", "seconds", "load_seconds", "ms_per_image",
// "cpu_seconds"} — cpu_seconds is the CPU time of the whole process (every
// ONNX Runtime thread) during the timed loop: how many cores the model keeps busy.
// The session is created and warmed up (one batch) before the clock starts.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [modules, model, inputName, outputName, tensorsFile, countText, hText, wText, batchText, threadsText, spinText] =
  process.argv.slice(2);
const spin = spinText === '1';
const count = +countText,
  height = +hText,
  width = +wText,
  batch = +batchText,
  threads = +threadsText;
const require = createRequire(path.join(path.resolve(modules), 'x.cjs'));
const ort = require(path.join(path.resolve(modules), 'onnxruntime-node'));

const bytes = fs.readFileSync(tensorsFile);
const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
const per = 3 * height * width;
if (all.length < count * per) throw new Error(`${tensorsFile} holds ${all.length} floats, fewer than ${count} images`); // the first COUNT images are used

const loadStart = process.hrtime.bigint();
const session = await ort.InferenceSession.create(model, {
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  logSeverityLevel: 3,
  // QDQ fusion off, as lookalike's worker and page run models (onnx_worker.mjs).
  extra: { session: { disable_quant_qdq: '1', ...(spin ? {} : { intra_op: { allow_spinning: '0' } }) } },
});
const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;
const run = async (begin, n) => {
  const data = all.subarray(begin * per, (begin + n) * per);
  const out = await session.run({ [inputName]: new ort.Tensor('float32', data, [n, 3, height, width]) }, [outputName]);
  return out[outputName].data.length;
};
await run(0, Math.min(batch, count)); // warm-up
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
for (let begin = 0; begin < count; begin += batch) await run(begin, Math.min(batch, count - begin));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart);
console.log(
  JSON.stringify({
    images: count,
    batch,
    threads,
    spin,
    seconds,
    load_seconds: loadSeconds,
    ms_per_image: (1000 * seconds) / count,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
  }),
);
