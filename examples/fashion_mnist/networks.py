"""The two example networks (PyTorch).

cnn: the tutorial's classifier, conv16-pool-conv32-pool-conv64-pool-conv128(1x1)-pool-flatten-
dense10; spatial 28 -> 14 -> 7 -> 3 -> 1.

resnet: a small residual network with BatchNormalization: a stem conv (28x28), a max pool (14),
a residual block of 16 channels, a strided conv to 32 channels (7x7), a residual block of 32, a
strided conv to 64 channels (4x4), a global average pool and a dense layer. Exported to ONNX it
has Conv, BatchNormalization, Relu, MaxPool, Add, GlobalAveragePool, Flatten and Gemm only."""

import torch
from torch import nn


class TutorialCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Linear(128, 10)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def conv_bn_relu(cin, cout, stride=1):
    return [nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


class ResidualBlock(nn.Module):
    """relu(bn(conv(relu(bn(conv(x))))) + x)"""

    def __init__(self, c):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(y)) + x)


class SmallResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            *conv_bn_relu(1, 16), nn.MaxPool2d(2), ResidualBlock(16),
            *conv_bn_relu(16, 32, stride=2), ResidualBlock(32),
            *conv_bn_relu(32, 64, stride=2), nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Linear(64, 10)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


NETWORKS = {"cnn": TutorialCnn, "resnet": SmallResNet}
