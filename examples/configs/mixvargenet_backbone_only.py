# MixVarGENet as a detection/segmentation backbone (J5): no classifier head, four feature maps
# out (strides 4, 8, 16, 32) for a neck, on 512x512 images, with backbone fusion.
#
# include_top=False: the backbone returns the outputs of the stages listed in output_list
# (all stages when it is empty). num_classes is still required by the constructor, though unused.
#
# Fusion routing (MIXVARGENET.md §3; output stride of each stage in brackets):
#   stage 1 [4]   emits 2 maps (2x, 4x)               start = 1
#   stage 2 [8]   receives stage 1's 2x                 -> fusion_strides=[4];      emits 1 map
#   stage 3 [16]  receives stage 1's 4x, stage 2's 2x   -> fusion_strides=[4, 8];   emits 1 map
#   stage 4 [32]  receives stage 3's 2x only            -> fusion_strides=[16]
#                 (after stage 3, i = 3 - 1 = 2: 8x[0] does not exist, as nobody emitted an 8x
#                  map, nor does 4x[1], as only stage 1 emitted a 4x map; 2x[2] is stage 3's.)
import torch
from hat.models.backbones.mixvargenet import MixVarGENetConfig
from horizon_plugin_pytorch.march import March

task_name = "mixvargenet_backbone_512"
num_classes = 1  # required by MixVarGENet, unused without the top
batch_size_per_gpu = 16
device_ids = [0, 1, 2, 3]
ckpt_dir = "./tmp_models/%s" % task_name
march = March.BAYES

bn_kwargs = dict(eps=2e-5, momentum=0.1)
net_config = [
    # stride 2 (256x256)
    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f2", stack_ops=[],
                       stack_factor=1, stride=1, fusion_strides=[], extra_downsample_num=0)],
    # stride 4 (128x128): emits its 2x (64x64) and 4x (32x32) downsamples
    [MixVarGENetConfig(in_channels=32, out_channels=48, head_op="mixvarge_f4",
                       stack_ops=["mixvarge_f4"], stack_factor=1, stride=2,
                       fusion_strides=[], extra_downsample_num=2)],
    # stride 8 (64x64): adds stage 1's 2x map through a 1x1 conv 48->96
    [MixVarGENetConfig(in_channels=48, out_channels=96, head_op="mixvarge_f2",
                       stack_ops=["mixvarge_f2", "mixvarge_f2"], stack_factor=1, stride=2,
                       fusion_strides=[4], extra_downsample_num=1)],
    # stride 16 (32x32): adds stage 1's 4x map (48->128) and stage 2's 2x map (96->128)
    [MixVarGENetConfig(in_channels=96, out_channels=128, head_op="mixvarge_f2_gb16",
                       stack_ops=["mixvarge_f2_gb16"] * 4, stack_factor=1, stride=2,
                       fusion_strides=[4, 8], extra_downsample_num=1)],
    # stride 32 (16x16): adds stage 3's 2x map (128->192)
    [MixVarGENetConfig(in_channels=128, out_channels=192, head_op="mixvarge_f2_gb16",
                       stack_ops=["mixvarge_f2_gb16", "mixvarge_f2_r_gb16"], stack_factor=1, stride=2,
                       fusion_strides=[16], extra_downsample_num=0)],
]

backbone = dict(
    type="MixVarGENet",
    net_config=net_config,
    num_classes=num_classes,
    bn_kwargs=bn_kwargs,
    include_top=False,
    output_list=[1, 2, 3, 4],  # strides 4, 8, 16, 32 for the neck
    bias=True,
)

model = dict(
    type="RetinaNet",  # any detector or segmentor that takes a backbone works the same way
    backbone=backbone,
    neck=dict(type="FPN", in_strides=[4, 8, 16, 32], in_channels=[48, 96, 128, 192], out_channels=64),
)

deploy_model = dict(type="RetinaNet", backbone=backbone)

deploy_inputs = dict(img=torch.randn((1, 3, 512, 512)))
