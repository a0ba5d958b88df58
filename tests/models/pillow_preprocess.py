#!/usr/bin/python3
"""Model input tensors made the way the reference libraries make them, with
Pillow alone: an implementation independent of lookalike's, against which
tests/models/preprocess_reference_test.cpp checks every model card.

    /usr/bin/python3 pillow_preprocess.py CARD.json OUT_DIR IMAGE...

For each IMAGE, writes OUT_DIR/<n>.f32: the card's input tensor (NCHW for a
batch of one, float32, little-endian), n being the image's position in the
list. The steps are those of torchvision's transforms and Hugging Face's
CLIPImageProcessor on a PIL image:

  1. Image.open, EXIF orientation applied (ImageOps.exif_transpose, as
     lookalike and image viewers do), convert("RGB");
  2. resize with the card's filter (Image.resize, which antialiases when
     shrinking): "exact" to width x height; "shortest-side-crop" the shorter
     side to shortest_side and the longer to int(shortest_side * long /
     short), as both libraries truncate;
  3. for "shortest-side-crop", the centred window, its offset rounded as the
     card's reference library rounds it (REFERENCES below, not the card's own
     crop_rounding, which is what is checked): Hugging Face's
     (H - h) // 2, torchvision's int(round((H - h) / 2.0)) (Python rounds
     half to even);
  4. per channel (value / scale - mean) / std, channels in the card's order.

Debian's python3-pil (on /usr/bin/python3; the first python3 on PATH may be
another build without it). No numpy: the arithmetic is plain Python floats,
stored as float32.
"""
import json
import sys
from array import array

from PIL import Image, ImageOps

FILTERS = {"box": Image.BOX, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC}

# Whose preprocessing each card of models/ reproduces: the CLIP exports
# come with Hugging Face's CLIPImageProcessor, MobileNetV2 with torchvision's
# transforms. A new card is added here with its own reference.
REFERENCES = {
    "clip-vit-b32": "huggingface",
    "clip-vit-b32-q8": "huggingface",
    "tiny-embed": "huggingface",
    "mobilenetv2-int8": "torchvision",
}


def centre_offset(side, window, reference):
    if reference == "huggingface":  # transformers.image_transforms.center_crop
        return (side - window) // 2
    if reference == "torchvision":  # torchvision.transforms.functional.center_crop
        return int(round((side - window) / 2.0))
    raise ValueError("unknown reference %r" % reference)


def model_input(image, card_input, reference):
    resize = card_input["resize"]
    width, height = card_input["width"], card_input["height"]
    resample = FILTERS[resize["filter"]]
    if resize["mode"] == "exact":
        return image.resize((width, height), resample=resample)
    shortest = resize["shortest_side"]
    w, h = image.size
    if w <= h:
        size = (shortest, int(shortest * h / w))
    else:
        size = (int(shortest * w / h), shortest)
    scaled = image.resize(size, resample=resample)
    left = centre_offset(size[0], width, reference)
    top = centre_offset(size[1], height, reference)
    return scaled.crop((left, top, left + width, top + height))


def tensor(image, card_input):
    scale = float(card_input.get("scale", 255))
    mean, std = card_input["mean"], card_input["std"]
    order = [0, 1, 2] if card_input.get("channel_order", "RGB") == "RGB" else [2, 1, 0]
    bands = image.split()
    out = array("f")
    for c, source in enumerate(order):
        out.extend((v / scale - mean[c]) / std[c] for v in bands[source].getdata())
    return out


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        card = json.load(f)
    card_input = card["input"]
    if card["name"] not in REFERENCES:
        sys.stderr.write("pillow_preprocess.py: no reference library known for the card %r: add it to REFERENCES\n"
                         % card["name"])
        return 2
    for n, path in enumerate(argv[3:]):
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
        values = tensor(model_input(image, card_input, REFERENCES[card["name"]]), card_input)
        if sys.byteorder != "little":
            values.byteswap()
        with open("%s/%d.f32" % (argv[2], n), "wb") as f:
            values.tofile(f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
