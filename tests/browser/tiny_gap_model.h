// A tiny ONNX model for the browser tests of the model path: the input
// tensor [1, 3, H, W] → GlobalAveragePool → Flatten → [1, 3], the mean of
// each channel. Written as protobuf bytes here (no ONNX tooling needed), so
// the tests can check the page's ONNX Runtime Web plumbing end to end and
// compute the expected embedding natively from the core's preprocessing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lookalike::testing {

std::vector<std::uint8_t> tiny_gap_onnx_model(const std::string& input_name, const std::string& output_name, int height,
                                              int width);

}  // namespace lookalike::testing
