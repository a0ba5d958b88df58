// A worker without onnxruntime for the pipelining tests: it speaks protocol 3
// itself and "embeds" each image into 32 floats that say where they came from:
//   [0] the sum of the image's floats, [1] its index in the batch,
//   [2] the RUN's id, [3] the batch size, the rest 1.
// It holds each answer until the next RUN has arrived (or 300 ms passed, for
// the last batch), so a CLI that sends the next batch before the previous
// result has come always finds two batches in flight here, and one that
// does not is slowed down but still served.
//
// FAKE_WORKER_MODE picks a misbehaviour:
//   serve      answer every RUN in order (the default)
//   die        answer RUN 1 once RUN 2 has arrived, then exit 7 with RUN 2 unanswered
//   swap       answer RUN 2 before RUN 1
//   run-error  answer RUN 3 with a "run" ERROR, the others normally
//   stuck      answer READY, then never answer a RUN
// FAKE_WORKER_DELAY_MS, when set, delays each answer by that much (a slow
// model, so that a test can interrupt the CLI mid-way). FAKE_WORKER_LOG,
// when set, is a file where it writes the most RUNs it held unanswered at
// once, from the first RUN on.
import fs from 'node:fs';

const MAGIC = 0x3157_4b4c;
const OPEN = 1,
  READY = 2,
  RUN = 3,
  RESULT = 4,
  ERROR = 5;
const mode = process.env.FAKE_WORKER_MODE || 'serve';
const log = process.env.FAKE_WORKER_LOG;
const delay = Number(process.env.FAKE_WORKER_DELAY_MS || 0);
const sleeper = new Int32Array(new SharedArrayBuffer(4));

let input = Buffer.alloc(0);
const held = []; // RUN frames received and not answered yet, oldest first
let mostHeld = 0;
let timer = null;

function send(type, ...parts) {
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  const header = Buffer.alloc(12);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(type, 4);
  header.writeUInt32LE(length, 8);
  fs.writeSync(1, Buffer.concat([header, ...parts]));
}
const sendJson = (type, value) => send(type, Buffer.from(JSON.stringify(value)));

function answer(run) {
  if (delay > 0) Atomics.wait(sleeper, 0, 0, delay);
  const id = run.readUInt32LE(0),
    batch = run.readUInt32LE(4);
  const per = run.readUInt32LE(8) * run.readUInt32LE(12) * run.readUInt32LE(16);
  if (mode === 'run-error' && id === 3) {
    sendJson(ERROR, { stage: 'run', id, message: 'the fake model refuses batch 3' });
    return;
  }
  const floats = new Float32Array(run.buffer.slice(run.byteOffset + 20, run.byteOffset + 20 + 4 * batch * per));
  const out = new Float32Array(batch * 32).fill(1);
  for (let i = 0; i < batch; ++i) {
    let sum = 0;
    for (let k = 0; k < per; ++k) sum += floats[i * per + k];
    out.set([sum, i, id, batch], i * 32);
  }
  const head = Buffer.alloc(16);
  head.writeUInt32LE(id, 0);
  head.writeUInt32LE(batch, 4);
  head.writeUInt32LE(32, 8);
  head.writeUInt32LE(0, 12);
  send(RESULT, head, Buffer.from(out.buffer));
}

function answerHeld(all) {
  if (mode === 'stuck') return;
  const count = all ? held.length : held.length - 1;
  const ready = held.splice(0, count);
  if (mode === 'swap' && ready.length >= 1 && ready[0].readUInt32LE(0) === 1) {
    if (ready.length === 1) {
      held.unshift(...ready);
      return;
    } // wait for RUN 2 to answer it first
    [ready[0], ready[1]] = [ready[1], ready[0]];
  }
  for (const run of ready) {
    answer(run);
    if (mode === 'die' && run.readUInt32LE(0) === 1) {
      console.error('fake worker: exiting with batch 2 unanswered');
      process.exit(7);
    }
  }
}

function onRun(run) {
  held.push(run);
  mostHeld = Math.max(mostHeld, held.length);
  if (log) fs.writeFileSync(log, String(mostHeld));
  clearTimeout(timer);
  if (held.length >= 2) answerHeld(false);
  timer = setTimeout(() => answerHeld(true), 300);
}

process.stdin.on('data', (chunk) => {
  input = Buffer.concat([input, chunk]);
  while (input.length >= 12) {
    const type = input.readUInt32LE(4),
      length = input.readUInt32LE(8);
    if (input.length < 12 + length) break;
    const payload = Buffer.from(input.subarray(12, 12 + length));
    input = input.subarray(12 + length);
    if (type === OPEN) {
      const request = JSON.parse(payload.toString('utf8'));
      sendJson(READY, {
        protocol: 3,
        onnxruntime: 'fake',
        node: process.version,
        threads: 1,
        inputs: [{ name: request.input, type: 'float32', shape: ['batch', 3, 224, 224] }],
        outputs: [{ name: request.output, type: 'float32', shape: ['batch', 32] }],
      });
    } else if (type === RUN) {
      onRun(payload);
    }
  }
});
process.stdin.on('end', () => {
  answerHeld(true);
  process.exit(0);
});
