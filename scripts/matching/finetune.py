"""Fine-tunes all-MiniLM-L6-v2 on (tweet, verifying fact-check) pairs: in-batch negatives plus one hard negative
per tweet (the most similar wrong fact-check under the base model), scale 20, AdamW 2e-5, fixed seed.
Used by research.py (cross-fitted on train halves) and by derive.py (on all of train)."""
import os
import random

import numpy as np
import torch


def finetune(base_path, out_path, tweets, golds, hard, epochs=1, batch=32, lr=2e-5, seed=0):
    """tweets[i] is verified by the fact-check text golds[i]; hard[i] is a wrong but similar fact-check text."""
    from sentence_transformers import SentenceTransformer

    if os.path.exists(os.path.join(out_path, "model.safetensors")):
        return out_path
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(os.cpu_count() or 1)
    model = SentenceTransformer(base_path, device="cpu")
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    rng = np.random.RandomState(seed)
    n = len(tweets)
    steps = epochs * ((n + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / max(1, steps // 10)))

    def enc(texts):
        feats = model.tokenize(texts)
        return model(feats)["sentence_embedding"]

    for _ in range(epochs):
        order = rng.permutation(n)
        for s in range(0, n, batch):
            idx = order[s : s + batch]
            q = enc([tweets[i] for i in idx])
            d = enc([golds[i] for i in idx] + [hard[i] for i in idx])
            logits = 20.0 * q @ d.T
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(idx)))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    model.eval()
    model.save(out_path)
    return out_path
