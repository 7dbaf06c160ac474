"""The telemetry VAE's scoring arithmetic (encoder, K importance samples decoded, the IWAE bound) on
this host's PyTorch, GPU and CPU: a compute ceiling to set beside the Java scorer's, for a host where
the Java scorer itself cannot reach the GPU. Same layer shapes, activation and K as the bundle's
manifest; random weights (the cost does not depend on their values). Prints one JSON object."""
import json
import math
import sys
import time

import torch

manifest = json.load(open(sys.argv[1]))
arch = manifest["architecture"]
k = manifest["scoring"]["iwaeSamples"]
sizes_in = [arch["inputSize"]] + arch["hidden"]
latent = arch["latentSize"]


def mlp(dims, device):
    layers = []
    for i in range(len(dims) - 1):
        layers.append(torch.nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            layers.append(torch.nn.GELU())
    return torch.nn.Sequential(*layers).to(device).eval()


def scorer(device):
    torch.manual_seed(0)
    enc = mlp(sizes_in + [2 * latent], device)
    dec = mlp([latent] + list(reversed(arch["hidden"])) + [arch["inputSize"]], device)
    log_var_x = torch.zeros(arch["inputSize"], device=device)
    eps = torch.randn(k, 1, latent, device=device)

    @torch.no_grad()
    def score(x):
        h = enc(x)
        mu, log_var = h[:, :latent], h[:, latent:].clamp(-12, 8)
        z = mu + torch.exp(0.5 * log_var) * eps  # (k, b, latent)
        mean = dec(z.reshape(-1, latent)).reshape(k, x.shape[0], -1)
        log_px = -0.5 * (((x - mean) ** 2) / log_var_x.exp() + log_var_x + math.log(2 * math.pi)).sum(-1)
        log_pz = -0.5 * (z ** 2 + math.log(2 * math.pi)).sum(-1)
        log_qz = -0.5 * (eps ** 2 + log_var + math.log(2 * math.pi)).sum(-1)
        recon = ((x - dec(mu)) ** 2).mean(-1)
        iwae = -(torch.logsumexp(log_px + log_pz - log_qz, 0) - math.log(k))
        return iwae, recon

    return score


def events_per_second(device, batch, host_input, seconds=2.0):
    score = scorer(device)
    x_host = torch.randn(batch, arch["inputSize"])
    if device.type == "cuda" and host_input:
        x_host = x_host.pin_memory()
    x_dev = x_host.to(device)

    def once():
        x = x_host.to(device, non_blocking=True) if host_input else x_dev
        iwae, recon = score(x)
        if host_input:
            iwae.cpu(), recon.cpu()  # the verdicts go back to the host
    for _ in range(5):
        once()
    if device.type == "cuda":
        torch.cuda.synchronize()
    n = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        once()
        n += 1
    if device.type == "cuda":
        torch.cuda.synchronize()
    return round(n * batch / (time.perf_counter() - start))


report = {"torch": torch.__version__, "cuda": torch.version.cuda, "k": k, "architecture": arch, "gpu": None,
          "cpuThreads": torch.get_num_threads(), "eventsPerSecond": {}}
if torch.cuda.is_available():
    report["gpu"] = torch.cuda.get_device_name(0)
    gpu = torch.device("cuda")
    for batch in (256, 4096, 65536):
        report["eventsPerSecond"][f"gpu batch {batch}, input from and scores to the host"] = \
            events_per_second(gpu, batch, True)
        report["eventsPerSecond"][f"gpu batch {batch}, on the device only"] = events_per_second(gpu, batch, False)
cpu = torch.device("cpu")
for threads in (1, 2):
    torch.set_num_threads(threads)
    report["eventsPerSecond"][f"cpu batch 256, {threads} thread(s)"] = events_per_second(cpu, 256, False)
print(json.dumps(report, indent=2))
