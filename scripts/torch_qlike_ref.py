# Regenerate with: /usr/bin/python3 scripts/torch_qlike_ref.py 5 > fixtures/torch/torch-qlike-cases.json
# (needs Debian python3-torch)
"""QLIKE gradient cases from PyTorch for stockcast's engines, in the style of torch_grad_ref.py: a many-to-one model
(torch RNN/LSTM/GRU, batch_first, + Linear `fc` on the last step) with random weights, an input batch x, targets y
(log variances in network units) and a factor per row `scale` (network units -> log-variance units, a fitted scaler's
spread); d = scale * (y - fc(out[:, -1])), loss = mean(exp(d) - d - 1) over all elements, i.e. QLIKE
s2/h - ln(s2/h) - 1 with ln s2 = scale y and ln h = scale z. Written: state_dict, x, y, scale, loss, every gradient."""
import json, sys, torch
torch.manual_seed(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
cases = []
shapes = [("rnn",1,3,5,6,4,1,True), ("lstm",1,2,6,7,5,1,False), ("lstm",2,4,5,5,3,2,False), ("gru",1,3,4,6,6,1,False),
          ("gru",2,2,6,4,4,3,True)]
for cell, layers, F, H, T, B, O, unit in shapes:
    C = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    rnn = C(F, H, num_layers=layers, batch_first=True)
    fc = torch.nn.Linear(H, O)
    x = torch.randn(B, T, F)
    y = torch.randn(B, O)
    scale = torch.ones(B) if unit else 0.5 + 1.5 * torch.rand(B)
    out, _ = rnn(x)
    d = scale.unsqueeze(1) * (y - fc(out[:, -1]))
    loss = (torch.exp(d) - d - 1).mean()
    loss.backward()
    sd = {k: v.tolist() for k, v in rnn.state_dict().items()}
    sd.update({"fc." + k: v.tolist() for k, v in fc.state_dict().items()})
    grads = {k: p.grad.tolist() for k, p in rnn.named_parameters()}
    grads.update({"fc." + k: p.grad.tolist() for k, p in fc.named_parameters()})
    cases.append({"cell": cell, "num_layers": layers, "input_size": F, "hidden_size": H, "output_size": O,
                  "state_dict": sd,
                  "x": x.tolist(), "y": y.tolist(), "scale": scale.tolist(), "loss": loss.item(), "grads": grads})
json.dump({"torch": torch.__version__, "cases": cases}, sys.stdout)
