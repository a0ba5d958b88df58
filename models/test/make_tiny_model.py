#!/usr/bin/python3
"""Makes the tiny test model: models/test/tiny-embed.onnx and its reference outputs.

A few layers with CLIP's input ([N,3,224,224] float32 named pixel_values) and
a small embedding output, so that tests exercise the whole model path (card,
preprocessing, worker, batching, normalisation) in milliseconds:

    pixel_values [N,3,224,224]
      -> Conv 8x3x16x16 stride 16 (patchify, like a ViT stem) -> Relu   [N,8,14,14]
      -> Conv 16x8x3x3 stride 2 pad 1 -> Relu                            [N,16,7,7]
      -> GlobalAveragePool -> Flatten  = output "pooled"                 [N,16]
      -> Gemm 16x32                    = output "embedding"              [N,32]

Weights come from a fixed seed, so running this again gives the same file.
The script also computes the outputs for a fixed input tensor with its own
numpy forward pass (no ONNX Runtime involved) and writes them to
tiny-embed.reference.json: tests feed the same tensor through the Node
worker and compare, which checks the worker and protocol independently.

Run with Debian's Python (python3-onnx, python3-numpy):
    /usr/bin/python3 models/test/make_tiny_model.py
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261127
SIZE = 224
REFERENCE_BATCH = 3


def weights():
    rng = np.random.default_rng(SEED)

    def normal(shape, fan_in):
        return (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32)

    w1 = normal((8, 3, 16, 16), 3 * 16 * 16)
    b1 = normal((8,), 8) * np.float32(0.1)
    w2 = normal((16, 8, 3, 3), 8 * 3 * 3)
    b2 = normal((16,), 16) * np.float32(0.1)
    w3 = normal((16, 32), 16)
    b3 = normal((32,), 32) * np.float32(0.1)
    return w1, b1, w2, b2, w3, b3


def reference_input(batch):
    """The fixed input tensor. Every value is a multiple of 1/32 in [-1.5, 1.5],
    exact in float32, so C++ rebuilds it bit for bit:
    x[n,c,h,w] = (((7h + 13w + 29c + 31n) mod 97) - 48) / 32."""
    n, c, h, w = np.meshgrid(np.arange(batch), np.arange(3), np.arange(SIZE), np.arange(SIZE), indexing="ij")
    return ((((7 * h + 13 * w + 29 * c + 31 * n) % 97) - 48) / 32.0).astype(np.float32)


def conv2d(x, w, b, stride, pad):
    """Plain NCHW convolution in float64 (im2col)."""
    x = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    oh, ow = (h - kh) // stride + 1, (wd - kw) // stride + 1
    cols = np.empty((n, c, kh, kw, oh, ow))
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = x[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
    out = np.einsum("nckhxy,ockh->noxy", cols.reshape(n, c, kh, kw, oh, ow), w.astype(np.float64))
    return out + b.astype(np.float64)[None, :, None, None]


def forward(x, w1, b1, w2, b2, w3, b3):
    h = np.maximum(conv2d(x, w1, b1, 16, 0), 0)
    h = np.maximum(conv2d(h, w2, b2, 2, 1), 0)
    pooled = h.mean(axis=(2, 3))
    embedding = pooled @ w3.astype(np.float64) + b3.astype(np.float64)
    return pooled, embedding


def build_model(w1, b1, w2, b2, w3, b3):
    init = [numpy_helper.from_array(a, name) for a, name in
            [(w1, "stem.weight"), (b1, "stem.bias"), (w2, "conv.weight"), (b2, "conv.bias"),
             (w3, "proj.weight"), (b3, "proj.bias")]]
    nodes = [
        helper.make_node("Conv", ["pixel_values", "stem.weight", "stem.bias"], ["stem"], strides=[16, 16], name="stem"),
        helper.make_node("Relu", ["stem"], ["stem_relu"], name="stem_relu"),
        helper.make_node("Conv", ["stem_relu", "conv.weight", "conv.bias"], ["conv"], strides=[2, 2],
                         pads=[1, 1, 1, 1], name="conv"),
        helper.make_node("Relu", ["conv"], ["conv_relu"], name="conv_relu"),
        helper.make_node("GlobalAveragePool", ["conv_relu"], ["gap"], name="gap"),
        helper.make_node("Flatten", ["gap"], ["pooled"], axis=1, name="flatten"),
        helper.make_node("Gemm", ["pooled", "proj.weight", "proj.bias"], ["embedding"], name="proj"),
    ]
    graph = helper.make_graph(
        nodes, "lookalike_tiny_embed",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch", 3, SIZE, SIZE])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", 32]),
         helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", 16])],
        init)
    model = helper.make_model(graph, producer_name="lookalike make_tiny_model.py",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8  # readable by every onnxruntime since 1.10
    onnx.checker.check_model(model)
    return model


def main():
    params = weights()
    model = build_model(*params)
    path = os.path.join(HERE, "tiny-embed.onnx")
    onnx.save(model, path)

    x = reference_input(REFERENCE_BATCH)
    pooled, embedding = forward(x, *params)
    reference = {
        "description": "Outputs of tiny-embed.onnx for the fixed input x[n,c,h,w] = "
                       "(((7h + 13w + 29c + 31n) mod 97) - 48) / 32, n < 3, computed in float64 by "
                       "make_tiny_model.py's own numpy forward pass (no ONNX Runtime).",
        "batch": REFERENCE_BATCH,
        "embedding": [[round(float(v), 9) for v in row] for row in embedding],
        "pooled": [[round(float(v), 9) for v in row] for row in pooled],
    }
    with open(os.path.join(HERE, "tiny-embed.reference.json"), "w") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
    print("embedding[0][:4] =", [round(float(v), 6) for v in embedding[0][:4]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
