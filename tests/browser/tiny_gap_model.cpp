#include "tiny_gap_model.h"

namespace lookalike::testing {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Protobuf wire format: a key (field << 3 | wire type), then a varint or a
// length-delimited payload.
void varint(Bytes& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(std::uint8_t(value | 0x80));
    value >>= 7;
  }
  out.push_back(std::uint8_t(value));
}

void field_varint(Bytes& out, int field, std::uint64_t value) {
  varint(out, std::uint64_t(field) << 3);
  varint(out, value);
}

void field_bytes(Bytes& out, int field, const Bytes& payload) {
  varint(out, (std::uint64_t(field) << 3) | 2);
  varint(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
}

void field_string(Bytes& out, int field, const std::string& text) {
  field_bytes(out, field, Bytes(text.begin(), text.end()));
}

// ValueInfoProto{name, type: TypeProto{tensor_type: {elem_type: FLOAT, shape: dims}}}
Bytes tensor_value_info(const std::string& name, const std::vector<std::int64_t>& dims) {
  Bytes shape;
  for (std::int64_t d : dims) {
    Bytes dimension;
    field_varint(dimension, 1, std::uint64_t(d));  // dim_value
    field_bytes(shape, 1, dimension);
  }
  Bytes tensor;
  field_varint(tensor, 1, 1);  // elem_type FLOAT
  field_bytes(tensor, 2, shape);
  Bytes type;
  field_bytes(type, 1, tensor);  // tensor_type
  Bytes info;
  field_string(info, 1, name);
  field_bytes(info, 2, type);
  return info;
}

Bytes node(const std::string& input, const std::string& output, const std::string& name, const std::string& op,
           const Bytes& attribute = {}) {
  Bytes n;
  field_string(n, 1, input);
  field_string(n, 2, output);
  field_string(n, 3, name);
  field_string(n, 4, op);
  if (!attribute.empty()) field_bytes(n, 5, attribute);
  return n;
}

}  // namespace

Bytes tiny_gap_onnx_model(const std::string& input_name, const std::string& output_name, int height, int width) {
  Bytes axis;  // AttributeProto{name: "axis", i: 1, type: INT}
  field_string(axis, 1, "axis");
  field_varint(axis, 3, 1);
  field_varint(axis, 20, 2);

  Bytes graph;
  field_bytes(graph, 1, node(input_name, "pooled", "pool", "GlobalAveragePool"));
  field_bytes(graph, 1, node("pooled", output_name, "flatten", "Flatten", axis));
  field_string(graph, 2, "tiny-gap");
  field_bytes(graph, 11, tensor_value_info(input_name, {1, 3, height, width}));
  field_bytes(graph, 12, tensor_value_info(output_name, {1, 3}));

  Bytes opset;
  field_string(opset, 1, "");
  field_varint(opset, 2, 13);

  Bytes model;
  field_varint(model, 1, 7);  // ir_version
  field_string(model, 2, "lookalike tests");
  field_bytes(model, 8, opset);
  field_bytes(model, 7, graph);
  return model;
}

}  // namespace lookalike::testing
