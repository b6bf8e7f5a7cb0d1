"""PyTorch side of `npm run bench -- --grid`: a line server so each case runs next to stockcast's in time.
Reads one JSON case per line ({"cell","units","layers","lookback","features","batch","threads","seconds"}, and
"device": "cuda" to run on the GPU when torch has CUDA) and prints one JSON line
{"samplesPerSec","latency1Ms","torch","device"}: many-to-one training with Adam on random data, batches drawn from
a shuffled epoch until `seconds` have passed, after a warm-up batch."""
import ctypes, json, sys, time
import torch

torch.manual_seed(0)
CELLS = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}


def blas_libraries():
    """The OpenBLAS libraries loaded in this process (Debian's torch calls BLAS through libblas.so.3)."""
    names = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line and ".so" in line})
    out = []
    for name in names:
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_set_num_threads
            out.append(lib)
        except (OSError, AttributeError):
            pass
    return out


torch.zeros(2, 2) @ torch.zeros(2, 2)
BLAS = blas_libraries()


def set_threads(n):
    """torch.set_num_threads does not reach a generic BLAS: OpenBLAS keeps one thread per core unless told."""
    torch.set_num_threads(n)
    for lib in BLAS:
        lib.openblas_set_num_threads(n)


def run(case):
    set_threads(case["threads"])
    T, F, H, B, L = case["lookback"], case["features"], case["units"], case["batch"], case["layers"]
    n = B * 4
    dev = torch.device("cuda" if case.get("device") == "cuda" and torch.cuda.is_available() else "cpu")
    x = torch.randn(n, T, F, device=dev)
    y = torch.randn(n, 1, device=dev)
    rnn = CELLS[case["cell"]](F, H, num_layers=L, batch_first=True).to(dev)
    fc = torch.nn.Linear(H, 1).to(dev)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    opt = torch.optim.Adam(list(rnn.parameters()) + list(fc.parameters()), lr=1e-3)

    def step(xb, yb):
        opt.zero_grad()
        o, _ = rnn(xb)
        loss = torch.nn.functional.mse_loss(fc(o[:, -1]), yb)
        loss.backward()
        opt.step()

    step(x[:B], y[:B])
    sync()
    done = 0
    t0 = time.perf_counter()
    while True:
        perm = torch.randperm(n, device=dev)
        for i in range(0, n, B):
            idx = perm[i:i + B]
            step(x[idx], y[idx])
            done += B
            if done >= 5 * B and time.perf_counter() - t0 >= case["seconds"]:
                sync()
                break
        else:
            continue
        break
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        one = x[:1]
        for _ in range(5):
            fc(rnn(one)[0][:, -1])
        reps = 0
        t1 = time.perf_counter()
        while reps < 20 or time.perf_counter() - t1 < 0.2:
            fc(rnn(one)[0][:, -1])
            reps += 1
        sync()
        lat = (time.perf_counter() - t1) / reps * 1000
    blas = [lib.openblas_get_num_threads() for lib in BLAS]
    device = str(dev) + (" " + torch.cuda.get_device_name(dev) if dev.type == "cuda" else "")
    return {"samplesPerSec": done / seconds, "latency1Ms": lat, "torch": torch.__version__,
            "blasThreads": blas[0] if blas else None, "device": device}


def peak():
    set_threads(1)
    a = torch.rand(512, 512)
    b = torch.rand(512, 512)
    a @ b
    n = 0
    t = time.perf_counter()
    while time.perf_counter() - t < 0.5:
        a @ b
        n += 1
    return {"gflops": 2 * 512 ** 3 * n / (time.perf_counter() - t) / 1e9}


for line in sys.stdin:
    case = json.loads(line)
    out = peak() if case.get("peak") else run(case)
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
