# MixVarGENet on ImageNet (J5) with backbone fusion: the seed's layout, plus extra downsamples of
# earlier stages' outputs added into later stages' head blocks.
#
# How the fusion maps travel (HAT's MixVarGENet._handle_fusion_data, MIXVARGENET.md §3):
#   * A stage with extra_downsample_num = n chains n 3x3/s2 conv+BN layers on its output and
#     appends the results to three lists: 2x (always), 4x (n >= 2), 8x (n >= 3).
#   * The first stage that does so is `start`. After such a stage k, with i = k - start, the next
#     stage's head receives [x, 8x[i-2], 4x[i-1], 2x[i]] (each only if that index exists).
#   * That head needs exactly one fusion layer per received map, in that order: fusion_strides
#     lists the strides of the source stages, ascending. A fusion stride s makes a 1x1 conv whose
#     input width is net_config[log2(s) - 1][0].out_channels, the width of the map that arrives.
#
# Here (output stride of each stage in brackets):
#   stage 1 [4]  emits 3 maps (2x, 4x, 8x of its 32-channel output)     start = 1
#   stage 2 [8]  receives stage 1's 2x                  -> fusion_strides=[4]
#                emits 2 maps (2x, 4x of 64 channels)
#   stage 3 [16] receives stage 1's 4x, stage 2's 2x    -> fusion_strides=[4, 8]
#                emits 1 map (2x of 96 channels)
#   stage 4 [32] receives stage 1's 8x, stage 2's 4x, stage 3's 2x
#                                                       -> fusion_strides=[4, 8, 16]
#                emits nothing: the classifier head takes a plain tensor.
# Every map arrives at the resolution of the head it is added to (e.g. stage 1's 56x56 output,
# downsampled 8x, is 7x7 like stage 4's).
import os

import torch
from hat.models.backbones.mixvargenet import MixVarGENetConfig
from horizon_plugin_pytorch.march import March

task_name = "mixvargenet_fusion_imagenet"
num_classes = 1000
batch_size_per_gpu = 128
device_ids = [0, 1, 2, 3, 4, 5, 6, 7]
ckpt_dir = "./tmp_models/%s" % task_name
march = March.BAYES

bn_kwargs = {}
net_config = [
    # stage 0, stride 2 (after the stride-2 stem): a single widening block.
    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f2", stack_ops=[],
                       stack_factor=1, stride=1, fusion_strides=[], extra_downsample_num=0)],
    # stage 1, stride 4: plain convs while the channel count is small; emits 3 downsampled maps.
    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f4",
                       stack_ops=["mixvarge_f4", "mixvarge_f4"], stack_factor=1, stride=2,
                       fusion_strides=[], extra_downsample_num=3)],
    # stage 2, stride 8: fuses stage 1's 2x map; emits 2 maps.
    [MixVarGENetConfig(in_channels=32, out_channels=64, head_op="mixvarge_f4",
                       stack_ops=["mixvarge_f4", "mixvarge_f4"], stack_factor=1, stride=2,
                       fusion_strides=[4], extra_downsample_num=2)],
    # stage 3, stride 16: group convs from here on; fuses stage 1's 4x and stage 2's 2x maps.
    # stack_factor=2 widens the middle of the stack (96 -> 192 -> 192 -> 192 -> 96); the two 3x3+3x3
    # group blocks in the middle give conv2 int(192 / 16) = 12 groups.
    [MixVarGENetConfig(in_channels=64, out_channels=96, head_op="mixvarge_f2_gb16",
                       stack_ops=["mixvarge_f2_gb16", "mixvarge_k3k3_f2_gb16", "mixvarge_k3k3_f2_gb16",
                                  "mixvarge_f2_gb16"],
                       stack_factor=2, stride=2,
                       fusion_strides=[4, 8], extra_downsample_num=1)],
    # stage 4, stride 32: fuses one map from each of stages 1, 2 and 3 (three 1x1 fusion convs:
    # 32->160, 64->160, 96->160). Emits nothing: the classifier head would crash on a list.
    # The last block is the "_r" variant: a 1x1 conv shortcut even at stride 1.
    [MixVarGENetConfig(in_channels=96, out_channels=160, head_op="mixvarge_f2_gb16",
                       stack_ops=["mixvarge_f2_gb16", "mixvarge_f2_r_gb16"], stack_factor=1, stride=2,
                       fusion_strides=[4, 8, 16], extra_downsample_num=0)],
]

model = dict(
    type="Classifier",
    backbone=dict(
        type="MixVarGENet",
        net_config=net_config,
        num_classes=num_classes,
        bn_kwargs=bn_kwargs,
        bias=True,
    ),
    losses=dict(type="CEWithLabelSmooth"),
)

deploy_model = dict(
    type="Classifier",
    backbone=dict(
        type="MixVarGENet",
        net_config=net_config,
        num_classes=num_classes,
        bn_kwargs=bn_kwargs,
        bias=True,
    ),
)

# 224x224: the stride-32 map is 7x7, exactly what the head's AvgPool2d(7) reduces to 1x1.
deploy_inputs = dict(img=torch.randn((1, 3, 224, 224)))

data_loader = dict(
    type=torch.utils.data.DataLoader,
    dataset=dict(type="ImageNetFromLMDB", data_path="./tmp_data/imagenet/train_lmdb/"),
    batch_size=batch_size_per_gpu,
    shuffle=True,
)
val_data_loader = dict(
    type=torch.utils.data.DataLoader,
    dataset=dict(type="ImageNetFromLMDB", data_path="./tmp_data/imagenet/val_lmdb/"),
    batch_size=batch_size_per_gpu,
    shuffle=False,
)
