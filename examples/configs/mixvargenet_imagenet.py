# MixVarGENet on ImageNet (J5): the seed config of the HAT model zoo, backbone part.
import os

import torch
from hat.models.backbones.mixvargenet import MixVarGENetConfig
from horizon_plugin_pytorch.march import March

task_name = "mixvargenet_imagenet"
num_classes = 1000
batch_size_per_gpu = 128
device_ids = [0, 1, 2, 3, 4, 5, 6, 7]
ckpt_dir = "./tmp_models/%s" % task_name
march = March.BAYES

bn_kwargs = {}
net_config = [
    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f2", stack_ops=[],
                       stack_factor=1, stride=1, fusion_strides=[], extra_downsample_num=0)],   # stride 2
    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f4",
                       stack_ops=["mixvarge_f4", "mixvarge_f4"], stack_factor=1, stride=2,
                       fusion_strides=[], extra_downsample_num=0)],                              # stride 4
    [MixVarGENetConfig(in_channels=32, out_channels=64, head_op="mixvarge_f4",
                       stack_ops=["mixvarge_f4", "mixvarge_f4"], stack_factor=1, stride=2,
                       fusion_strides=[], extra_downsample_num=0)],                              # stride 8
    [MixVarGENetConfig(in_channels=64, out_channels=96, head_op="mixvarge_f2_gb16",
                       stack_ops=["mixvarge_f2_gb16"] * 6, stack_factor=1, stride=2,
                       fusion_strides=[], extra_downsample_num=0)],                              # stride 16
    [MixVarGENetConfig(in_channels=96, out_channels=160, head_op="mixvarge_f2_gb16",
                       stack_ops=["mixvarge_f2_gb16"] * 2, stack_factor=1, stride=2,
                       fusion_strides=[], extra_downsample_num=0)],                              # stride 32
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
