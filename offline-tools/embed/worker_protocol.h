// The protocol between the CLI and its embedding worker (onnx_worker.mjs, a
// Node process running onnxruntime-node). Debian packages no ONNX Runtime
// with C headers, so inference runs out of process and the CLI stays in
// charge of decoding, preprocessing, batching and normalisation.
//
// Transport: the worker's stdin (CLI → worker) and stdout (worker → CLI).
// The worker's stderr is free text, kept by the CLI to explain failures.
//
// Every message is one frame, all integers little-endian:
//
//   offset 0   4 bytes  magic "LKW1"
//   offset 4   u32      type
//   offset 8   u32      payload length in bytes (at most 2^31 − 1)
//   offset 12  payload
//
// Frames, in the order they flow:
//
//   OPEN   (1, CLI → worker)  UTF-8 JSON
//          {"protocol":3, "model":"/abs/model.onnx", "threads":2,
//           "input":"pixel_values", "output":"image_embeds"}
//          A text tower also names its ids' element type and, when it takes
//          one, its attention mask input:
//          {…, "input":"input_ids", "ids_type":"int64", "mask":"attention_mask"}
//   READY  (2, worker → CLI)  UTF-8 JSON, the model's metadata as loaded
//          {"protocol":3, "onnxruntime":"1.30.0", "node":"v20.20.2", "threads":2,
//           "inputs":[{"name":"pixel_values","type":"float32","shape":["batch",3,224,224]}],
//           "outputs":[{"name":"image_embeds","type":"float32","shape":["batch",512]}]}
//          (a shape entry is a number or a symbolic name; type/shape may be null
//          when the runtime does not report them). The CLI checks these against
//          the model card before sending any RUN.
//   RUN    (3, CLI → worker)  u32 id, u32 batch, u32 channels, u32 height, u32 width,
//          then batch·channels·height·width float32, NCHW: an image encoder's
//          batch. Ids count up from 1.
//   RUN_IDS (6, CLI → worker)  u32 id, u32 batch, u32 length, then
//          batch·length int32 token ids and batch·length int32 mask values
//          (1 for a token, 0 for padding), row by row: a text tower's batch.
//          The worker gives the ids as the OPEN's ids_type, and the mask to
//          the mask input when the OPEN named one. Ids share RUN's counter.
//   RESULT (4, worker → CLI)  u32 id (the RUN's), u32 batch, u32 dim,
//          u32 inference microseconds, then batch·dim float32 (the card's
//          output, flattened per image).
//   ERROR  (5, worker → CLI)  UTF-8 JSON {"stage":"runtime|open|run|protocol",
//          "message":"…", "id":N} in place of READY or RESULT ("id" names the
//          RUN it answers, when there is one). After a "run" error the worker
//          keeps serving; after any other it exits.
//
// OPEN is answered before anything else is sent. RUN frames are pipelined:
// the CLI may send a second RUN before the first one's answer has come
// (kMaxInFlight unanswered at most), so the next batch travels through the
// pipe while the worker computes the current one; the worker reads on
// while it computes (holding at most kMaxInFlight frames) and answers in
// the order the RUNs came, which the ids let the CLI check. To stop, the
// CLI closes the worker's stdin; the worker exits 0. A worker that exits,
// is killed, stops reading, or stays silent past the timeout is reported by
// the CLI with its exit status and last stderr lines.
//
// Version 3 added RUN_IDS (text towers); version 2 the ids and the
// pipelining; version 1 answered one RUN at a time.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lookalike::cli::worker_protocol {

constexpr std::uint32_t kMagic = 0x31574b4c;  // "LKW1" as a little-endian u32
constexpr std::uint32_t kVersion = 3;
constexpr std::size_t kHeaderBytes = 12;
constexpr std::uint32_t kMaxPayload = 0x7fffffff;
constexpr std::size_t kRunHeadBytes = 20;     // id, batch, channels, height, width
constexpr std::size_t kRunIdsHeadBytes = 12;  // id, batch, length
constexpr std::size_t kResultHeadBytes = 16;  // id, batch, dim, microseconds
// Two: one batch computed while the next is transferred. More would only
// buffer more megabytes; the worker's compute is serial.
constexpr std::size_t kMaxInFlight = 2;

enum FrameType : std::uint32_t { kOpen = 1, kReady = 2, kRun = 3, kResult = 4, kError = 5, kRunIds = 6 };

}  // namespace lookalike::cli::worker_protocol
