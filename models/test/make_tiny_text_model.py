#!/usr/bin/python3
"""Makes the tiny text tower for tests: models/test/tiny-text.onnx and its reference outputs.

CLIP's text tower in miniature, with the same interface and the same kind of
graph, so tests exercise the whole text path (tokenizer, card, padding,
worker, normalisation, the page) in milliseconds:

    input_ids int64 [N, T] (CLIP's token ids, T ≤ 77)
      -> Mod 509 -> Gather(token table 509×16) + positional table[:T]     [N,T,16]
      -> one pre-LayerNorm transformer block: single-head attention with
         CLIP's causal mask, QuickGELU MLP 16→32→16, residuals           [N,T,16]
      -> LayerNorm
      -> the row at each text's <|endoftext|> (argmax of the ids, CLIP's
         pooling; the first of equal ids)                                  [N,16]
      -> MatMul 16×32                 = output "text_embeds"              [N,32]

The token table holds 509 rows instead of 49 408 (ids are taken modulo 509,
a prime) to keep the committed file small; every id still changes the
output. 32 values per text: the dimension of the tiny image model
(tiny-embed.json), which this tower pairs with in tests. Its embeddings
mean nothing.

Weights come from a fixed seed, so running this again gives the same file.
The script also computes the outputs for fixed id rows with its own numpy
forward pass (no ONNX Runtime involved) and writes them to
tiny-text.reference.json, so tests can check the worker independently.

Run with Debian's Python (python3-onnx, python3-numpy):
    /usr/bin/python3 models/test/make_tiny_text_model.py
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261207
ROWS, WIDTH, HIDDEN, OUT, CONTEXT = 509, 16, 32, 32, 77
# Rows of ids as the CLIP tokenizer frames them (<|startoftext|> … <|endoftext|>),
# padded with <|endoftext|> to the longest: "a photo of a dog", "a red car at night", "".
REFERENCE_IDS = [
    [49406, 320, 1125, 539, 320, 1929, 49407, 49407],
    [49406, 320, 736, 1615, 536, 930, 49407, 49407],
    [49406, 49407, 49407, 49407, 49407, 49407, 49407, 49407],
]


def weights():
    rng = np.random.default_rng(SEED)

    def normal(shape, fan_in):
        return (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32)

    return {
        "token_table": normal((ROWS, WIDTH), 1),
        "positions": (normal((CONTEXT, WIDTH), 1) * np.float32(0.1)).astype(np.float32),
        "ln1_scale": (1 + normal((WIDTH,), WIDTH) * np.float32(0.1)).astype(np.float32),
        "ln1_bias": normal((WIDTH,), WIDTH) * np.float32(0.1),
        "wq": normal((WIDTH, WIDTH), WIDTH),
        "wk": normal((WIDTH, WIDTH), WIDTH),
        "wv": normal((WIDTH, WIDTH), WIDTH),
        "wo": normal((WIDTH, WIDTH), WIDTH),
        "ln2_scale": (1 + normal((WIDTH,), WIDTH) * np.float32(0.1)).astype(np.float32),
        "ln2_bias": normal((WIDTH,), WIDTH) * np.float32(0.1),
        "w_up": normal((WIDTH, HIDDEN), WIDTH),
        "b_up": normal((HIDDEN,), HIDDEN) * np.float32(0.1),
        "w_down": normal((HIDDEN, WIDTH), HIDDEN),
        "b_down": normal((WIDTH,), WIDTH) * np.float32(0.1),
        "lnf_scale": (1 + normal((WIDTH,), WIDTH) * np.float32(0.1)).astype(np.float32),
        "lnf_bias": normal((WIDTH,), WIDTH) * np.float32(0.1),
        "projection": normal((WIDTH, OUT), WIDTH),
    }


def causal_mask():
    """0 on and below the diagonal, -1e9 above: a position sees itself and the ones before."""
    return np.triu(np.full((CONTEXT, CONTEXT), -1e9, dtype=np.float32), k=1)


def layer_norm(x, scale, bias):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-5) * scale + bias


def forward(ids, w):
    """The graph in float64 numpy, for the reference outputs."""
    w = {k: v.astype(np.float64) for k, v in w.items()}
    ids = np.asarray(ids, dtype=np.int64)
    n, t = ids.shape
    x = w["token_table"][ids % ROWS] + w["positions"][:t]
    h = layer_norm(x, w["ln1_scale"], w["ln1_bias"])
    q, k, v = h @ w["wq"], h @ w["wk"], h @ w["wv"]
    scores = q @ k.transpose(0, 2, 1) / np.sqrt(WIDTH) + causal_mask().astype(np.float64)[:t, :t]
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    attention = scores / scores.sum(axis=-1, keepdims=True)
    x = x + (attention @ v) @ w["wo"]
    h = layer_norm(x, w["ln2_scale"], w["ln2_bias"])
    up = h @ w["w_up"] + w["b_up"]
    x = x + (up / (1 + np.exp(-1.702 * up))) @ w["w_down"] + w["b_down"]
    x = layer_norm(x, w["lnf_scale"], w["lnf_bias"])
    pooled = x[np.arange(n), ids.argmax(axis=-1)]
    return pooled @ w["projection"]


def graph(w):
    init = [numpy_helper.from_array(v, name) for name, v in w.items()]
    init += [
        numpy_helper.from_array(causal_mask(), "causal_mask"),
        numpy_helper.from_array(np.array(ROWS, dtype=np.int64), "rows"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "zero"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "one"),
        numpy_helper.from_array(np.array(0, dtype=np.int64), "scalar_zero"),
        numpy_helper.from_array(np.array(1, dtype=np.int64), "scalar_one"),
        numpy_helper.from_array(np.array(1 / np.sqrt(WIDTH), dtype=np.float32), "attention_scale"),
        numpy_helper.from_array(np.array(1.702, dtype=np.float32), "gelu_scale"),
        numpy_helper.from_array(np.array([-1, WIDTH], dtype=np.int64), "rows_shape"),
    ]
    n = helper.make_node
    nodes = [
        # Embedding: token row (id mod 509) plus the positions of this length.
        n("Mod", ["input_ids", "rows"], ["row_ids"], fmod=0),
        n("Gather", ["token_table", "row_ids"], ["tokens"], axis=0),
        n("Shape", ["input_ids"], ["ids_shape"]),
        n("Gather", ["ids_shape", "one"], ["length"], axis=0),  # [T]
        n("Slice", ["positions", "zero", "length", "zero"], ["position_rows"]),
        n("Add", ["tokens", "position_rows"], ["x0"]),
        # Attention with the causal mask.
        n("LayerNormalization", ["x0", "ln1_scale", "ln1_bias"], ["h1"], axis=-1, epsilon=1e-5),
        n("MatMul", ["h1", "wq"], ["q"]),
        n("MatMul", ["h1", "wk"], ["k"]),
        n("MatMul", ["h1", "wv"], ["v"]),
        n("Transpose", ["k"], ["k_t"], perm=[0, 2, 1]),
        n("MatMul", ["q", "k_t"], ["raw_scores"]),
        n("Mul", ["raw_scores", "attention_scale"], ["scaled_scores"]),
        n("Slice", ["causal_mask", "zero", "length", "zero"], ["mask_rows"]),
        n("Slice", ["mask_rows", "zero", "length", "one"], ["mask"]),
        n("Add", ["scaled_scores", "mask"], ["scores"]),
        n("Softmax", ["scores"], ["attention"], axis=-1),
        n("MatMul", ["attention", "v"], ["attended"]),
        n("MatMul", ["attended", "wo"], ["attention_out"]),
        n("Add", ["x0", "attention_out"], ["x1"]),
        # MLP with QuickGELU.
        n("LayerNormalization", ["x1", "ln2_scale", "ln2_bias"], ["h2"], axis=-1, epsilon=1e-5),
        n("MatMul", ["h2", "w_up"], ["up_raw"]),
        n("Add", ["up_raw", "b_up"], ["up"]),
        n("Mul", ["up", "gelu_scale"], ["up_scaled"]),
        n("Sigmoid", ["up_scaled"], ["gate"]),
        n("Mul", ["up", "gate"], ["activated"]),
        n("MatMul", ["activated", "w_down"], ["down_raw"]),
        n("Add", ["down_raw", "b_down"], ["down"]),
        n("Add", ["x1", "down"], ["x2"]),
        n("LayerNormalization", ["x2", "lnf_scale", "lnf_bias"], ["x3"], axis=-1, epsilon=1e-5),
        # Pooling at <|endoftext|>: row n·T + argmax(ids[n]) of the flattened [N·T, 16].
        n("ArgMax", ["input_ids"], ["eot"], axis=-1, keepdims=0),
        n("Gather", ["ids_shape", "scalar_zero"], ["batch"], axis=0),
        n("Range", ["scalar_zero", "batch", "scalar_one"], ["row_numbers"]),
        n("Squeeze", ["length", "zero"], ["length_scalar"]),
        n("Mul", ["row_numbers", "length_scalar"], ["row_starts"]),
        n("Add", ["row_starts", "eot"], ["pooled_rows"]),
        n("Reshape", ["x3", "rows_shape"], ["flat"]),
        n("Gather", ["flat", "pooled_rows"], ["pooled"], axis=0),
        n("MatMul", ["pooled", "projection"], ["text_embeds"]),
    ]
    return helper.make_graph(
        nodes, "tiny-text", [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence"])],
        [helper.make_tensor_value_info("text_embeds", TensorProto.FLOAT, ["batch_size", OUT])], init)


def main():
    w = weights()
    model = helper.make_model(graph(w), opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="lookalike make_tiny_text_model.py")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    path = os.path.join(HERE, "tiny-text.onnx")
    onnx.save(model, path)
    embeds = forward(REFERENCE_IDS, w)
    with open(os.path.join(HERE, "tiny-text.reference.json"), "w") as f:
        json.dump({
            "description": "Outputs of tiny-text.onnx (text_embeds, before any normalisation) for the id rows below, "
                           "computed in float64 by make_tiny_text_model.py's own numpy forward pass (no ONNX Runtime).",
            "ids": REFERENCE_IDS,
            "text_embeds": [[round(float(v), 9) for v in row] for row in embeds],
        }, f, indent=1)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes) and tiny-text.reference.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
