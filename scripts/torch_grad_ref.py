# Regenerate with: /usr/bin/python3 scripts/torch_grad_ref.py 3 > fixtures/torch/torch-grad-cases.json   (needs Debian python3-torch)
"""Gradient reference cases from PyTorch for stockcast's engines, in the style of torch_ref.py.
Each case: a many-to-one model = torch RNN/LSTM/GRU (batch_first) + Linear `fc` on the last step, random weights,
a random input batch x and target y; loss = mse_loss(fc(out[:, -1]), y) (mean over all elements).
Written: state_dict, x, y, loss, and the gradient of every parameter under its state_dict name.
`quantile_cases` (drawn after the others, so they stay as they were): the same models with the non-crossing
quantile head of stockcast's `quantiles` option: fc gives S x K raw values z per row (S horizon steps, K levels),
q_1 = z_1, q_k = q_{k-1} + softplus(z_k); loss = the pinball loss max(tau e, (tau - 1) e), e = y - q, averaged
over rows, steps and levels. y is [B, S]."""
import json, sys, torch
torch.manual_seed(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
cases = []
for cell, layers, F, H, T, B, O in [("rnn",1,3,5,6,4,1), ("rnn",2,4,6,5,3,2), ("lstm",1,3,6,7,2,1), ("lstm",2,5,8,6,4,1), ("gru",1,2,4,5,3,1), ("gru",2,4,7,6,2,3)]:
    C = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    rnn = C(F, H, num_layers=layers, batch_first=True)
    fc = torch.nn.Linear(H, O)
    x = torch.randn(B, T, F)
    y = torch.randn(B, O)
    out, _ = rnn(x)
    loss = torch.nn.functional.mse_loss(fc(out[:, -1]), y)
    loss.backward()
    sd = {k: v.tolist() for k, v in rnn.state_dict().items()}
    sd.update({"fc." + k: v.tolist() for k, v in fc.state_dict().items()})
    grads = {k: p.grad.tolist() for k, p in rnn.named_parameters()}
    grads.update({"fc." + k: p.grad.tolist() for k, p in fc.named_parameters()})
    cases.append({"cell": cell, "num_layers": layers, "input_size": F, "hidden_size": H, "output_size": O,
                  "state_dict": sd, "x": x.tolist(), "y": y.tolist(), "loss": loss.item(), "grads": grads})
quantile_cases = []
for cell, layers, F, H, T, B, S, levels in [("lstm",1,3,6,7,5,2,[0.05,0.5,0.95]), ("gru",2,4,5,6,4,1,[0.01,0.1,0.5,0.9]), ("rnn",1,2,4,5,6,3,[0.25,0.75])]:
    C = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    K = len(levels)
    rnn = C(F, H, num_layers=layers, batch_first=True)
    fc = torch.nn.Linear(H, S * K)
    x = torch.randn(B, T, F)
    y = torch.randn(B, S)
    out, _ = rnn(x)
    z = fc(out[:, -1]).reshape(B, S, K)
    q = torch.cumsum(torch.cat([z[:, :, :1], torch.nn.functional.softplus(z[:, :, 1:])], dim=2), dim=2)
    tau = torch.tensor(levels)
    e = y.unsqueeze(2) - q
    loss = torch.max(tau * e, (tau - 1) * e).mean()
    loss.backward()
    sd = {k: v.tolist() for k, v in rnn.state_dict().items()}
    sd.update({"fc." + k: v.tolist() for k, v in fc.state_dict().items()})
    grads = {k: p.grad.tolist() for k, p in rnn.named_parameters()}
    grads.update({"fc." + k: p.grad.tolist() for k, p in fc.named_parameters()})
    quantile_cases.append({"cell": cell, "num_layers": layers, "input_size": F, "hidden_size": H, "output_size": S * K, "horizon": S,
                           "levels": levels, "state_dict": sd, "x": x.tolist(), "y": y.tolist(), "quantiles": q.detach().reshape(B, S * K).tolist(),
                           "loss": loss.item(), "grads": grads})
json.dump({"torch": torch.__version__, "cases": cases, "quantile_cases": quantile_cases}, sys.stdout)
