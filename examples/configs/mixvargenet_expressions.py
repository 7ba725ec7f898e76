# MixVarGENet written the way real configs often are: with expressions instead of literals.
#
# Everything below is plain Python that the extension follows without running the file:
# module-level names, a width multiplier applied by a helper, list repetition and concatenation,
# %-formatting and f-strings, dict(...) and {...}, a helper that returns a whole stage,
# net_config.append(...) and a comprehension. The lint, the hovers on op names and on
# MixVarGENetConfig, and the parameter and MAC counts all see the evaluated values. (A value that
# could only be known by running code, e.g. a call into your own module, is "unknown": it is
# never reported as an error, and the numbers that depend on it are shown as unknown.)
import torch
from hat.models.backbones.mixvargenet import MixVarGENetConfig
from horizon_plugin_pytorch.march import March

model_name = "mixvargenet"
dataset = "imagenet"
task_name = "%s_%s_expr" % (model_name, dataset)
num_classes = 1000
batch_size_per_gpu = 64
device_ids = [0, 1, 2, 3]
ckpt_dir = f"./tmp_models/{task_name}"
march = March.BAYES

# Width multiplier: 1.0 gives the seed's widths. Try 1.5 (every width stays a multiple of 16), or
# 0.75 to see group convs go wrong: int(72 / 16) = 4 groups of 18 channels (not 16), and
# int(120 / 16) = 7 groups, which do not divide 120 (the conv fails to build).
alpha = 1.0


def ch(c):
    return int(c * alpha)


F2 = "mixvarge_f2"
F4 = "mixvarge_f4"
GB = "mixvarge_f2_gb16"
GB_K3 = "mixvarge_k3k3_f2_gb16"


def stage(cin, cout, head, stack, stride=2, **fusion):
    """One stage: a list holding exactly one MixVarGENetConfig."""
    return [
        MixVarGENetConfig(
            in_channels=ch(cin),
            out_channels=ch(cout),
            head_op=head,
            stack_ops=stack,
            stack_factor=1,
            stride=stride,
            **fusion,
        )
    ]


# Output widths of the five stages (strides 2, 4, 8, 16, 32).
widths = [32, 32, 64, 96, 160]
# Input width of each stage: the stem's for stage 0, then the previous stage's output.
in_widths = widths[:1] + widths[:-1]

net_config = [
    stage(in_widths[0], widths[0], F2, [], stride=1),
    stage(in_widths[1], widths[1], F4, [F4] * 2),
    stage(in_widths[2], widths[2], F4, [F4, F4], extra_downsample_num=1),
]
# Stage 3 fuses stage 2's 2x downsample (stride 8 -> 16): fusion_strides names stage 2 by its
# stride, 8. The stack is concatenated from two repeated lists.
net_config.append(stage(in_widths[3], widths[3], GB, [GB] * 4 + [GB_K3] * 2, fusion_strides=[8]))
net_config.append(stage(in_widths[4], widths[4], GB, [GB for _ in range(2)]))

bn_kwargs = {}
backbone = dict(
    type="MixVarGENet",
    net_config=net_config,
    num_classes=num_classes,
    bn_kwargs=bn_kwargs,
    bias=True,
)
model = {
    "type": "Classifier",
    "backbone": backbone,
    "losses": dict(type="CEWithLabelSmooth"),
}
deploy_model = {"type": "Classifier", "backbone": backbone}

image_size = 224
deploy_inputs = dict(img=torch.randn((1, 3, image_size, image_size)))

data_loader = dict(
    type=torch.utils.data.DataLoader,
    dataset=dict(type="ImageNetFromLMDB", data_path="./tmp_data/%s/train_lmdb/" % dataset),
    batch_size=batch_size_per_gpu,
    shuffle=True,
)
val_data_loader = dict(
    type=torch.utils.data.DataLoader,
    dataset=dict(type="ImageNetFromLMDB", data_path=f"./tmp_data/{dataset}/val_lmdb/"),
    batch_size=batch_size_per_gpu,
    shuffle=False,
)
