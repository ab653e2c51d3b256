"""Golden encodings for ByteLevelBpe's GPT-2 file compatibility (read by ByteLevelBpeGpt2Test.java).

Trains a small byte-level BPE with a plain Python loop, writes it in GPT-2's format (vocab.json, merges.txt)
and encodes sample texts with a from-scratch re-implementation of GPT-2's reference encoder (bytes_to_unicode,
the pre-tokenizer pattern, the lowest-rank-bigram loop). Needs python3-regex (Debian) for \\p{L}.
Run: cd transformer/src/test/python && /usr/bin/python3 fixtures_bpe.py
"""
import collections
import json
import os

import regex

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")
PATTERN = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def byte_alphabet():
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    chars = list(keep)
    extra = 0
    for b in range(256):
        if b not in keep:
            keep.append(b)
            chars.append(256 + extra)
            extra += 1
    return keep, {b: chr(c) for b, c in zip(keep, chars)}


ORDER, B2U = byte_alphabet()


def words(text):
    return [w for w in PATTERN.findall(text)]


def train(text, num_merges):
    counts = collections.Counter("".join(B2U[b] for b in w.encode("utf-8")) for w in words(text))
    split = {w: list(w) for w in counts}
    merges = []
    for _ in range(num_merges):
        pairs = collections.Counter()
        for w, c in counts.items():
            s = split[w]
            for a, b in zip(s, s[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
        merges.append(best)
        for w in counts:
            split[w] = merge_word(split[w], best)
    return merges


def merge_word(symbols, pair):
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            out.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


def encode(text, vocab, ranks):
    ids = []
    for w in words(text):
        symbols = [B2U[b] for b in w.encode("utf-8")]
        while len(symbols) > 1:
            pairs = [(ranks.get(p, 1 << 30), p) for p in zip(symbols, symbols[1:])]
            rank, pair = min(pairs)
            if rank == 1 << 30:
                break
            symbols = merge_word(symbols, pair)
        ids.extend(vocab[s] for s in symbols)
    return ids


def main():
    corpus = ("It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of "
              "foolishness. They'll say we've won; I'd doubt it. 1999 + 2001 = 4000.\n") * 4
    merges = train(corpus, 120)
    vocab = {B2U[b]: i for i, b in enumerate(ORDER)}
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    vocab["<|endoftext|>"] = len(vocab)
    ranks = {p: i for i, p in enumerate(merges)}
    texts = ["it was the best of times", "The WORST of times!\n\n  It was...", "they'll say we've 2001 wins",
             "naïve 😀 中文 \t tabs", "worst worst worst times"]
    os.makedirs(os.path.join(OUT, "gpt2_bpe"), exist_ok=True)
    with open(os.path.join(OUT, "gpt2_bpe", "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(OUT, "gpt2_bpe", "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(a + " " + b + "\n" for a, b in merges))
    with open(os.path.join(OUT, "gpt2_bpe", "cases.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "fixtures_bpe.py", "cases": [{"text": t, "ids": encode(t, vocab, ranks)} for t in texts]},
                  f, ensure_ascii=False)
    print("wrote", len(merges), "merges,", len(texts), "cases")


if __name__ == "__main__":
    main()
