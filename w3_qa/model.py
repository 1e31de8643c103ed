"""The Week 3 models: a BERT-style Transformer encoder built from its pieces, and the T5-style encoder-decoder.

Shapes (B = batch, L = sequence length, H = heads, d = d_model)::

    EncoderAttention    (B, L, d), mask (B, 1, 1, L) bool -> (B, L, d), mask: every position attends to
                        every non-padding position (no causal mask)
    FeedForwardBlock    list of layers (B, L, d) -> (B, L, d)
    EncoderBlock        list of two Residual layers, (B, L, d), mask -> (B, L, d), mask
    TransformerEncoder  (B, L) int32 token ids (0 = padding) -> (B, n_classes) float32 log-probabilities
    make_qa_model       (inputs (B, Li) int32, targets (B, Lt) int32) -> (logits (B, Lt, vocab), targets)

The encoder's attention is Week 2's, by import: the same Dense layers, heads and scaled dot-product
attention as Week 2's CausalAttention, with a padding mask instead of the causal one. The graded layers keep
the layout of trax's own encoder pieces (`trax.models.transformer._EncoderBlock`, `TransformerEncoder`), so
weights map one to one. The question-answering model is `trax.models.Transformer` itself.
"""
from coursekit.trax_env import import_trax
from coursekit.validation import check_dropout, check_mode, check_positive_int
from w2_summarizer.model import (DotProductAttention, PositionalEncoding, compute_attention_heads_closure,
                                 compute_attention_output_closure)

trax = import_trax()
from trax import layers as tl  # noqa: E402
from trax.fastmath import numpy as jnp  # noqa: E402

DEFAULT_MAX_LEN = 2048


def _check_activation(activation):
    if not callable(activation):
        raise TypeError(f"the activation must be a layer class such as tl.Relu, but got {activation!r}")


def _padding_attention_fn(n_heads):
    """(q, k, v (B*H, L, d_head), mask (B, 1, 1, L)) -> (attention (B*H, L, d_head), mask)."""
    def attend(q, k, v, mask):
        per_head_mask = jnp.repeat(mask[:, 0], n_heads, axis=0)  # (B*H, 1, L): row b*H + h is example b
        return DotProductAttention(q, k, v, per_head_mask), mask
    return attend


def EncoderAttention(d_model, n_heads, dropout=0.0, mode="train"):  # noqa: N802
    """Multi-head self-attention over the non-padding positions, from Week 2's pieces.

    Takes (activations (B, L, d_model), mask (B, 1, 1, L)) and returns (activations, mask), as
    `tl.Attention` does. Weights: Dense q, k, v (d_model -> d_model) and the output Dense, in trax's
    order. `dropout` is accepted for tl.Attention's signature; the attention weights are not dropped out
    (the encoder block drops out the attention's output instead).
    """
    check_positive_int("d_model", d_model)
    check_positive_int("n_heads", n_heads)
    check_dropout(dropout)
    check_mode(mode)
    if d_model % n_heads:
        raise ValueError(f"d_model ({d_model}) must be a multiple of n_heads ({n_heads})")
    d_head = d_model // n_heads

    def heads():
        return tl.Fn("AttnHeads", compute_attention_heads_closure(n_heads, d_head), n_out=1)

    return tl.Serial(
        tl.Select([0, 0, 0]),  # x x x mask
        tl.Parallel([tl.Dense(d_model), heads()], [tl.Dense(d_model), heads()], [tl.Dense(d_model), heads()]),
        tl.Fn("EncoderSelfAttention", _padding_attention_fn(n_heads), n_out=2),
        tl.Fn("AttnOutput", compute_attention_output_closure(n_heads, d_head), n_out=1),
        tl.Dense(d_model),
        name="EncoderAttention",
    )


def FeedForwardBlock(d_model, d_ff, dropout, dropout_shared_axes, mode, activation):  # noqa: N802
    """The feed-forward part of an encoder block, as a list of layers (B, L, d_model) -> (B, L, d_model):

    LayerNorm, Dense(d_ff), activation(), Dropout, Dense(d_model), Dropout (each Dropout with rate
    `dropout`, `dropout_shared_axes` and `mode`).
    """
    check_positive_int("d_model", d_model)
    check_positive_int("d_ff", d_ff)
    check_dropout(dropout)
    check_mode(mode)
    _check_activation(activation)
    ### BEGIN SOLUTION
    dropout_middle = tl.Dropout(rate=dropout, shared_axes=dropout_shared_axes, mode=mode)
    dropout_final = tl.Dropout(rate=dropout, shared_axes=dropout_shared_axes, mode=mode)
    ff_block = [
        tl.LayerNorm(),
        tl.Dense(d_ff),
        activation(),
        dropout_middle,
        tl.Dense(d_model),
        dropout_final,
    ]
    ### END SOLUTION
    return ff_block


def EncoderBlock(d_model, d_ff, n_heads, dropout, dropout_shared_axes, mode, ff_activation):  # noqa: N802
    """One encoder block, a list of two layers that map (activations (B, L, d), mask) to the same:

    Residual(LayerNorm, EncoderAttention, Dropout) then Residual(FeedForwardBlock).
    """
    check_positive_int("n_heads", n_heads)
    check_dropout(dropout)
    check_mode(mode)
    ### BEGIN SOLUTION
    attention = EncoderAttention(d_model, n_heads=n_heads, dropout=dropout, mode=mode)
    feed_forward = FeedForwardBlock(d_model, d_ff, dropout, dropout_shared_axes, mode, ff_activation)
    dropout_ = tl.Dropout(rate=dropout, shared_axes=dropout_shared_axes, mode=mode)
    encoder_block = [
        tl.Residual(
            tl.LayerNorm(),
            attention,
            dropout_,
        ),
        tl.Residual(
            feed_forward,
        ),
    ]
    ### END SOLUTION
    return encoder_block


def TransformerEncoder(vocab_size=32000, n_classes=10, d_model=512, d_ff=2048, n_layers=6,  # noqa: N802
                       n_heads=8, dropout=0.1, dropout_shared_axes=None, max_len=DEFAULT_MAX_LEN,
                       mode="train", ff_activation=tl.Relu):
    """A BERT-style classifier: (B, L) token ids -> (B, n_classes) log-probabilities.

    The arguments come in the course's order (`max_len` after the dropout arguments), so a call written
    for the course's `TransformerEncoder` binds the same values here.

    Padding mask from the tokens (id 0 is padding), embedding, dropout, positional encoding, `n_layers`
    encoder blocks, the mask dropped, LayerNorm, the mean over positions (the sequence's representation),
    Dense(n_classes) and LogSoftmax.
    """
    for name, value in (("vocab_size", vocab_size), ("n_classes", n_classes), ("d_model", d_model),
                        ("d_ff", d_ff), ("n_layers", n_layers), ("n_heads", n_heads), ("max_len", max_len)):
        check_positive_int(name, value)
    check_dropout(dropout)
    check_mode(mode)
    ### BEGIN SOLUTION
    encoder_blocks = [EncoderBlock(d_model, d_ff, n_heads, dropout, dropout_shared_axes, mode, ff_activation)
                      for _ in range(n_layers)]
    model = tl.Serial(
        tl.Branch([], tl.PaddingMask()),  # tokens, mask
        tl.Embedding(vocab_size, d_model),
        tl.Dropout(rate=dropout, shared_axes=dropout_shared_axes, mode=mode),
        PositionalEncoding(max_len=max_len),
        encoder_blocks,
        tl.Select([0], n_in=2),  # drop the mask
        tl.LayerNorm(),
        tl.Mean(axis=1),
        tl.Dense(n_classes),
        tl.LogSoftmax(),
    )
    ### END SOLUTION
    return model


def make_qa_model(vocab_size, d_model=128, d_ff=256, n_encoder_layers=2, n_decoder_layers=2, n_heads=4,
                  dropout=0.1, max_len=256, mode="train", embedding_std=1.0):
    """The T5-style encoder-decoder of Week 3: `trax.models.Transformer` with one shared vocabulary.

    (inputs (B, Li), targets (B, Lt)) int32 -> (logits (B, Lt, vocab_size), targets); position t of the
    logits predicts targets[t] from the inputs and targets[:t] (the decoder shifts its input right).

    The shared token embedding is initialised from N(0, embedding_std**2), as T5 initialises it (std 1),
    not with trax's default std of 1/sqrt(d_model): the sinusoidal positions added to it have entries of
    size about 0.7, and with embeddings ten times smaller than that the decoder hardly tells tokens apart
    through cross-attention. It then learns to ignore its input for a long time: trax's default
    initialisation could not learn to copy 4-8 tokens from a 20-token vocabulary in 600 steps, while unit
    embeddings learn it in about 100 (see `tests/w3_qa/test_model.py`). `embedding_std=None` keeps trax's.
    """
    check_mode(mode)
    model = trax.models.Transformer(vocab_size, d_model=d_model, d_ff=d_ff, n_encoder_layers=n_encoder_layers,
                                    n_decoder_layers=n_decoder_layers, n_heads=n_heads, max_len=max_len,
                                    dropout=dropout, mode=mode)
    if embedding_std is not None:
        embeddings = {id(layer): layer for layer in _walk(model) if isinstance(layer, tl.Embedding)}
        for layer in embeddings.values():  # one layer, shared by the encoder and the decoder
            layer._kernel_initializer = tl.initializers.RandomNormalInitializer(embedding_std)
    return model


def _walk(layer):
    """`layer` and all its sublayers, depth first."""
    yield layer
    for sublayer in layer.sublayers:
        yield from _walk(sublayer)
