"""AttackRaceBenchmark's reference side: ../shared/reference/beard_ref.py run as it is (torchattacks 3.5.1 from
TORCHATTACKS_DIR on Debian's PyTorch), with its ConvNet's forward and torch's backward entry points wrapped to count
the rows each pass runs on and the seconds spent inside them. Takes beard_ref.py's own arguments after --ref (the
script's path) and prints, per attack and mode, one line 'PASSES attack mode forward_rows backward_rows pass_seconds
histogram cpu_seconds' where histogram is 'batch:forward_rows:backward_rows:seconds,...' by the batch size of the
call and cpu_seconds the process's CPU time since the last such line (the model loading included in the first)."""
import collections
import importlib.util
import sys
import time

import torch


def own_argument(flag):
    """The value of this wrapper's own option, taken out of the arguments beard_ref.py parses."""
    at = sys.argv.index(flag)
    value = sys.argv[at + 1]
    del sys.argv[at:at + 2]
    return value


ref_path = own_argument('--ref')
linf = float(own_argument('--linf'))
spec = importlib.util.spec_from_file_location('beard_ref', ref_path)
beard_ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(beard_ref)


def fresh_stats():
    """Forward rows, backward rows and seconds inside the passes by the batch size of the call, and the CPU clock."""
    return dict(sizes=collections.Counter(), backward_sizes=collections.Counter(),
                seconds_by_size=collections.Counter(), cpu=time.process_time())


stats = {**fresh_stats(), 'last_rows': 0}
plain_forward = beard_ref.ConvNet.forward
plain_backward = torch.Tensor.backward
plain_grad = torch.autograd.grad


def forward(self, x):
    stats['sizes'][x.shape[0]] += x.shape[0]
    stats['last_rows'] = x.shape[0]
    began = time.perf_counter()
    try:
        return plain_forward(self, x)
    finally:
        spent(x.shape[0], time.perf_counter() - began)


def spent(rows, seconds):
    stats['seconds_by_size'][rows] += seconds


def backward_rows(rows):
    stats['backward_sizes'][rows] += rows


def backward(self, *args, **kwargs):
    # A scalar (a summed loss, FAB-T's summed logit difference) carries no rows of its own: its backward runs through
    # the graph of the forward pass just before it.
    rows = self.shape[0] if self.dim() > 0 else stats['last_rows']
    backward_rows(rows)
    began = time.perf_counter()
    try:
        return plain_backward(self, *args, **kwargs)
    finally:
        spent(rows, time.perf_counter() - began)


def grad(outputs, inputs, *args, **kwargs):
    first = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
    rows = first.shape[0]
    backward_rows(rows)
    began = time.perf_counter()
    try:
        return plain_grad(outputs, inputs, *args, **kwargs)
    finally:
        spent(rows, time.perf_counter() - began)


plain_torchattacks = beard_ref.torchattacks


class BudgetedAttacks:
    """torchattacks as beard_ref.py sees it, except that AutoAttack and Square are built with the budget Bristle runs."""

    def __getattr__(self, name):
        attack = getattr(plain_torchattacks, name)
        if name not in ('AutoAttack', 'Square'):
            return attack
        return lambda *args, **kwargs: attack(*args, **{**kwargs, 'eps': linf})


beard_ref.torchattacks = BudgetedAttacks()
beard_ref.ConvNet.forward = forward
torch.Tensor.backward = backward
torch.autograd.grad = grad

plain_print = print


def report(*args, **kwargs):
    plain_print(*args, **kwargs)
    text = ' '.join(str(a) for a in args)
    words = text.split()
    if len(words) >= 2 and ' acc ' in text:
        sizes = sorted(set(stats['sizes']) | set(stats['backward_sizes']))
        histogram = ','.join(f"{size}:{stats['sizes'][size]}:{stats['backward_sizes'][size]}"
                             f":{stats['seconds_by_size'][size]:.4f}" for size in sizes)
        plain_print(f"PASSES {words[0]} {words[1]} {sum(stats['sizes'].values())} "
                    f"{sum(stats['backward_sizes'].values())} {sum(stats['seconds_by_size'].values()):.3f} "
                    f"{histogram} {time.process_time() - stats['cpu']:.2f}", flush=True)
        stats.update(fresh_stats())


beard_ref.print = report
beard_ref.main()
