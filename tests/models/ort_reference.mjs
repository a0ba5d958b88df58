// An independent reference for the tests: runs a model on a raw float32
// tensor file with onnxruntime-node directly (no lookalike worker, no
// protocol) and writes the named output as raw float32.
//   node ort_reference.mjs NODE_MODULES MODEL INPUT_NAME OUTPUT_NAME IN.f32 N C H W OUT.f32
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [modules, model, inputName, outputName, input, n, c, h, w, output] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), 'x.cjs'));
const ort = require(path.join(path.resolve(modules), 'onnxruntime-node'));
const bytes = fs.readFileSync(input);
const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
const result = await session.run({ [inputName]: new ort.Tensor('float32', data, [+n, +c, +h, +w]) }, [outputName]);
const out = result[outputName].data;
fs.writeFileSync(output, Buffer.from(out.buffer, out.byteOffset, out.byteLength));
