#!/usr/bin/env python3
"""Independent numeric check of the ONNX graph that extension/core/onnx/build.ts writes.

The torch network comes from test/fixtures/torch/reference.py, which builds MixVarGENet as nn.Modules
from MIXVARGENET.md section 3 (not from the extension's TypeScript). This script loads the ONNX
model's weights into it (each ONNX conv "stage2.block0.conv1" -> module mod4.head.conv1), with every
BatchNorm made an identity plus the folded bias (weight 1, running mean 0, running var 1, eps 0, bias =
the ONNX conv's bias), runs it on the same input, and writes its outputs, for the caller to compare with
what onnxruntime computed from the ONNX file.

Usage:
  /usr/bin/python3 scripts/onnx-check.py CONFIG.py DIR

DIR holds manifest.json:
  {"input": {"file": "input.bin", "dims": [N, C, H, W]},
   "tensors": {"<conv id>.weight": {"file": ..., "dims": [...]}, "<conv id>.bias": {...}, ...}}
with raw little-endian float32 files. Writes DIR/torch_out_<i>.bin and prints JSON
{"outputs": [{"file": ..., "dims": [...]}], "loaded": <number of convs loaded>, "convs": <number of convs in the torch model>}.
Exit code 0 on success, 1 on a mismatch in structure (a conv of one side missing on the other), 2 on usage.
"""
import importlib.util
import json
import os
import re
import sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "..", "test", "fixtures", "torch", "reference.py")


def load_reference():
    spec = importlib.util.spec_from_file_location("mvg_reference", REFERENCE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def module_path(conv_id: str) -> str:
    """ONNX conv id (model.ts) -> dotted path of the conv_bn Sequential in reference.py's model."""
    if conv_id == "stem":
        return "mod1"
    if conv_id == "head.fc":
        return "output.0"
    if conv_id == "head.cls":
        return "output.2"
    m = re.fullmatch(r"stage(\d+)\.downsample(\d+)", conv_id)
    if m:
        return f"mod{int(m.group(1)) + 2}.downsample.{m.group(2)}"
    m = re.fullmatch(r"stage(\d+)\.block(\d+)\.(conv1|conv2|shortcut|fusion(\d+))", conv_id)
    if not m:
        raise ValueError(f"unexpected conv id {conv_id}")
    stage, block, layer = int(m.group(1)), int(m.group(2)), m.group(3)
    blk = f"mod{stage + 2}.head" if block == 0 else f"mod{stage + 2}.stack.{block - 1}"
    if m.group(4) is not None:
        return f"{blk}.fusion.{m.group(4)}"
    return f"{blk}.{layer}"


def read(dirname, entry):
    a = np.fromfile(os.path.join(dirname, entry["file"]), dtype="<f4")
    return torch.from_numpy(a.reshape(entry["dims"]).copy())


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    config, dirname = argv
    ref = load_reference()
    manifest = json.load(open(os.path.join(dirname, "manifest.json")))
    g = ref.execute_config(config)
    bb = ref.find_backbone(g)
    kwargs = {k: v for k, v in bb.items() if k != "type"}
    torch.manual_seed(0)
    model = ref.MixVarGENet(**kwargs)
    model.eval()
    modules = dict(model.named_modules())
    tensors = manifest["tensors"]
    conv_ids = sorted({k.rsplit(".", 1)[0] for k in tensors})
    loaded = set()
    with torch.no_grad():
        for cid in conv_ids:
            seq = modules.get(module_path(cid))
            if seq is None:
                print(json.dumps({"error": f"the torch model has no module for {cid} ({module_path(cid)})"}))
                return 1
            conv, bn = seq[0], seq[1]
            w = read(dirname, tensors[f"{cid}.weight"])
            if tuple(conv.weight.shape) != tuple(w.shape):
                print(json.dumps({"error": f"{cid}: torch weight {list(conv.weight.shape)} vs ONNX {list(w.shape)}"}))
                return 1
            conv.weight.copy_(w)
            if conv.bias is not None:
                conv.bias.zero_()
            bn.weight.fill_(1.0)
            bn.bias.copy_(read(dirname, tensors[f"{cid}.bias"]))
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0)
            bn.eps = 0.0
            loaded.add(id(conv))
        all_convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
        missing = [n for n, m in model.named_modules() if isinstance(m, nn.Conv2d) and id(m) not in loaded]
        if missing:
            print(json.dumps({"error": f"torch convs without ONNX weights: {missing}"}))
            return 1
        x = read(dirname, manifest["input"])
        out = model(x)
    outs = out if isinstance(out, (list, tuple)) else [out]
    result = []
    for i, t in enumerate(outs):
        f = f"torch_out_{i}.bin"
        t.detach().numpy().astype("<f4").tofile(os.path.join(dirname, f))
        result.append({"file": f, "dims": list(t.shape)})
    print(json.dumps({"outputs": result, "loaded": len(loaded), "convs": len(all_convs)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
