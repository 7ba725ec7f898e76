# A config with the mistakes people really make, one per stage or so, for a tour of the lint.
# Open it with the Problems panel visible: every mistake below is underlined where it is written,
# and most have a quick fix. Each comment says what HAT would do with it.
#
# (Without the extension, the first of these to be hit ends a multi-GPU job minutes in, with the
# real cause at the bottom of a build_from_registry traceback printed once per rank; and the
# dangling downsample would not fail at all: it would quietly train a different network.)
import torch
from hat.models.backbones.mixvargenet import MixVarGENetConfig
from horizon_plugin_pytorch.march import March

task_name = "mixvargenet_mistakes"
num_classes = 1000
batch_size_per_gpu = 128
ckpt_dir = "./tmp_models/%s" % task_name
march = March.BAYES

bn_kwargs = {}
net_config = [
    # MISTAKE (misspelt field): `stack_factr` is not a MixVarGENetConfig field. Importing the config
    # fails with "TypeError: __init__() got an unexpected keyword argument 'stack_factr'".
    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f2", stack_ops=[],
                       stack_factr=1, stride=1, fusion_strides=[], extra_downsample_num=0)],
    # Fine: emits a 2x and a 4x downsample of its output for stages 2 and 3.
    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f4",
                       stack_ops=["mixvarge_f4", "mixvarge_f4"], stack_factor=1, stride=2,
                       fusion_strides=[], extra_downsample_num=2)],
    # Fine: fuses stage 1's 2x map (stride 4 names stage 1) and emits a 2x map of its own.
    [MixVarGENetConfig(in_channels=32, out_channels=64, head_op="mixvarge_f4",
                       stack_ops=["mixvarge_f4", "mixvarge_f4"], stack_factor=1, stride=2,
                       fusion_strides=[4], extra_downsample_num=1)],
    # MISTAKE (fusion_strides out of order): this head receives stage 1's 4x map (32 channels) and
    # then stage 2's 2x map (64 channels), in that order, so it must say [4, 8]. With [8, 4] the
    # first fusion conv expects 64 channels and gets 32: a conv shape error when the model first runs.
    # MISTAKE (group count does not divide): out_channels=56 gives the gb16 stack blocks
    # int(56 / 16) = 3 groups, and 56 channels cannot be split into 3 groups (ValueError when
    # the conv is built). 48 or 64 would work.
    # MISTAKE (dangling downsample): extra_downsample_num=1 emits a 2x map that stage 4 does not
    # fuse (its fusion_strides is empty). HAT does not complain: the map is computed and thrown
    # away, and stage 4's head silently loses its final ReLU.
    [MixVarGENetConfig(in_channels=64, out_channels=56, head_op="mixvarge_f2_gb16",
                       stack_ops=["mixvarge_f2_gb16"] * 6, stack_factor=1, stride=2,
                       fusion_strides=[8, 4], extra_downsample_num=1)],
    # MISTAKE (broken channel chain): in_channels=96, but stage 3 outputs 56 channels. The head's
    # first conv fails: "expected input to have 96 channels, but got 56 channels instead".
    # MISTAKE (misspelt op): "mixvarge_f2_bg16" is not in BLOCK_CONFIG (gb16, not bg16): a bare
    # KeyError: 'mixvarge_f2_bg16' while the model is built.
    [MixVarGENetConfig(in_channels=96, out_channels=160, head_op="mixvarge_f2_gb16",
                       stack_ops=["mixvarge_f2_gb16", "mixvarge_f2_bg16"], stack_factor=1, stride=2,
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
