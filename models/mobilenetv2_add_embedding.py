#!/usr/bin/python3
"""Derives mobilenetv2-12-int8-embed.onnx from the ONNX Model Zoo's
mobilenetv2-12-int8.onnx: the graph gains one output, 'embedding', the
1280-d globally pooled feature that feeds the classifier, dequantized to
float32 and flattened to [N,1280]. Nothing else changes (the 'output'
logits stay). With Debian's python3-onnx 1.12 the result is byte-identical
to the file models/mobilenetv2-int8.json pins (sha256 da3751e2…).

    /usr/bin/python3 models/mobilenetv2_add_embedding.py SOURCE.onnx DEST.onnx
"""
import sys

import onnx
from onnx import TensorProto, helper

# The pooled activation in the zoo's quantized graph (GlobalAveragePool
# output, quantized) and its quantization parameters.
POOLED, SCALE, ZERO_POINT = "464_quantized", "464_scale", "464_zero_point"


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
    if missing:
        print(f"{source}: not the expected MobileNetV2 int8 graph (missing {', '.join(missing)})", file=sys.stderr)
        return 1
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
