#!/usr/bin/python3
"""Exports a ViT-B/32 image tower with random weights, for latency benchmarks.

Same graph and cost as CLIP ViT-B/32's image encoder (patch 32, width 768,
12 layers, 12 heads, MLP 3072, QuickGELU, pre/post LayerNorm, 512-d
projection, 224×224 input, 88 M parameters), so its inference time stands in
for the real model's, which cannot be downloaded on every machine; its
embeddings mean nothing. Names and preprocessing follow models/clip-vit-b32.json
(input pixel_values, output image_embeds), and a card vit-b32-random.json is
written next to the model so `lookalike embed --card DIR/vit-b32-random.json`
runs it.

The output (about 350 MB) is never committed: write it outside the
repository or under build/ (the default).

    /usr/bin/python3 models/export_vit_b32_random.py [OUT_DIR]      # default build/models
"""
import json
import os
import sys

import torch
from torch import nn

WIDTH, LAYERS, HEADS, PATCH, SIZE, EMBED = 768, 12, 12, 32, 224, 512


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Attention(nn.Module):
    """Multi-head self-attention spelled out (as Hugging Face's CLIP export is):
    torch's fused MultiheadAttention kernel has no ONNX export in 1.13."""

    def __init__(self):
        super().__init__()
        self.q, self.k, self.v = nn.Linear(WIDTH, WIDTH), nn.Linear(WIDTH, WIDTH), nn.Linear(WIDTH, WIDTH)
        self.out = nn.Linear(WIDTH, WIDTH)

    def forward(self, x):
        n, t, _ = x.shape
        split = lambda y: y.reshape(n, t, HEADS, WIDTH // HEADS).transpose(1, 2)  # noqa: E731
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        weights = torch.softmax(q @ k.transpose(-2, -1) * (WIDTH // HEADS) ** -0.5, dim=-1)
        return self.out((weights @ v).transpose(1, 2).reshape(n, t, WIDTH))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(WIDTH)
        self.attn = Attention()
        self.ln_2 = nn.LayerNorm(WIDTH)
        self.mlp = nn.Sequential(nn.Linear(WIDTH, 4 * WIDTH), QuickGELU(), nn.Linear(4 * WIDTH, WIDTH))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class VisionTower(nn.Module):
    def __init__(self):
        super().__init__()
        scale = WIDTH ** -0.5
        self.conv1 = nn.Conv2d(3, WIDTH, kernel_size=PATCH, stride=PATCH, bias=False)
        self.class_embedding = nn.Parameter(scale * torch.randn(WIDTH))
        self.positional_embedding = nn.Parameter(scale * torch.randn((SIZE // PATCH) ** 2 + 1, WIDTH))
        self.ln_pre = nn.LayerNorm(WIDTH)
        self.blocks = nn.Sequential(*[Block() for _ in range(LAYERS)])
        self.ln_post = nn.LayerNorm(WIDTH)
        self.proj = nn.Parameter(scale * torch.randn(WIDTH, EMBED))

    def forward(self, pixel_values):
        x = self.conv1(pixel_values).flatten(2).transpose(1, 2)  # [N, 49, 768]
        cls = self.class_embedding.expand(x.shape[0], 1, WIDTH)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.blocks(self.ln_pre(x))
        return self.ln_post(x[:, 0, :]) @ self.proj


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.normpath(argv[1] if len(argv) > 1 else os.path.join(here, "..", "build", "models"))
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(32)
    model = VisionTower().eval()
    params = sum(p.numel() for p in model.parameters())
    path = os.path.join(out_dir, "vit-b32-random.onnx")
    with torch.no_grad():
        torch.onnx.export(model, torch.randn(1, 3, SIZE, SIZE), path, input_names=["pixel_values"],
                          output_names=["image_embeds"], opset_version=14,
                          dynamic_axes={"pixel_values": {0: "batch_size"}, "image_embeds": {0: "batch_size"}})
    with open(os.path.join(here, "clip-vit-b32.json")) as f:
        card = json.load(f)
    card["name"] = "vit-b32-random"
    card["description"] = ("ViT-B/32-shaped image tower with random weights (export_vit_b32_random.py): CLIP ViT-B/32's "
                           "graph and cost for latency benchmarks; its embeddings mean nothing.")
    card["model"] = {"file": "vit-b32-random.onnx", "bytes": os.path.getsize(path)}
    with open(os.path.join(out_dir, "vit-b32-random.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes, {params / 1e6:.1f} M parameters) and vit-b32-random.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
