// The embedding worker: runs an ONNX image encoder with onnxruntime-node for
// the `lookalike` CLI, which starts one such process and talks to it over
// stdin/stdout. The CLI decodes, preprocesses, batches and normalises; this
// process only loads the model and runs batches. The protocol is described
// in offline-tools/embed/worker_protocol.h (the C++ side); in short:
//
//   frame    = "LKW1" | type u32 | length u32 | payload      (little-endian)
//   CLI → worker  OPEN   JSON {protocol, model, threads, input, output}
//   worker → CLI  READY  JSON {protocol, onnxruntime, node, inputs, outputs}   or ERROR
//   CLI → worker  RUN    u32 batch, channels, height, width | float32 NCHW
//   worker → CLI  RESULT u32 batch, dim, microseconds | float32 [batch, dim]   or ERROR
//   ERROR         JSON {stage, message}
//   The CLI closes stdin to stop the worker; it exits 0.
//
// stdout carries frames only: console output is sent to stderr, which the CLI
// keeps to explain a worker that dies. onnxruntime-node is loaded from the
// folder in LOOKALIKE_NODE_MODULES (set by the CLI), so the CLI decides which
// installation is used, wherever this script runs from.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const MAGIC = 0x3157_4b4c; // "LKW1" read as a little-endian u32
const OPEN = 1, READY = 2, RUN = 3, RESULT = 4, ERROR = 5;
const PROTOCOL = 1;
const HEADER = 12;
const MAX_PAYLOAD = 2 ** 31 - 1; // one frame never exceeds 2 GiB

for (const name of ['log', 'info', 'debug', 'warn']) console[name] = (...args) => console.error(...args);

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const pause = () => Atomics.wait(sleeper, 0, 0, 2);

function readFully(buffer, offset, length) {
  let done = 0;
  while (done < length) {
    let n;
    try {
      n = fs.readSync(0, buffer, offset + done, length - done, null);
    } catch (e) {
      if (e.code === 'EAGAIN') { pause(); continue; }
      if (e.code === 'EOF') return done;
      throw e;
    }
    if (n === 0) return done;
    done += n;
  }
  return done;
}

function writeFully(buffer) {
  let done = 0;
  while (done < buffer.length) {
    try {
      done += fs.writeSync(1, buffer, done, buffer.length - done);
    } catch (e) {
      if (e.code === 'EAGAIN') { pause(); continue; }
      throw e;
    }
  }
}

function sendFrame(type, ...parts) {
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(type, 4);
  header.writeUInt32LE(length, 8);
  writeFully(header);
  for (const p of parts) writeFully(p);
}

const sendJson = (type, value) => sendFrame(type, Buffer.from(JSON.stringify(value), 'utf8'));
const sendError = (stage, message) => sendJson(ERROR, { stage, message });

let payload = Buffer.allocUnsafeSlow(1 << 20); // grows; allocUnsafeSlow keeps offset 0, so float views are aligned

// Returns {type, length} with the payload in `payload`, or null at a clean end of input.
function readFrame() {
  const header = Buffer.alloc(HEADER);
  const got = readFully(header, 0, HEADER);
  if (got === 0) return null;
  if (got < HEADER) throw new Error(`input ended inside a frame header (${got} of ${HEADER} bytes)`);
  if (header.readUInt32LE(0) !== MAGIC) throw new Error('a frame does not start with LKW1: the CLI and this worker disagree on the protocol');
  const type = header.readUInt32LE(4), length = header.readUInt32LE(8);
  if (length > MAX_PAYLOAD) throw new Error(`frame of ${length} bytes is over the limit`);
  if (payload.length < length) payload = Buffer.allocUnsafeSlow(Math.max(length, payload.length * 2));
  const body = readFully(payload, 0, length);
  if (body < length) throw new Error(`input ended inside a frame (${body} of ${length} bytes)`);
  return { type, length };
}

function loadRuntime() {
  const modules = process.env.LOOKALIKE_NODE_MODULES;
  if (!modules) throw new Error('LOOKALIKE_NODE_MODULES is not set (the CLI sets it to the folder holding onnxruntime-node)');
  const require = createRequire(path.join(path.resolve(modules), 'lookalike-worker.cjs'));
  const where = path.join(path.resolve(modules), 'onnxruntime-node');
  try {
    return require(where);
  } catch (e) {
    throw new Error(`cannot load onnxruntime-node from ${where}: ${e.message.split('\n')[0]}`);
  }
}

const describe = (metadata, names) =>
  names.map((name, i) => {
    const m = Array.isArray(metadata) ? metadata[i] : undefined;
    return {
      name,
      type: m && m.isTensor !== false ? (m.type ?? null) : null,
      shape: m && Array.isArray(m.shape) ? m.shape.map((d) => (typeof d === 'number' ? d : String(d))) : null,
    };
  });

async function open(ort, request) {
  const options = {
    intraOpNumThreads: Math.max(1, request.threads | 0),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    // Idle intra-op threads sleep instead of spinning: the CLI decodes the
    // next batch on the same cores while this one runs. QDQ fusion off: a
    // DequantizeLinear → op → QuantizeLinear group stays float arithmetic,
    // which every platform computes alike, instead of becoming a fused int8
    // kernel that ONNX Runtime approximates differently on x86 and in
    // WebAssembly (the page sets the same; models/mobilenetv2_derive.py).
    extra: { session: { intra_op: { allow_spinning: '0' }, disable_quant_qdq: '1' } },
  };
  const session = await ort.InferenceSession.create(request.model, options);
  return session;
}

async function main() {
  let ort = null, session = null, inputName = '', outputName = '';
  for (;;) {
    const frame = readFrame();
    if (frame === null) return 0;
    if (frame.type === OPEN) {
      let request;
      try {
        request = JSON.parse(payload.toString('utf8', 0, frame.length));
      } catch (e) {
        sendError('protocol', `OPEN frame is not JSON: ${e.message}`);
        return 2;
      }
      if (request.protocol !== PROTOCOL) {
        sendError('protocol', `the CLI speaks worker protocol ${request.protocol}, this worker ${PROTOCOL}`);
        return 2;
      }
      try {
        ort = ort ?? loadRuntime();
      } catch (e) {
        sendError('runtime', e.message);
        return 1;
      }
      try {
        session = await open(ort, request);
      } catch (e) {
        sendError('open', `onnxruntime-node cannot load ${request.model}: ${String(e.message ?? e).split('\n')[0]}`);
        return 1;
      }
      inputName = request.input;
      outputName = request.output;
      sendJson(READY, {
        protocol: PROTOCOL,
        onnxruntime: ort.env?.versions?.node ?? ort.env?.versions?.common ?? 'unknown',
        node: process.version,
        threads: Math.max(1, request.threads | 0),
        inputs: describe(session.inputMetadata, session.inputNames),
        outputs: describe(session.outputMetadata, session.outputNames),
      });
    } else if (frame.type === RUN) {
      if (!session) { sendError('protocol', 'RUN before OPEN'); return 2; }
      if (frame.length < 16) { sendError('protocol', 'RUN frame shorter than its header'); return 2; }
      const batch = payload.readUInt32LE(0), c = payload.readUInt32LE(4), h = payload.readUInt32LE(8), w = payload.readUInt32LE(12);
      const count = batch * c * h * w;
      if (batch < 1 || frame.length !== 16 + 4 * count) {
        sendError('protocol', `RUN frame of ${frame.length} bytes does not hold ${batch}×${c}×${h}×${w} floats`);
        return 2;
      }
      const data = new Float32Array(payload.buffer, payload.byteOffset + 16, count);
      let output;
      const started = process.hrtime.bigint();
      try {
        const results = await session.run({ [inputName]: new ort.Tensor('float32', data, [batch, c, h, w]) }, [outputName]);
        output = results[outputName];
      } catch (e) {
        sendError('run', String(e.message ?? e).split('\n')[0]);
        continue;
      }
      const micros = Number((process.hrtime.bigint() - started) / 1000n);
      if (!output || output.type !== 'float32') {
        sendError('run', `output ${outputName} is ${output ? output.type : 'missing'}, not float32`);
        continue;
      }
      const dims = output.dims;
      const dim = dims.slice(1).reduce((a, b) => a * b, 1);
      if (dims.length < 1 || dims[0] !== batch || output.data.length !== batch * dim) {
        sendError('run', `output ${outputName} has shape [${dims.join(', ')}] for a batch of ${batch}`);
        continue;
      }
      const head = Buffer.alloc(12);
      head.writeUInt32LE(batch, 0);
      head.writeUInt32LE(dim, 4);
      head.writeUInt32LE(Math.min(micros, 0xffffffff), 8);
      const body = Buffer.from(output.data.buffer, output.data.byteOffset, output.data.byteLength);
      sendFrame(RESULT, head, body);
    } else {
      sendError('protocol', `unknown frame type ${frame.type}`);
      return 2;
    }
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`lookalike embedding worker: ${e && e.message ? e.message : e}`);
    try { sendError('protocol', String(e && e.message ? e.message : e)); } catch { /* stdout gone */ }
    process.exit(3);
  });
