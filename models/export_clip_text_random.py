#!/usr/bin/python3
"""Exports a CLIP ViT-B/32-shaped text tower with random weights, for latency benchmarks.

Same graph and cost as CLIP ViT-B/32's text encoder (vocabulary 49 408,
context 77, width 512, 12 layers, 8 heads, MLP 2048, QuickGELU, pre-LayerNorm,
causal attention mask, pooling at the <|endoftext|> token (the argmax of the
ids, as CLIP does), final LayerNorm, 512-d projection, 63 M parameters), so
its inference time stands in for the real model's, which cannot be
downloaded on every machine; its embeddings mean nothing. Names follow
models/clip-vit-b32-text.json (input input_ids int64 [batch, sequence],
output text_embeds), and a card clip-text-random.json is written next to the
model, pairing with vit-b32-random (export_vit_b32_random.py) so that a site
indexed with that image tower offers text search with this one:
`lookalike index --feature model:DIR/vit-b32-random.json --text-card DIR/clip-text-random.json`.

The output (about 254 MB) is never committed: write it outside the
repository or under build/ (the default).

    /usr/bin/python3 models/export_clip_text_random.py [OUT_DIR]      # default build/models
"""
import json
import os
import sys

import torch
from torch import nn

VOCAB, CONTEXT, WIDTH, LAYERS, HEADS, EMBED = 49408, 77, 512, 12, 8, 512


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class CausalAttention(nn.Module):
    """Multi-head self-attention spelled out (torch 1.13 has no ONNX export of
    the fused kernel), each position seeing itself and those before it."""

    def __init__(self):
        super().__init__()
        self.q, self.k, self.v = nn.Linear(WIDTH, WIDTH), nn.Linear(WIDTH, WIDTH), nn.Linear(WIDTH, WIDTH)
        self.out = nn.Linear(WIDTH, WIDTH)

    def forward(self, x, mask):
        n, t, _ = x.shape
        split = lambda y: y.reshape(n, t, HEADS, WIDTH // HEADS).transpose(1, 2)  # noqa: E731
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-2, -1) * (WIDTH // HEADS) ** -0.5 + mask
        return self.out((torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(n, t, WIDTH))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(WIDTH)
        self.attn = CausalAttention()
        self.ln_2 = nn.LayerNorm(WIDTH)
        self.mlp = nn.Sequential(nn.Linear(WIDTH, 4 * WIDTH), QuickGELU(), nn.Linear(4 * WIDTH, WIDTH))

    def forward(self, x, mask):
        x = x + self.attn(self.ln_1(x), mask)
        return x + self.mlp(self.ln_2(x))


class TextTower(nn.Module):
    def __init__(self):
        super().__init__()
        self.token_embedding = nn.Embedding(VOCAB, WIDTH)
        self.positional_embedding = nn.Parameter(0.01 * torch.randn(CONTEXT, WIDTH))
        self.blocks = nn.ModuleList([Block() for _ in range(LAYERS)])
        self.ln_final = nn.LayerNorm(WIDTH)
        self.text_projection = nn.Parameter(WIDTH ** -0.5 * torch.randn(WIDTH, EMBED))
        # A large negative number rather than -inf: no NaN whatever the runtime's softmax does.
        self.register_buffer("causal_mask", torch.triu(torch.full((CONTEXT, CONTEXT), -1e9), diagonal=1))

    def forward(self, input_ids):
        n, t = input_ids.shape
        x = self.token_embedding(input_ids) + self.positional_embedding[:t]
        mask = self.causal_mask[:t, :t]
        for block in self.blocks:
            x = block(x, mask)
        x = self.ln_final(x)
        # The row at each text's <|endoftext|>: the largest id, the first of equal ones (CLIP's pooling).
        rows = torch.arange(n) * t + input_ids.argmax(dim=-1)
        return x.reshape(n * t, WIDTH).index_select(0, rows) @ self.text_projection


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.normpath(argv[1] if len(argv) > 1 else os.path.join(here, "..", "build", "models"))
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(77)
    model = TextTower().eval()
    params = sum(p.numel() for p in model.parameters())
    path = os.path.join(out_dir, "clip-text-random.onnx")
    example = torch.tensor([[49406, 320, 736, 1615, 536, 930, 49407]], dtype=torch.int64)
    with torch.no_grad():
        torch.onnx.export(model, (example,), path, input_names=["input_ids"], output_names=["text_embeds"],
                          opset_version=14,
                          dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                                        "text_embeds": {0: "batch_size"}})
    with open(os.path.join(here, "clip-vit-b32-text.json")) as f:
        card = json.load(f)
    card["name"] = "clip-text-random"
    card["pairs_with"] = "vit-b32-random"
    card["description"] = ("CLIP ViT-B/32-shaped text tower with random weights (export_clip_text_random.py): CLIP's "
                           "text encoder graph and cost for latency benchmarks; its embeddings mean nothing.")
    card["model"] = {"file": "clip-text-random.onnx", "bytes": os.path.getsize(path)}
    with open(os.path.join(out_dir, "clip-text-random.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes, {params / 1e6:.1f} M parameters) and clip-text-random.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
