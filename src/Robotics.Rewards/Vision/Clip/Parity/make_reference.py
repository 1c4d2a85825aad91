"""Reference outputs of Hugging Face transformers' CLIP for the C# port's parity test (ClipParityTests).

Writes into OUT a small random CLIPModel in save_pretrained format (config.json, model.safetensors), tokenizer files
(vocab.json, merges.txt: the 256 byte symbols, the same with </w>, a few merges, the two special tokens, as
ClipFixtures builds them), preprocessor_config.json, and reference.json: token ids from CLIPTokenizerFast (and the
slow CLIPTokenizer), pixel values from CLIPImageProcessor, and get_text_features / get_image_features /
logits_per_image. Needs torch, transformers, pillow, numpy (any CPU or GPU machine with them):

    python make_reference.py tests/Robotics.Rewards.Tests/ClipParity

then `dotnet test tests/Robotics.Rewards.Tests --filter ClipParity` compares the C# model against it to 1e-4.
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image
from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPTokenizer, CLIPTokenizerFast
from transformers.models.clip.tokenization_clip import bytes_to_unicode

MERGES = [("h", "e"), ("l", "l"), ("he", "ll"), ("hell", "o</w>"), ("p", "h"), ("o", "t"), ("ph", "ot"), ("phot", "o</w>"),
          ("a", "t</w>"), ("c", "at</w>"), ("o", "f</w>"), ("'", "t</w>"), ("r", "o"), ("ro", "b"), ("rob", "o"), ("robo", "t</w>")]
TEXTS = ["a photo of a cat", "Hello, ROBOT!!", "don't  stop\tme", "café 🤖 42", "a robot " * 40]
IMAGES = [(32, 32), (50, 40), (40, 64), (224, 224)]  # width, height


def pattern(w, h):
    y, x = np.mgrid[0:h, 0:w]
    channels = [(x * 37 + y * 91 + c * 53 + (x * y) % 17 * 11) % 256 for c in range(3)]
    return Image.fromarray(np.stack(channels, -1).astype(np.uint8), "RGB")


def main(out):
    os.makedirs(out, exist_ok=True)
    table = bytes_to_unicode()
    symbols = [table[b] for b in range(256)]
    vocab = symbols + [s + "</w>" for s in symbols] + [a + b for a, b in MERGES] + ["<|startoftext|>", "<|endoftext|>"]
    with open(os.path.join(out, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump({t: i for i, t in enumerate(vocab)}, f, ensure_ascii=False)
    with open(os.path.join(out, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in MERGES))
    sot, eot = len(vocab) - 2, len(vocab) - 1

    config = CLIPConfig(
        text_config=dict(vocab_size=len(vocab), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                         max_position_embeddings=77, bos_token_id=sot, eos_token_id=eot, pad_token_id=eot, hidden_act="quick_gelu"),
        vision_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4, image_size=32, patch_size=8,
                           hidden_act="quick_gelu"),
        projection_dim=16, logit_scale_init_value=float(np.log(50)))
    torch.manual_seed(0)
    model = CLIPModel(config).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name == "logit_scale":
                continue
            if ("norm" in name or "layrnorm" in name) and name.endswith("weight"):
                p.uniform_(0.5, 1.5)
            else:
                p.normal_(0, 0.5 if "embedding" in name else 0.2)
    model.save_pretrained(out, safe_serialization=True)
    processor = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    processor.save_pretrained(out)

    fast = CLIPTokenizerFast(vocab_file=os.path.join(out, "vocab.json"), merges_file=os.path.join(out, "merges.txt"))
    slow = CLIPTokenizer(vocab_file=os.path.join(out, "vocab.json"), merges_file=os.path.join(out, "merges.txt"))
    ids = [fast(t, truncation=True, max_length=77)["input_ids"] for t in TEXTS]
    slow_ids = [slow(t, truncation=True, max_length=77)["input_ids"] for t in TEXTS]
    images = [pattern(w, h) for w, h in IMAGES]
    pixels = processor(images=images, return_tensors="pt")["pixel_values"]
    with torch.no_grad():
        batch = fast(TEXTS, padding=True, truncation=True, max_length=77, return_tensors="pt")
        text = model.get_text_features(**batch)
        image = model.get_image_features(pixel_values=pixels)
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], pixel_values=pixels).logits_per_image
    reference = {
        "texts": TEXTS, "input_ids": ids, "slow_input_ids": slow_ids, "image_sizes": IMAGES,
        "pixel_values": pixels.flatten().tolist(), "pixel_shape": list(pixels.shape),
        "text_features": text.tolist(), "image_features": image.tolist(), "logits_per_image": logits.tolist(),
        "logit_scale": model.logit_scale.item(),
        "versions": {"torch": torch.__version__, "transformers": __import__("transformers").__version__, "pillow": Image.__version__},
    }
    with open(os.path.join(out, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(reference, f, ensure_ascii=False)
    print(f"wrote {out}: {len(TEXTS)} texts, {len(IMAGES)} images")


if __name__ == "__main__":
    main(sys.argv[1])
