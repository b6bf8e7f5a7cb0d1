"""PyTorch reference for `npm run bench`: the same many-to-one training and inference cases, one thread.
Prints one JSON object: {"torch": version, "cases": {name: {"samplesPerSec", "latency1Ms", "latencyBatchMs"}}}."""
import ctypes, json, sys, time
import torch

torch.set_num_threads(1)
# torch.set_num_threads does not reach Debian's generic BLAS (OpenBLAS): limit it to one thread as well.
torch.zeros(2, 2) @ torch.zeros(2, 2)
for name in sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line and ".so" in line}):
    try:
        ctypes.CDLL(name).openblas_set_num_threads(1)
    except (OSError, AttributeError):
        pass
torch.manual_seed(0)
N, T, F, H, B, EPOCHS = 2048, 30, 5, 64, 64, 2
if len(sys.argv) > 1:
    N, T, F, H, B, EPOCHS = (int(v) for v in sys.argv[1:7])
x = torch.randn(N, T, F)
y = torch.randn(N, 1)
out = {"torch": torch.__version__, "cases": {}}
for name, cls in [("rnn", torch.nn.RNN), ("lstm", torch.nn.LSTM), ("gru", torch.nn.GRU)]:
    rnn = cls(F, H, batch_first=True)
    fc = torch.nn.Linear(H, 1)
    params = list(rnn.parameters()) + list(fc.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    def step(xb, yb):
        opt.zero_grad()
        o, _ = rnn(xb)
        loss = torch.nn.functional.mse_loss(fc(o[:, -1]), yb)
        loss.backward()
        opt.step()
    step(x[:B], y[:B])  # warm-up
    t0 = time.perf_counter()
    for _ in range(EPOCHS):
        perm = torch.randperm(N)
        for i in range(0, N, B):
            idx = perm[i:i + B]
            step(x[idx], y[idx])
    train = time.perf_counter() - t0
    with torch.no_grad():
        for _ in range(3):
            fc(rnn(x[:1])[0][:, -1])
        t0 = time.perf_counter()
        for _ in range(50):
            fc(rnn(x[:1])[0][:, -1])
        lat1 = (time.perf_counter() - t0) / 50 * 1000
        t0 = time.perf_counter()
        for _ in range(3):
            fc(rnn(x)[0][:, -1])
        latb = (time.perf_counter() - t0) / 3 * 1000
    out["cases"][name] = {"samplesPerSec": N * EPOCHS / train, "latency1Ms": lat1, "latencyBatchMs": latb}
print(json.dumps(out))
