"""PassBenchmark's PyTorch side: BEARD's ConvNet (as ../shared/reference/beard_ref.py builds it) with the CIFAR-10
normalization in front, as the sound protocol attacks it. Prints, per batch size, the median seconds of one forward
pass and of one forward+backward to the input (gradient of the summed cross-entropy, weights frozen), and the
2048x2048 float32 matrix-multiply rate if asked, as whitespace-separated lines PassBenchmark parses."""
import argparse
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN = [0.4914, 0.4822, 0.4465]
STD = [0.2023, 0.1994, 0.2010]


class ConvNet(nn.Module):
    def __init__(self, channels=3, classes=10, width=128, depth=3, size=32):
        super().__init__()
        layers, c = [], channels
        for _ in range(depth):
            layers += [nn.Conv2d(c, width, 3, padding=1), nn.GroupNorm(width, width, affine=True),
                       nn.ReLU(inplace=True), nn.AvgPool2d(2, 2)]
            c, size = width, size // 2
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(width * size * size, classes)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


def median_seconds(step, repetitions, warmup):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(repetitions):
        began = time.perf_counter()
        step()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model', required=True)
    p.add_argument('--batches', default='1,4,16,64,256')
    p.add_argument('--images-per-cell', type=int, default=1024)
    p.add_argument('--min-repetitions', type=int, default=7)
    p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--matmul', action='store_true', help='also time the 2048x2048 matrix multiply')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = ConvNet()
    net.load_state_dict(torch.load(args.model, map_location='cpu'))
    net.eval()
    for parameter in net.parameters():
        parameter.requires_grad_(False)
    mean, std = torch.tensor(MEAN).view(1, 3, 1, 1), torch.tensor(STD).view(1, 3, 1, 1)

    def logits(x):
        return net((x - mean) / std)

    if args.matmul:
        a, b = torch.rand(2048, 2048) * 2 - 1, torch.rand(2048, 2048) * 2 - 1
        print('matmul', 2.0 * 2048 ** 3 / median_seconds(lambda: a @ b, 10, 2) / 1e9)
    print('version', torch.__version__, torch.get_num_threads(), torch.get_num_interop_threads())
    for batch in map(int, args.batches.split(',')):
        x = torch.rand(batch, 3, 32, 32)
        y = torch.randint(0, 10, (batch,))
        repetitions = max(args.min_repetitions, -(-args.images_per_cell // batch))

        def forward():
            with torch.no_grad():
                logits(x)

        def forward_backward():
            leaf = x.clone().requires_grad_(True)
            loss = F.cross_entropy(logits(leaf), y, reduction='sum')
            torch.autograd.grad(loss, [leaf])

        print('batch', batch, median_seconds(forward, repetitions, args.warmup),
              median_seconds(forward_backward, repetitions, args.warmup))
        sys.stdout.flush()


if __name__ == '__main__':
    main()
