// The embedding worker: runs an ONNX image or text encoder with onnxruntime-node for
// the `lookalike` CLI, which starts one such process and talks to it over
// stdin/stdout. The CLI decodes, preprocesses, batches and normalises; this
// process only loads the model and runs batches. The protocol is described
// in offline-tools/embed/worker_protocol.h (the C++ side); in short:
//
//   frame    = "LKW1" | type u32 | length u32 | payload      (little-endian)
//   CLI → worker  OPEN   JSON {protocol, model, threads, input, output, ids_type?, mask?}
//   worker → CLI  READY  JSON {protocol, onnxruntime, node, inputs, outputs}   or ERROR
//   CLI → worker  RUN    u32 id, batch, channels, height, width | float32 NCHW
//   CLI → worker  RUN_IDS u32 id, batch, length | int32 ids [batch, length] | int32 mask [batch, length]
//   worker → CLI  RESULT u32 id, batch, dim, microseconds | float32 [batch, dim]   or ERROR
//   ERROR         JSON {stage, message, id?}
//   Up to two RUN frames may be unanswered; they are answered in the order
//   they came. The CLI closes stdin to stop the worker; it exits 0.
//
// session.run() computes on the main thread (onnxruntime-node runs the
// session synchronously), so a second thread reads stdin: the next batch
// arrives while this one is computed instead of after its result is sent.
//
// stdout carries frames only: console output is sent to stderr, which the CLI
// keeps to explain a worker that dies. onnxruntime-node is loaded from the
// folder in LOOKALIKE_NODE_MODULES (set by the CLI), so the CLI decides which
// installation is used, wherever this script runs from.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { MessageChannel, Worker } from 'node:worker_threads';

const MAGIC = 0x3157_4b4c; // "LKW1" read as a little-endian u32
const OPEN = 1,
  READY = 2,
  RUN = 3,
  RESULT = 4,
  ERROR = 5,
  RUN_IDS = 6;
const PROTOCOL = 3;
const HEADER = 12;
const RUN_HEAD = 20,
  RUN_IDS_HEAD = 12,
  RESULT_HEAD = 16;
const MAX_PAYLOAD = 2 ** 31 - 1; // one frame never exceeds 2 GiB
// Frames held at once: the batch being computed and the next one, read
// meanwhile. The CLI never has more unanswered (kMaxInFlight in
// worker_protocol.h); the reading thread waits rather than buffer more.
const HELD_FRAMES = 2;

for (const name of ['log', 'info', 'debug', 'warn']) console[name] = (...args) => console.error(...args);

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const pause = () => Atomics.wait(sleeper, 0, 0, 2);

// The reading thread, started from its source text (so it works when this
// script is given to node with --eval): it reads whole frames from fd 0 with
// blocking reads straight into ArrayBuffers and transfers them to the main
// thread (no copy). The main thread hands each buffer back through `returns`
// when done with it, and counts the hand-backs in control[0] so this thread
// can sleep until one comes; control[1] = 1 asks it to stop. onnxruntime-node
// refuses SharedArrayBuffer-backed tensors, hence transfers, not shared memory.
function readingThread() {
  const fs = require('node:fs');
  const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
  const { magic, header: HEADER, maxPayload, held, returns } = workerData;
  const control = new Int32Array(workerData.control);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const stopping = () => Atomics.load(control, 1) !== 0;

  const readFully = (bytes, length) => {
    let done = 0;
    while (done < length) {
      let n;
      try {
        n = fs.readSync(0, bytes, done, length - done, null);
      } catch (e) {
        if (e.code === 'EAGAIN') {
          Atomics.wait(sleeper, 0, 0, 2);
          continue;
        }
        if (e.code === 'EOF') return done;
        throw e;
      }
      if (n === 0) return done;
      done += n;
    }
    return done;
  };

  const spare = [];
  let lent = 0;
  const takeReturned = () => {
    for (let m; (m = receiveMessageOnPort(returns)); --lent) spare.push(m.message);
  };
  // A buffer of at least `length` bytes, once fewer than `held` are lent out; null when asked to stop.
  const buffer = (length) => {
    for (;;) {
      const seen = Atomics.load(control, 0);
      takeReturned();
      if (stopping()) return null;
      if (lent < held) break;
      Atomics.wait(control, 0, seen);
    }
    const reused = spare.pop();
    return reused && reused.byteLength >= length ? reused : new ArrayBuffer(Math.max(length, 1 << 16));
  };

  const header = Buffer.alloc(HEADER);
  try {
    for (;;) {
      const got = readFully(header, HEADER);
      if (got === 0) {
        parentPort.postMessage({ end: true });
        return;
      }
      if (got < HEADER) throw new Error(`input ended inside a frame header (${got} of ${HEADER} bytes)`);
      if (header.readUInt32LE(0) !== magic)
        throw new Error('a frame does not start with LKW1: the CLI and this worker disagree on the protocol');
      const type = header.readUInt32LE(4),
        length = header.readUInt32LE(8);
      if (length > maxPayload) throw new Error(`frame of ${length} bytes is over the limit`);
      const payload = buffer(length);
      if (payload === null) return;
      const body = readFully(new Uint8Array(payload, 0, length), length);
      if (body < length) throw new Error(`input ended inside a frame (${body} of ${length} bytes)`);
      ++lent;
      parentPort.postMessage({ type, length, payload }, [payload]);
      if (stopping()) return;
    }
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message ? e.message : e) });
  }
}

// The main thread's side of the reading thread: frames in arrival order.
function startReading() {
  const { port1, port2 } = new MessageChannel();
  const control = new Int32Array(new SharedArrayBuffer(8));
  const thread = new Worker(`(${readingThread})()`, {
    eval: true,
    execArgv: [], // not the --input-type=module the embedded script runs with: this source is CommonJS

    workerData: {
      magic: MAGIC,
      header: HEADER,
      maxPayload: MAX_PAYLOAD,
      held: HELD_FRAMES,
      returns: port2,
      control: control.buffer,
    },
    transferList: [port2],
  });
  const arrived = [];
  let wake = null;
  const push = (m) => {
    arrived.push(m);
    if (wake) {
      wake();
      wake = null;
    }
  };
  thread.on('message', push);
  thread.on('error', (e) => push({ error: `the reading thread failed: ${e && e.message ? e.message : e}` }));
  return {
    async next() {
      while (arrived.length === 0)
        await new Promise((resolve) => {
          wake = resolve;
        });
      return arrived.shift();
    },
    // Gives a frame's buffer back for the next frame (it is detached here afterwards).
    release(payload) {
      port1.postMessage(payload, [payload]);
      Atomics.add(control, 0, 1);
      Atomics.notify(control, 0);
    },
    // Asks the thread to stop. One blocked in a read ends when that read
    // returns: the CLI closes stdin once it has this worker's ERROR frame or
    // its input is done, which also lets the process exit.
    stop() {
      Atomics.store(control, 1, 1);
      Atomics.notify(control, 0);
    },
  };
}

function writeFully(buffer) {
  let done = 0;
  while (done < buffer.length) {
    try {
      done += fs.writeSync(1, buffer, done, buffer.length - done);
    } catch (e) {
      if (e.code === 'EAGAIN') {
        pause();
        continue;
      }
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
const sendError = (stage, message, id) =>
  sendJson(ERROR, id === undefined ? { stage, message } : { stage, message, id });

function loadRuntime() {
  const modules = process.env.LOOKALIKE_NODE_MODULES;
  if (!modules)
    throw new Error('LOOKALIKE_NODE_MODULES is not set (the CLI sets it to the folder holding onnxruntime-node)');
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

async function openSession(ort, request) {
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

// The model's inputs for a RUN frame (an image batch, float32 NCHW), or a
// string saying why the frame is malformed.
function imageInputs(ort, open, frame) {
  if (frame.length < RUN_HEAD) return { error: 'RUN frame shorter than its header' };
  const payload = Buffer.from(frame.payload, 0, frame.length);
  const id = payload.readUInt32LE(0);
  const batch = payload.readUInt32LE(4),
    c = payload.readUInt32LE(8),
    h = payload.readUInt32LE(12),
    w = payload.readUInt32LE(16);
  const count = batch * c * h * w;
  if (batch < 1 || frame.length !== RUN_HEAD + 4 * count)
    return { id, error: `RUN frame ${id} of ${frame.length} bytes does not hold ${batch}×${c}×${h}×${w} floats` };
  const data = new Float32Array(frame.payload, RUN_HEAD, count);
  return { id, batch, feeds: { [open.input]: new ort.Tensor('float32', data, [batch, c, h, w]) } };
}

// The model's inputs for a RUN_IDS frame (a text batch: token ids and their mask).
function textInputs(ort, open, frame) {
  if (frame.length < RUN_IDS_HEAD) return { error: 'RUN_IDS frame shorter than its header' };
  const payload = Buffer.from(frame.payload, 0, frame.length);
  const id = payload.readUInt32LE(0);
  const batch = payload.readUInt32LE(4),
    length = payload.readUInt32LE(8);
  const count = batch * length;
  if (batch < 1 || length < 1 || frame.length !== RUN_IDS_HEAD + 8 * count)
    return { id, error: `RUN_IDS frame ${id} of ${frame.length} bytes does not hold ${batch}×${length} ids and mask` };
  const ids = new Int32Array(frame.payload, RUN_IDS_HEAD, count);
  const mask = new Int32Array(frame.payload, RUN_IDS_HEAD + 4 * count, count);
  const tensor = (values) =>
    open.ids_type === 'int32'
      ? new ort.Tensor('int32', Int32Array.from(values), [batch, length])
      : new ort.Tensor(
          'int64',
          BigInt64Array.from(values, (v) => BigInt(v)),
          [batch, length],
        );
  const feeds = { [open.input]: tensor(ids) };
  if (open.mask) feeds[open.mask] = tensor(mask);
  return { id, batch, feeds };
}

// Runs one RUN or RUN_IDS frame and answers it: RESULT, or ERROR (stage
// "run") after which the worker goes on. Returns false on a malformed frame
// (the worker stops).
async function run(session, ort, open, frame, reading) {
  const inputs = frame.type === RUN_IDS ? textInputs(ort, open, frame) : imageInputs(ort, open, frame);
  if (inputs.error) {
    sendError('protocol', inputs.error, inputs.id);
    return false;
  }
  const { id, batch, feeds } = inputs;
  const outputName = open.output;
  let output;
  const started = process.hrtime.bigint();
  try {
    const results = await session.run(feeds, [outputName]);
    output = results[outputName];
  } catch (e) {
    sendError('run', String(e.message ?? e).split('\n')[0], id);
    return true;
  } finally {
    reading.release(frame.payload); // the input is not needed once run() returned: the next frame may use it
  }
  const micros = Number((process.hrtime.bigint() - started) / 1000n);
  if (!output || output.type !== 'float32') {
    sendError('run', `output ${outputName} is ${output ? output.type : 'missing'}, not float32`, id);
    return true;
  }
  const dims = output.dims;
  const dim = dims.slice(1).reduce((a, b) => a * b, 1);
  if (dims.length < 1 || dims[0] !== batch || output.data.length !== batch * dim) {
    sendError('run', `output ${outputName} has shape [${dims.join(', ')}] for a batch of ${batch}`, id);
    return true;
  }
  const head = Buffer.alloc(RESULT_HEAD);
  head.writeUInt32LE(id, 0);
  head.writeUInt32LE(batch, 4);
  head.writeUInt32LE(dim, 8);
  head.writeUInt32LE(Math.min(micros, 0xffffffff), 12);
  const body = Buffer.from(output.data.buffer, output.data.byteOffset, output.data.byteLength);
  sendFrame(RESULT, head, body);
  return true;
}

async function main(reading) {
  let ort = null,
    session = null,
    open = null;
  for (;;) {
    const frame = await reading.next();
    if (frame.end) return 0;
    if (frame.error) throw new Error(frame.error);
    if (frame.type === OPEN) {
      const text = Buffer.from(frame.payload, 0, frame.length).toString('utf8');
      reading.release(frame.payload);
      let request;
      try {
        request = JSON.parse(text);
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
        session = await openSession(ort, request);
      } catch (e) {
        sendError('open', `onnxruntime-node cannot load ${request.model}: ${String(e.message ?? e).split('\n')[0]}`);
        return 1;
      }
      open = request;
      sendJson(READY, {
        protocol: PROTOCOL,
        onnxruntime: ort.env?.versions?.node ?? ort.env?.versions?.common ?? 'unknown',
        node: process.version,
        threads: Math.max(1, request.threads | 0),
        inputs: describe(session.inputMetadata, session.inputNames),
        outputs: describe(session.outputMetadata, session.outputNames),
      });
    } else if (frame.type === RUN || frame.type === RUN_IDS) {
      if (!session) {
        sendError('protocol', 'RUN before OPEN');
        return 2;
      }
      if (!(await run(session, ort, open, frame, reading))) return 2;
    } else {
      sendError('protocol', `unknown frame type ${frame.type}`);
      return 2;
    }
  }
}

const reading = startReading();
main(reading).then(
  (code) => {
    reading.stop();
    process.exit(code);
  },
  (e) => {
    console.error(`lookalike embedding worker: ${e && e.message ? e.message : e}`);
    try {
      sendError('protocol', String(e && e.message ? e.message : e));
    } catch {
      /* stdout gone */
    }
    reading.stop();
    process.exit(3);
  },
);
