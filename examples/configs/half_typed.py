# A config caught mid-edit: the person typing it has not closed stage 3 yet (its
# MixVarGENetConfig( and the stage's [ are still open), and is about to add a field.
#
# Python cannot import this file, but the extension keeps working while you type: the parser
# recovers around the unclosed bracket, the stages it can still read are drawn and counted, and
# only the unclosed bracket is reported. Close stage 3 with `)],` to see the full network again.
import torch
from hat.models.backbones.mixvargenet import MixVarGENetConfig
from horizon_plugin_pytorch.march import March

task_name = "mixvargenet_imagenet_wip"
num_classes = 1000
march = March.BAYES

bn_kwargs = {}
net_config = [
    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f2", stack_ops=[],
                       stack_factor=1, stride=1, fusion_strides=[], extra_downsample_num=0)],
    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f4",
                       stack_ops=["mixvarge_f4", "mixvarge_f4"], stack_factor=1, stride=2,
                       fusion_strides=[], extra_downsample_num=0)],
    [MixVarGENetConfig(in_channels=32, out_channels=64, head_op="mixvarge_f4",
                       stack_ops=["mixvarge_f4", "mixvarge_f4"], stack_factor=1, stride=2,
                       fusion_strides=[], extra_downsample_num=0)],
    [MixVarGENetConfig(in_channels=64, out_channels=96, head_op="mixvarge_f2_gb16",
                       stack_ops=["mixvarge_f2_gb16"] * 6, stack_factor=1, stride=2,
                       fusion_strides=[],
    [MixVarGENetConfig(in_channels=96, out_channels=160, head_op="mixvarge_f2_gb16",
                       stack_ops=["mixvarge_f2_gb16"] * 2, stack_factor=1, stride=2,
                       fusion_strides=[], extra_downsample_num=0)],
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

deploy_inputs = dict(img=torch.randn((1, 3, 224, 224)))
