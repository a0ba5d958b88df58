#!/usr/bin/python3
"""Derives lookalike's MobileNetV2 file, mobilenetv2-12-int8-embed-float-add.onnx,
from the ONNX Model Zoo's mobilenetv2-12-int8.onnx. Two changes, nothing else
(same weights, same quantization parameters; the 'output' logits stay):

1. One more graph output, 'embedding': the 1280-d globally pooled feature
   that feeds the classifier, dequantized to float32, flattened to [N,1280].
2. Each QLinearAdd (the ten residual connections and the classifier's bias) becomes DequantizeLinear(a), DequantizeLinear(b),
   Add, QuantizeLinear(sum): the ONNX definition of QLinearAdd written out,
   which every runtime computes with the same float operations. ONNX Runtime
   approximates QLinearAdd differently per platform (a fixed-point kernel on
   x86, float on WebAssembly); on some photos that flips one activation by
   one step and the flip cascades (embedding cosine 0.989 between
   onnxruntime-node and onnxruntime-web for darknet's dog.jpg). The worker
   and the page turn off ONNX Runtime's QDQ fusion (session.disable_quant_qdq),
   which would put the QLinearAdd back.

With Debian's python3-onnx 1.12 the result is byte-identical to the file
models/mobilenetv2-int8.json pins.

    /usr/bin/python3 models/mobilenetv2_derive.py SOURCE.onnx DEST.onnx
"""
import sys

import onnx
from onnx import TensorProto, helper

# The pooled activation in the zoo's quantized graph (GlobalAveragePool
# output, quantized) and its quantization parameters.
POOLED, SCALE, ZERO_POINT = "464_quantized", "464_scale", "464_zero_point"
QLINEAR_ADDS = 11  # ten inverted-residual skip connections and the classifier's bias


def float_add(node):
    """QLinearAdd(a, a_scale, a_zp, b, b_scale, b_zp, c_scale, c_zp) as DQ, DQ, Add, Q."""
    a, a_scale, a_zp, b, b_scale, b_zp, c_scale, c_zp = node.input
    out = node.output[0]
    return [
        helper.make_node("DequantizeLinear", [a, a_scale, a_zp], [out + "_a_f32"], name=node.name + "_dq_a"),
        helper.make_node("DequantizeLinear", [b, b_scale, b_zp], [out + "_b_f32"], name=node.name + "_dq_b"),
        helper.make_node("Add", [out + "_a_f32", out + "_b_f32"], [out + "_f32"], name=node.name + "_add"),
        helper.make_node("QuantizeLinear", [out + "_f32", c_scale, c_zp], [out], name=node.name + "_q"),
    ]


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    source, dest = argv[1], argv[2]
    model = onnx.load(source)
    graph = model.graph
    produced = {out for node in graph.node for out in node.output}
    initialisers = {t.name for t in graph.initializer}
    missing = [n for n in (POOLED,) if n not in produced] + [n for n in (SCALE, ZERO_POINT) if n not in initialisers | produced]
    adds = sum(1 for n in graph.node if n.op_type == "QLinearAdd")
    if missing or adds != QLINEAR_ADDS:
        print(f"{source}: not the expected MobileNetV2 int8 graph (missing {', '.join(missing) or 'nothing'}; "
              f"{adds} QLinearAdd nodes, expected {QLINEAR_ADDS})", file=sys.stderr)
        return 1
    nodes = []
    for node in graph.node:
        nodes.extend(float_add(node) if node.op_type == "QLinearAdd" else [node])
    del graph.node[:]
    graph.node.extend(nodes)
    graph.node.extend([
        helper.make_node("DequantizeLinear", [POOLED, SCALE, ZERO_POINT], ["pool_f32"], name="embed_dq"),
        helper.make_node("Flatten", ["pool_f32"], ["embedding"], axis=1, name="embed_flatten"),
    ])
    graph.output.append(helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch_size", 1280]))
    onnx.checker.check_model(model)
    onnx.save(model, dest)
    print(f"saved {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
