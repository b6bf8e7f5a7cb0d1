# Regenerate with: /usr/bin/python3 scripts/torch_grad_ref.py 3 > fixtures/torch/torch-grad-cases.json   (needs Debian python3-torch)
"""Gradient reference cases from PyTorch for stockcast's engines, in the style of torch_ref.py.
Each case: a many-to-one model = torch RNN/LSTM/GRU (batch_first) + Linear `fc` on the last step, random weights,
a random input batch x and target y; loss = mse_loss(fc(out[:, -1]), y) (mean over all elements).
Written: state_dict, x, y, loss, and the gradient of every parameter under its state_dict name."""
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
json.dump({"torch": torch.__version__, "cases": cases}, sys.stdout)
